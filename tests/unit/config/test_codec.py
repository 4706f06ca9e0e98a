"""The one codec: link text of each type, the table of settings, and exact round trips through
JSON and links for run configs and search configs (their exact text is pinned in
test_pinned_formats.py)."""
import json
from dataclasses import dataclass, field

import pytest

from rnnlab.config import (
    ConfigError,
    ImdbOptions,
    LayerConfig,
    MemoryOptions,
    RunConfig,
    TrainingOptions,
    WeatherOptions,
)
from rnnlab.config.codec import Codec, from_text, must_be, not_a_number, to_text
from rnnlab.config.run import RUN_CODEC
from rnnlab.config.search import SEARCH_CODEC, SearchConfig, SearchSpace

WEATHER = RunConfig(dataset="weather", weather=WeatherOptions(lookback_hours=48),
                    layers=(LayerConfig(cell="GRU", units=8, recurrent_dropout=0.1,
                                        bidirectional=True),),
                    training=TrainingOptions(epochs=7, learning_rate=0.005, seed=3))


def layers(*items, **common):
    return tuple(LayerConfig(**{**common, **item}) for item in items)


TEXTS = [(True, "1"), (False, "0"), (64, "64"), (0.1 + 0.2, "0.30000000000000004"),
         (1e-4, "0.0001"), ("GRU", "GRU"), ((0.01, 0.001), "0.01,0.001"), ((1, 3), "1,3"), (("relu",), "relu")]


@pytest.mark.parametrize("value, text", TEXTS)
def test_each_type_is_written_as_link_text_and_read_back_exactly(value, text):
    assert to_text(value) == text
    read = from_text(text, value)
    assert read == value and type(read) is type(value)


def test_link_text_is_read_by_the_type_of_the_default():
    assert [from_text(word, False) for word in ("yes", " ON ", "True", "no", "off", "FALSE")] == [
        True, True, True, False, False, False]
    assert from_text("1", 0.5) == 1.0 and type(from_text("1", 0.5)) is float
    assert from_text(" 1, 3 ,", (1, 2)) == (1, 3)
    assert from_text("", ("tanh",)) == ()
    for text, default in (("maybe", False), ("1.5", 3), ("fast", 0.1), ("1,x", (1, 2))):
        with pytest.raises(ValueError):
            from_text(text, default)


def test_unreadable_link_text_is_explained_in_the_words_of_each_config():
    assert must_be("l1_units", "many", 32) == (
        "The link sets l1_units to 'many', but it must be a whole number.")
    assert must_be("depths", "1,x", (1,)) == (
        "The link sets depths to '1,x', but it must be a list separated by commas.")
    assert not_a_number("tune_depths", "1,x", (1,)) == (
        "The link sets tune_depths to '1,x', which is not a list of number.")


def test_a_whole_number_in_a_number_field_stays_whole_in_json_and_links():
    config = RunConfig(training=TrainingOptions(learning_rate=1))
    assert '"learning_rate": 1,' in config.to_json()
    assert config.to_query()["learning_rate"] == "1"
    assert RunConfig.from_query(config.to_query()) == config


def test_the_run_table_lists_every_setting_with_its_key_place_and_default():
    rows = RUN_CODEC.settings(depth=2)
    keys = [row.key for row in rows]
    assert keys[:2] == ["dataset", "num_words"] and keys[-1] == "l2_return_sequences"
    assert keys.index("seed") < keys.index("layers") < keys.index("l1_cell") \
        < keys.index("l2_cell")
    assert len(keys) == len(set(keys)) == 1 + 5 + 5 + 2 + 4 + 7 + 1 + 2 * 7
    by_key = {row.key: row for row in rows}
    assert (by_key["epochs"].path, by_key["epochs"].default) == (("training", "epochs"), 10)
    assert (by_key["l2_units"].path, by_key["l2_units"].default) == (("layers", 1, "units"), 32)
    assert [row.key for row in rows if row.always] == ["dataset", "layers"]
    config = RunConfig(layers=layers({}, dict(units=64)), training=TrainingOptions(epochs=3))
    assert [by_key[key].value_in(config) for key in ("layers", "l2_units", "epochs")] == [2, 64, 3]


def test_the_search_table_holds_its_own_settings_under_the_tune_prefix_and_not_its_base():
    keys = [row.key for row in SEARCH_CODEC.settings(depth=0)]
    assert keys == ["tune_" + name for name in (
        "tuner", "max_trials", "epochs", "factor", "objective", "depths", "units_min",
        "units_max", "units_step", "activations", "dropout_min", "dropout_max", "dropout_step",
        "learning_rates")]


def test_a_codec_refuses_two_settings_with_one_link_key():
    @dataclass(frozen=True)
    class Colours:
        seed: int = 1

    @dataclass(frozen=True)
    class Shapes:
        seed: int = 2

    @dataclass(frozen=True)
    class Drawing:
        colours: Colours = field(default_factory=Colours)
        shapes: Shapes = field(default_factory=Shapes)

    with pytest.raises(ValueError, match="share a link key"):
        Codec(Drawing, noun="drawing")


def test_json_lists_become_tuples_where_the_setting_holds_a_tuple():
    search = SearchConfig.from_dict({"space": {"depths": [1, 3], "learning_rates": [0.01]}})
    assert search.space == SearchSpace(depths=(1, 3), learning_rates=(0.01,))
    with pytest.raises(ConfigError, match=r"Smallest units is \[8\], but it must be a whole"):
        SearchConfig.from_dict({"space": {"units_min": [8]}})


ROUND_TRIP = [
    RunConfig(),
    RunConfig(layers=layers(dict(cell="GRU", units=64, dropout=0.1 + 0.2, bidirectional=True),
                            dict(cell="SimpleRNN", activation="relu", recurrent_dropout=0.25))),
    RunConfig(dataset="weather",
              weather=WeatherOptions(source="jena", lookback_hours=120, step_hours=2, delay_hours=12,
                                     target="rh (%)"),
              layers=layers(dict(return_sequences=True)),
              training=TrainingOptions(optimizer="adam", learning_rate=3e-4, batch_size=32,
                                       epochs=3, validation_split=1 / 3, early_stopping_patience=2,
                                       seed=12345)),
    RunConfig(imdb=ImdbOptions(num_words=88_587, maxlen=1, embedding_dim=7, train_subset=20,
                               mask_padding=True)),
    RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=123, examples=4567),
              layers=layers(dict(cell="SimpleRNN", units=16)),
              training=TrainingOptions(optimizer="adam", learning_rate=0.01, batch_size=32,
                                       validation_split=0.15, seed=9)),
    RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=2, examples=100_000)),
    RunConfig(dataset="weather", layers=layers(dict(cell="Dense", activation="relu"))),
    RunConfig(layers=layers(dict(cell="Dense", units=16, dropout=0.5, bidirectional=True),
                            dict(cell="Dense", units=8, recurrent_dropout=0.3))),
]


@pytest.mark.parametrize("config", ROUND_TRIP)
def test_json_round_trip_is_exact(config):
    assert RunConfig.from_json(config.to_json()) == config
    assert RunConfig.from_json(config.to_json()).to_json() == config.to_json()


@pytest.mark.parametrize("config", ROUND_TRIP)
@pytest.mark.parametrize("only_changed", [True, False])
def test_url_query_round_trip_is_exact(config, only_changed):
    query = config.to_query(only_changed=only_changed)
    assert all(isinstance(v, str) for v in query.values())
    assert RunConfig.from_query(query) == config


def test_query_shows_only_what_differs_from_the_textbook():
    config = RunConfig(layers=layers(dict(cell="GRU"), dict(units=64)))
    assert config.to_query() == {"dataset": "imdb", "layers": "2", "l1_cell": "GRU",
                                 "l1_return_sequences": "1", "l2_units": "64"}


def test_a_dense_link_carries_no_setting_a_dense_layer_does_not_have():
    config = RunConfig.from_query({"dataset": "weather", "l1_cell": "Dense",
                                   "l1_bidirectional": "1", "l1_recurrent_dropout": "0.4",
                                   "l1_return_sequences": "1", "l1_units": "64"})
    assert config.to_query() == {"dataset": "weather", "layers": "1", "l1_cell": "Dense",
                                 "l1_units": "64"}
    assert RunConfig.from_query(config.to_query()) == config


def test_query_ignores_keys_of_other_pages_and_explains_bad_values():
    assert RunConfig.from_query({"page": "train", "owner": "ada", "l1_units": "16"}).layers[0].units == 16
    with pytest.raises(ConfigError) as caught:
        RunConfig.from_query({"l1_units": "many", "epochs": "1.5", "l1_bidirectional": "maybe"})
    text = str(caught.value)
    assert "l1_units to 'many', but it must be a whole number" in text
    assert "epochs to '1.5'" in text
    assert "l1_bidirectional to 'maybe', but it must be 1 or 0" in text


def test_json_with_unknown_or_misspelt_keys_is_refused():
    with pytest.raises(ConfigError) as caught:
        RunConfig.from_dict({"layers": [{"unit": 8}], "training": {"epoch": 3}, "colour": "red"})
    text = str(caught.value)
    assert "Unknown setting 'unit' in layer 1" in text and "units" in text
    assert "Unknown setting 'epoch' in training" in text
    assert "Unknown setting 'colour' in config" in text
    with pytest.raises(ConfigError, match="not valid JSON"):
        RunConfig.from_json("{units: 3")


def test_old_json_without_the_memory_section_still_loads():
    """Runs stored before the memory task existed have no "memory" key: it takes the defaults."""
    data = RunConfig(dataset="weather").to_dict()
    del data["memory"]
    assert RunConfig.from_dict(data) == RunConfig(dataset="weather")


def test_memory_settings_travel_in_the_link_under_their_own_names():
    config = RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=80))
    assert config.to_query() == {"dataset": "memory", "layers": "1", "sequence_length": "80"}
    assert RunConfig.from_query({"dataset": "memory", "examples": "900"}).memory.examples == 900


def test_json_round_trip_is_exact_and_unknown_keys_are_named():
    search = SearchConfig(base=WEATHER, space=SearchSpace(depths=(1, 3), activations=("relu",),
                                                          learning_rates=(0.003,)),
                          tuner="hyperband", epochs=9, factor=2, objective="val_mae")
    assert SearchConfig.from_json(search.to_json()) == search
    assert search.fingerprint() != SearchConfig(base=WEATHER).fingerprint()
    data = json.loads(search.to_json())
    data["space"]["cells"] = ["GRU"]
    with pytest.raises(ConfigError, match="Unknown setting 'cells' in the space"):
        SearchConfig.from_dict(data)


def test_query_round_trip_keeps_only_changes_under_the_tune_prefix():
    search = SearchConfig(base=WEATHER, space=SearchSpace(units_max=128, dropout_max=0.25,
                                                          learning_rates=(0.01, 0.0003)),
                          tuner="bayesian", max_trials=12, objective="val_mae")
    query = search.to_query()
    assert query == {"tune_tuner": "bayesian", "tune_max_trials": "12", "tune_objective": "val_mae",
                     "tune_units_max": "128", "tune_dropout_max": "0.25",
                     "tune_learning_rates": "0.01,0.0003"}
    assert SearchConfig.from_query({**query, **WEATHER.to_query(), "owner": "ada"}, WEATHER) == search
    assert SearchConfig.from_query({}, WEATHER) == SearchConfig(base=WEATHER)
    with pytest.raises(ConfigError, match="tune_units_min to 'lots'"):
        SearchConfig.from_query({"tune_units_min": "lots"}, WEATHER)
