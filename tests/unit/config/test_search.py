"""SearchConfig: trial values back to a RunConfig, and the planned cost (the store's trials table is
tested in tests/unit/jobs/test_store.py)."""
import pytest

from rnnlab.config import ConfigError, LayerConfig, RunConfig, TrainingOptions, WeatherOptions
from rnnlab.config.search import SearchConfig, SearchSpace

WEATHER = RunConfig(dataset="weather", weather=WeatherOptions(lookback_hours=48),
                    layers=(LayerConfig(cell="GRU", units=8, recurrent_dropout=0.1,
                                        bidirectional=True),),
                    training=TrainingOptions(epochs=7, learning_rate=0.005, seed=3))


def test_a_trials_values_become_the_base_model_with_them_filled_in():
    search = SearchConfig(base=WEATHER, objective="val_mae")
    config = search.trial_config({"layers": 2, "units_1": 16, "activation_1": "relu",
                                  "dropout_1": 0.30000000000000004, "units_2": 40,
                                  "activation_2": "tanh", "dropout_2": 0.0,
                                  "learning_rate": 0.001, "units_3": None})
    assert [(l.cell, l.units, l.activation, l.dropout, l.recurrent_dropout, l.bidirectional,
             l.return_sequences) for l in config.layers] == [
        ("GRU", 16, "relu", 0.3, 0.1, True, True), ("GRU", 40, "tanh", 0.0, 0.1, True, False)]
    assert config.training == TrainingOptions(epochs=3, learning_rate=0.001, seed=3)
    assert config.weather == WEATHER.weather
    hyperband = SearchConfig(base=WEATHER, tuner="hyperband", epochs=9, objective="val_mae")
    assert hyperband.trial_config({"layers": 1, "units_1": 8, "activation_1": "tanh",
                                   "dropout_1": 0.1, "learning_rate": 0.01,
                                   "tuner/epochs": 3}).training.epochs == 3
    with pytest.raises(ConfigError, match="incomplete"):
        search.trial_config({"layers": 2, "units_1": 8})


def test_a_search_around_a_dense_model_tries_dense_stacks():
    dense = RunConfig(dataset="weather", layers=(LayerConfig(cell="Dense", units=32),))
    config = SearchConfig(base=dense, objective="val_mae").trial_config(
        {"layers": 2, "units_1": 16, "activation_1": "relu", "dropout_1": 0.2, "units_2": 8,
         "activation_2": "tanh", "dropout_2": 0.0, "learning_rate": 0.01})
    assert config.label() == f"weather/{dense.weather.source}: Dense(16) > Dense(8)"
    assert config.layers[0].dropout == 0.2 and not config.layers[0].return_sequences


def test_the_plan_counts_trials_and_epochs():
    small = SearchConfig(space=SearchSpace(depths=(1,), units_min=8, units_max=16, units_step=8,
                                           activations=("tanh",), dropout_max=0.0,
                                           learning_rates=(0.01,)), max_trials=5, epochs=4)
    assert small.planned_trials() == 2 and small.planned_epochs() == 8
    assert any("only 2 different models" in note for note in small.notes())
    hyperband = SearchConfig(tuner="hyperband", epochs=9)
    assert hyperband.planned_trials() == 23
    assert hyperband.planned_epochs() == 9 + 6 + 6 + 15 + 12 + 27
    assert "Hyperband plans 23 trials, 75 epochs in all" in hyperband.notes()[0]
