"""SearchConfig: validation in words, round trips, trial values back to a RunConfig, the plan; the
store's trials table and how searches stay out of the pages that expect trained models."""
import pytest

from rnnlab.config import ConfigError, LayerConfig, RunConfig, TrainingOptions, WeatherOptions
from rnnlab.config.search import SearchConfig, SearchSpace, hyperband_plan
from rnnlab.jobs import runs
from rnnlab.jobs.store import MIGRATIONS, Store

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


def test_the_plan_counts_trials_and_epochs():
    space = SearchSpace(depths=(1, 2), units_min=8, units_max=32, units_step=8,
                        activations=("tanh",), dropout_min=0.0, dropout_max=0.0,
                        learning_rates=(0.01, 0.001))
    assert space.units_values() == [8, 16, 24, 32] and space.dropout_values() == [0.0]
    assert space.size() == 2 * (4 + 4 ** 2)
    assert SearchSpace(dropout_min=0.1, dropout_max=0.45, dropout_step=0.1).dropout_values() == [
        0.1, 0.2, 0.3, 0.4]
    small = SearchConfig(space=SearchSpace(depths=(1,), units_min=8, units_max=16, units_step=8,
                                           activations=("tanh",), dropout_max=0.0,
                                           learning_rates=(0.01,)), max_trials=5, epochs=4)
    assert small.planned_trials() == 2 and small.planned_epochs() == 8
    assert any("only 2 different models" in note for note in small.notes())
    # keras-tuner's own HyperbandOracle gives the same (tests/unit/trainer/test_tuning.py checks it).
    assert [(r.trials, r.initial_epoch, r.epochs) for r in hyperband_plan(9, 3)] == [
        (9, 0, 1), (3, 1, 3), (1, 3, 9), (5, 0, 3), (2, 3, 9), (3, 0, 9)]
    hyperband = SearchConfig(tuner="hyperband", epochs=9)
    assert hyperband.planned_trials() == 23
    assert hyperband.planned_epochs() == 9 + 6 + 6 + 15 + 12 + 27
    assert "Hyperband plans 23 trials, 75 epochs in all" in hyperband.notes()[0]


def test_the_trials_table_survives_and_searches_stay_out_of_the_training_pages(tmp_path):
    store = Store(tmp_path)
    assert store.schema_version == len(MIGRATIONS) == 2
    base = RunConfig()
    search = SearchConfig(base=base)
    trained = store.submit(base, "ada")
    store.claim(5)
    store.finish(trained, "done", result={"metric": "accuracy"})
    search_id = store.submit_search(search, "ada")
    run = store.get(search_id)
    assert (run.kind, run.search, run.config, run.status) == ("search", search, base, "queued")
    assert store.get(trained).kind == "train" and store.get(trained).search is None
    store.claim(5)
    store.start_trial(search_id, 1, "00", {"layers": 1, "units_1": 8})
    store.end_trial(search_id, 1, "completed", 0.61, epochs=3, seconds=4.5)
    store.start_trial(search_id, 2, "01", {"layers": 2})
    assert [(t.number, t.status, t.score, t.epochs) for t in store.trials(search_id)] == [
        (1, "completed", 0.61, 3), (2, "running", None, None)]
    assert store.finish(search_id, "cancelled")
    assert [t.status for t in store.trials(search_id)] == ["completed", "cancelled"]
    assert store.trials(search_id, since=1)[0].trial_id == "01"
    # A search never stands in for a trained run, and the training pages only list trained runs.
    store.finish(search_id, "done", only_if_running=False)
    assert store.find_finished(base) == trained
    assert [r.id for r in runs.runs(store=store)] == [trained]
    assert [r.id for r in runs.searches(store=store)] == [search_id]
    store.delete(search_id)
    assert store.trials(search_id) == []
