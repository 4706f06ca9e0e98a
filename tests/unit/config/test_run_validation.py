"""Run config validation: a specific message for every bad value, and every problem at once."""
import pytest

from rnnlab.config import (
    ConfigError,
    ImdbOptions,
    LayerConfig,
    RunConfig,
    TrainingOptions,
    WeatherOptions,
)


def layers(*items, **common):
    return tuple(LayerConfig(**{**common, **item}) for item in items)


# (what to build, the problem's field, words the message must contain)
INVALID = [
    (dict(layers=layers(dict(dropout=1.5))), "layers.1.dropout", ["1.5", "0.0 to 0.9"]),
    (dict(layers=layers(dict(dropout=-0.1))), "layers.1.dropout", ["-0.1"]),
    (dict(layers=layers(dict(recurrent_dropout=0.95))), "layers.1.recurrent_dropout", ["0.95"]),
    (dict(layers=layers(dict(units=0))), "layers.1.units", ["0", "1 to 1,024", "hidden state"]),
    (dict(layers=layers(dict(units=2.5))), "layers.1.units", ["2.5", "whole number"]),
    (dict(layers=layers(dict(units=5000))), "layers.1.units", ["5000"]),
    (dict(layers=()), "layers", ["Number of layers is 0", "1 to 4"]),
    (dict(layers=layers(*[{}] * 9)), "layers", ["Number of layers is 9", "1 to 4"]),
    (dict(layers=layers(dict(cell="Transformer"))), "layers.1.cell",
     ["'Transformer'", "SimpleRNN, LSTM, GRU"]),
    (dict(layers=layers({}, dict(cell="lstm"))), "layers.2.cell", ["Layer 2", "'lstm'"]),
    (dict(layers=layers(dict(cell="dense"))), "layers.1.cell",
     ["'dense'", "SimpleRNN, LSTM, GRU", ", Dense: those are the recurrent cells",
      "a layer with no memory"]),
    (dict(layers=layers(dict(cell="Dense"), dict(cell="GRU"))), "layers.2.cell",
     ["Layer 2 cell is GRU, but layer 1 is Dense", "either all Dense layers",
      "Make every layer Dense, or none."]),
    (dict(layers=layers(dict(cell="GRU"), dict(cell="Dense"))), "layers.2.cell",
     ["Layer 2 cell is Dense, but layer 1 is GRU", "or all recurrent layers"]),
    (dict(layers=layers(dict(activation="softmax"))), "layers.1.activation",
     ["'softmax'", "tanh, relu, sigmoid"]),
    (dict(layers=layers(dict(bidirectional="yes"))), "layers.1.bidirectional", ["true or false"]),
    (dict(imdb=ImdbOptions(maxlen=0)), "imdb.maxlen", ["maxlen", "is 0", "1 to 2,500"]),
    (dict(imdb=ImdbOptions(num_words=2)), "imdb.num_words", ["num_words", "reserved"]),
    (dict(imdb=ImdbOptions(num_words=200_000)), "imdb.num_words", ["200000", "88,584"]),
    (dict(imdb=ImdbOptions(embedding_dim=0)), "imdb.embedding_dim", ["Embedding size"]),
    (dict(imdb=ImdbOptions(train_subset=5)), "imdb.train_subset", ["at least 20"]),
    (dict(imdb=ImdbOptions(train_subset=30_000)), "imdb.train_subset", ["25,000"]),
    (dict(dataset="mnist"), "dataset", ["'mnist'", "imdb, weather, memory"]),
    (dict(weather=WeatherOptions(source="paris")), "weather.source", ["'paris'", "nyc-jfk, nyc-ewr, nyc-lga, nyc-all, jena"]),
    (dict(weather=WeatherOptions(lookback_hours=0)), "weather.lookback_hours", ["Lookback is 0"]),
    (dict(weather=WeatherOptions(lookback_hours=1440, delay_hours=336),
          training=TrainingOptions(validation_split=0.4)),
     "weather.lookback_hours", ["does not fit", "1,746 h training part", "nyc-jfk"]),
    (dict(weather=WeatherOptions(lookback_hours=1440, delay_hours=336)),
     "weather.lookback_hours", ["does not fit", "1,746 h validation part"]),
    (dict(weather=WeatherOptions(lookback_hours=6, step_hours=12)), "weather.step_hours",
     ["longer than the lookback"]),
    (dict(weather=WeatherOptions(delay_hours=0)), "weather.delay_hours", ["delay"]),
    (dict(weather=WeatherOptions(target="p (mbar)")), "weather.target", ["nyc-jfk", "p (hPa)"]),
    (dict(training=TrainingOptions(optimizer="sgd")), "training.optimizer", ["'sgd'", "rmsprop, adam"]),
    (dict(training=TrainingOptions(learning_rate=0)), "training.learning_rate",
     ["above 0", "0.001"]),
    (dict(training=TrainingOptions(batch_size=0)), "training.batch_size", ["Batch size is 0"]),
    (dict(training=TrainingOptions(epochs=0)), "training.epochs", ["Epochs is 0"]),
    (dict(training=TrainingOptions(validation_split=0.9)), "training.validation_split",
     ["0.9", "0.05 to 0.4"]),
    (dict(training=TrainingOptions(early_stopping_patience=-1)), "training.early_stopping_patience",
     ["0 turns early stopping off"]),
    (dict(training=TrainingOptions(seed=-5)), "training.seed", ["Seed is -5"]),
]


@pytest.mark.parametrize("kwargs, field, words", INVALID, ids=[case[1] for case in INVALID])
def test_invalid_setting_is_refused_with_a_specific_message(kwargs, field, words):
    with pytest.raises(ConfigError) as caught:
        RunConfig(**kwargs)
    problems = caught.value.problems
    assert [p.field for p in problems] == [field]
    for word in words:
        assert word in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_every_valid_weather_config_has_windows_in_every_split():
    """The config's check and the loader's windowing agree at the edge of what fits."""
    from rnnlab.data.weather import load_weather

    checked = 0
    for lookback, delay in ((1440, 305), (1440, 306), (1440, 307), (1000, 336)):
        try:
            config = RunConfig(dataset="weather",
                               weather=WeatherOptions(lookback_hours=lookback, delay_hours=delay))
        except ConfigError:
            continue
        data = load_weather(config.weather, config.training.validation_split)
        assert all(len(data.window_starts(split)) > 0 for split in ("train", "val", "test"))
        checked += 1
    assert checked == 3  # (1440, 307) is the first that no longer fits


def test_every_problem_is_reported_at_once():
    with pytest.raises(ConfigError) as caught:
        RunConfig(layers=layers(dict(units=0, dropout=2.0, cell="X")), imdb=ImdbOptions(maxlen=0))
    assert {p.field for p in caught.value.problems} == {
        "layers.1.units", "layers.1.dropout", "layers.1.cell", "imdb.maxlen"}
    assert len(str(caught.value).splitlines()) == 4


def test_every_layer_that_breaks_an_all_dense_or_all_recurrent_stack_is_named():
    with pytest.raises(ConfigError) as caught:
        RunConfig(layers=layers(dict(cell="Dense"), {}, dict(cell="Dense"), dict(cell="GRU")))
    assert [p.field for p in caught.value.problems] == ["layers.2.cell", "layers.4.cell"]


def test_the_language_model_reads_forwards_with_recurrent_cells_only():
    from rnnlab.config import TextOptions
    config = RunConfig(dataset="text", layers=(LayerConfig(cell="GRU", units=8),
                                               LayerConfig(cell="LSTM", units=8)))
    assert [layer.return_sequences for layer in config.layers] == [True, True]
    assert (config.task, config.metric, config.shape, config.lower_is_better) == (
        "next_character", "bpc", "many-to-many", True)
    assert config.label() == "text/python: GRU(8) > LSTM(8)"
    with pytest.raises(ConfigError) as err:
        RunConfig(dataset="text", layers=(LayerConfig(cell="GRU", bidirectional=True),))
    assert [p.field for p in err.value.problems] == ["layers.1.bidirectional"]
    assert "read the very next character" in str(err.value)
    with pytest.raises(ConfigError, match="takes a recurrent cell"):
        RunConfig(dataset="text", layers=(LayerConfig(cell="Dense"),))
    with pytest.raises(ConfigError, match="not one window"):
        RunConfig(dataset="text", text=TextOptions(window_chars=1000, corpus_chars=10_000),
                  training=TrainingOptions(validation_split=0.05))
    with pytest.raises(ConfigError, match="Corpus is 'shakespeare'"):
        RunConfig(dataset="text", text=TextOptions(corpus="shakespeare"))
