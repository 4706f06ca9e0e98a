"""keras-tuner over the lab's models, in this process: the plan against keras-tuner's own oracle,
the space declared per depth, and tiny searches whose trials reproduce as ordinary runs."""
import threading

import pytest

from rnnlab.config import LayerConfig, MemoryOptions, RunConfig, TrainingOptions
from rnnlab.config.search import SearchConfig, SearchSpace, hyperband_plan
from rnnlab.jobs.store import Store

TINY = RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=10, examples=200),
                 layers=(LayerConfig(cell="GRU", units=4),),
                 training=TrainingOptions(batch_size=32, seed=2))
SPACE = SearchSpace(depths=(1, 2), units_min=2, units_max=8, units_step=2)


class FakeOutbox:
    """What the worker's Outbox offers the reporter: put(rows) and a cancel flag."""

    def __init__(self):
        self.rows, self.cancel = [], threading.Event()

    def put(self, rows):
        self.rows.extend(rows)


def search_in_process(tmp_path, search: SearchConfig):
    from rnnlab.trainer.tuning import TrialReporter, run_search

    store = Store(tmp_path / "home")
    run_id = store.submit_search(search, "ada")
    store.claim(1)
    outbox = FakeOutbox()
    result = run_search(search, store.run_dir(run_id),
                        TrialReporter(store, run_id, outbox, search.base.metric))
    return store, run_id, outbox.rows, result


@pytest.mark.parametrize("max_epochs, factor", [(9, 3), (10, 3), (2, 3), (5, 2), (20, 4)])
def test_the_hyperband_plan_is_keras_tuners(tmp_path, max_epochs, factor):
    import keras_tuner as kt

    hp = kt.HyperParameters()
    hp.Int("x", 0, 10 ** 6)
    oracle = kt.oracles.HyperbandOracle(objective=kt.Objective("score", "max"),
                                        max_epochs=max_epochs, factor=factor, hyperparameters=hp,
                                        seed=1)
    oracle._set_project_dir(str(tmp_path), "plan")
    oracle.verbose = 0
    seen = []
    while (trial := oracle.create_trial("t")).status != "STOPPED":
        values = trial.hyperparameters.values
        seen.append((values["tuner/bracket"], values["tuner/round"],
                     values["tuner/initial_epoch"], values["tuner/epochs"]))
        oracle.update_trial(trial.trial_id, {"score": values["x"]})
        trial.status = "COMPLETED"
        oracle.end_trial(trial)
    planned = [(r.bracket, r.round, r.initial_epoch, r.epochs)
               for r in hyperband_plan(max_epochs, factor) for _ in range(r.trials)]
    assert seen == planned


def test_layer_values_exist_only_in_trials_deep_enough_to_use_them():
    import keras_tuner as kt

    from rnnlab.trainer.tuning import declare_space

    space = SearchSpace(depths=(1, 3), units_min=16, units_max=16, dropout_min=0.2,
                        dropout_max=0.2, activations=("relu",), learning_rates=(0.003,))
    hp = kt.HyperParameters()
    values = declare_space(hp, space)
    assert values == {"layers": 1, "units_1": 16, "activation_1": "relu", "dropout_1": 0.2,
                      "units_2": None, "activation_2": None, "dropout_2": None,
                      "units_3": None, "activation_3": None, "dropout_3": None,
                      "learning_rate": 0.003}
    assert sorted(hp.values) == ["activation_1", "dropout_1", "layers", "learning_rate",
                                 "units_1"]
    deep = kt.HyperParameters()
    deep.values["layers"] = 3
    assert declare_space(deep, space)["units_3"] == 16


def test_a_random_search_reports_each_trial_and_its_best_trial_trains_to_the_same_score(tmp_path):
    from rnnlab.trainer.training import train

    search = SearchConfig(base=TINY, space=SPACE, max_trials=3, epochs=2,
                          objective="val_accuracy")
    store, run_id, rows, result = search_in_process(tmp_path, search)
    trials = store.trials(run_id)
    assert [t.number for t in trials] == [1, 2, 3]
    assert all(t.status == "completed" and t.epochs == 2 and t.seconds > 0 for t in trials)
    # A trial's score is its best validation accuracy, epoch by epoch in the live rows.
    for trial in trials:
        mine = {r[2] for r in rows if r[0] == "epoch" and r[3] == "trial" and r[4] == trial.number}
        val = [r[4] for r in rows if r[0] == "epoch" and r[3] == "val_accuracy" and r[2] in mine]
        assert len(val) == 2 and trial.score == max(val)
        assert sorted(k for k, v in trial.hyperparameters.items()) == sorted(
            search.hyperparameter_names()[:1 + 3 * trial.hyperparameters["layers"]]
            + ["learning_rate"])
    best = max(trials, key=lambda t: t.score)
    assert result["best_score"] == best.score and result["trials_completed"] == 3
    assert result["best_hyperparameters"] == best.hyperparameters
    # The epochs count on across the search, so one progress bar covers it.
    assert max(r[2] for r in rows if r[0] == "epoch") == search.planned_epochs() == 6
    # keras-tuner's files are in the run's folder.
    tuner = store.run_dir(run_id) / "tuner"
    assert (tuner / "oracle.json").exists()
    assert len(list(tuner.glob("trial_*/checkpoint.weights.h5"))) == 3
    # "Train this": the same values as an ordinary run give the same validation curve.
    _, trained = train(search.trial_config(best.hyperparameters))
    assert trained["best_val_accuracy"] == best.score
    number_epochs = {r[2] for r in rows if r[3] == "trial" and r[4] == best.number}
    assert trained["history"]["val_loss"] == [
        r[4] for r in rows if r[0] == "epoch" and r[3] == "val_loss" and r[2] in number_epochs]


def test_hyperband_continues_its_best_trials_and_runs_its_planned_trials(tmp_path):
    search = SearchConfig(base=TINY, space=SPACE, tuner="hyperband", epochs=2, factor=2)
    store, run_id, rows, result = search_in_process(tmp_path, search)
    trials = store.trials(run_id)
    assert len(trials) == search.planned_trials() == 5
    assert [t.hyperparameters["tuner/epochs"] for t in trials] == [1, 1, 2, 2, 2]
    assert [t.epochs for t in trials] == [1, 1, 1, 2, 2]  # the third trial goes on from epoch 1
    assert trials[2].hyperparameters["tuner/trial_id"] in {t.trial_id for t in trials[:2]}
    assert result["best_score"] == min(t.score for t in trials)  # val_loss: lower is better


def test_bayesian_optimization_runs_its_trials(tmp_path):
    search = SearchConfig(base=TINY, space=SPACE, tuner="bayesian", max_trials=3, epochs=1)
    store, run_id, _, result = search_in_process(tmp_path, search)
    assert [t.status for t in store.trials(run_id)] == ["completed"] * 3
    assert result["trials_completed"] == 3 and result["direction"] == "min"


def test_trials_whose_loss_blows_up_fail_and_the_search_stops_in_words(tmp_path):
    from rnnlab.config import WeatherOptions

    base = RunConfig(dataset="weather", weather=WeatherOptions(lookback_hours=48),
                     layers=(LayerConfig(cell="SimpleRNN", units=16, activation="relu"),),
                     training=TrainingOptions(batch_size=64))
    search = SearchConfig(base=base, space=SearchSpace(depths=(1,), units_min=16, units_max=32,
                                                       activations=("relu",),
                                                       learning_rates=(1.0,)),
                          max_trials=5, epochs=1)
    with pytest.raises(ValueError, match="Several trials in a row failed") as caught:
        search_in_process(tmp_path, search)
    assert "The loss became" in str(caught.value)
    store = Store(tmp_path / "home")
    trials = store.trials(1)
    assert [t.status for t in trials[:2]] == ["failed", "failed"] and len(trials) == 3
    assert trials[0].score is None and "The loss became" in trials[0].message


def test_a_sigterm_that_surfaces_as_another_error_cancels_the_search_not_the_trial(tmp_path):
    """SIGTERM's SearchCancelled raised inside a loading C extension comes out as an ImportError,
    which keras-tuner would count as one failed trial and go on: the search must stop instead."""
    import os
    import signal
    import time

    from rnnlab.trainer.tuning import SearchCancelled, TrialReporter, run_search

    class InterruptedInFirstBatch(TrialReporter):
        def batch(self, logs):
            try:
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(5)  # the handler raises before this ends
            except BaseException as err:
                raise ImportError("initialization failed") from err

    search = SearchConfig(base=TINY, space=SPACE, max_trials=3, epochs=1)
    store = Store(tmp_path / "home")
    run_id = store.submit_search(search, "ada")
    store.claim(1)
    outbox = FakeOutbox()
    with pytest.raises(SearchCancelled):
        run_search(search, store.run_dir(run_id),
                   InterruptedInFirstBatch(store, run_id, outbox, TINY.metric))
    assert outbox.cancel.is_set()
    assert [t.status for t in store.trials(run_id)] == ["running"]  # not recorded as failed
    store.finish(run_id, "cancelled")  # what the worker does next
    assert [t.status for t in store.trials(run_id)] == ["cancelled"]
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
