"""What the Tune page shows of a search: the trials table, the best trial for either direction of
the objective, and the race of the best trial against the model the search started from."""
import dataclasses

import pytest

from rnnlab.config import LayerConfig, RunConfig, TrainingOptions
from rnnlab.config.search import SearchConfig, SearchSpace
from rnnlab.jobs.store import Trial
from rnnlab.lessons.trials import (at_chance, best_trial, chance_score, chance_words,
                                   hyperparameter_columns, race_against_base, trial_rows)

BASE = RunConfig(layers=(LayerConfig(cell="GRU", units=32, recurrent_dropout=0.1,
                                     bidirectional=True),),
                 training=TrainingOptions(epochs=10, batch_size=64, seed=7, learning_rate=1e-3))
ONE_LAYER = {"layers": 1, "units_1": 16, "activation_1": "tanh", "dropout_1": 0.1,
             "learning_rate": 0.001}
TWO_LAYERS = {"layers": 2, "units_1": 24, "activation_1": "relu", "dropout_1": 0.0,
              "units_2": 8, "activation_2": "tanh", "dropout_2": 0.2, "learning_rate": 0.01}


def search(**changes) -> SearchConfig:
    return SearchConfig(**{"base": BASE, "space": SearchSpace(depths=(1, 2, 3)), "epochs": 3,
                           **changes})


def trial(number, status, score, hyperparameters=ONE_LAYER, trial_id=None, epochs=3, seconds=9.5):
    return Trial(run_id=1, number=number, trial_id=trial_id or f"{number - 1:02d}",
                 hyperparameters=hyperparameters, status=status, score=score, epochs=epochs,
                 seconds=seconds, started=100.0 + number, message=None)


TRIALS = [trial(1, "completed", 0.52), trial(2, "completed", 0.41, TWO_LAYERS),
          trial(3, "invalid", 0.05), trial(4, "failed", None, epochs=1),
          trial(5, "running", None, epochs=None, seconds=None)]


def test_the_best_trial_is_the_lowest_loss_among_finished_trials():
    # trial 3's 0.05 is lower, but an invalid trial's score does not count
    assert best_trial(TRIALS, search(objective="val_loss")).number == 2


def test_the_best_trial_is_the_highest_accuracy_when_higher_is_better():
    assert search(objective="val_accuracy").direction == "max"
    assert best_trial(TRIALS, search(objective="val_accuracy")).number == 1


def test_no_best_trial_until_one_has_finished_with_a_score():
    assert best_trial([], search()) is None
    assert best_trial(TRIALS[2:], search()) is None
    assert best_trial([trial(1, "completed", None)], search()) is None


def test_columns_are_the_hyperparameters_some_trial_has_in_the_searchs_order():
    names = ["layers", "units_1", "activation_1", "dropout_1", "learning_rate"]
    assert hyperparameter_columns([TRIALS[0]], search()) == names
    assert hyperparameter_columns(TRIALS, search()) == [
        "layers", "units_1", "activation_1", "dropout_1", "units_2", "activation_2", "dropout_2",
        "learning_rate"]  # no trial drew 3 layers: no _3 columns
    assert hyperparameter_columns([], search()) == []


def test_the_table_has_a_row_per_trial_in_words_with_blanks_for_missing_layers():
    rows = trial_rows(TRIALS, search(objective="val_loss"))
    assert list(rows[0]) == ["trial", "status", "val_loss", "best", "layers", "units_1",
                             "activation_1", "dropout_1", "units_2", "activation_2", "dropout_2",
                             "learning_rate", "epochs", "seconds"]
    assert rows[0] == {"trial": 1, "status": "done", "val_loss": 0.52, "best": "", "layers": 1,
                       "units_1": 16, "activation_1": "tanh", "dropout_1": 0.1, "units_2": None,
                       "activation_2": None, "dropout_2": None, "learning_rate": 0.001,
                       "epochs": 3, "seconds": 9.5}
    assert rows[1]["best"] == "★" and (rows[1]["units_2"], rows[1]["dropout_2"]) == (8, 0.2)
    assert [row["status"] for row in rows] == ["done", "done", "failed", "failed (loss blew up)",
                                               "training"]
    assert [row["best"] for row in rows] == ["", "★", "", "", ""]
    assert (rows[4]["epochs"], rows[4]["seconds"]) == (None, None)


def test_a_trial_the_run_stopped_says_so_and_an_unknown_status_is_shown_as_it_is():
    rows = trial_rows([trial(1, "cancelled", None), trial(2, "interrupted", None),
                       trial(3, "stopped", None)], search())
    assert [row["status"] for row in rows] == ["cancelled", "interrupted", "stopped"]


def test_hyperband_rows_say_which_trial_they_continue():
    hyperband = search(tuner="hyperband", epochs=9)
    first = trial(1, "completed", 0.6, {**ONE_LAYER, "tuner/epochs": 3, "tuner/trial_id": None},
                  trial_id="0000")
    continued = trial(2, "completed", 0.5, {**ONE_LAYER, "tuner/epochs": 9,
                                            "tuner/trial_id": "0000"}, trial_id="0007")
    rows = trial_rows([first, continued], hyperband)
    assert [row["continues trial"] for row in rows] == [None, 1]
    assert list(rows[0])[-3:] == ["continues trial", "epochs", "seconds"]
    assert "continues trial" not in trial_rows([first], search())[0]  # random search: no column


def test_the_race_trains_the_best_trial_and_the_base_model_alike():
    tuned, untuned = race_against_base(search(), trial(2, "completed", 0.41, TWO_LAYERS))
    layers = [(layer.cell, layer.units, layer.activation, layer.dropout) for layer in tuned.layers]
    assert layers == [("GRU", 24, "relu", 0.0), ("GRU", 8, "tanh", 0.2)]
    # each layer keeps the base's cell, direction and recurrent dropout; only the inner one
    # returns sequences
    assert all(layer.bidirectional and layer.recurrent_dropout == 0.1 for layer in tuned.layers)
    assert [layer.return_sequences for layer in tuned.layers] == [True, False]
    assert tuned.training == dataclasses.replace(BASE.training, learning_rate=0.01, epochs=3)
    assert untuned == dataclasses.replace(BASE, training=dataclasses.replace(BASE.training,
                                                                             epochs=3))
    assert tuned.training.seed == untuned.training.seed == 7


def test_a_hyperband_trial_races_for_the_epochs_it_trained():
    values = {**ONE_LAYER, "tuner/epochs": 9, "tuner/trial_id": "0000"}
    tuned, untuned = race_against_base(search(tuner="hyperband", epochs=9),
                                       trial(1, "completed", 0.3, values))
    assert tuned.training.epochs == untuned.training.epochs == 9
    assert untuned.layers == BASE.layers


def test_a_trial_with_missing_values_cannot_race():
    with pytest.raises(ValueError, match="This trial's values are incomplete"):
        race_against_base(search(), trial(1, "completed", 0.3, {"layers": 1}))


AT_CHANCE = [trial(1, "completed", 0.6926), trial(2, "completed", 0.6929, TWO_LAYERS),
             trial(3, "completed", 0.6927), trial(4, "failed", None)]


def test_chance_is_ln_2_for_the_loss_and_one_half_for_the_accuracy_of_a_two_class_task():
    assert chance_score(search()) == pytest.approx(0.693147, abs=1e-6)
    assert chance_score(search(objective="val_accuracy")) == 0.5
    memory = search(base=dataclasses.replace(BASE, dataset="memory"))
    assert chance_score(memory) == pytest.approx(0.693147, abs=1e-6)
    weather = SearchConfig(base=RunConfig(dataset="weather"), objective="val_mae")
    assert chance_score(weather) is None and not at_chance(0.69, weather)


def test_a_score_near_or_worse_than_chance_is_at_chance_and_a_little_learning_is_not():
    loss, accuracy = search(), search(objective="val_accuracy")
    assert at_chance(0.6926, loss) and at_chance(0.6882, loss) and at_chance(0.75, loss)
    assert not at_chance(0.6880, loss) and not at_chance(0.41, loss)
    assert at_chance(0.5, accuracy) and at_chance(0.509, accuracy) and at_chance(0.43, accuracy)
    assert not at_chance(0.52, accuracy)


def test_a_search_whose_trials_are_all_at_chance_stars_nothing_and_says_so():
    assert best_trial(AT_CHANCE, search()) is None
    assert [row["best"] for row in trial_rows(AT_CHANCE, search())] == ["", "", "", ""]
    assert chance_words(AT_CHANCE, search()) == (
        "All 3 finished trials scored at chance: val_loss 0.6926 to 0.6929, where guessing "
        "scores 0.6931. None of these models learned anything, so no trial is the best and none "
        "is starred; the differences between them are noise. Try more epochs per trial, larger "
        "learning rates, or shorter sequences.")
    assert chance_words(AT_CHANCE[:1], search()).startswith(
        "The one finished trial scored at chance: val_loss 0.6926, where")


def test_one_trial_that_learned_is_the_best_and_the_search_is_not_at_chance():
    trials = [*AT_CHANCE, trial(5, "completed", 0.58)]
    assert best_trial(trials, search()).number == 5
    assert chance_words(trials, search()) is None
    assert chance_words([], search()) is None  # nothing finished yet: nothing to say
