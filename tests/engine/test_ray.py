"""What only the Ray backend does, on a real Ray head: a worker that does not see the class's
folder, a refused token, and a supervisor killed and restarted while its run's job trains (it
adopts the job). A tiny run to `done`, a cancel, a killed worker, a killed supervisor and four
owners' twenty runs go through Ray and PostgreSQL in tests/engine/test_engine.py, beside the local
default.

The head is the one `.ci/services` starts (`ray start --head --num-cpus=2`, token auth on), named
by RNNLAB_TEST_RAY_ADDRESS; its one node is this machine, so the store is a SQLite file in a
temporary folder that the job's worker reaches at the same path, as a shared folder would be on a
real cluster. Each test's store has its own random id, so its jobs' submission ids never meet
another test's (or another checkout's) on the shared head.
"""
import os
import socket

import pytest

from rnnlab.jobs.shared_home import MARKER
from tests.engine.conftest import tiny_config
from tests.waiting import wait_for

ADDRESS = os.environ.get("RNNLAB_TEST_RAY_ADDRESS")
pytestmark = pytest.mark.skipif(not ADDRESS, reason="RNNLAB_TEST_RAY_ADDRESS is unset: no Ray head "
                                "to submit to (.ci/services starts one)")


@pytest.fixture
def ray_supervisor(supervisor, monkeypatch):
    """Start with `ray_supervisor()`: a real supervisor whose backend is the test's Ray head (the
    engine's `supervisor` fixture stops the jobs still running at the end)."""
    monkeypatch.setenv("RNNLAB_RAY_ADDRESS", ADDRESS)
    return supervisor


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
