"""SearchConfig validation: every problem of a space in words, an objective that fits the task."""
import pytest

from rnnlab.config import ConfigError, LayerConfig, RunConfig, TrainingOptions, WeatherOptions
from rnnlab.config.search import SearchConfig, SearchSpace

WEATHER = RunConfig(dataset="weather", weather=WeatherOptions(lookback_hours=48),
                    layers=(LayerConfig(cell="GRU", units=8, recurrent_dropout=0.1,
                                        bidirectional=True),),
                    training=TrainingOptions(epochs=7, learning_rate=0.005, seed=3))


def problems(**kwargs) -> dict[str, str]:
    with pytest.raises(ConfigError) as caught:
        SearchConfig(**kwargs)
    return {p.field: p.message for p in caught.value.problems}


def test_an_empty_units_range_is_refused_in_words_that_say_what_to_do():
    found = problems(space=SearchSpace(units_min=128, units_max=64))
    assert found == {"space.units_min": "Smallest units is 128, above the largest units 64: the "
                                        "range would be empty. Lower the smallest or raise the "
                                        "largest."}


def test_every_problem_of_an_invalid_space_is_listed_with_its_field_value_and_range():
    found = problems(space=SearchSpace(depths=(0, 2), units_min=0, units_step=0, activations=(),
                                       dropout_min=0.5, dropout_max=0.2, dropout_step=0.1,
                                       learning_rates=(0.0,)),
                     tuner="grid", max_trials=0, epochs=500, factor=1)
    assert set(found) == {"tuner", "max_trials", "epochs", "factor", "space.depths",
                          "space.units_min", "space.units_step", "space.activations",
                          "space.dropout_min", "space.learning_rates"}
    assert "Tuner is 'grid', but it must be one of random, hyperband, bayesian" in found["tuner"]
    assert "Number of trials is 0, but it must be a whole number from 1 to 200" in found["max_trials"]
    assert "Depths to try are 0, 2, but they must be one or more whole numbers from 1 to 4" in \
        found["space.depths"]
    assert "Smallest units is 0, but it must be a whole number from 1 to 1,024" in \
        found["space.units_min"]
    assert found["space.dropout_min"].startswith("Smallest dropout is 0.5, above the largest "
                                                 "dropout 0.2")
    assert "pick at least one" in found["space.activations"]
    assert "a zero step never learns" in found["space.learning_rates"]


def test_the_objective_must_fit_the_task():
    assert "val_loss, val_mae" in problems(base=WEATHER, objective="val_accuracy")["objective"]
    assert SearchConfig(base=WEATHER, objective="val_mae").direction == "min"
    assert SearchConfig(objective="val_accuracy").direction == "max"
