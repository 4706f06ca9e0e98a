"""The Keras code the Build page shows, executed and compared with build_model's model, layer by layer."""
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
from rnnlab.network.codegen import keras_code

SMALL_IMDB = ImdbOptions(num_words=60, maxlen=9, embedding_dim=5)
# Every cell (the peephole LSTM with its own class), depths 1-3, Bidirectional, a top layer that
# returns sequences (pooling), every dataset and both weather sources, masking, dropout and
# recurrent dropout, rmsprop and adam.
CASES = {
    "book-lstm": RunConfig(),
    "simplernn-relu-adam": RunConfig(
        imdb=SMALL_IMDB, layers=(LayerConfig(cell="SimpleRNN", units=7, activation="relu"),),
        training=TrainingOptions(optimizer="adam", learning_rate=3e-4)),
    "gru-bidirectional-dropouts": RunConfig(
        imdb=SMALL_IMDB, layers=(LayerConfig(cell="GRU", units=6, bidirectional=True,
                                             dropout=0.2, recurrent_dropout=0.1),)),
    "lstm-gru-top-sequences-masked": RunConfig(
        imdb=ImdbOptions(num_words=40, maxlen=6, embedding_dim=4, mask_padding=True),
        layers=(LayerConfig(cell="LSTM", units=5, dropout=0.3),
                LayerConfig(cell="GRU", units=3, return_sequences=True))),
    "three-mixed-bidirectional-top": RunConfig(
        imdb=SMALL_IMDB,
        layers=(LayerConfig(cell="GRU", units=8, activation="sigmoid"),
                LayerConfig(cell="SimpleRNN", units=4, recurrent_dropout=0.25),
                LayerConfig(cell="LSTM", units=2, bidirectional=True)),
        training=TrainingOptions(optimizer="adam", learning_rate=0.01)),
    "weather-nyc-gru": RunConfig(
        dataset="weather", weather=WeatherOptions(lookback_hours=24, step_hours=2),
        layers=(LayerConfig(cell="GRU", units=8),)),
    "weather-jena-bidirectional-stack": RunConfig(
        dataset="weather", weather=WeatherOptions(source="jena", lookback_hours=12),
        layers=(LayerConfig(cell="LSTM", units=6, bidirectional=True, dropout=0.1),
                LayerConfig(cell="SimpleRNN", units=5, activation="relu", return_sequences=True)),
        training=TrainingOptions(optimizer="adam", learning_rate=1e-5)),
    "weather-three-layers-rmsprop": RunConfig(
        dataset="weather", weather=WeatherOptions(lookback_hours=10),
        layers=(LayerConfig(cell="SimpleRNN", units=3), LayerConfig(cell="GRU", units=4),
                LayerConfig(cell="GRU", units=2, recurrent_dropout=0.5)),
        training=TrainingOptions(learning_rate=0.002)),
    "memory-preset-lstm": RunConfig(
        dataset="memory", layers=(LayerConfig(cell="LSTM", units=16),),
        training=TrainingOptions(optimizer="adam", learning_rate=0.01, batch_size=32, epochs=8)),
    "memory-long-bidirectional-gru-stack": RunConfig(
        dataset="memory", memory=MemoryOptions(sequence_length=1000, examples=20_000),
        layers=(LayerConfig(cell="GRU", units=4, bidirectional=True),
                LayerConfig(cell="SimpleRNN", units=3, return_sequences=True))),
    "peephole-bidirectional-dropouts-under-lstm": RunConfig(
        imdb=SMALL_IMDB, layers=(
            LayerConfig(cell="PeepholeLSTM", units=5, bidirectional=True, dropout=0.2,
                        recurrent_dropout=0.1, activation="relu"),
            LayerConfig(cell="LSTM", units=3, return_sequences=True))),
    "weather-peephole-stack": RunConfig(
        dataset="weather", weather=WeatherOptions(lookback_hours=8),
        layers=(LayerConfig(cell="GRU", units=4),
                LayerConfig(cell="PeepholeLSTM", units=3, recurrent_dropout=0.3),
                LayerConfig(cell="PeepholeLSTM", units=2, bidirectional=True))),
    "memory-peephole": RunConfig(
        dataset="memory", layers=(LayerConfig(cell="PeepholeLSTM", units=16),),
        training=TrainingOptions(optimizer="adam", learning_rate=0.01, batch_size=32, epochs=8)),
    "dense-review-bag-of-words": RunConfig(
        imdb=SMALL_IMDB, layers=(LayerConfig(cell="Dense", units=6, activation="relu"),)),
    "dense-review-masked-two-layers-dropout": RunConfig(
        imdb=ImdbOptions(num_words=40, maxlen=6, embedding_dim=4, mask_padding=True),
        layers=(LayerConfig(cell="Dense", units=5, dropout=0.3),
                LayerConfig(cell="Dense", units=3, activation="sigmoid", dropout=0.1)),
        training=TrainingOptions(optimizer="adam", learning_rate=3e-4)),
    "dense-weather-book": RunConfig(
        dataset="weather", weather=WeatherOptions(lookback_hours=24, step_hours=2),
        layers=(LayerConfig(cell="Dense", units=32, activation="relu"),)),
    "dense-weather-jena-two-layers": RunConfig(
        dataset="weather", weather=WeatherOptions(source="jena", lookback_hours=12),
        layers=(LayerConfig(cell="Dense", units=8, activation="relu", dropout=0.5),
                LayerConfig(cell="Dense", units=4, activation="relu"))),
    "dense-memory-three-layers": RunConfig(
        dataset="memory", memory=MemoryOptions(sequence_length=20, examples=1000),
        layers=tuple(LayerConfig(cell="Dense", units=u, dropout=0.2) for u in (16, 8, 4))),
    "four-layers-top-sequences": RunConfig(
        imdb=SMALL_IMDB,
        layers=tuple(LayerConfig(cell=cell, units=3) for cell in ("LSTM", "GRU", "SimpleRNN"))
        + (LayerConfig(cell="LSTM", units=2, bidirectional=True, return_sequences=True),)),
    "text-gru": RunConfig(
        dataset="text", text=TextOptions(window_chars=12, char_embedding_dim=5),
        layers=(LayerConfig(cell="GRU", units=6),),
        training=TrainingOptions(optimizer="adam", learning_rate=0.01)),
    "text-lstm-simplernn-stack": RunConfig(
        dataset="text", text=TextOptions(corpus="imdb", window_chars=7, char_embedding_dim=3),
        layers=(LayerConfig(cell="LSTM", units=5, dropout=0.1),
                LayerConfig(cell="SimpleRNN", units=4, activation="relu"))),
    "text-peephole": RunConfig(
        dataset="text", text=TextOptions(window_chars=9),
        layers=(LayerConfig(cell="PeepholeLSTM", units=3),)),
}


def generated_model(config):
    namespace = {}
    exec(compile(keras_code(config), "<keras_code>", "exec"), namespace)  # noqa: S102
    return namespace["model"]


def recurrent_settings(layer):
    """(class, units, activation, dropout, recurrent_dropout, return_sequences) of a recurrent layer."""
    inner = layer.forward_layer if type(layer).__name__ == "Bidirectional" else layer
    if not hasattr(inner, "recurrent_dropout"):
        return None
    return (type(inner).__name__, inner.name, inner.units, inner.activation.__name__, inner.dropout, inner.recurrent_dropout,
            inner.return_sequences)


def feedforward_settings(layer):
    """(units, activation) of a Dense layer, the rate of a Dropout layer, else None."""
    if type(layer).__name__ == "Dense":
        return layer.units, layer.activation.__name__
    return getattr(layer, "rate", None)


def describe(model):
    """Everything that makes two models the same for the lab."""
    layers = [(layer.name, type(layer).__name__, tuple(layer.output.shape), layer.count_params(),
               recurrent_settings(layer), getattr(layer, "mask_zero", None),
               feedforward_settings(layer))
              for layer in model.layers]
    optimizer = model.optimizer
    return {"name": model.name, "layers": layers, "params": model.count_params(),
            "optimizer": (type(optimizer).__name__, round(float(optimizer.learning_rate), 10)),
            "loss": model.loss, "head": model.layers[-1].activation.__name__}


@pytest.mark.parametrize("config", CASES.values(), ids=CASES.keys())
def test_generated_code_builds_the_same_model_as_build_model(config):
    from rnnlab.trainer.models import build_model

    generated, built = describe(generated_model(config)), describe(build_model(config))
    assert generated == built
    if config.is_feedforward:  # the comparison saw every Dense layer and its dropout
        dense = [layer[6] for layer in generated["layers"] if layer[1] == "Dense"][:-1]
        assert dense == [(layer.units, layer.activation) for layer in config.layers]
        rates = [layer[6] for layer in generated["layers"] if layer[1] == "Dropout"]
        assert rates == pytest.approx([l.dropout for l in config.layers if l.dropout > 0])
        return
    # The comparison saw every recurrent layer's settings, not just None == None.
    recurrent = [layer[4] for layer in generated["layers"] if layer[4] is not None]
    assert [r[2] for r in recurrent] == [layer.units for layer in config.layers]
    assert [(r[3], r[4], r[5]) for r in recurrent] == [
        (layer.activation, layer.dropout, layer.recurrent_dropout) for layer in config.layers]


def test_generated_code_compiles_with_the_configs_optimizer_and_loss():
    config = CASES["weather-jena-bidirectional-stack"]
    model = generated_model(config)
    assert type(model.optimizer).__name__ == "Adam"
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-5)
    assert model.loss == "mae"
    assert generated_model(CASES["book-lstm"]).loss == "binary_crossentropy"


def test_code_reads_like_keras_io_and_explains_each_layer():
    code = keras_code(CASES["lstm-gru-top-sequences-masked"])
    assert code.startswith('"""') and "import keras\nfrom keras import layers\n" in code
    assert "import tensorflow" not in code
    assert ("Layer 1 of 2: an LSTM with 5 units. It returns its whole sequence, (batch, 6, 5). "
            "Layer 2 reads one vector per timestep.") in prose(code)
    assert "mask_zero=True" in code and "GlobalAveragePooling1D" in code
    assert all(len(line) <= 80 for case in CASES.values() for line in keras_code(case).splitlines())


def test_memory_code_names_the_input_and_the_head_and_its_training_lines_run():
    config = RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=5, examples=100),
                       layers=(LayerConfig(cell="SimpleRNN", units=2),),
                       training=TrainingOptions(batch_size=50, epochs=1))
    code = keras_code(config)
    assert 'inputs = keras.Input(shape=(5, 2), name="sequence")' in code
    assert 'name="sum_over_one"' in code
    assert "a marker (1 at two steps" in prose(code)
    assert "the marked values add up to more than 1" in prose(code)
    # The commented training lines, uncommented, make the task and fit the model.
    training = code.split("To train it, make the task")[1].split("\n", 2)[2]
    namespace = {}
    exec(compile(code, "<keras_code>", "exec"), namespace)  # noqa: S102
    exec(compile("\n".join(line[2:] for line in training.splitlines()), "<training>", "exec"),
         namespace)  # noqa: S102
    x_train = namespace["x_train"]
    assert x_train.shape == (80, 5, 2) and namespace["x_val"].shape == (20, 5, 2)
    assert (x_train[:, 0, 1] == 1).all() and (x_train[:, 2:, 1].sum(axis=1) == 1).all()
    sums = (x_train[..., 0] * x_train[..., 1]).sum(axis=1)
    np.testing.assert_array_equal(namespace["y_train"], sums > 1)
    assert len(namespace["model"].history.history["val_accuracy"]) == 1


def prose(code):
    """The comments of the code as one line of text."""
    return " ".join(line.lstrip("# ") for line in code.splitlines() if line.startswith("#"))


def test_code_warns_where_recurrent_dropout_leaves_the_fast_path():
    slow = prose(keras_code(CASES["gru-bidirectional-dropouts"]))
    assert "recurrent_dropout > 0 stops Keras from using its fast fused kernel" in slow
    assert "fast fused kernel" not in keras_code(CASES["book-lstm"])


def test_codegen_does_not_import_keras():
    import ast
    from pathlib import Path

    import rnnlab.network.codegen

    tree = ast.parse(Path(rnnlab.network.codegen.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name.split(".")[0] for name in imported} & {"keras", "tensorflow", "streamlit"}


def test_dense_code_is_the_books_flatten_then_dense_and_says_what_is_lost():
    code = keras_code(CASES["dense-weather-book"])
    assert ('x = layers.Flatten(name="flatten")(x)\n' in code
            and 'x = layers.Dense(32, activation="relu", name="dense_1")(x)' in code)
    assert 'name="weather_dense"' in code and "recurrent_dropout" not in code
    assert "nothing says which came first" in prose(code)
    text = keras_code(CASES["dense-review-masked-two-layers-dropout"])
    assert 'layers.GlobalAveragePooling1D(name="average_over_words")' in text
    assert 'x = layers.Dropout(0.3, name="dropout_1")(x)' in text
    assert "the order of the words is lost" in prose(text)
    assert "mask_zero=True makes the average leave out the padding" in prose(text)


def test_dense_code_trains_on_the_memory_task():
    """The Dense model the script builds fits the task its commented lines make."""
    config = RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=6, examples=100),
                       layers=(LayerConfig(cell="Dense", units=4, dropout=0.2),),
                       training=TrainingOptions(batch_size=50, epochs=2))
    code = keras_code(config)
    training = code.split("To train it, make the task")[1].split("\n", 2)[2]
    namespace = {}
    exec(compile(code, "<keras_code>", "exec"), namespace)  # noqa: S102
    exec(compile("\n".join(line[2:] for line in training.splitlines()), "<training>", "exec"),
         namespace)  # noqa: S102
    history = namespace["model"].history.history
    assert len(history["val_accuracy"]) == 2 and np.isfinite(history["loss"]).all()


def test_text_code_trains_the_language_model_on_the_windows_the_lab_reads():
    """The commented lines read the corpus the plain way, into the lab's own windows, and fit the
    many-to-many model, reporting bits per character."""
    from rnnlab.data.text import load_text

    config = RunConfig(dataset="text",
                       text=TextOptions(window_chars=20, corpus_chars=10_000, char_embedding_dim=4),
                       layers=(LayerConfig(cell="GRU", units=4),),
                       training=TrainingOptions(batch_size=64, epochs=1))
    code = keras_code(config)
    assert "rnnlab" not in code.replace("rnnlab.data.text does the same", "")
    assert "no pooling" in prose(code) and "(batch, 20, 97)" in prose(code)
    training = code.split("To train it, read")[1].split("\n", 2)[2]
    namespace = {}
    exec(compile(code, "<keras_code>", "exec"), namespace)  # noqa: S102
    exec(compile("\n".join(line[2:] for line in training.splitlines()), "<training>", "exec"),
         namespace)  # noqa: S102
    data = load_text(config.text, config.training.validation_split)
    for split, (x, y) in (("train", ("x_train", "y_train")), ("val", ("x_val", "y_val"))):
        inputs, targets = data.windows(split)
        np.testing.assert_array_equal(namespace[x], inputs)
        np.testing.assert_array_equal(namespace[y], targets)
    assert namespace["x_train"].shape == (299, 20)
    history = namespace["model"].history.history
    assert namespace["model"].loss == "sparse_categorical_crossentropy"
    assert np.log2(np.exp(history["val_loss"][0])) == pytest.approx(history["val_bpc"][0], rel=1e-4)
    assert 3.0 < history["val_bpc"][0] < 7.0  # about log2(97) = 6.6 bits at the start
