"""The Ray backend's decisions, against a fake cluster: no Ray head, no TensorFlow.

`FakeCluster` stands in for both `JobSubmissionClient` (submit_job, get_job_info, get_job_logs,
stop_job, with Ray's 404 for an unknown job) and the node list; tests move its jobs' states by
hand and drive the backend's clocks, so polling rates and the watchdog are checked without
waiting. tests/engine has the same decisions on a real Ray head.
"""
import os
import re
import sys
from types import SimpleNamespace

import pytest
from ray.exceptions import AuthenticationError

from rnnlab import PROJECT_ROOT
from rnnlab.jobs import heartbeats, ray_jobs
from rnnlab.jobs.ray_jobs import RayBackend, submission_id
from rnnlab.jobs.shared_home import MARKER, marker_problem
from rnnlab.jobs.supervisor import Supervisor
from tests.unit.jobs.conftest import config

ADDRESS = "http://head:8265"


class FakeCluster:
    """A Ray cluster of `cpus` CPUs whose jobs do nothing until a test says so."""

    def __init__(self, cpus: float = 2):
        self.cpus, self.jobs, self.stopped, self.refuse = cpus, {}, [], None
        self.info_calls = self.cpu_reads = self.clients_made = 0

    def make_client(self, address):
        assert address == ADDRESS
        self.clients_made += 1
        if self.refuse:
            raise self.refuse
        return self

    def read_cpus(self, address):
        self.cpu_reads += 1
        if self.refuse:
            raise self.refuse
        return self.cpus

    def submit_job(self, *, entrypoint, submission_id, entrypoint_num_cpus, runtime_env):
        assert submission_id not in self.jobs
        self.jobs[submission_id] = SimpleNamespace(
            status="PENDING", entrypoint=entrypoint, cpus=entrypoint_num_cpus,
            env=runtime_env["env_vars"], logs="", driver_exit_code=None)
        return submission_id

    def get_job_info(self, job):
        self.info_calls += 1
        if job not in self.jobs:
            raise RuntimeError(f"Request failed with status code 404: Job {job} does not exist.")
        return self.jobs[job]

    def get_job_logs(self, job):
        return self.jobs[job].logs

    def stop_job(self, job):
        self.stopped.append(job)
        return True


class Clock:
    """Stands in for the `time` module of ray_jobs and heartbeats: it moves only when told."""

    def __init__(self, now: float):
        self.now = now

    def time(self):
        return self.now

    def monotonic(self):
        return self.now


@pytest.fixture
def cluster():
    return FakeCluster()


@pytest.fixture
def clock(monkeypatch):
    import time
    clock = Clock(time.time())
    monkeypatch.setattr(ray_jobs, "time", clock)
    monkeypatch.setattr(heartbeats, "time", clock)
    return clock


@pytest.fixture
def backend(store, cluster, clock):
    return RayBackend(store, ADDRESS, heartbeat_limit=60.0, term_after=5.0,
                      make_client=cluster.make_client, read_cpus=cluster.read_cpus)


def job(store, cluster, run_id):
    return cluster.jobs[submission_id(store.store_id, run_id)]


# -- submitting -------------------------------------------------------------------------------------


def test_a_claimed_run_becomes_a_ray_job_with_what_its_worker_needs(store, cluster, backend, monkeypatch):
    monkeypatch.setenv("RNNLAB_DATA_DIR", "/srv/rnnlab-data")
    run_id = store.submit(config(), "ada")
    backend.step()
    run = store.get(run_id)
    assert run.status == "running"
    assert run.job == f"rnnlab-{store.store_id}-{run_id}"
    submitted = cluster.jobs[run.job]
    assert submitted.entrypoint == (f"cd {PROJECT_ROOT} && exec {sys.executable} "
                                   f"-m rnnlab.trainer.worker {run_id}")
    assert submitted.cpus == 1.0
    assert submitted.env["RNNLAB_DATA_DIR"] == "/srv/rnnlab-data"
    assert submitted.env["RNNLAB_HOME"] == str(store.home.resolve())
    assert submitted.env["RNNLAB_STORE_ID"] == store.store_id
    assert submitted.env["RNNLAB_RAY_JOB"] == run.job
    assert submitted.env["PYTHONPATH"] == str(PROJECT_ROOT)
    assert submitted.env["TF_CPP_MIN_LOG_LEVEL"] == os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2")
    # The class's folder carries the store's id, which the worker on a node checks.
    assert (store.home / MARKER).read_text().strip() == store.store_id
    assert marker_problem(store.home, store.store_id, "node-1") is None


def test_runs_at_once_are_the_clusters_cpus_over_the_cpus_per_run(store, cluster, backend, clock, monkeypatch):
    monkeypatch.setenv("RNNLAB_RAY_CPUS_PER_RUN", "2")
    cluster.cpus = 5  # two runs of 2 CPUs fit, not three
    ids = [store.submit(config(seed), "ada") for seed in range(4)]
    for _ in range(3):
        backend.step()
    assert [store.get(run_id).status for run_id in ids] == ["running", "running", "queued", "queued"]
    assert {submitted.cpus for submitted in cluster.jobs.values()} == {2.0}
    assert cluster.cpu_reads == 1  # read once per CAPACITY_REFRESH, not once per step
    cluster.cpus = 8  # a node joined
    clock.now += ray_jobs.CAPACITY_REFRESH
    backend.step()
    assert cluster.cpu_reads == 2
    assert [store.get(run_id).status for run_id in ids] == ["running"] * 4


def test_job_states_are_read_about_once_a_second_not_every_step(store, cluster, backend, clock):
    store.submit(config(1), "ada")
    store.submit(config(2), "bob")
    backend.step()  # submits both; their states are read from the next poll on
    for _ in range(3):
        clock.now += 0.25
        backend.step()
    assert cluster.info_calls == 0
    clock.now += 0.25
    backend.step()
    assert cluster.info_calls == 2  # one look at each of the two jobs, a second after the last
    for _ in range(4):
        clock.now += 0.25
        backend.step()
    assert cluster.info_calls == 4


# -- reconciling job states with run states -------------------------------------------------------


@pytest.fixture
def started(store, cluster, backend, clock):
    """A run submitted as a job that is now RUNNING; returns its id."""
    run_id = store.submit(config(), "ada")
    backend.step()
    job(store, cluster, run_id).status = "RUNNING"
    return run_id


def poll(backend, clock):
    clock.now += ray_jobs.JOB_POLL_SECONDS
    backend.step()


def test_a_running_job_leaves_its_run_running(store, backend, clock, started):
    poll(backend, clock)
    assert store.get(started).status == "running"


def test_a_failed_job_fails_its_run_with_the_workers_own_words(store, cluster, backend, clock, started):
    submitted = job(store, cluster, started)
    submitted.status, submitted.logs = "FAILED", (
        "some start-up chatter\nrnnlab: The machine node-2 does not see the class's folder.\n")
    poll(backend, clock)
    run = store.get(started)
    assert (run.status, run.error) == ("failed", "The machine node-2 does not see the class's folder.")


def test_a_failed_job_without_words_fails_its_run_with_its_exit_code(store, cluster, backend, clock, started):
    submitted = job(store, cluster, started)
    submitted.status, submitted.driver_exit_code, submitted.logs = "FAILED", 127, "python: not found\n"
    poll(backend, clock)
    run = store.get(started)
    assert run.status == "failed"
    assert run.error.startswith("The training process on the Ray cluster exited with code 127 before "
                                f"reporting an end (job {run.job}; `ray job logs {run.job}` shows why).")


def test_a_job_stopped_by_someone_else_interrupts_its_run(store, cluster, backend, clock, started):
    job(store, cluster, started).status = "STOPPED"
    poll(backend, clock)
    run = store.get(started)
    assert run.status == "interrupted"
    assert run.error == (f"Its Ray job {run.job} was stopped on the cluster before the run finished. "
                         "Submit it again.")


def test_a_job_the_cluster_forgot_interrupts_its_run(store, cluster, backend, clock, started):
    del cluster.jobs[store.get(started).job]  # the head restarted without its job table
    poll(backend, clock)
    run = store.get(started)
    assert run.status == "interrupted"
    assert run.error.startswith(f"The Ray cluster no longer knows this run's job {run.job}")


def test_a_run_that_recorded_its_own_ending_keeps_it(store, cluster, backend, clock, started):
    store.finish(started, "done", result={"val_loss": 0.5})
    job(store, cluster, started).status = "SUCCEEDED"
    poll(backend, clock)
    run = store.get(started)
    assert (run.status, run.error, run.result) == ("done", None, {"val_loss": 0.5})


def test_an_unanswering_head_changes_nothing(store, cluster, backend, clock, started):
    cluster.refuse = ConnectionError("Failed to connect to Ray at address: http://head:8265.")
    backend.client = None
    poll(backend, clock)
    assert store.get(started).status == "running"


# -- cancel and the watchdog ----------------------------------------------------------------------


def test_a_cancel_asks_the_run_first_and_stops_its_job_after_term_after(store, cluster, backend, clock, started):
    store.request_cancel(started)
    clock.now = store.get(started).cancel_requested + 4.0
    backend.step()
    assert cluster.stopped == []  # the worker reads its flag within a second
    clock.now += 2.0
    backend.step()
    backend.step()
    assert cluster.stopped == [store.get(started).job]  # once, not once per step
    job(store, cluster, started).status = "STOPPED"
    poll(backend, clock)
    run = store.get(started)
    assert (run.status, run.error) == ("cancelled", None)


def test_a_silent_run_is_interrupted_and_its_job_stopped(store, cluster, backend, clock, started):
    poll(backend, clock)
    store.set_node(started, "node-3")
    clock.now += 40
    backend.step()
    assert store.get(started).status == "running"
    clock.now += 25  # 65 s since its last heartbeat; the limit is 60
    backend.step()
    run = store.get(started)
    assert run.status == "interrupted"
    assert re.fullmatch(r"The training process on node-3 stopped answering for 6[56] s \(the limit is "
                        r"60 s\), so its Ray job was stopped\. Submit it again\.", run.error)
    assert cluster.stopped == [run.job]


def test_a_job_waiting_for_a_cpu_is_not_silence(store, cluster, backend, clock):
    run_id = store.submit(config(), "ada")
    backend.step()
    for _ in range(3):
        clock.now += 30
        backend.step()  # still PENDING: no worker has started to beat
    assert store.get(run_id).status == "running"
    assert cluster.stopped == []


# -- a head that cannot be reached, or refuses the token --------------------------------------------


def test_an_unreachable_head_fails_the_runs_saying_what_to_set(store, cluster, backend):
    cluster.refuse = ConnectionError("Failed to connect to Ray at address: http://head:8265.")
    ids = [store.submit(config(seed), "ada") for seed in range(2)]
    backend.step()
    for run_id in ids:
        run = store.get(run_id)
        assert run.status == "failed"
        assert run.error == ("Cannot reach the Ray cluster at http://head:8265. Start its head "
                             "(`ray start --head`) or set RNNLAB_RAY_ADDRESS to the head's job "
                             "server (http://HEAD:8265), then submit again.")


def test_a_refused_token_fails_the_run_saying_how_to_set_it(store, cluster, backend):
    cluster.refuse = AuthenticationError("Authentication failed: Forbidden: Invalid authentication "
                                         "token\n\nToken authentication is enabled but ...")
    run_id = store.submit(config(), "ada")
    backend.step()
    run = store.get(run_id)
    assert run.status == "failed"
    assert "refused this server's token. Set RAY_AUTH_TOKEN" in run.error
    assert "`ray get-auth-token`" in run.error and "\n" not in run.error


# -- a restarted supervisor adopts the jobs that run --------------------------------------------------


def test_a_restarted_backend_adopts_running_jobs_and_gives_up_only_vanished_ones(store, cluster, clock):
    first = RayBackend(store, ADDRESS, 60.0, 5.0, cluster.make_client, cluster.read_cpus)
    kept, claimed_before_crash = store.submit(config(1), "ada"), store.submit(config(2), "bob")
    first.step()  # both submitted
    for submitted in cluster.jobs.values():
        submitted.status = "RUNNING"
    store.set_pid(kept, 999_999_999)  # a pid on another machine: never looked up here
    del cluster.jobs[store.get(claimed_before_crash).job]  # as if it died before submit_job
    second = RayBackend(store, ADDRESS, 60.0, 5.0, cluster.make_client, cluster.read_cpus)
    second.step()
    assert store.get(kept).status == "running"
    assert store.get(claimed_before_crash).status == "interrupted"


def test_the_supervisor_hands_its_steps_to_ray_when_an_address_is_set(store, cluster, monkeypatch):
    monkeypatch.setenv("RNNLAB_RAY_ADDRESS", ADDRESS)
    supervisor = Supervisor(store, standby=True)
    assert isinstance(supervisor.ray, RayBackend) and supervisor.ray.address == ADDRESS
    assert supervisor.keeps_standby is False  # a node's worker imports TensorFlow itself
    supervisor.ray.make_client, supervisor.ray.read_cpus = cluster.make_client, cluster.read_cpus
    run_id = store.submit(config(), "ada")
    supervisor.step()
    assert supervisor.children == {} and supervisor.standby is None
    assert store.get(run_id).job in cluster.jobs


def test_the_local_supervisor_judges_a_ray_run_by_its_heartbeat_not_a_pid(store, monkeypatch):
    monkeypatch.delenv("RNNLAB_RAY_ADDRESS", raising=False)
    run_id = store.submit(config(), "ada")
    store.claim(1)
    store.set_job(run_id, "rnnlab-x-1")
    store.set_pid(run_id, 999_999_999)  # no such process here; it lives on a node
    supervisor = Supervisor(store, workers=1, standby=False)
    supervisor.step()
    assert store.get(run_id).status == "running"


def test_a_home_without_the_marker_is_named_with_its_machine(tmp_path):
    assert marker_problem(tmp_path, "abc", "node-7") == (
        f"The machine node-7 does not see the class's folder: {tmp_path} there has no store-id "
        f"file. Mount the shared folder that holds the class's runs at {tmp_path} on node-7, at "
        "the same path as on the web server, and submit the run again.")
    (tmp_path / MARKER).write_text("another\n")
    assert "belongs to another class" in marker_problem(tmp_path, "abc", "node-7")


def test_what_is_known_about_a_job_is_forgotten_once_its_run_ended(store, cluster, backend, clock, started):
    store.request_cancel(started)
    clock.now = store.get(started).cancel_requested + 6.0
    poll(backend, clock)
    assert started in backend.stopped and backend.job_states == {started: "RUNNING"}
    store.finish(started, "cancelled")  # its worker read the flag
    backend.step()
    assert backend.stopped == set() and backend.job_states == {}
