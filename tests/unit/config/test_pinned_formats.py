"""The text forms of configs never change: JSON, fingerprints, links and their error messages.

The run store finds a finished run by the fingerprint of its config's JSON, shared links carry
the query keys, and students read the messages of a bad link. `pinned_formats.json` holds what
the code wrote for the cases below at commit 9d0ffb2, before the run config and the search config
shared one codec; every refactor of the codec must reproduce it byte for byte. Never regenerate
that file to make this test pass: a changed JSON text orphans every stored run. New cases are
added to it as new entries (the Dense network's, when it came), never by rewriting the old ones.

One deliberate change since: issue 14 replaced the Seattle record by New York's, so the default
weather source (written in every config's JSON) became "nyc-jfk". Only that word and the
fingerprints it changes were updated here, the presets of the weather lesson added, and store
migration 3 (rnnlab.jobs.schema) rewrites the stored runs to match.

A second one: issue 15 added the character-level language model, whose `text` section is now in
every config's JSON (with its defaults) and its four keys in every full link. The pinned texts
were updated by a script that checked that each change was exactly that (the old JSON plus the
text section's defaults, the old links plus the four keys, and messages listing the new dataset
and section), the fingerprints that follow from it, and the new preset's case; store migration 6
re-encodes the stored runs to match.

Issue 18 redesigned the imdb-quick and memory-quick presets: no text form changed; their former
configs keep their pinned cases (FORMER_PRESETS) and their new configs were added as new cases.
"""
import json
from pathlib import Path

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
from rnnlab.config.presets import PRESETS
from rnnlab.config.search import SearchConfig, SearchSpace

PINNED = json.loads((Path(__file__).parent / "pinned_formats.json").read_text(encoding="utf-8"))

WEATHER = RunConfig(dataset="weather", weather=WeatherOptions(lookback_hours=48),
                    layers=(LayerConfig(cell="GRU", units=8, recurrent_dropout=0.1,
                                        bidirectional=True),),
                    training=TrainingOptions(epochs=7, learning_rate=0.005, seed=3))

# The quick presets as they were before issue 18 redesigned them.
FORMER_PRESETS = {
    "imdb-quick": RunConfig(dataset="imdb", imdb=ImdbOptions(maxlen=200, train_subset=2000),
                            layers=(LayerConfig(cell="LSTM", units=16),),
                            training=TrainingOptions(batch_size=64, epochs=3)),
    "memory-quick": RunConfig(dataset="memory",
                              memory=MemoryOptions(sequence_length=50, examples=4000),
                              layers=(LayerConfig(cell="LSTM", units=16),),
                              training=TrainingOptions(optimizer="adam", learning_rate=1e-2,
                                                       batch_size=32, epochs=8)),
}

RUNS = {
    "default": RunConfig(),
    "two layers": RunConfig(layers=(
        LayerConfig(cell="GRU", units=64, dropout=0.1 + 0.2, bidirectional=True),
        LayerConfig(cell="SimpleRNN", activation="relu", recurrent_dropout=0.25))),
    "jena": RunConfig(dataset="weather",
                      weather=WeatherOptions(source="jena", lookback_hours=120, step_hours=2,
                                             delay_hours=12, target="rh (%)"),
                      layers=(LayerConfig(return_sequences=True),),
                      training=TrainingOptions(optimizer="adam", learning_rate=3e-4,
                                               batch_size=32, epochs=3, validation_split=1 / 3,
                                               early_stopping_patience=2, seed=12345)),
    "imdb edges": RunConfig(imdb=ImdbOptions(num_words=88_587, maxlen=1, embedding_dim=7,
                                             train_subset=20, mask_padding=True)),
    "memory": RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=123, examples=4567),
                        layers=(LayerConfig(cell="SimpleRNN", units=16),),
                        training=TrainingOptions(optimizer="adam", learning_rate=0.01,
                                                 batch_size=32, validation_split=0.15, seed=9)),
    # Whole numbers in number fields stay whole numbers in the JSON (and so in the fingerprint).
    "whole numbers in number fields": RunConfig(
        layers=(LayerConfig(dropout=0), LayerConfig(units=1024, recurrent_dropout=0.5)),
        training=TrainingOptions(learning_rate=1)),
    "four layers": RunConfig(dataset="weather", layers=tuple(
        LayerConfig(cell=cell, units=4 * i, activation="sigmoid", return_sequences=True)
        for i, cell in enumerate(("LSTM", "GRU", "SimpleRNN", "GRU"), start=1))),
    **{f"preset {name}": preset.config for name, preset in PRESETS.items()},
    # Issue 18 redesigned two quick presets: their former configs stay pinned under the old
    # names, and their new ones are new cases.
    **{f"preset {name}": config for name, config in FORMER_PRESETS.items()},
    **{f"preset {name} (issue 18)": PRESETS[name].config for name in FORMER_PRESETS},
    "dense": RunConfig(dataset="memory", layers=(
        LayerConfig(cell="Dense", units=64, activation="relu", dropout=0.25),
        LayerConfig(cell="Dense", units=8, bidirectional=True, recurrent_dropout=0.5))),
}

SEARCHES = {
    "default": SearchConfig(),
    "hyperband": SearchConfig(base=WEATHER, space=SearchSpace(depths=(1, 3), activations=("relu",),
                                                              learning_rates=(0.003,)),
                              tuner="hyperband", epochs=9, factor=2, objective="val_mae"),
    "bayesian": SearchConfig(base=WEATHER, space=SearchSpace(units_max=128, dropout_max=0.25,
                                                             learning_rates=(0.01, 0.0003)),
                             tuner="bayesian", max_trials=12, objective="val_mae"),
    "wide space": SearchConfig(space=SearchSpace(depths=(4, 2, 1), units_min=16, units_max=256,
                                                 units_step=16,
                                                 activations=("sigmoid", "tanh", "relu"),
                                                 dropout_min=0.1, dropout_max=0.5,
                                                 dropout_step=0.05, learning_rates=(1, 0.1)),
                               objective="val_accuracy", epochs=1),
}

RUN_LINKS = {
    "every kind of bad value": {"l1_units": "many", "epochs": "1.5", "l1_bidirectional": "maybe"},
    "bad depth and bad setting": {"layers": "x", "epochs": "1.5"},
    "too shallow": {"layers": "0"},
    "too deep": {"layers": "9", "l9_units": "8"},
    "too shallow with a bad setting": {"layers": "0", "learning_rate": "fast"},
    "too shallow with a bad dataset": {"dataset": "mnist", "layers": "0"},
    "values the config refuses": {"dataset": "mnist", "l1_units": "0", "maxlen": "-3"},
    "a bool that is a number": {"mask_padding": "2"},
    "not a number": {"learning_rate": "nan", "l1_dropout": "a lot"},
    "words for yes and no": {"layers": "2", "l1_bidirectional": "Yes", "l2_bidirectional": "off",
                             "mask_padding": "TRUE", "learning_rate": "1e-3", "units": "7"},
    "keys of deeper layers and other pages": {"l2_units": "16", "owner": "ada", "page": "train",
                                              "l1_units": " 16 "},
    "dense with what it does not have": {"l1_cell": "Dense", "l1_bidirectional": "1",
                                         "l1_return_sequences": "1",
                                         "l1_recurrent_dropout": "0.3"},
    "dense under a recurrent layer": {"layers": "3", "l1_cell": "Dense", "l2_cell": "GRU",
                                      "l3_cell": "Dense"},
}

SEARCH_LINKS = {
    "not a number": {"tune_units_min": "lots"},
    "bad lists": {"tune_depths": "1,x", "tune_learning_rates": "a", "tune_factor": "2.5"},
    "no activations": {"tune_activations": ""},
    "values the search refuses": {"tune_tuner": "grid", "tune_dropout_max": "0.95"},
    "lists with spaces": {"tune_depths": " 1, 3 ,", "tune_activations": "relu,tanh",
                          "tune_learning_rates": "0.01,1e-4", "tune_dropout_step": "0.05",
                          "units_min": "4"},
}

RUN_DATA = {
    "unknown keys everywhere": {"layers": [{"unit": 8}], "training": {"epoch": 3},
                                "colour": "red", "imdb": {"maxlen": 100, "max_len": 3}},
    "not an object": ["imdb"],
    "sections that are not objects": {"imdb": 5, "layers": "x", "weather": [1]},
    "layers that are not objects": {"layers": [1, {"units": 8}]},
    "values the config refuses": {"training": {"epochs": 0}, "dataset": "x"},
    "no memory section": {"dataset": "weather", "layers": [{"cell": "GRU"}, {"units": 8}]},
}

SEARCH_DATA = {
    "unknown keys": {"space": {"cells": ["GRU"], "units_min": 4}, "colour": 1},
    "space that is not an object": {"space": 3, "tuner": "grid"},
    "not an object": [],
    "a bad base": {"base": {"colour": 1}, "tuner": "grid"},
    "lists become tuples": {"space": {"depths": [1, 2], "units_max": 16}, "tuner": "hyperband"},
}


def outcome(build) -> dict:
    """The JSON a build gives, or the problems it raises (field, value and message)."""
    try:
        return {"json": build().to_json()}
    except ConfigError as err:
        return {"problems": [[p.field, repr(p.value), p.message] for p in err.problems],
                "message": str(err)}


def texts(config) -> dict:
    """A config's JSON, fingerprint and links (the pairs in order: a link shows them so)."""
    return {"json": config.to_json(), "fingerprint": config.fingerprint(),
            "query changed": [list(pair) for pair in config.to_query().items()],
            "query all": [list(pair) for pair in config.to_query(only_changed=False).items()]}


def cases() -> dict:
    """Every pinned case, keyed like pinned_formats.json: a function that observes it."""
    found = {}
    for name, config in RUNS.items():
        found[f"run {name}"] = lambda config=config: texts(config)
    for name, search in SEARCHES.items():
        found[f"search {name}"] = lambda search=search: texts(search)
    for name, query in RUN_LINKS.items():
        found[f"run link {name}"] = lambda query=query: outcome(lambda: RunConfig.from_query(query))
    for name, query in SEARCH_LINKS.items():
        found[f"search link {name}"] = lambda query=query: outcome(
            lambda: SearchConfig.from_query(query, WEATHER))
    for name, data in RUN_DATA.items():
        found[f"run data {name}"] = lambda data=data: outcome(lambda: RunConfig.from_dict(data))
    for name, data in SEARCH_DATA.items():
        found[f"search data {name}"] = lambda data=data: outcome(
            lambda: SearchConfig.from_dict(data))
    found["run json not json"] = lambda: outcome(lambda: RunConfig.from_json("{units: 3"))
    found["search json not json"] = lambda: outcome(lambda: SearchConfig.from_json("nope"))
    return found


CASES = cases()


@pytest.mark.parametrize("case", sorted(CASES))
def test_text_forms_are_what_they_were(case):
    assert CASES[case]() == PINNED[case]


def test_every_case_is_pinned():
    assert sorted(CASES) == sorted(PINNED)


def test_the_textbook_config_keeps_its_fingerprint_and_link():
    """Two pins in plain sight: the store's key of the textbook run, and a link's key order."""
    assert RunConfig().fingerprint() == "985a3262fac921b4"  # 3d7230efc9e00af3 before issue 15
    assert list(RUNS["memory"].to_query()) == [
        "dataset", "layers", "sequence_length", "examples", "optimizer", "learning_rate",
        "batch_size", "validation_split", "seed", "l1_cell", "l1_units"]
