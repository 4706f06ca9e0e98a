"""Gate and state traces recomputed in NumPy (rnnlab.network.replay, rnnlab.cells) against Keras itself.

Every case runs for every cell of the registry, so a new cell is held against Keras here too.

The oracle: a Keras sub-model that outputs every recurrent layer of a model built by
rnnlab.trainer.models.build_model, with seeded random weights saved exactly as the worker saves them
({w.path: array}). Each recomputed layer output must equal Keras's within 1e-5, and the last
running prediction must equal the model's prediction.
"""
import itertools
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rnnlab.cells import CELLS as REGISTRY
from rnnlab.cells import sigmoid
from rnnlab.config import (
    ImdbOptions,
    LayerConfig,
    MemoryOptions,
    RunConfig,
    TextOptions,
    WeatherOptions,
)
from rnnlab.config.catalog import STATION_COLUMNS
from rnnlab.data import synthetic
from rnnlab.data.spec import data_spec
from rnnlab.jobs import artifacts
from rnnlab.network import replay
from rnnlab.network.naming import head_name, layer_name

ROOT = Path(__file__).resolve().parents[3]
TOLERANCE = 1e-5
CELLS = tuple(REGISTRY)


def stack(cell, depth, bidirectional, units=3, top_sequences=False):
    return tuple(LayerConfig(cell=cell, units=units + i % 2, bidirectional=bidirectional,
                             return_sequences=top_sequences and i == depth - 1)
                 for i in range(depth))


def text_config(layers, mask=False):
    return RunConfig(imdb=ImdbOptions(num_words=20, maxlen=7, embedding_dim=4, mask_padding=mask),
                     layers=layers)


def weather_config(layers, source="nyc-jfk"):
    return RunConfig(dataset="weather", layers=layers,
                     weather=WeatherOptions(source=source, lookback_hours=7, step_hours=1))


def memory_config(layers, length=8):
    return RunConfig(dataset="memory", layers=layers,
                     memory=MemoryOptions(sequence_length=length, examples=100))


def randomize(model, seed=0):
    """Seeded weights far from Keras's init (biases included, so every term matters)."""
    rng = np.random.default_rng(seed)
    for w in model.weights:
        scale = 1.0 if "embedding" in w.path else 0.6
        w.assign(rng.normal(0.0, scale, w.shape).astype("float32"))
    return model


def saved_weights(model):
    """What rnnlab.trainer.worker.save_artifacts writes to weights.npz."""
    return {w.path: np.asarray(w.numpy()) for w in model.weights}


def sample_inputs(config, seed=1):
    rng = np.random.default_rng(seed)
    spec = data_spec(config)
    if spec.is_text:
        ids = rng.integers(1, spec.vocab_size, size=(3, spec.timesteps))
        ids[1, :3] = 0                      # pre-padded, like pad_sequences
        ids[2, :spec.timesteps - 1] = 0     # a one-word review
        return ids
    if config.dataset == "memory":  # the task's own sequences: +1 or -1, then noise
        return synthetic.generate(3, spec.timesteps, rng)[0]
    return rng.normal(size=(3, spec.timesteps, spec.features)).astype("float32")


def keras_outputs(model, config, inputs):
    """Every recurrent layer's output (a sub-model sharing the layers) and model.predict.

    Both run eagerly: the numbers are the same, and it skips tracing a tf.function per model.
    """
    import keras

    names = [layer_name(i, layer) for i, layer in enumerate(config.layers, start=1)]
    probe = keras.Model(model.input, [model.get_layer(n).output for n in names])
    model.run_eagerly = True
    outputs = probe(inputs, training=False)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    return [np.asarray(o) for o in outputs] + [np.asarray(model.predict(inputs, verbose=0))]


def assert_matches_keras(config, model, inputs):
    weights = saved_weights(model)
    outputs = keras_outputs(model, config, inputs)
    spec = data_spec(config)
    for b, sequence in enumerate(inputs):
        trace = replay.trace(config, weights, sequence)
        assert len(trace.layers) == len(config.layers)
        for layer_trace, layer, expected in zip(trace.layers, config.layers, outputs):
            for direction in layer_trace.directions:
                assert set(direction.traces) == set(direction.labels)
                for values in direction.traces.values():
                    assert values.shape == (spec.timesteps, layer.units)
            if expected.ndim == 3:   # return_sequences: the whole (T, D*U) sequence
                np.testing.assert_allclose(layer_trace.output, expected[b], atol=TOLERANCE)
            else:                    # only the last state: forward h_T, backward state at step 1
                last = [layer_trace.forward["hidden"][-1]]
                if layer.bidirectional:
                    last.append(layer_trace.backward["hidden"][0])
                np.testing.assert_allclose(np.concatenate(last), expected[b], atol=TOLERANCE)
        assert trace.running_prediction.shape == (spec.timesteps,)
        assert abs(replay.predict(config, weights, inputs)[b] - outputs[-1][b, 0]) < TOLERANCE
        assert trace.prediction == trace.running_prediction[-1]
        assert abs(trace.prediction - outputs[-1][b, 0]) < TOLERANCE
        if config.layers[-1].return_sequences:  # running = head(mean of Keras's top output so far)
            top = outputs[-2][b]
            read = trace.mask[:, None]
            mean = np.cumsum(top * read, axis=0) / np.maximum(np.cumsum(read, axis=0), 1)
            head = head_name(config.dataset)
            running = (mean @ weights[f"{head}/kernel"] + weights[f"{head}/bias"])[:, 0]
            if spec.task == "binary":
                running = sigmoid(running)
            np.testing.assert_allclose(trace.running_prediction, running, atol=TOLERANCE)


def config_id(config):
    layers = "-".join(f"{'bi' if l.bidirectional else ''}{l.cell}{l.units}"
                      f"{'seq' if l.return_sequences else ''}" for l in config.layers)
    return f"{config.dataset}-{layers}{'-mask' if config.imdb.mask_padding else ''}"


# Every cell at depths 1-3, with and without Bidirectional; at depth 2 the top layer returns
# its sequence (so the model averages over time).
TEXT_CASES = [text_config(stack(cell, depth, bidirectional, top_sequences=depth == 2))
              for cell, depth, bidirectional in itertools.product(CELLS, (1, 2, 3), (False, True))]
WEATHER_CASES = [weather_config(stack(cell, depth, bidirectional), source)
                 for cell, (depth, bidirectional, source) in itertools.product(
                     CELLS, ((1, False, "nyc-jfk"), (2, True, "jena")))]
MASK_CASES = [text_config(stack(cell, 2, bidirectional, top_sequences=top), mask=True)
              for cell, (bidirectional, top) in itertools.product(
                  CELLS, ((False, True), (True, True), (True, False)))]
MEMORY_CASES = [memory_config(stack(cell, depth, bidirectional, top_sequences=top))
                for cell, (depth, bidirectional, top) in itertools.product(
                    CELLS, ((1, False, False), (2, True, True)))]
MIXED_CASES = [text_config((LayerConfig(cell="GRU", units=4, bidirectional=True),
                            LayerConfig(cell="LSTM", units=3, activation="relu"),
                            LayerConfig(cell="SimpleRNN", units=2, activation="sigmoid",
                                        bidirectional=True)))]


@pytest.mark.parametrize("config", TEXT_CASES + WEATHER_CASES + MASK_CASES + MEMORY_CASES
                         + MIXED_CASES, ids=config_id)
def test_traces_match_keras(config):
    from rnnlab.trainer.models import build_model

    model = randomize(build_model(config))
    assert_matches_keras(config, model, sample_inputs(config))


def gru_model_without_reset_after(config):
    """build_model has no reset_after option, so mirror it by hand with the same layer names."""
    import keras
    from keras import layers

    spec = data_spec(config)
    inputs = keras.Input(shape=(spec.timesteps,), dtype="int32", name="review")
    x = layers.Embedding(spec.vocab_size, spec.embedding_dim, mask_zero=spec.mask_padding,
                         name="embedding")(inputs)
    for index, layer in enumerate(config.layers, start=1):
        rnn = layers.GRU(layer.units, reset_after=False, return_sequences=layer.return_sequences,
                         name=f"gru_{index}")
        x = (layers.Bidirectional(rnn, name=layer_name(index, layer)) if layer.bidirectional
             else rnn)(x)
    if config.layers[-1].return_sequences:
        x = layers.GlobalAveragePooling1D(name="average_over_time")(x)
    return keras.Model(inputs, layers.Dense(1, activation="sigmoid", name="sentiment")(x))


@pytest.mark.parametrize("mask", [False, True])
def test_gru_without_reset_after_matches_keras(mask):
    config = text_config((LayerConfig(cell="GRU", units=3, bidirectional=True),
                          LayerConfig(cell="GRU", units=4, return_sequences=mask)), mask=mask)
    model = randomize(gru_model_without_reset_after(config), seed=5)
    weights = saved_weights(model)
    assert weights["gru_2/gru_cell/bias"].shape == (12,)  # one bias row: reset_after=False
    assert_matches_keras(config, model, sample_inputs(config))


@pytest.mark.parametrize("cell", ["LSTM", "GRU"])
def test_gates_follow_keras_block_order(cell):
    """At step 1 (h_0 = 0) each gate is the squashed slice of x_1 K + b: this pins the order
    i, f, g, o (LSTM) and z, r, h~ (GRU), and the traces obey the cell's update equations."""
    from rnnlab.trainer.models import build_model

    config = weather_config((LayerConfig(cell=cell, units=3),), source="jena")
    model = randomize(build_model(config), seed=2)
    weights = saved_weights(model)
    x = sample_inputs(config)[0]
    arrays = replay.cell_weights(weights, f"{cell.lower()}_1", cell)
    kernel, bias = arrays["kernel"], arrays["bias"]
    d = replay.trace(config, weights, x).layers[0].forward
    first = x[0] @ kernel + (bias[0] if cell == "GRU" else bias)  # input part of step 1
    u = 3
    if cell == "LSTM":
        names = ("input_gate", "forget_gate", "candidate", "output_gate")
        for k, name in enumerate(names):
            squash = np.tanh if name == "candidate" else sigmoid
            np.testing.assert_allclose(d[name][0], squash(first[k * u:(k + 1) * u]), atol=1e-6)
        previous = np.vstack([np.zeros(u), d["cell_state"][:-1]])
        np.testing.assert_allclose(d["cell_state"], d["forget_gate"] * previous
                                   + d["input_gate"] * d["candidate"], atol=1e-12)
        np.testing.assert_allclose(d["hidden"], d["output_gate"] * np.tanh(d["cell_state"]),
                                   atol=1e-12)
    else:
        inner = bias[1]  # h_0 R + b_rec with h_0 = 0 (reset_after=True: two bias rows)
        reset = sigmoid(first[u:2 * u] + inner[u:2 * u])
        np.testing.assert_allclose(d["update_gate"][0], sigmoid(first[:u] + inner[:u]), atol=1e-6)
        np.testing.assert_allclose(d["reset_gate"][0], reset, atol=1e-6)
        np.testing.assert_allclose(d["candidate"][0], np.tanh(first[2 * u:] + reset * inner[2 * u:]),
                                   atol=1e-6)
        previous = np.vstack([np.zeros(u), d["hidden"][:-1]])
        z = d["update_gate"]  # Keras: z = 1 keeps the old state
        np.testing.assert_allclose(d["hidden"], z * previous + (1 - z) * d["candidate"],
                                   atol=1e-12)


def test_one_unit_simple_rnn_by_hand():
    config = RunConfig(dataset="weather", layers=(LayerConfig(cell="SimpleRNN", units=1),),
                       weather=WeatherOptions(lookback_hours=3, step_hours=1))
    half = np.full((1, 1), 0.5)
    # The record has 8 measurements; only the first (the temperature) is weighted.
    kernel = np.zeros((len(STATION_COLUMNS), 1))
    kernel[0] = 0.5
    weights = {"simplernn_1/simple_rnn_cell/kernel": kernel,
               "simplernn_1/simple_rnn_cell/recurrent_kernel": half,
               "simplernn_1/simple_rnn_cell/bias": np.array([0.5]),
               "forecast/kernel": half, "forecast/bias": np.array([0.5])}
    readings = np.zeros((3, len(STATION_COLUMNS)))
    readings[:, 0] = [1.0, 0.0, -1.0]
    trace = replay.trace(config, weights, readings)
    h1 = math.tanh(0.5 * 1.0 + 0.5)              # = tanh(1)
    h2 = math.tanh(0.5 * 0.0 + 0.5 + 0.5 * h1)
    h3 = math.tanh(0.5 * -1.0 + 0.5 + 0.5 * h2)  # = tanh(h2 / 2)
    assert h1 == pytest.approx(0.7615941559557649, abs=1e-15)
    assert trace.layers[0].forward["hidden"][:, 0] == pytest.approx([h1, h2, h3], abs=1e-15)
    assert trace.running_prediction == pytest.approx([0.5 * h + 0.5 for h in (h1, h2, h3)],
                                                     abs=1e-15)
    assert trace.prediction == pytest.approx(0.5 * h3 + 0.5, abs=1e-15)
    assert trace.mask.tolist() == [True, True, True]


def test_an_adding_memory_unit_by_hand():
    """One SimpleRNN unit that adds the marked values (value x marker would need a product, so it
    lets the marker open the sum: input weights 1 on the value and -0.5 off the mark) and keeps
    its state (self-loop 1): the replay reads the memory task's head by its own name and says
    what it predicts."""
    config = memory_config((LayerConfig(cell="SimpleRNN", units=1),), length=4)
    weights = {"simplernn_1/simple_rnn_cell/kernel": np.array([[1.0], [-0.5]]),
               "simplernn_1/simple_rnn_cell/recurrent_kernel": np.array([[1.0]]),
               "simplernn_1/simple_rnn_cell/bias": np.zeros(1),
               "sum_over_one/kernel": np.array([[4.0]]), "sum_over_one/bias": np.array([-2.0])}
    sequence = [[0.9, 1.0], [0.2, 0.0], [0.4, 1.0], [0.3, 0.0]]  # marked 0.9 and 0.4: yes
    trace = replay.trace(config, weights, sequence)
    h = [0.0]
    for value, marker in sequence:
        h.append(math.tanh(value - 0.5 * marker + h[-1]))
    h = h[1:]
    assert trace.layers[0].forward["hidden"][:, 0] == pytest.approx(h, abs=1e-15)
    assert trace.running_prediction == pytest.approx([float(sigmoid(4.0 * v - 2.0)) for v in h])
    assert trace.prediction_label == "P(marked sum > 1) so far"
    assert replay.predict(config, weights, [sequence])[0] == pytest.approx(trace.prediction)
    with pytest.raises(ValueError, match=r"A sequence must have shape \(timesteps, 2\): one row "
                                         r"of 2 readings per step"):
        replay.trace(config, weights, np.zeros((4, 1)))


def test_saturation_fractions_by_hand():
    values = np.array([[0.05, 0.50],
                       [0.95, 0.50],
                       [0.50, 0.99],
                       [0.02, 0.01],
                       [0.00, 1.00]])   # this step is masked out below
    low, high = replay.saturation_fractions(values, mask=[True, True, True, True, False])
    assert low.tolist() == [0.5, 0.25]
    assert high.tolist() == [0.25, 0.25]
    low, high = replay.saturation_fractions(values)   # every step counted
    assert low.tolist() == [0.6, 0.2] and high.tolist() == [0.2, 0.4]
    low, high = replay.saturation_fractions(np.array([[0.1, 0.9]]))  # thresholds are strict
    assert low.tolist() == [0.0, 0.0] and high.tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match="low < high"):
        replay.saturation_fractions(values, low=0.9, high=0.1)


def test_saturation_of_constant_lstm_gates():
    """Zero kernels leave each gate at sigmoid(bias): known saturation for every unit."""
    config = RunConfig(dataset="weather", layers=(LayerConfig(cell="LSTM", units=2),),
                       weather=WeatherOptions(lookback_hours=5, step_hours=1))
    bias = np.concatenate([[10, 10], [-10, 0], [0, 0], [3, 0]]).astype(float)  # i, f, g, o
    weights = {"lstm_1/lstm_cell/kernel": np.zeros((len(STATION_COLUMNS), 8)),
               "lstm_1/lstm_cell/recurrent_kernel": np.zeros((2, 8)),
               "lstm_1/lstm_cell/bias": bias,
               "forecast/kernel": np.ones((2, 1)), "forecast/bias": np.zeros(1)}
    windows = np.random.default_rng(0).normal(size=(7, 5, len(STATION_COLUMNS)))
    result = replay.saturation(config, weights, windows, batch_size=3)
    assert list(result) == ["input_gate", "forget_gate", "output_gate"]
    assert result["input_gate"].low.tolist() == [0, 0] and result["input_gate"].high.tolist() == [1, 1]
    assert result["forget_gate"].low.tolist() == [1, 0] and result["forget_gate"].high.tolist() == [0, 0]
    assert result["output_gate"].low.tolist() == [0, 0] and result["output_gate"].high.tolist() == [1, 0]
    assert result["forget_gate"].steps == 35
    assert result["forget_gate"].label.startswith("forget gate")


def test_saturation_skips_masked_padding():
    from rnnlab.trainer.models import build_model

    config = text_config((LayerConfig(cell="GRU", units=3, bidirectional=True),), mask=True)
    model = randomize(build_model(config), seed=3)
    weights = saved_weights(model)
    ids = sample_inputs(config)
    result = replay.saturation(config, weights, ids, direction="backward")
    assert result["update_gate"].steps == int((ids != 0).sum())
    trace = replay.trace(config, weights, ids[1])
    assert trace.mask.tolist() == [False] * 3 + [True] * 4
    backward = trace.layers[0].backward
    assert np.isnan(backward["reset_gate"][:3]).all()       # skipped steps: gates thrown away
    assert not np.isnan(backward["reset_gate"][3:]).any()
    np.testing.assert_array_equal(trace.layers[0].output[:3], 0.0)  # Keras zeroes them
    with pytest.raises(ValueError, match="Layer 2 does not exist"):
        replay.saturation(config, weights, ids, layer=2)
    plain = text_config((LayerConfig(cell="GRU", units=3),))
    with pytest.raises(ValueError, match="forward only"):
        replay.saturation(plain, weights, ids, direction="backward")


def test_simple_rnn_has_no_gates():
    config = weather_config((LayerConfig(cell="SimpleRNN", units=2),))
    weights = {"simplernn_1/simple_rnn_cell/kernel": np.ones((len(STATION_COLUMNS), 2)),
               "simplernn_1/simple_rnn_cell/recurrent_kernel": np.eye(2),
               "simplernn_1/simple_rnn_cell/bias": np.zeros(2),
               "forecast/kernel": np.ones((2, 1)), "forecast/bias": np.zeros(1)}
    assert replay.saturation(config, weights, np.zeros((2, 7, len(STATION_COLUMNS)))) == {}


def test_load_run_reads_what_the_worker_saves(tmp_path):
    from rnnlab.trainer.models import build_model

    config = text_config(stack("LSTM", 2, True))
    model = randomize(build_model(config), seed=4)
    np.savez(tmp_path / "weights.npz", **saved_weights(model))
    (tmp_path / "config.json").write_text(config.to_json(), encoding="utf-8")
    loaded_config, weights = artifacts.read_trained_model(tmp_path)
    assert loaded_config == config
    assert "bidirectional_lstm_1/forward_lstm_1/lstm_cell/kernel" in weights
    ids = sample_inputs(config)
    expected = np.asarray(model.predict(ids, verbose=0))[:, 0]
    got = [replay.trace(loaded_config, weights, row).prediction for row in ids]
    np.testing.assert_allclose(got, expected, atol=TOLERANCE)
    (tmp_path / "weights.npz").unlink()
    with pytest.raises(ValueError, match="not finished"):
        artifacts.read_trained_model(tmp_path)


def test_mistakes_are_value_errors_in_plain_words():
    config = text_config((LayerConfig(cell="SimpleRNN", units=2),))
    weights = {"embedding/embeddings": np.ones((20, 4)),
               "simplernn_1/simple_rnn_cell/kernel": np.ones((4, 2)),
               "simplernn_1/simple_rnn_cell/recurrent_kernel": np.eye(2),
               "simplernn_1/simple_rnn_cell/bias": np.zeros(2),
               "sentiment/kernel": np.ones((2, 1)), "sentiment/bias": np.zeros(1)}
    assert replay.trace(config, weights, [1, 2, 3]).prediction == pytest.approx(
        float(sigmoid(2 * np.tanh(np.tanh(np.tanh(4) + 4) + 4))), abs=1e-12)
    with pytest.raises(ValueError, match="between 0 and 19"):
        replay.trace(config, weights, [1, 20, 3])
    with pytest.raises(ValueError, match="units"):
        replay.trace(text_config((LayerConfig(cell="SimpleRNN", units=3),)), weights, [1, 2])
    with pytest.raises(ValueError, match="no kernel, recurrent_kernel, bias for layer 'lstm_1'"):
        replay.trace(text_config((LayerConfig(cell="LSTM", units=2),)), weights, [1, 2])
    weather = weather_config((LayerConfig(cell="SimpleRNN", units=2),), source="jena")
    with pytest.raises(ValueError, match=r"shape \(timesteps, 14\)"):
        replay.trace(weather, weights, np.zeros((7, 3)))


def test_a_dense_network_is_refused_in_words_it_has_nothing_to_replay():
    config = text_config((LayerConfig(cell="Dense", units=3),))
    weights = {"embedding/embeddings": np.zeros((20, 4)), "dense_1/kernel": np.zeros((4, 3))}
    ids = np.ones((2, 7), int)
    for attempt in (lambda: replay.trace(config, weights, ids[0]),
                    lambda: replay.predict(config, weights, ids),
                    lambda: replay.saturation(config, weights, ids)):
        with pytest.raises(ValueError, match="A dense network has no gates or states"):
            attempt()


def test_importing_gates_does_not_import_tensorflow():
    code = "import rnnlab.network.replay, sys; assert 'tensorflow' not in sys.modules; " \
           "assert 'keras' not in sys.modules"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr



def character_config(cell, depth=1):
    return RunConfig(dataset="text", text=TextOptions(window_chars=9, char_embedding_dim=4),
                     layers=tuple(LayerConfig(cell=cell, units=3 + i) for i in range(depth)))


@pytest.mark.parametrize("config", [character_config(cell) for cell in CELLS]
                         + [character_config("GRU", depth=2)], ids=config_id)
def test_the_language_models_softmax_at_every_step_matches_keras(config):
    """Many-to-many: the replayed softmax over the 97 characters equals model.predict at every
    step, and the running prediction is the probability of the character that came next."""
    from rnnlab.trainer.models import build_model

    model = randomize(build_model(config), seed=3)
    weights = saved_weights(model)
    ids = np.random.default_rng(4).integers(0, 97, size=(3, 9))
    expected = np.asarray(model.predict(ids, verbose=0))
    assert expected.shape == (3, 9, 97)
    np.testing.assert_allclose(replay.predict(config, weights, ids, batch_size=2), expected,
                               atol=TOLERANCE)
    for passage, softmax in zip(ids, expected):
        trace = replay.trace(config, weights, passage)
        np.testing.assert_allclose(trace.probabilities, softmax, atol=TOLERANCE)
        np.testing.assert_allclose(trace.probabilities.sum(axis=1), 1.0, atol=1e-12)
        came_next = softmax[np.arange(8), passage[1:]]
        np.testing.assert_allclose(trace.running_prediction[:-1], came_next, atol=TOLERANCE)
        assert trace.prediction == trace.running_prediction[-1] == trace.probabilities[-1].max()
        assert trace.prediction_label == "P(the character that came next)"
        for layer_trace, layer in zip(trace.layers, config.layers):
            assert layer_trace.output.shape == (9, layer.units)
        assert trace.mask.all()  # no padding in a passage: every character is read


def test_a_passage_is_refused_in_words_about_characters():
    from rnnlab.trainer.models import build_model

    config = character_config("LSTM")
    weights = saved_weights(build_model(config))
    with pytest.raises(ValueError, match=r"Character ids must lie between 0 and 96 \(the "
                                         r"model's vocabulary\); this passage has ids from 0 to 97"):
        replay.trace(config, weights, [0, 5, 97])
    with pytest.raises(ValueError, match="A passage must be a sequence of character ids"):
        replay.trace(config, weights, ["a", "b"])
    with pytest.raises(ValueError, match="Character ids must be whole numbers"):
        replay.trace(config, weights, [1.5, 2.0])
    assert replay.trace(config, weights, [3]).probabilities.shape == (1, 97)
