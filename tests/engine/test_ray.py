"""The Ray backend on a real Ray head: a tiny run to `done` through a Ray job, a cancel, a worker
that does not see the class's folder, a refused token, a worker killed with SIGKILL, and a
supervisor killed and restarted while its run's job trains.

The head is the one `.ci/services` starts (`ray start --head --num-cpus=2`, token auth on), named
by RNNLAB_TEST_RAY_ADDRESS; its one node is this machine, so the store is a SQLite file in a
temporary folder that the job's worker reaches at the same path, as a shared folder would be on a
real cluster. Each test's store has its own random id, so its jobs' submission ids never meet
another test's (or another checkout's) on the shared head.
"""
import os
import signal
import socket

import pytest

from rnnlab.jobs import artifacts, runs
from rnnlab.jobs.people import OPERATOR
from rnnlab.jobs.shared_home import MARKER
from tests.engine.conftest import tiny_config
from tests.waiting import wait_for

ADDRESS = os.environ.get("RNNLAB_TEST_RAY_ADDRESS")
pytestmark = pytest.mark.skipif(not ADDRESS, reason="RNNLAB_TEST_RAY_ADDRESS is unset: no Ray head "
                                "to submit to (.ci/services starts one)")


@pytest.fixture
def ray_supervisor(supervisor, store, monkeypatch):
    """Start with `ray_supervisor()`: a real supervisor whose backend is the test's Ray head.
    Jobs still running at the end are stopped (the engine fixture kills only local pids)."""
    from ray.job_submission import JobSubmissionClient

    monkeypatch.setenv("RNNLAB_RAY_ADDRESS", ADDRESS)
    yield supervisor
    monkeypatch.undo()
    client = JobSubmissionClient(ADDRESS)
    for run in store.list():
        if run.job:
            client.stop_job(run.job)


def job_status(job: str) -> str:
    from ray.job_submission import JobSubmissionClient

    return JobSubmissionClient(ADDRESS).get_job_status(job).value


def test_a_tiny_run_trains_to_done_as_a_ray_job_with_all_its_files(store, ray_supervisor):
    run_id = store.submit(tiny_config(epochs=2), "ada")
    ray_supervisor()
    wait_for(lambda: store.get(run_id).status not in ("queued", "running"), 120)
    run = store.get(run_id)
    assert run.status == "done", run.error
    assert run.job == f"rnnlab-{store.store_id}-{run_id}"
    assert run.node == socket.gethostname() and run.pid != 0
    assert (store.home / MARKER).read_text().strip() == store.store_id
    files = runs.artifacts(run_id, store)
    assert set(artifacts.TRAINING_FILES) <= set(files)
    assert (store.run_dir(run_id) / artifacts.PROCESS_LOG).is_file()  # the worker logs there, as locally
    epochs = [row for row in store.metrics_since(run_id) if row.kind == "epoch" and row.name == "val_mae"]
    assert [row.epoch for row in epochs] == [1, 2]
    wait_for(lambda: job_status(run.job) == "SUCCEEDED", 30)


def test_a_cancel_mid_epoch_stops_the_ray_run_within_ten_seconds(store, ray_supervisor):
    run_id = store.submit(tiny_config(epochs=500), "ada")
    ray_supervisor()
    wait_for(lambda: [row for row in store.metrics_since(run_id) if row.kind == "batch"], 120)
    assert runs.cancel(run_id, store, by=OPERATOR) == "running"
    wait_for(lambda: store.get(run_id).status != "running", 10)
    run = store.get(run_id)
    assert (run.status, run.error, run.result) == ("cancelled", None, None)
    rows = store.metrics_since(run_id)
    wait_for(lambda: job_status(run.job) in ("SUCCEEDED", "STOPPED"), 30)
    assert store.metrics_since(run_id) == rows  # nothing more came from the stopped worker


def test_a_worker_that_does_not_see_the_class_folder_fails_the_run_naming_its_machine(store, ray_supervisor):
    ray_supervisor()  # it writes the marker as it starts
    wait_for(lambda: (store.home / MARKER).exists(), 30)
    (store.home / MARKER).write_text("another class\n")  # as a node with another folder mounted
    run_id = store.submit(tiny_config(), "ada")
    wait_for(lambda: store.get(run_id).status not in ("queued", "running"), 60)
    run = store.get(run_id)
    assert run.status == "failed"
    assert run.error.startswith(f"The machine {socket.gethostname()} does not see the class's "
                                f"folder: {store.home} there belongs to another class")


def test_a_refused_token_fails_the_run_saying_what_to_set(store, ray_supervisor, monkeypatch):
    monkeypatch.setenv("RAY_AUTH_TOKEN", "not-the-token")
    run_id = store.submit(tiny_config(), "ada")
    ray_supervisor()
    wait_for(lambda: store.get(run_id).status != "queued", 60)
    run = store.get(run_id)
    assert run.status == "failed" and run.job is None
    assert run.error.startswith(f"The Ray cluster at {ADDRESS} refused this server's token. Set "
                                "RAY_AUTH_TOKEN")


def test_a_killed_ray_worker_fails_its_run_in_words_and_the_queue_goes_on(store, ray_supervisor):
    killed = store.submit(tiny_config(epochs=500), "ada")
    following = store.submit(tiny_config(epochs=1, seed=2), "bob")
    ray_supervisor()
    wait_for(lambda: [row for row in store.metrics_since(killed) if row.kind == "batch"], 120)
    os.kill(store.get(killed).pid, signal.SIGKILL)  # the worker recorded its pid (one machine here)
    wait_for(lambda: store.get(killed).status != "running", 30)
    run = store.get(killed)
    assert run.status == "failed"
    assert run.error.startswith("The training process on the Ray cluster was killed (SIGKILL) before "
                                f"reporting an end (job {run.job};")
    wait_for(lambda: store.get(following).status == "done", 120)


def test_a_restarted_supervisor_adopts_the_ray_job_that_runs(store, ray_supervisor):
    run_id = store.submit(tiny_config(epochs=6), "ada")
    first = ray_supervisor()
    wait_for(lambda: [row for row in store.metrics_since(run_id) if row.kind == "batch"], 120)
    first.kill()  # kill -9: the job goes on training on the cluster
    ray_supervisor()
    wait_for(lambda: store.get(run_id).status != "running", 120)
    run = store.get(run_id)
    assert run.status == "done", run.error
    assert run.result["epochs_run"] == 6
