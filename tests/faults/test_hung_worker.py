"""Fault: a worker that stops answering (SIGSTOP). The supervisor's watchdog must end its run
`interrupted` with a message in words, kill its whole process group, reap it and start the next
queued run.

The first test uses a fake worker: a `python -c` script that beats the run's heartbeat the way a
worker's Outbox does and starts a child of its own (as TensorFlow's helpers would be), so the
whole group can be checked. The second does the same to a real worker in the middle of training.
A small watchdog limit keeps both short; every wait is bounded, and no test asserts a duration.
"""
import os
import re
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from rnnlab.config import RunConfig, TrainingOptions
from rnnlab.jobs.store import Store
from rnnlab.jobs.supervisor import Supervisor
from tests.engine.conftest import tiny_config
from tests.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 2.0  # the watchdog's limit in these tests, in seconds
MESSAGE = (r"The training process stopped answering for (\d+) s \(the limit is 2 s\), so it was "
           r"stopped\. Submit it again\.")
# A stand-in for `python -m rnnlab.trainer.worker`: beats like the Outbox (argv: home, run id),
# starts a child of its own, says the child's pid once its first beat is in, and runs until killed.
BEATING_WORKER = """
import subprocess, sys, time
from rnnlab.jobs.store import Store
store, run_id = Store(sys.argv[1]), int(sys.argv[2])
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
store.beat(run_id)
print(child.pid, flush=True)
while True:
    time.sleep(0.1)
    store.beat(run_id)
"""


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "home")


@pytest.fixture
def workers():
    """The fake workers started, by run id; every one left is killed with its group at the end."""
    started: dict[int, subprocess.Popen] = {}
    yield started
    for process in started.values():
        kill_group(process.pid)
        process.wait()
        process.stdout.close()


def kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def live_members(pgid: int) -> list[int]:
    """The pids of the processes in group `pgid` that are still alive (zombies left out)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except (FileNotFoundError, ProcessLookupError):  # it exited while we looked
            continue
        state, _parent, group = stat.rsplit(")", 1)[1].split()[:3]  # the name may hold spaces
        if int(group) == pgid and state != "Z":
            members.append(int(entry.name))
    return members


def watched(store: Store, workers: dict) -> Supervisor:
    """A supervisor (one slot, no standby, LIMIT s watchdog) whose workers are BEATING_WORKERs."""
    supervisor = Supervisor(store, workers=1, standby=False, heartbeat_limit=LIMIT)

    def spawn(run_id):
        workers[run_id] = subprocess.Popen(
            [sys.executable, "-c", BEATING_WORKER, str(store.home), str(run_id)], cwd=ROOT,
            stdout=subprocess.PIPE, text=True, start_new_session=True)
        return workers[run_id]

    supervisor._spawn_worker = spawn
    return supervisor


def read_line(process: subprocess.Popen, timeout: float = 30) -> str:
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    assert ready, f"the process printed nothing within {timeout} s"
    return process.stdout.readline().strip()


def step_until(supervisor: Supervisor, condition, timeout: float = 30):
    """Run the supervisor's loop by hand until `condition()` holds (bounded)."""
    return wait_for(lambda: supervisor.step() or condition(), timeout)


def config(seed):
    return RunConfig(training=TrainingOptions(seed=seed))


def test_a_stopped_worker_is_ended_in_words_killed_with_its_group_and_the_queue_goes_on(
        store, workers):
    hung, after = store.submit(config(1), "ada"), store.submit(config(2), "bob")
    supervisor = watched(store, workers)
    supervisor.step()
    worker = supervisor.children[hung]
    grandchild = int(read_line(worker))  # beating, with a child in its group
    assert sorted(live_members(worker.pid)) == sorted([worker.pid, grandchild])

    os.kill(worker.pid, signal.SIGSTOP)  # as `kill -STOP`: it can neither beat nor handle SIGTERM
    step_until(supervisor, lambda: store.get(hung).status != "running")

    run = store.get(hung)
    assert run.status == "interrupted" and run.result is None
    silent = re.fullmatch(MESSAGE, run.error)
    assert silent and int(silent.group(1)) >= LIMIT
    assert worker.returncode == -signal.SIGKILL  # reaped by the supervisor, not left a zombie
    assert live_members(worker.pid) == []  # the child went with it: the whole group was killed
    assert hung not in supervisor.children

    step_until(supervisor, lambda: after in supervisor.children)  # the freed slot is used
    assert store.get(after).status == "running" and store.get(after).pid == workers[after].pid


def test_a_worker_that_keeps_beating_outlives_the_limit(store, workers):
    """The watchdog reads the heartbeat, not the run's age: a live worker is never ended."""
    run_id = store.submit(config(1), "ada")
    supervisor = watched(store, workers)
    supervisor.step()
    read_line(supervisor.children[run_id])
    started = store.get(run_id).started
    step_until(supervisor, lambda: store.get(run_id).heartbeat - started > 3 * LIMIT)
    run = store.get(run_id)
    assert (run.status, run.error) == ("running", None)
    assert supervisor.children[run_id].poll() is None


def test_a_real_worker_stopped_mid_training_frees_its_slot(store):
    """The same with `python -m rnnlab.trainer.worker` training a tiny model (TensorFlow is only
    imported in the worker). A larger limit than above: a real worker's first beat waits for
    Python and its first imports."""
    hung, after = store.submit(tiny_config(epochs=500), "ada"), store.submit(tiny_config(seed=2), "bob")
    supervisor = Supervisor(store, workers=1, standby=False, heartbeat_limit=5.0)
    try:
        step_until(supervisor, lambda: any(m.kind == "batch" for m in store.metrics_since(hung)), 120)
        worker = supervisor.children[hung]
        os.kill(worker.pid, signal.SIGSTOP)
        step_until(supervisor, lambda: store.get(hung).status != "running")
        assert store.get(hung).status == "interrupted"
        assert store.get(hung).error.startswith("The training process stopped answering for ")
        assert worker.returncode == -signal.SIGKILL and live_members(worker.pid) == []
        step_until(supervisor, lambda: store.get(after).status not in ("queued", "running"), 120)
        assert store.get(after).status == "done", store.get(after).error
    finally:
        for process in supervisor.children.values():
            kill_group(process.pid)
            process.wait()
