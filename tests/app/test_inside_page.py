"""The Inside-the-cell page under AppTest, for every cell and every dataset.

Each run is a real Keras model (rnnlab.trainer.models.build_model) with seeded weights, saved the way the
worker saves them, so the page replays real weights. Plotly charts are opaque to AppTest; the
tests read the prediction sentence, which must equal what rnnlab.network.replay computes (and that, in
tests/unit/network/test_replay.py, equals Keras), plus the widgets and the messages.
"""
import dataclasses
import json

import numpy as np
import pytest

from rnnlab.config import (
    ImdbOptions,
    LayerConfig,
    MemoryOptions,
    RunConfig,
    TextOptions,
    TrainingOptions,
    WeatherOptions,
)
from rnnlab.data import imdb, text
from rnnlab.jobs import artifacts
from rnnlab.lessons import inside
from rnnlab.lessons import unit_finder as finder
from rnnlab.network import replay
from rnnlab.ui import step_view, unit_finder
from tests.app.conftest import open_page, trained_run
from tests.app.test_data_page import TEST, TEST_LABELS, TRAIN, TRAIN_LABELS
from tests.unit.data.test_imdb import WORD_INDEX, write_keras_npz

IMDB = ImdbOptions(num_words=20, maxlen=10, embedding_dim=4)
WEATHER = WeatherOptions(lookback_hours=12, delay_hours=3)


def finished_run(store, config: RunConfig, seed: int = 0) -> int:
    """A done run whose folder holds the config and seeded weights of the real Keras model."""
    from rnnlab.trainer.models import build_model

    model = build_model(config)
    rng = np.random.default_rng(seed)
    for w in model.weights:
        w.assign(rng.normal(0.0, 0.5, w.shape).astype("float32"))
    run_id = store.submit(config, "ada")
    store.claim(10)
    folder = store.run_dir(run_id)
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(config.to_json())
    np.savez(folder / "weights.npz", **{w.path: np.asarray(w.numpy()) for w in model.weights})
    result = {"metric": config.metric, f"best_val_{config.metric}": 0.5,
              f"test_{config.metric}": 0.5, "seconds_per_epoch": 1.0,
              "params": model.count_params()}
    (folder / "result.json").write_text(json.dumps(result))
    store.finish(run_id, "done", result=result)
    return run_id


def imdb_run_config(cell: str, **layer) -> RunConfig:
    return RunConfig(imdb=IMDB, layers=(LayerConfig(cell=cell, units=4, **layer),),
                     training=TrainingOptions(epochs=1))


@pytest.fixture
def tiny_imdb(data_dir):
    write_keras_npz(data_dir / "imdb.npz", TRAIN, TRAIN_LABELS, TEST, TEST_LABELS)
    (data_dir / "imdb_word_index.json").write_text(json.dumps(WORD_INDEX))
    return imdb.load_corpus()


def assert_saturation_view(app, cell: str) -> None:
    """Switch on the saturation scatter: it renders, and a SimpleRNN says it has no replay."""
    app.toggle(key="inside_saturate").set_value(True).run()
    assert not app.exception
    if cell == "SimpleRNN":
        assert "has no gates" in app.info[0].value


def prediction_line(app) -> str:
    (line,) = [block.value for block in app.markdown if "at the end:" in block.value]
    return line


def test_without_finished_runs_it_says_to_train_one(data_dir):
    app = open_page("inside")
    assert not app.exception
    assert "No finished run yet" in app.info[0].value


def test_a_dense_run_is_not_offered_and_the_page_says_why(store, tiny_imdb):
    dense = finished_run(store, imdb_run_config("Dense"))
    app = open_page("inside", {"run": str(dense)})
    assert not app.exception, app.exception
    assert "No finished run of a recurrent cell yet" in app.info[0].value
    assert "a dense network are not listed here" in app.caption[0].value
    assert "no gates or states to look inside" in app.caption[0].value
    gru = finished_run(store, imdb_run_config("GRU"))
    app = open_page("inside", {"run": str(dense)})
    assert not app.exception, app.exception
    assert app.selectbox(key="inside_run").value == gru
    assert len(app.selectbox(key="inside_run").options) == 1
    assert f"#{gru} GRU" in prediction_line(app)


@pytest.mark.parametrize("cell", ["SimpleRNN", "LSTM", "GRU"])
def test_a_test_review_is_traced_with_the_runs_own_weights(store, tiny_imdb, cell):
    config = imdb_run_config(cell)
    run_id = finished_run(store, config)
    app = open_page("inside", {"run": str(run_id)})
    assert not app.exception, app.exception
    assert app.selectbox(key="inside_run").value == run_id
    assert list(app.selectbox(key="inside_review").options) == ["0", "1"]
    _, weights = artifacts.read_trained_model(store.run_dir(run_id))
    label = int(tiny_imdb.labels("test")[0])
    step = inside.review_input(tiny_imdb.sequences("test")[0], config, WORD_INDEX, "", label)
    expected = replay.trace(config, weights, step.sequence).prediction
    assert f"#{run_id} {cell}: {expected:.3f}" in prediction_line(app)
    assert f"the true answer is {label:.3f}" in prediction_line(app)
    # a 3-word review and its start marker in 10 steps
    assert step.first_real == 6 and "The first 6 steps are padding" in app.caption[0].value


def test_a_typed_review_a_word_search_and_the_right_or_wrong_filter(store, tiny_imdb):
    config = imdb_run_config("LSTM")
    run_id = finished_run(store, config)
    app = open_page("inside", {"run": str(run_id)})
    app.text_input(key="inside_word").input("bad").run()
    with_bad = [str(k) for k, review in enumerate(tiny_imdb.sequences("test"))
                if 5 + imdb.IMDB_INDEX_FROM in review]
    assert len(with_bad) == 1 and list(app.selectbox(key="inside_review").options) == with_bad
    _, weights = artifacts.read_trained_model(store.run_dir(run_id))
    guesses = replay.predict(config, weights, inside.padded_reviews(tiny_imdb, "test", [0, 1],
                                                                   config)) > 0.5
    right = [str(k) for k in (0, 1) if guesses[k] == tiny_imdb.labels("test")[k]]
    app.text_input(key="inside_word").input("").run()
    app.radio(key="inside_which").set_value("the model got right").run()
    if right:
        assert list(app.selectbox(key="inside_review").options) == right
    else:
        assert "No test review matches" in app.warning[0].value
    app.text_input(key="inside_word").input("zzzz").run()
    assert "not one of the words in the IMDB word index" in app.error[0].value

    app.radio(key="inside_source").set_value("Type your own").run()
    app.text_area(key="inside_text").input("the movie was great").run()
    step = inside.typed_review_input("the movie was great", config, WORD_INDEX)
    expected = replay.trace(config, weights, step.sequence).prediction
    assert f"Your review.** P(positive) at the end: #{run_id} LSTM: {expected:.3f}" in \
        prediction_line(app)
    app.text_area(key="inside_text").input("  ...  ").run()
    assert "Type at least one word" in app.error[0].value and not app.exception


@pytest.mark.parametrize("cell", ["SimpleRNN", "LSTM", "GRU"])
def test_a_weather_window_through_a_two_layer_stack(store, data_dir, cell):
    config = RunConfig(dataset="weather", weather=WEATHER,
                       layers=(LayerConfig(cell=cell, units=3, return_sequences=True),
                               LayerConfig(cell=cell, units=5, bidirectional=True)))
    run_id = finished_run(store, config)
    app = open_page("inside", {"run": str(run_id)})
    assert not app.exception, app.exception
    assert app.select_slider(key="inside_layer").options == ["1", "2"]
    app.select_slider(key="inside_layer").set_value(2).run()
    assert any("layer 2 (bidirectional_" in h.value for h in app.subheader)
    app.toggle(key=f"inside_backward_{run_id}").set_value(True).run()
    assert app.number_input(key=f"inside_unit_{run_id}").max == 4
    assert "the true answer is" in prediction_line(app) and not app.exception
    assert_saturation_view(app, cell)


def test_side_by_side_puts_both_runs_answers_on_the_page(store, tiny_imdb):
    lstm = finished_run(store, imdb_run_config("LSTM"), seed=1)
    simple = finished_run(store, imdb_run_config("SimpleRNN"), seed=2)
    app = open_page("inside", {"run": str(lstm)})
    app.selectbox(key="inside_other").set_value(simple).run()
    assert not app.exception
    line = prediction_line(app)
    assert f"#{lstm} LSTM:" in line and f"#{simple} SimpleRNN:" in line
    assert [h.value for h in app.subheader][:2] == [f"#{lstm} LSTM: layer 1 (lstm_1)",
                                                    f"#{simple} SimpleRNN: layer 1 (simplernn_1)"]


def memory_run_config(cell: str, length: int = 8, **layer) -> RunConfig:
    return RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=length, examples=100),
                     layers=(LayerConfig(cell=cell, units=3, **layer),),
                     training=TrainingOptions(epochs=1))


@pytest.mark.parametrize("cell", ["SimpleRNN", "LSTM", "GRU"])
def test_a_memory_sequence_is_traced_and_saturation_measured(store, data_dir, cell):
    config = memory_run_config(cell)
    run_id = finished_run(store, config)
    app = open_page("inside", {"run": str(run_id)})
    assert not app.exception, app.exception
    assert not app.error  # no dataset files needed
    assert len(app.selectbox(key="inside_sequence").options) == 20  # the whole test set
    _, weights = artifacts.read_trained_model(store.run_dir(run_id))
    step = inside.memory_input(config, 0)
    expected = replay.trace(config, weights, step.sequence).prediction
    line = prediction_line(app)
    assert line.startswith("**Test sequence 0 (its marked values")
    assert f"P(marked sum > 1) at the end: #{run_id} {cell}: {expected:.3f}" in line
    assert f"the true answer is {step.target:.3f}" in line
    assert any("Two steps are marked" in caption.value for caption in app.caption)
    app.selectbox(key="inside_sequence").set_value(5).run()
    expected = replay.trace(config, weights, inside.memory_input(config, 5).sequence).prediction
    assert f"{cell}: {expected:.3f}" in prediction_line(app)
    assert_saturation_view(app, cell)


def test_memory_right_or_wrong_and_side_by_side_on_the_same_sequence(store, data_dir):
    lstm = finished_run(store, memory_run_config("LSTM"), seed=1)
    simple = finished_run(store, memory_run_config("SimpleRNN"), seed=2)
    longer = finished_run(store, memory_run_config("GRU", length=12), seed=3)
    app = open_page("inside", {"run": str(lstm)})
    label = memory_run_config("SimpleRNN").label()
    assert list(app.selectbox(key="inside_other").options) == [
        "nothing: one run", f"#{simple} {label} (ada)"]
    config, weights = artifacts.read_trained_model(store.run_dir(lstm))
    x, labels = inside.memory_test_set(config)
    right = (replay.predict(config, weights, x) > 0.5) == labels
    app.radio(key="inside_which").set_value("the model got wrong").run()
    wrong = [str(k) for k in np.flatnonzero(~right)]
    if wrong:
        assert list(app.selectbox(key="inside_sequence").options) == wrong
    else:
        assert "No test sequence matches" in app.warning[0].value
    app.radio(key="inside_which").set_value("all").run()
    app.selectbox(key="inside_other").set_value(simple).run()
    assert not app.exception
    line = prediction_line(app)
    assert f"#{lstm} LSTM:" in line and f"#{simple} SimpleRNN:" in line
    app = open_page("inside", {"run": str(longer)})  # 12 steps: nothing else reads its input
    assert list(app.selectbox(key="inside_other").options) == ["nothing: one run"]


def test_weights_that_do_not_fit_the_run_are_explained_not_thrown(store, data_dir):
    run_id = finished_run(store, memory_run_config("LSTM"))
    folder = store.run_dir(run_id)
    np.savez(folder / "weights.npz", **{"lstm_1/lstm_cell/kernel": np.zeros((2, 12))})
    app = open_page("inside", {"run": str(run_id)})
    assert not app.exception
    assert "This run's saved weights cannot be replayed" in app.error[0].value


def test_one_step_by_hand_shows_the_replays_numbers_for_the_chosen_step_and_unit(store, data_dir):
    config = dataclasses.replace(memory_run_config("LSTM"), layers=(
        LayerConfig(cell="GRU", units=3, return_sequences=True),
        LayerConfig(cell="LSTM", units=2, bidirectional=True)))
    run_id = finished_run(store, config)
    app = open_page("inside", {"run": str(run_id)})
    assert not app.exception, app.exception
    app.select_slider(key="inside_layer").set_value(2).run()
    app.toggle(key=f"inside_backward_{run_id}").set_value(True).run()
    app.slider(key=step_view.STEP_KEY).set_value(5).run()
    app.number_input(key=step_view.UNIT_KEY).set_value(1).run()
    assert not app.exception, app.exception
    assert app.number_input(key=step_view.UNIT_KEY).max == 1  # layer 2 has 2 units
    assert "backward direction, unit 1, step 5" in " ".join(m.value for m in app.markdown)
    assert any("input position t + 1" in c.value for c in app.caption)
    _, weights = artifacts.read_trained_model(store.run_dir(run_id))
    backward = replay.trace(config, weights, inside.memory_input(config, 0).sequence
                            ).layers[1].backward
    gates = [row["number"] for table in app.table for name, row in table.value.iterrows()
             if name.endswith(": sigmoid of the sum")]
    expected = [backward[g][5, 1] for g in ("input_gate", "forget_gate", "output_gate")]
    assert [float(value) for value in gates] == pytest.approx(expected, rel=1e-3)
    assert app.success[0].value.startswith(
        f"h_t = {step_view.number(backward['hidden'][5, 1])}: unit 1's output at step 5")


TEXT = TextOptions(corpus="python", window_chars=40, corpus_chars=20_000, char_embedding_dim=16)


@pytest.fixture(scope="module")
def trained_text_model():
    """A tiny LSTM language model trained for one epoch on the offline corpus: (config,
    {weight path: array}, result), trained once for the module."""
    from rnnlab.trainer.training import train

    config = RunConfig(dataset="text", text=TEXT, layers=(LayerConfig(cell="LSTM", units=6),),
                       training=TrainingOptions(epochs=1, batch_size=32, optimizer="adam",
                                                learning_rate=1e-2))
    model, result = train(config)
    return config, {w.path: np.asarray(w.numpy()) for w in model.weights}, result


def finished_text_run(store, trained) -> int:
    """The trained language model as a done run, saved as the worker saves it."""
    return trained_run(store, *trained)


def test_a_passage_of_text_is_traced_under_its_characters_and_the_finder_names_a_unit(
        store, trained_text_model):
    config, weights, _ = trained_text_model
    run_id = finished_text_run(store, trained_text_model)
    app = open_page("inside", {"run": str(run_id)})
    assert not app.exception, app.exception
    data = text.load_text(TEXT, config.training.validation_split)
    assert app.number_input(key="inside_passage").max == inside.passage_count(data) - 1
    markdown = " ".join(block.value for block in app.markdown)
    assert "**Validation passage 0 (characters 0 to 39 of the validation text).**" in markdown
    assert "⏎ is a new line, ␣ a space" in markdown
    headings = [h.value for h in app.subheader]
    assert headings[0] == f"#{run_id} LSTM: layer 1 (lstm_1)"
    assert "The unit finder: which unit tracks what?" in headings
    assert app.radio(key="inside_state").options == ["hidden state h", "cell state c"]
    # one step by hand names what layer 1 reads: the dimensions of the character's vector
    words = " ".join(str(value) for table in app.table for value in table.value.to_numpy().ravel())
    first = inside.passage_input(data, 0).labels[0]
    assert f"of “{first}”" in words and "dimension " in words

    def finder_sentence(feature, state, passages):
        found = finder.find_units(config, weights, passages, 1, state, feature)
        what = {"hidden": "hidden state h", "cell_state": "cell state c"}[state]
        return finder.sentence(found.ranking[0], 1, what, feature, len(found.feature))

    five = [inside.passage_input(data, k).sequence for k in range(5)]
    expected = finder_sentence("position in the line", "hidden", five)
    best = finder.find_units(config, weights, five, 1, "hidden", "position in the line").ranking[0]
    assert "over 200 characters" in expected
    assert expected.startswith("Unit " if abs(best.correlation) >= finder.WEAK_CORRELATION
                               else "No unit of layer 1 (hidden state h) clearly tracks")
    assert expected in markdown

    app.button(key="inside_next_passage").click().run()
    app.radio(key="inside_state").set_value("cell state c").run()
    app.selectbox(key="inside_feature").set_value("inside a word").run()
    app.slider(key="inside_passages").set_value(3).run()
    assert not app.exception, app.exception
    markdown = " ".join(block.value for block in app.markdown)
    assert "**Validation passage 1 (characters 40 to 79 of the validation text).**" in markdown
    three = [inside.passage_input(data, k).sequence for k in (1, 2, 3)]
    assert finder_sentence("inside a word", "cell_state", three) in markdown
    assert_saturation_view(app, "LSTM")


def test_a_feature_that_never_changes_is_explained_not_scored(store, trained_text_model):
    config, _, _ = trained_text_model
    data = text.load_text(TEXT, config.training.validation_split)
    quoteless = next(k for k in range(inside.passage_count(data)) if not finder.inside_quotes(
        text.decode(inside.passage_input(data, k).sequence)).any())
    run_id = finished_text_run(store, trained_text_model)
    app = open_page("inside", {"run": str(run_id)})
    app.number_input(key="inside_passage").set_value(quoteless).run()
    app.slider(key="inside_passages").set_value(1).run()
    app.selectbox(key="inside_feature").set_value("inside quotes").run()
    assert not app.exception, app.exception
    assert app.warning[0].value == (
        "The feature is 0 at every one of these 40 characters, so no unit can be said to "
        "follow it: pick passages where it changes, or another feature.")
    assert not any("tracks 'inside quotes'" in block.value for block in app.markdown)


def test_near_the_end_of_the_text_the_finder_scores_the_passages_left(store, trained_text_model):
    config, weights, _ = trained_text_model
    data = text.load_text(TEXT, config.training.validation_split)
    last = inside.passage_count(data) - 1
    run_id = finished_text_run(store, trained_text_model)
    app = open_page("inside", {"run": str(run_id)})
    app.number_input(key="inside_passage").set_value(last - 2).run()
    assert app.slider(key="inside_passages").max == 3 and app.slider(key="inside_passages").value == 3
    app.button(key="inside_next_passage").click().run()
    app.button(key="inside_next_passage").click().run()
    assert not app.exception, app.exception
    assert app.number_input(key="inside_passage").value == last
    assert "inside_passages" not in [s.key for s in app.slider]  # one left: nothing to choose
    found = finder.find_units(config, weights, [inside.passage_input(data, last).sequence], 1,
                              "hidden", "position in the line")
    markdown = " ".join(block.value for block in app.markdown)
    assert finder.sentence(found.ranking[0], 1, "hidden state h", "position in the line",
                           40) in markdown
    app.button(key="inside_next_passage").click().run()  # past the end: back to the first
    assert app.number_input(key="inside_passage").value == 0
    assert app.slider(key="inside_passages").max == unit_finder.MOST_PASSAGES
