"""The peephole LSTM (rnnlab.cells.peephole_lstm) everywhere a cell works, held against Keras.

The registry-wide tests already cover it (summary counts: tests/unit/network/test_summary.py;
replayed gates at depths 1-3, Bidirectional, masking: tests/unit/network/test_replay.py; the
gradient through time: tests/unit/trainer/test_gradients.py). Here is what only this cell has:
peephole weights that must matter, its own Keras class (dropout as Keras's LSTM, saving and
loading, training, tuning) and the class definition the generated script carries.
"""
import subprocess
import sys

import numpy as np
import pytest

from rnnlab.cells import CELLS, sigmoid
from rnnlab.config import ImdbOptions, LayerConfig, MemoryOptions, RunConfig, TrainingOptions
from rnnlab.network import replay
from rnnlab.network.codegen import keras_code
from rnnlab.network.summary import summarize, total_params
from tests.unit.network.test_replay import (
    TOLERANCE,
    assert_matches_keras,
    randomize,
    sample_inputs,
    saved_weights,
    text_config,
    weather_config,
)

PEEPHOLE = CELLS["PeepholeLSTM"]


def test_the_summary_adds_three_peephole_weights_per_unit_and_keras_agrees():
    from rnnlab.trainer.models import build_model

    book = RunConfig(layers=(LayerConfig(cell="PeepholeLSTM", units=32),))
    row = summarize(book)[1]
    assert (row.name, row.kind) == ("peephole_lstm_1", "PeepholeLSTM")
    assert row.params == 4 * (32 * (32 + 32) + 32) + 3 * 32 == 8_416
    assert row.formula == "4 x (32 x (32 + 32) + 32) + 3 x 32  [4 x (U x (F + U) + U) + 3 x U]"
    assert total_params(summarize(book)) == build_model(book).count_params() == 328_449
    stack = RunConfig(imdb=ImdbOptions(num_words=50, maxlen=6, embedding_dim=5), layers=(
        LayerConfig(cell="PeepholeLSTM", units=6, bidirectional=True),
        LayerConfig(cell="PeepholeLSTM", units=4)))
    rows = summarize(stack)
    assert rows[1].params == 2 * (4 * (6 * (5 + 6) + 6) + 3 * 6) == 612
    assert rows[2].params == 4 * (4 * (12 + 4) + 4) + 3 * 4 == 284
    assert total_params(rows) == build_model(stack).count_params()


# A bidirectional peephole layer under a plain one, and a mixed stack: every peephole weight
# random (randomize), so the replay must get every peek right to match Keras.
STACKS = [
    text_config((LayerConfig(cell="PeepholeLSTM", units=4, bidirectional=True),
                 LayerConfig(cell="PeepholeLSTM", units=3, activation="relu",
                             return_sequences=True)), mask=True),
    weather_config((LayerConfig(cell="GRU", units=3),
                    LayerConfig(cell="PeepholeLSTM", units=5, activation="sigmoid",
                                bidirectional=True)), source="jena"),
]


@pytest.mark.parametrize("config", STACKS, ids=["text-masked", "weather-mixed"])
def test_the_replay_equals_keras_and_the_peepholes_matter(config):
    from rnnlab.trainer.models import build_model

    model = randomize(build_model(config), seed=11)
    inputs = sample_inputs(config)
    assert_matches_keras(config, model, inputs)  # every layer within 1e-5 of Keras
    weights = saved_weights(model)
    blind = {path: np.zeros_like(value) if path.endswith("/peephole_weights") else value
             for path, value in weights.items()}
    index = next(i for i, layer in enumerate(config.layers) if layer.cell == "PeepholeLSTM")
    seen = replay.trace(config, weights, inputs[0]).layers[index].output
    unseen = replay.trace(config, blind, inputs[0]).layers[index].output
    assert np.abs(seen - unseen).max() > 1e-2  # a replay without the peeks would not match


def test_the_gates_read_the_old_cell_state_and_the_output_gate_the_new_one():
    rng = np.random.default_rng(3)
    shapes = PEEPHOLE.weight_shapes(2, 3)
    weights = {name: rng.normal(size=options[0]) for name, options in shapes.items()}
    x = rng.normal(size=(1, 4, 2))
    d = {name: value[0] for name, value in PEEPHOLE.run(x, weights).items()}
    peek_i, peek_f, peek_o = weights["peephole_weights"]
    recurrent = weights["recurrent_kernel"]
    for t in range(1, 4):
        z = x[0, t] @ weights["kernel"] + weights["bias"] + d["hidden"][t - 1] @ recurrent
        old = d["cell_state"][t - 1]
        np.testing.assert_allclose(d["input_gate"][t], sigmoid(z[:3] + peek_i * old), atol=1e-12)
        np.testing.assert_allclose(d["forget_gate"][t], sigmoid(z[3:6] + peek_f * old),
                                   atol=1e-12)
        np.testing.assert_allclose(d["cell_state"][t], d["forget_gate"][t] * old
                                   + d["input_gate"][t] * np.tanh(z[6:9]), atol=1e-12)
        np.testing.assert_allclose(d["output_gate"][t],
                                   sigmoid(z[9:] + peek_o * d["cell_state"][t]), atol=1e-12)
        np.testing.assert_allclose(d["hidden"][t],
                                   d["output_gate"][t] * np.tanh(d["cell_state"][t]), atol=1e-12)


@pytest.mark.parametrize("dropout, recurrent_dropout", [(0.3, 0.0), (0.0, 0.4), (0.3, 0.4)])
def test_dropout_is_keras_lstm_dropout(dropout, recurrent_dropout):
    """With the peepholes at zero (as a new layer starts), the same seed draws the same masks as
    Keras's LSTM: while training the outputs are equal; at inference no unit is dropped."""
    import keras

    x = np.random.default_rng(0).normal(size=(5, 6, 4)).astype("float32")
    settings = dict(units=3, dropout=dropout, recurrent_dropout=recurrent_dropout, seed=5,
                    return_sequences=True)
    lstm = keras.layers.LSTM(**settings)
    peephole = PEEPHOLE.keras_layer(keras, **settings)
    lstm.build(x.shape)
    peephole.build(x.shape)
    for weight in lstm.weights:
        next(w for w in peephole.weights if w.name == weight.name).assign(weight)
    assert not np.asarray(peephole.cell.peephole_weights).any()
    trained = np.asarray(peephole(x, training=True))
    np.testing.assert_allclose(trained, np.asarray(lstm(x, training=True)), atol=1e-6)
    inferred = np.asarray(peephole(x, training=False))
    assert np.abs(trained - inferred).max() > 1e-3  # the masks did drop something
    arrays = {w.name: np.asarray(w) for w in peephole.weights}
    np.testing.assert_allclose(inferred, PEEPHOLE.run(x, arrays)["hidden"], atol=TOLERANCE)
    np.testing.assert_array_equal(inferred, np.asarray(peephole(x, training=False)))


def test_a_saved_model_loads_back_with_its_settings_and_numbers(tmp_path):
    import keras

    from rnnlab.trainer.models import build_model

    config = text_config((LayerConfig(cell="PeepholeLSTM", units=3, bidirectional=True,
                                      dropout=0.2, recurrent_dropout=0.1, activation="relu"),))
    model = randomize(build_model(config), seed=4)
    model.save(tmp_path / "model.keras")
    loaded = keras.saving.load_model(tmp_path / "model.keras", compile=False)
    ids = sample_inputs(config)
    np.testing.assert_array_equal(loaded.predict(ids, verbose=0), model.predict(ids, verbose=0))
    layer = loaded.get_layer("bidirectional_peephole_lstm_1").backward_layer
    assert (type(layer).__name__, layer.name, layer.units, layer.activation.__name__,
            layer.dropout, layer.recurrent_dropout, layer.go_backwards) == (
        "PeepholeLSTM", "backward_peephole_lstm_1", 3, "relu", 0.2, 0.1, True)


def test_it_trains_and_its_trained_peepholes_replay_as_keras_predicts():
    from rnnlab.trainer.training import train

    config = RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=8, examples=200),
                       layers=(LayerConfig(cell="PeepholeLSTM", units=4, dropout=0.1,
                                           recurrent_dropout=0.1),),
                       training=TrainingOptions(batch_size=32, epochs=2, learning_rate=0.01))
    model, result = train(config)
    assert result["params"] == total_params(summarize(config)) == 4 * (4 * 6 + 4) + 12 + 5
    assert len(result["history"]["val_accuracy"]) == 2 and np.isfinite(result["history"]["loss"]).all()
    weights = saved_weights(model)
    assert np.abs(weights["peephole_lstm_1/peephole_lstm_cell/peephole_weights"]).min() > 0
    sequences = sample_inputs(config)
    np.testing.assert_allclose(replay.predict(config, weights, sequences),
                               model.predict(sequences, verbose=0)[:, 0], atol=TOLERANCE)


def test_keras_tuner_builds_it_through_build_model():
    import keras_tuner as kt

    from rnnlab.config.search import SearchConfig, SearchSpace
    from rnnlab.trainer.tuning import LabHyperModel

    base = RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=10, examples=200),
                     layers=(LayerConfig(cell="PeepholeLSTM", units=4),))
    search = SearchConfig(base=base, space=SearchSpace(depths=(2,), units_min=2, units_max=8,
                                                       units_step=2))
    hp = kt.HyperParameters()
    model = LabHyperModel(search).build(hp)
    trial = search.trial_config(hp.values)
    assert [layer.cell for layer in trial.layers] == ["PeepholeLSTM"] * 2
    assert [type(layer).__name__ for layer in model.layers[1:3]] == ["PeepholeLSTM"] * 2
    assert model.count_params() == total_params(summarize(trial))


def test_the_generated_script_defines_the_class_once_and_runs_without_the_lab(tmp_path):
    config = RunConfig(imdb=ImdbOptions(num_words=40, maxlen=6, embedding_dim=4), layers=(
        LayerConfig(cell="PeepholeLSTM", units=5, bidirectional=True, dropout=0.2),
        LayerConfig(cell="PeepholeLSTM", units=3, recurrent_dropout=0.25)))
    code = keras_code(config)
    assert code.count("class PeepholeLSTM(layers.RNN):") == 1
    assert code.count("class PeepholeLSTMCell(layers.Layer):") == 1
    assert "rnnlab" not in "".join(line for line in code.splitlines()
                                   if line.startswith(("import", "from")))
    assert 'x = layers.Bidirectional(rnn, name="bidirectional_peephole_lstm_1")(x)' in code
    assert "A peephole LSTM is not one of Keras's own layers" in code
    script = tmp_path / "model.py"
    script.write_text(code + "print('parameters', model.count_params())\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-I", str(script)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"parameters {total_params(summarize(config))}" in done.stdout


def test_it_races_on_request_in_its_own_colour_and_the_book_race_stays_three():
    from rnnlab.lessons.race import RACE_CELLS, race_configs
    from rnnlab.plots.colours import cells_named, colour_for

    assert "PeepholeLSTM" not in RACE_CELLS and len(RACE_CELLS) == 3
    racers = race_configs(RunConfig(), cells=(*RACE_CELLS, "PeepholeLSTM"))
    assert [c.layers[0].cell for c in racers] == ["SimpleRNN", "LSTM", "GRU", "PeepholeLSTM"]
    assert cells_named("#4 PeepholeLSTM (epoch 3)") == ["PeepholeLSTM"]  # not "LSTM"
    assert colour_for("#4 PeepholeLSTM", 0) == PEEPHOLE.colour != CELLS["LSTM"].colour
