"""Hyperparameter searches through the real engine: a supervisor, one worker process per search,
trials in the store as they finish, cancel and restart leaving the finished trials intact."""
import os
import signal

from rnnlab.config import LayerConfig, MemoryOptions, RunConfig, TrainingOptions
from rnnlab.config.search import SearchConfig, SearchSpace
from rnnlab.jobs import runs
from rnnlab.jobs.people import OPERATOR
from tests.engine.conftest import ROOT
from tests.waiting import wait_for

TERMINAL = ("done", "failed", "cancelled", "interrupted", "diverged")
TINY = RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=10, examples=200),
                 layers=(LayerConfig(cell="GRU", units=4),),
                 training=TrainingOptions(batch_size=32, seed=2))
SPACE = SearchSpace(depths=(1, 2), units_min=2, units_max=8, units_step=2)


def long_search() -> SearchConfig:
    return SearchConfig(base=TINY, space=SPACE, max_trials=40, epochs=2)


def trial_finished(store, run_id, number):
    return wait_for(lambda: [t for t in store.trials(run_id)
                             if t.number == number and t.status == "completed"], 120)


def test_a_tiny_random_search_of_3_trials_completes_with_its_trials_in_the_store(store, supervisor):
    search = SearchConfig(base=TINY, space=SPACE, max_trials=3, epochs=1,
                          objective="val_accuracy")
    supervisor()
    run_id = runs.submit_search(search, "ada", store=store)
    wait_for(lambda: store.get(run_id).status in TERMINAL, 180)
    run = store.get(run_id)
    assert run.status == "done", run.error
    trials = runs.trials(run_id, store=store)
    assert [(t.number, t.status, t.epochs) for t in trials] == [
        (1, "completed", 1), (2, "completed", 1), (3, "completed", 1)]
    assert all(0 <= t.score <= 1 and t.seconds > 0 for t in trials)
    best = max(trials, key=lambda t: t.score)
    assert run.result["best_score"] == best.score
    assert run.result["best_hyperparameters"] == best.hyperparameters
    assert run.result["trials_completed"] == 3 and run.result["peak_memory_mb"] > 100
    # Each epoch's row carries its trial; the trial's score is its validation accuracy.
    epochs = [m for m in store.metrics_since(run_id) if m.kind == "epoch"]
    assert [m.value for m in epochs if m.name == "trial"] == [1, 2, 3]
    assert [m.value for m in epochs if m.name == "val_accuracy"] == [t.score for t in trials]
    # keras-tuner's files are in the run's folder, and nothing landed in the repository.
    folder = store.run_dir(run_id)
    assert (folder / "tuner" / "oracle.json").exists() and (folder / "search.json").exists()
    assert not (ROOT / "tuner").exists() and not (ROOT / "untitled_project").exists()
    # The best trial is an ordinary config: "train this" and the race take it as it is.
    config = run.search.trial_config(best.hyperparameters)
    assert config.dataset == "memory" and config.training.epochs == 1


def test_cancel_mid_search_leaves_the_finished_trials(store, supervisor):
    supervisor()
    run_id = runs.submit_search(long_search(), "ada", store=store)
    first = trial_finished(store, run_id, 1)
    wait_for(lambda: len(store.trials(run_id)) >= 2, 60)
    assert runs.cancel(run_id, store=store, by=OPERATOR) == "running"
    wait_for(lambda: store.get(run_id).status in TERMINAL, 15)
    run = store.get(run_id)
    assert run.status == "cancelled" and run.error is None
    trials = store.trials(run_id)
    assert trials[0] == first[0]  # untouched: same score, epochs, seconds
    assert [t.status for t in trials[1:]] in (["cancelled"], ["completed", "cancelled"],
                                              ["completed"])
    assert len(trials) <= 3


def test_a_restart_mid_search_leaves_the_finished_trials(store, supervisor):
    first_supervisor = supervisor()
    run_id = runs.submit_search(long_search(), "ada", store=store)
    finished = trial_finished(store, run_id, 1)
    worker = store.get(run_id).pid
    first_supervisor.kill()
    os.killpg(worker, signal.SIGKILL)
    supervisor()  # the restarted server's supervisor
    wait_for(lambda: store.get(run_id).status == "interrupted", 15)
    trials = store.trials(run_id)
    assert trials[0] == finished[0]
    assert {t.status for t in trials[1:]} <= {"completed", "interrupted"}
    assert store.integrity_ok()
