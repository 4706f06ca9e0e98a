"""What the pages call: submitting with reuse and the owner limit, batches, the training/search
split of the lists, and the run's files; on a real store, with the supervisor start recorded
instead of made."""
import numpy as np
import pytest

from rnnlab.config import RunConfig, TrainingOptions
from rnnlab.config.search import SearchConfig
from rnnlab.jobs import artifacts, runs
from rnnlab.jobs.people import OPERATOR
from rnnlab.jobs.store import LimitError, Store

pytestmark = pytest.mark.usefixtures("store_backend")  # each test on SQLite and PostgreSQL


def config(seed=1):
    return RunConfig(training=TrainingOptions(seed=seed))


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A store whose supervisor starts are counted in store.supervisors_started."""
    store = Store(tmp_path)
    store.supervisors_started = []
    monkeypatch.setattr(runs, "ensure_supervisor", store.supervisors_started.append)
    monkeypatch.delenv("RNNLAB_OWNER_LIMIT", raising=False)
    return store


def finish(store, run_id, status="done"):
    store.claim(100)
    store.finish(run_id, status)


def test_a_finished_twin_is_offered_instead_of_training_again(store):
    first = runs.submit(config(), "ada", store=store)
    assert first == runs.Submission(first.run_id, reused=False)
    assert store.supervisors_started == [store]  # queued work needs a supervisor
    finish(store, first.run_id)
    assert runs.submit(config(), "bob", store=store) == runs.Submission(first.run_id, reused=True)
    assert len(store.supervisors_started) == 1  # nothing queued: nothing to start
    again = runs.submit(config(), "bob", reuse=False, store=store)
    assert not again.reused and again.run_id != first.run_id
    other_seed = runs.submit(config(seed=2), "bob", store=store)
    assert not other_seed.reused


def test_a_failed_twin_is_not_reused(store):
    failed = runs.submit(config(), "ada", store=store).run_id
    finish(store, failed, "failed")
    assert runs.submit(config(), "ada", store=store).run_id != failed


def test_the_owner_limit_is_three_unless_set(store, monkeypatch):
    assert runs.owner_limit(store) == 3
    for seed in range(3):
        runs.submit(config(seed), "ada", store=store)
    with pytest.raises(LimitError, match="ada already has 3 runs queued or running"):
        runs.submit(config(9), "ada", store=store)
    monkeypatch.setenv("RNNLAB_OWNER_LIMIT", "4")
    assert runs.owner_limit(store) == 4
    runs.submit(config(9), "ada", store=store)
    assert len(store.list(owner="ada")) == 4


def test_a_batch_reuses_finished_twins_and_queues_the_rest_in_order(store):
    done = runs.submit(config(2), "ada", store=store).run_id
    finish(store, done)
    store.supervisors_started.clear()
    batch = runs.submit_batch([config(1), config(2), config(3)], "bob", store=store)
    assert [s.reused for s in batch] == [False, True, False]
    assert batch[1].run_id == done and batch[0].run_id < batch[2].run_id
    assert [store.get(s.run_id).config for s in batch] == [config(1), config(2), config(3)]
    assert store.supervisors_started == [store]
    assert all(s.reused for s in runs.submit_batch([config(2)], "cy", store=store))
    assert store.supervisors_started == [store]  # all reused: no supervisor needed


def test_three_quick_clicks_on_one_setup_queue_one_run(store):
    clicks = [runs.submit(config(), "ada", store=store) for _ in range(3)]
    assert [c.joined for c in clicks] == [False, True, True]
    assert {c.run_id for c in clicks} == {clicks[0].run_id} and len(store.list()) == 1
    assert store.supervisors_started == [store]      # one start, for the one queued run
    assert runs.active_twin(config(), store=store).id == clicks[0].run_id
    assert runs.active_twin(config(seed=2), store=store) is None
    # Even "train it again anyway" joins the twin that is still queued or running ...
    store.claim(100)
    assert runs.submit(config(), "bob", reuse=False, store=store).run_id == clicks[0].run_id
    # ... and once it has ended, a new one is queued: another seed is another setup.
    store.finish(clicks[0].run_id, "cancelled")
    assert runs.submit(config(), "ada", store=store).run_id != clicks[0].run_id
    assert runs.submit(config(seed=2), "ada", store=store).joined is False


def test_a_batch_joins_the_twins_already_queued_and_counts_only_what_it_queues(store):
    first = runs.submit_batch([config(1), config(2)], "ada", store=store)
    second = runs.submit_batch([config(2), config(3)], "ada", store=store)
    assert second[0] == runs.Submission(first[1].run_id, reused=False, joined=True)
    assert not second[1].joined and len(store.list()) == 3     # 3 active: ada's limit, not over
    with pytest.raises(LimitError):
        runs.submit(config(4), "ada", store=store)


def test_training_runs_and_searches_are_listed_apart(store):
    trained = runs.submit(config(), "ada", store=store).run_id
    search = runs.submit_search(SearchConfig(base=config()), "ada", store=store)
    other = runs.submit(config(2), "bob", store=store).run_id
    assert [r.id for r in runs.runs(store=store)] == [other, trained]
    assert [r.id for r in runs.runs(owner="ada", store=store)] == [trained]
    assert [r.id for r in runs.searches(store=store)] == [search]
    assert runs.status(search, store=store).kind == "search"
    assert runs.cancel(other, store=store, by=OPERATOR) == "cancelled"
    assert [r.id for r in runs.runs(status="cancelled", store=store)] == [other]
    runs.delete(other, store=store, by=OPERATOR)
    assert [r.id for r in runs.runs(store=store)] == [trained]


def test_several_runs_are_read_at_once_in_the_order_asked(store):
    first, second, third = (runs.submit(config(seed), "ada", store=store).run_id
                            for seed in (1, 2, 3))
    finish(store, first)
    read = runs.statuses([third, first, second], store=store)
    assert [r.id for r in read] == [third, first, second]
    assert [r.status for r in read] == ["queued", "done", "queued"]
    assert [r.queue_position for r in read] == [2, None, 1]
    runs.cancel(second, store=store, by=OPERATOR)
    runs.delete(second, store=store, by=OPERATOR)
    with pytest.raises(KeyError, match=f"no run {second}"):
        runs.statuses([first, second], store=store)


def test_the_finished_runs_with_a_file_are_found_in_their_folders(store):
    with_weights, without, failed = (runs.submit(config(seed), "ada", store=store).run_id
                                     for seed in (1, 2, 3))
    for run_id in (with_weights, failed):
        store.run_dir(run_id).mkdir(parents=True)
        (store.run_dir(run_id) / artifacts.WEIGHTS).write_bytes(b"weights")
    for run_id, status in ((with_weights, "done"), (without, "done"), (failed, "failed")):
        finish(store, run_id, status)
    assert [r.id for r in runs.done_with(artifacts.WEIGHTS, store)] == [with_weights]
    assert runs.done_with("nothing.npz", store) == []


def test_a_search_is_never_reused(store):
    search = SearchConfig(base=config())
    first = runs.submit_search(search, "ada", store=store)
    finish(store, first)
    assert runs.submit_search(search, "ada", store=store) != first


def test_curves_trials_files_and_gradients_come_from_the_store_and_the_run_folder(store):
    run_id = runs.submit(config(), "ada", store=store).run_id
    store.add_metrics(run_id, [("batch", 1, 1, "loss", 0.9), ("batch", 2, 1, "loss", 0.8)])
    first, second = runs.curves(run_id, store=store)
    assert runs.curves(run_id, since=first.id, store=store) == [second]
    assert runs.artifacts(run_id, store=store) == {}
    assert runs.gradient_records(run_id, store=store) is None
    folder = store.run_dir(run_id)
    folder.mkdir(parents=True)
    artifacts.write_config(folder, config())
    artifacts.write_gradients(folder, artifacts.GradientRecords(
        np.array([0]), np.array([[0.5, 1.0]]), np.array([0.01])))
    assert runs.artifacts(run_id, store=store) == {"config.json": folder / "config.json",
                                                   "gradients.npz": folder / "gradients.npz"}
    assert runs.gradient_records(run_id, store=store).norms.tolist() == [[0.5, 1.0]]
    search = runs.submit_search(SearchConfig(base=config()), "ada", store=store)
    store.start_trial(search, 1, "00", {"layers": 1})
    store.start_trial(search, 2, "01", {"layers": 2})
    assert [t.number for t in runs.trials(search, store=store)] == [1, 2]
    assert [t.hyperparameters for t in runs.trials(search, since=1, store=store)] == [{"layers": 2}]
