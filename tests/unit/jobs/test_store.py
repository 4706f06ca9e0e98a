"""The run store on its own: queue order, claiming, cursors, cancel and delete."""
import time

import pytest

from rnnlab.config import RunConfig, TrainingOptions
from rnnlab.config.search import SearchConfig
from rnnlab.jobs import runs
from rnnlab.jobs.schema import MIGRATIONS
from rnnlab.jobs.store import Store, store_address

pytestmark = pytest.mark.usefixtures("store_backend")  # each test on SQLite and PostgreSQL


def config(seed=1):
    return RunConfig(training=TrainingOptions(seed=seed))


def test_claim_takes_the_oldest_and_respects_the_limit(tmp_path):
    store = Store(tmp_path)
    first, second, third = (store.submit(config(s), "ada") for s in (1, 2, 3))
    assert [r.queue_position for r in store.list()] == [3, 2, 1]
    assert store.claim(max_running=1).id == first
    assert store.claim(max_running=1) is None  # one is running already
    assert store.claim(max_running=2).id == second
    assert store.get(third).queue_position == 1
    assert store.get(first).status == "running" and store.get(first).started is not None


def test_listing_runs_again_shares_their_configs_read_the_first_time(tmp_path):
    """Pages list a class's runs several times a second: each stored config is read (parsed and
    checked) once, and the listings after share that frozen RunConfig."""
    store = Store(tmp_path)
    ids = [store.submit(config(seed), "ada") for seed in (1, 2, 1)]
    first, again = store.list(), store.list()
    assert [r.config for r in first] == [config(1), config(2), config(1)]
    assert all(a.config is b.config for a, b in zip(first, again))
    assert first[0].config is first[2].config  # one stored text, one config
    assert store.get(ids[1]).config is first[1].config


def test_metrics_since_returns_only_newer_rows(tmp_path):
    store = Store(tmp_path)
    run_id = store.submit(config(), "ada")
    store.add_metrics(run_id, [("batch", 1, 1, "loss", 0.9), ("batch", 1, 1, "accuracy", 0.5)])
    rows = store.metrics_since(run_id)
    assert [(r.name, r.value) for r in rows] == [("loss", 0.9), ("accuracy", 0.5)]
    store.add_metrics(run_id, [("epoch", 2, 1, "val_loss", 0.7)])
    newer = store.metrics_since(run_id, since=rows[-1].id)
    assert [(r.kind, r.step, r.epoch, r.name) for r in newer] == [("epoch", 2, 1, "val_loss")]
    assert store.metrics_since(run_id, since=newer[-1].id) == []


def test_cancel_a_queued_run_at_once_and_flag_a_running_one(tmp_path):
    store = Store(tmp_path)
    running, queued = store.submit(config(1), "ada"), store.submit(config(2), "ada")
    store.claim(1)
    assert store.request_cancel(queued) == "cancelled"
    assert store.request_cancel(running) == "running"
    assert store.beat(running) is True  # the worker learns at its next heartbeat
    asked = store.get(running).cancel_requested
    time.sleep(0.01)
    store.request_cancel(running)
    assert store.get(running).cancel_requested == asked  # asking twice keeps the first time
    with pytest.raises(KeyError, match="no run 99"):
        store.request_cancel(99)


def test_finish_keeps_the_first_ending(tmp_path):
    store = Store(tmp_path)
    run_id = store.submit(config(), "ada")
    store.claim(1)
    assert store.finish(run_id, "done", result={"best_val_accuracy": 0.9})
    assert not store.finish(run_id, "failed", error="late")
    run = store.get(run_id)
    assert run.status == "done" and run.result == {"best_val_accuracy": 0.9} and run.error is None


def test_delete_refuses_active_runs_and_removes_rows_and_files(tmp_path):
    store = Store(tmp_path)
    run_id = store.submit(config(), "ada")
    store.add_metrics(run_id, [("batch", 1, 1, "loss", 1.0)])
    store.run_dir(run_id).mkdir(parents=True)
    (store.run_dir(run_id) / "config.json").write_text("{}")
    with pytest.raises(ValueError, match="cancel it before deleting it"):
        store.delete(run_id)
    store.request_cancel(run_id)
    store.delete(run_id)
    assert store.list() == [] and store.metrics_since(run_id) == []
    assert not store.run_dir(run_id).exists()


def test_identical_config_is_found_only_once_done(tmp_path):
    store = Store(tmp_path)
    run_id = store.submit(config(), "ada")
    assert store.find_finished(config()) is None
    store.claim(1)
    store.finish(run_id, "done")
    assert store.find_finished(config()) == run_id
    assert store.find_finished(config(seed=2)) is None  # another seed is another run


def test_the_trials_table_survives_and_searches_stay_out_of_the_training_pages(tmp_path):
    store = Store(tmp_path)
    assert store.schema_version == len(MIGRATIONS)
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


@pytest.mark.single_backend
def test_a_store_address_comes_from_the_environment_unless_given(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNLAB_HOME", str(tmp_path / "class"))
    monkeypatch.setenv("RNNLAB_DATABASE_URL", "postgresql://lab@db/rnnlab")
    assert store_address() == (tmp_path / "class", "postgresql://lab@db/rnnlab")
    assert store_address(str(tmp_path / "mine"), "postgresql://me@db/mine") == (
        tmp_path / "mine", "postgresql://me@db/mine")
    monkeypatch.delenv("RNNLAB_DATABASE_URL")
    assert store_address() == (tmp_path / "class", None)
    assert Store().home == tmp_path / "class" and Store().db_path == tmp_path / "class" / "lab.sqlite"
