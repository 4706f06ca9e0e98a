"""Fixtures for the engine tests: a private store, a real supervisor process, tiny real configs.

The acceptance tests run on two backends (the `backend` fixture, parametrized by those tests):
`local`, the embedded default (an SQLite file, worker processes the supervisor starts), and
`ray-postgresql`, a class on several machines (the store in a fresh PostgreSQL schema, each run a
job on the Ray head). The second needs the servers `.ci/services` starts; without them its cases
are skipped with the reason.
"""
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from rnnlab.config import LayerConfig, RunConfig, TrainingOptions, WeatherOptions
from rnnlab.jobs.store import Store
from rnnlab.jobs.supervisor import stop_supervisor
from tests.postgres import fresh_database_url
from tests.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]


def tiny_config(epochs=1, seed=1, **training) -> RunConfig:
    """A real Keras run on the bundled New York record, about a second an epoch."""
    return RunConfig(
        dataset="weather",
        weather=WeatherOptions(lookback_hours=12, step_hours=2, delay_hours=6),
        layers=(LayerConfig(cell="GRU", units=3),),
        training=TrainingOptions(**{"epochs": epochs, "batch_size": 64, "seed": seed, **training}),
    )


def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class SupervisorProcess:
    """A real `python -m rnnlab.jobs.supervisor` for one store, started and killed by the test."""

    def __init__(self, home: Path, workers: int = 1):
        self.home, self.workers, self.process = home, workers, None

    def start(self):
        """Start it and wait until it holds the store's lock, so that a submit made next finds
        it there instead of starting an on-demand supervisor that would take its place."""
        env = {**os.environ, "RNNLAB_HOME": str(self.home), "RNNLAB_WORKERS": str(self.workers)}
        self.process = subprocess.Popen([sys.executable, "-m", "rnnlab.jobs.supervisor", "--forever"],
                                        cwd=ROOT, env=env, start_new_session=True)
        lock = self.home / "supervisor.lock"
        wait_for(lambda: lock.exists() and lock.read_text().strip() == str(self.process.pid)
                 or self.process.poll() is not None, 30)
        assert self.process.poll() is None, "the supervisor left at once (another held the lock)"
        return self

    def kill(self):
        if self.process is not None:
            kill_group(self.process.pid)
            self.process.wait()

    def stop(self):
        """Ask it to leave as a server shutdown would (SIGTERM), so it dismisses its standby."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        self.kill()


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("RNNLAB_HOME", str(folder))
    return folder


RAY_ADDRESS = os.environ.get("RNNLAB_TEST_RAY_ADDRESS")
BOTH_BACKENDS = pytest.mark.parametrize("backend", ["local", "ray-postgresql"], indirect=True)


@pytest.fixture
def backend(request, monkeypatch):
    """"local" unless a test is parametrized with BOTH_BACKENDS; "ray-postgresql" points this
    process and every process it starts (supervisor, submitters, workers) at a fresh PostgreSQL
    schema and the Ray head, as a teacher's two variables would."""
    name = getattr(request, "param", "local")
    if name == "local":
        yield name
        return
    if not RAY_ADDRESS:
        pytest.skip("RNNLAB_TEST_RAY_ADDRESS is unset: no Ray head to submit to "
                    "(.ci/services starts one)")
    with fresh_database_url() as url:
        monkeypatch.setenv("RNNLAB_DATABASE_URL", url)
        monkeypatch.setenv("RNNLAB_RAY_ADDRESS", RAY_ADDRESS)
        yield name


@pytest.fixture
def store(home, backend) -> Store:
    return Store(home)  # RNNLAB_DATABASE_URL, when the backend set it


@pytest.fixture
def supervisor(home, store):
    """Start with `supervisor.start()`; every worker and the supervisor are killed afterwards."""
    started = []

    def make(workers=1):
        process = SupervisorProcess(home, workers).start()
        started.append(process)
        return process

    yield make
    for process in started:
        process.stop()
    # a submit can start an on-demand supervisor first (the fixture's then finds the lock taken)
    stop_supervisor(home)
    for run in store.list(status="running"):
        if run.pid:
            kill_group(run.pid)
    stop_ray_jobs(store)


def stop_ray_jobs(store: Store) -> None:
    """Stop the Ray jobs of the store's runs that are still going: a supervisor's death leaves a
    Ray job running on the cluster (a restarted one adopts it), and the head outlives the test."""
    jobs = [run.job for run in store.list() if run.job]
    if jobs:
        from ray.job_submission import JobSubmissionClient

        client = JobSubmissionClient(RAY_ADDRESS)
        for job in jobs:
            client.stop_job(job)
