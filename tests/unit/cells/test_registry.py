"""The cell registry: what every entry must hold, and the shared time loop, checked by hand.

Each entry's numbers (parameter counts, replayed gates, generated code) are held against Keras in
tests/unit/network; here are the rules that need no Keras.
"""
import json
import re

import numpy as np
import pytest

from rnnlab import config
from rnnlab.cells import CELLS, Cell
from rnnlab.cells.maths import project, unroll
from rnnlab.plots.colours import OTHER_COLOURS


def test_the_book_cells_come_first_in_teaching_order_and_the_config_allows_every_cell():
    assert list(CELLS)[:3] == ["SimpleRNN", "LSTM", "GRU"]
    assert config.CELLS == tuple(CELLS)
    assert all(isinstance(cell, Cell) and cell.name == name for name, cell in CELLS.items())


@pytest.mark.parametrize("cell", CELLS.values(), ids=CELLS.keys())
def test_every_entry_labels_its_traces_and_names_its_gates_among_them(cell):
    assert list(cell.traces)[-1] == "hidden"  # the layer's output, shown last
    assert set(cell.gates) <= set(cell.traces)
    assert all(label.split(" (")[0] and "(" in label for label in cell.traces.values())
    json.dumps(dict(cell.traces))  # plain strings, ready for a plot or a page
    assert cell.description.endswith(".") and len(cell.description) < 120
    assert cell.in_a_sentence.split(" ", 1)[0] in ("a", "an")


def test_the_lstm_labels_say_what_one_means():
    assert "1 = keep the old cell state" in CELLS["LSTM"].traces["forget_gate"]
    assert "1 = keep the old state, Keras's convention" in CELLS["GRU"].traces["update_gate"]


@pytest.mark.parametrize("cell", CELLS.values(), ids=CELLS.keys())
def test_every_trace_has_a_meaning_that_page_and_tooltip_word_alike(cell):
    assert set(cell.meanings) == set(cell.traces)
    for trace in cell.traces:
        name = cell.traces[trace].split(" (")[0].rsplit(" ", 1)[0]  # "forget gate f" -> "forget gate"
        assert cell.meaning(trace, 0.5).startswith(f"{name} 0.50")
        assert cell.hover_meaning(trace, "y").startswith(f"{name} %{{y:.2f}}")
    for gate in cell.gates:
        assert "50%" in cell.meaning(gate, 0.5) and "%{z:.0%}" in cell.hover_meaning(gate)


def test_a_gate_value_reads_as_the_share_it_lets_through():
    assert CELLS["LSTM"].meaning("forget_gate", 0.93) == (
        "forget gate 0.93: keeps 93% of the old cell state")
    assert CELLS["GRU"].meaning("update_gate", 0.1).startswith(
        "update gate 0.10: keeps 10% of the old state")
    assert CELLS["LSTM"].hover_meaning("forget_gate") == (
        "forget gate %{z:.2f}: keeps %{z:.0%} of the old cell state")
    with pytest.raises(KeyError):
        CELLS["SimpleRNN"].meaning("forget_gate", 0.5)


def test_names_prefixes_and_colours_are_unique():
    cells = list(CELLS.values())
    assert len({c.layer_prefix for c in cells}) == len({c.colour for c in cells}) == len(cells)
    assert all(re.fullmatch(r"[a-z][a-z_]*", c.layer_prefix) for c in cells)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c.colour) for c in cells)
    assert not {c.colour for c in cells} & set(OTHER_COLOURS)


@pytest.mark.parametrize("cell", CELLS.values(), ids=CELLS.keys())
def test_the_formula_in_symbols_counts_what_the_count_function_counts(cell):
    for units, inputs in ((1, 1), (3, 7), (32, 32), (64, 14)):
        text = cell.parameter_formula.replace("x", "*").replace("U", str(units))
        assert eval(text.replace("F", str(inputs))) == cell.count_parameters(units, inputs)  # noqa: S307


@pytest.mark.parametrize("cell", CELLS.values(), ids=CELLS.keys())
def test_the_step_reads_the_weights_it_names_with_units_as_recurrent_rows(cell):
    shapes = cell.weight_shapes(5, 3)
    assert tuple(shapes) == cell.weight_names
    assert all(shape[0] == 3 for shape in shapes["recurrent_kernel"])
    rng = np.random.default_rng(0)
    weights = {name: rng.normal(size=options[0]) for name, options in shapes.items()}
    traces = cell.run(rng.normal(size=(2, 4, 5)), weights)
    assert list(traces) == list(cell.traces)
    assert all(values.shape == (2, 4, 3) for values in traces.values())
    for gate in cell.gates:
        assert ((traces[gate] > 0) & (traces[gate] < 1)).all()


def test_mistakes_are_value_errors_in_plain_words():
    lstm = CELLS["LSTM"]
    weights = {"kernel": np.ones((2, 8)), "recurrent_kernel": np.ones((2, 8)), "bias": np.ones(8)}
    with pytest.raises(ValueError, match="Unknown activation 'softmax': use one of tanh, relu"):
        lstm.run(np.ones((1, 3, 2)), weights, activation="softmax")
    with pytest.raises(ValueError, match=r"The LSTM weights do not fit an LSTM layer of 2 units "
                                         r"reading 5 numbers per step: kernel \(2, 8\)"):
        lstm.run(np.ones((1, 3, 5)), weights)
    with pytest.raises(ValueError, match="The LSTM step needs the weights bias"):
        lstm.run(np.ones((1, 3, 2)), {k: v for k, v in weights.items() if k != "bias"})


def test_projection_is_x_times_kernel_at_every_step():
    x = np.arange(12.0).reshape(2, 3, 2)
    kernel = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0]])
    np.testing.assert_array_equal(project(x, kernel), x @ kernel)


def test_unroll_carries_states_over_masked_steps_and_blanks_the_rest():
    """A counter: the state adds this step's input; 'seen' is what the step computed."""
    inputs = np.array([[[1.0], [2.0], [4.0], [8.0]]])
    mask = np.array([[True, False, True, False]])

    def update(x, state):
        return {"seen": x, "total": state["total"] + x}

    traces = unroll(inputs, {"total": np.zeros((1, 1))}, update, mask)
    assert list(traces) == ["seen", "total"]
    assert traces["total"][0, :, 0].tolist() == [1.0, 1.0, 5.0, 5.0]  # masked: carried over
    assert np.isnan(traces["seen"][0, [1, 3], 0]).all()                # masked: thrown away
    assert traces["seen"][0, [0, 2], 0].tolist() == [1.0, 4.0]
    unmasked = unroll(inputs, {"total": np.zeros((1, 1))}, update)
    assert unmasked["total"][0, :, 0].tolist() == [1.0, 3.0, 7.0, 15.0]


def test_a_simple_rnn_unit_by_hand():
    weights = {"kernel": np.array([[0.5]]), "recurrent_kernel": np.array([[0.5]]),
               "bias": np.array([0.5])}
    hidden = CELLS["SimpleRNN"].run(np.array([[[1.0], [0.0]]]), weights)["hidden"][0, :, 0]
    first = np.tanh(1.0)
    assert hidden.tolist() == pytest.approx([first, np.tanh(0.5 + 0.5 * first)], abs=1e-15)


def test_keras_layers_come_from_keras_or_from_the_entrys_own_code_defined_once():
    import dataclasses

    import keras

    assert CELLS["GRU"].keras_layer_class(keras) is keras.layers.GRU
    layer = CELLS["LSTM"].keras_layer(keras, units=3, dropout=0.25, name="lstm_9")
    assert (type(layer), layer.units, layer.dropout, layer.name) == (keras.layers.LSTM, 3, 0.25,
                                                                      "lstm_9")
    custom = dataclasses.replace(CELLS["GRU"], keras_class="ReadingGRU",
                                 keras_definitions="class ReadingGRU(layers.GRU):\n    pass\n")
    defined = custom.keras_layer_class(keras)
    assert defined.__name__ == "ReadingGRU" and issubclass(defined, keras.layers.GRU)
    assert custom.keras_layer_class(keras) is defined  # the code runs once per process
    assert isinstance(custom.keras_layer(keras, units=2), defined)


def random_weights(cell, inputs, units, rng, reset_after=True):
    shapes = cell.weight_shapes(inputs, units)
    return {name: rng.normal(0.0, 0.6, options[0] if reset_after else options[-1])
            for name, options in shapes.items()}


@pytest.mark.parametrize("reset_after", [True, False], ids=["reset_after", "reset_before"])
@pytest.mark.parametrize("cell", CELLS.values(), ids=CELLS.keys())
def test_a_sequence_fed_in_pieces_carries_its_states_and_computes_the_same(cell, reset_after):
    """Steps 1..5 at once equal steps 1..2, then 3..5 from the states step 2 ended with, and
    then one step at a time: what the sampler does, one character after another."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 5, 3))
    weights = random_weights(cell, 3, 4, rng, reset_after)
    whole = cell.run(x, weights)
    assert set(cell.states) <= set(cell.traces) and cell.states[0] == "hidden"
    first = cell.run(x[:, :2], weights)
    rest = cell.run(x[:, 2:], weights, initial_state={n: first[n][:, -1] for n in cell.states})
    for name in cell.traces:
        np.testing.assert_allclose(np.concatenate([first[name], rest[name]], axis=1),
                                   whole[name], atol=1e-12)
    state = None
    for t in range(5):
        one = cell.run(x[:, t:t + 1], weights, initial_state=state)
        state = {n: one[n][:, -1] for n in cell.states}
        np.testing.assert_allclose(one["hidden"][:, 0], whole["hidden"][:, t], atol=1e-12)
    zeros = {n: np.zeros((2, 4)) for n in cell.states}
    np.testing.assert_array_equal(cell.run(x, weights, initial_state=zeros)["hidden"],
                                  whole["hidden"])
    with pytest.raises(ValueError, match="starting states must be"):
        cell.run(x, weights, initial_state={"hidden": np.zeros((2, 3))})
