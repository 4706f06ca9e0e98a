"""Refused settings under AppTest: a value out of range is explained in words next to its field,
and the page says that the model (or the run, the search, the data) did not change.

The browser never refuses a number itself (rnnlab.ui.widgets gives a number box no min_value or
max_value), so every typed value reaches the config's checks, and these tests type them.
"""
import pytest
from streamlit.testing.v1.element_tree import Block

from rnnlab.config import RunConfig
from tests.app.conftest import open_page
from tests.app.test_build_page import summary_rows, total


def block_holding(app, key: str):
    """The innermost block (column, box) whose direct children include the widget `key`."""
    def search(block):
        for child in block.children.values():
            if getattr(child, "key", None) == key:
                return block
            if isinstance(child, Block):
                found = search(child)
                if found is not None:
                    return found
        return None
    found = search(app.main)
    assert found is not None, f"no widget {key} on the page"
    return found


def errors_in(block) -> list[str]:
    """The error messages drawn inside `block`, at any depth."""
    if not isinstance(block, Block):
        return []
    texts = []
    for child in block.children.values():
        if getattr(child, "type", None) == "error":
            texts.append(child.value)
        if isinstance(child, Block):
            texts += errors_in(child)
    return texts


def warnings(app) -> list[str]:
    return [warning.value for warning in app.warning]


@pytest.mark.parametrize("typed", [0, 100_000])
def test_units_out_of_range_are_explained_in_the_layer_box_and_the_model_is_kept(typed):
    app = open_page("build")
    app.number_input(key="build_l1_units").set_value(typed).run()
    assert not app.exception
    reason = (f"Layer 1 units is {typed}, but it must be a whole number from 1 to 1,024: units is "
              "the size of the hidden state, and a layer needs at least one.")
    assert reason in [error.value for error in app.error]
    # In the layer's own box, under its fields: the box holds the row that holds the units box.
    layer_box = app.main.children[next(i for i, child in app.main.children.items()
                                       if reason in errors_in(child))]
    assert "build_l1_units" in repr(layer_box)
    assert "The model below did not change: it still has 32 units in layer 1." in warnings(app)
    assert total(app) == "328,353"  # the textbook model, unchanged
    assert summary_rows(app)["lstm_1"][1] == "(None, 32)"
    assert RunConfig.from_query(dict(app.query_params)) == RunConfig()
    assert app.number_input(key="build_l1_units").value == 32  # sprang back
    # Shown once: the next change of anything clears both messages.
    app.number_input(key="build_l1_units").set_value(48).run()
    assert not app.error and not app.warning
    assert summary_rows(app)["lstm_1"][1] == "(None, 48)"


def test_the_second_layers_units_name_the_second_layer():
    app = open_page("build")
    app.slider(key="build_depth").set_value(2).run()
    app.number_input(key="build_l2_units").set_value(0).run()
    assert "The model below did not change: it still has 32 units in layer 2." in warnings(app)
    assert any(error.startswith("Layer 2 units is 0") for error in [e.value for e in app.error])


def test_a_refused_embedding_size_says_what_each_word_still_is():
    app = open_page("build")
    app.number_input(key="build_embedding_dim").set_value(600).run()
    assert "The model below did not change: each word is still 32 numbers." in warnings(app)
    error, = errors_in(block_holding(app, "build_embedding_dim"))
    assert "600" in error and "512" in error  # the page's own bound, in words


@pytest.mark.parametrize("key, typed, reason, kept", [
    ("train_epochs", 0, "Epochs is 0, but it must be a whole number from 1 to 500",
     "\u201cEpochs\u201d is still"),
    ("train_batch_size", 100_000, "Batch size is 100000, but it must be a whole number from 1 "
     "to 4,096", "\u201cBatch size\u201d is still"),
    ("train_learning_rate", 5.0, "Learning rate is 5.0, but it must be a number above 0 and at "
     "most 1", "\u201cLearning rate\u201d is still 0.001"),
    ("train_patience", 1000, "Early-stopping patience is 1000, but it must be a whole number "
     "from 0 to 100", "\u201cEarly-stopping patience (0 = off)\u201d is still"),
    ("train_seed", -1, "Seed is -1, but it must be a whole number from 0 to 2,147,483,647",
     "\u201cSeed\u201d is still"),
])
def test_train_options_out_of_range_are_explained_next_to_the_field(key, typed, reason, kept):
    app = open_page("train")
    before = dict(app.query_params)
    app.number_input(key=key).set_value(typed).run()
    assert not app.exception
    (error,) = errors_in(block_holding(app, key))
    assert error.startswith(reason)
    (warning,) = [w for w in warnings(app) if "did not change" in w]
    assert warning.startswith(f"The training settings did not change: {kept}")
    assert dict(app.query_params) == before


def test_a_data_setting_out_of_range_is_explained_and_the_data_kept():
    app = open_page("data", {"dataset": "memory"})
    app.number_input(key="data_sequence_length").set_value(1).run()
    assert not app.exception
    (error,) = errors_in(block_holding(app, "data_sequence_length"))
    assert "1" in error
    assert any(w.startswith("The data settings did not change: \u201cSequence length (steps)"
                            "\u201d is still") for w in warnings(app))


def test_a_search_setting_out_of_range_is_explained():
    app = open_page("tune")
    app.number_input(key="tune_units_max").set_value(5000).run()
    assert not app.exception
    (error,) = errors_in(block_holding(app, "tune_units_max"))
    assert "5000" in error and "1,024" in error
    assert any(w.startswith("The search did not change: \u201cLargest units\u201d is still")
               for w in warnings(app))
