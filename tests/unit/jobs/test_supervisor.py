"""The supervisor with real processes that are not workers: short `python -c` scripts stand in for
`python -m rnnlab.trainer.worker`, so reaping, cancel escalation and orphan recovery are tested
without TensorFlow. One supervisor per store, stop_supervisor and the standby log are tested on
the lock file and on a real `python -m rnnlab.jobs.supervisor`."""
import os
import re
import select
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from rnnlab.jobs import supervisor as supervisor_module
from rnnlab.jobs.supervisor import (
    Supervisor,
    ensure_supervisor,
    hold_lock,
    main,
    standbys_ready,
    stop_supervisor,
    supervisor_running,
)
from tests.unit.jobs.conftest import config
from tests.waiting import wait_for

ROOT = supervisor_module.PROJECT_ROOT
SLEEP = "import time; time.sleep(30)"
# Says when it is ready and each SIGTERM it gets, and keeps running: only SIGKILL ends it.
STUBBORN = ("import signal, time\n"
            "signal.signal(signal.SIGTERM, lambda *_: print('TERM', flush=True))\n"
            "print('ready', flush=True)\n"
            "while True: time.sleep(1)\n")


@pytest.fixture
def spawned():
    """Start `python -c CODE` in a session of its own, as the supervisor starts a worker; every
    process started is killed at the end of the test."""
    processes = []

    def spawn(code: str) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                                   text=True, start_new_session=True)
        processes.append(process)
        return process

    yield spawn
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        process.stdout.close()


def with_worker(store, spawn, code: str) -> Supervisor:
    """A supervisor (one slot, no standby) whose workers run `code` instead of training."""
    supervisor = Supervisor(store, workers=1, standby=False)
    supervisor._spawn_worker = lambda run_id: spawn(code)
    return supervisor


def read_line(process: subprocess.Popen, timeout: float = 20) -> str:
    """The next line the process prints; fails instead of hanging if none comes."""
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    assert ready, f"the process printed nothing within {timeout} s"
    return process.stdout.readline().strip()


# -- reaping --------------------------------------------------------------------------------------


def test_a_claimed_run_gets_a_worker_and_its_pid_is_recorded(store, spawned):
    first, second = store.submit(config(1), "ada"), store.submit(config(2), "ada")
    supervisor = with_worker(store, spawned, SLEEP)
    supervisor.step()
    assert list(supervisor.children) == [first]  # one slot: the second waits its turn
    assert store.get(first).pid == supervisor.children[first].pid
    assert store.run_dir(first).is_dir()
    assert (store.get(first).status, store.get(second).status) == ("running", "queued")


def test_a_worker_that_exits_without_an_ending_fails_the_run_in_words(store, spawned):
    run_id = store.submit(config(), "ada")
    supervisor = with_worker(store, spawned, "import sys; sys.exit(3)")
    supervisor.step()
    supervisor.children[run_id].wait()
    supervisor.step()
    run = store.get(run_id)
    assert run.status == "failed" and supervisor.children == {}
    assert run.error == ("The training process exited with code 3 before reporting an end. Submit "
                         "it again; if it keeps happening, try a smaller model or batch.")


def test_a_killed_worker_fails_the_run_and_the_next_run_starts(store, spawned):
    victim, after = store.submit(config(1), "ada"), store.submit(config(2), "ada")
    supervisor = with_worker(store, spawned, SLEEP)
    supervisor.step()
    process = supervisor.children[victim]
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    supervisor.step()
    assert store.get(victim).status == "failed"
    assert store.get(victim).error.startswith("The training process was killed (SIGKILL). Submit")
    assert store.get(after).status == "running" and list(supervisor.children) == [after]


def test_a_worker_that_recorded_its_own_ending_keeps_it(store, spawned):
    run_id = store.submit(config(), "ada")
    supervisor = with_worker(store, spawned, "pass")
    supervisor.step()
    store.finish(run_id, "done", result={"epochs_run": 1})  # as the worker does before it exits
    supervisor.children[run_id].wait()
    supervisor.step()
    run = store.get(run_id)
    assert (run.status, run.error, run.result) == ("done", None, {"epochs_run": 1})


def test_a_worker_gone_after_a_cancel_request_ends_the_run_cancelled(store, spawned):
    run_id = store.submit(config(), "ada")
    supervisor = with_worker(store, spawned, SLEEP)
    supervisor.step()
    store.request_cancel(run_id)
    process = supervisor.children[run_id]
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    supervisor.step()
    assert (store.get(run_id).status, store.get(run_id).error) == ("cancelled", None)


# -- cancel escalation ----------------------------------------------------------------------------


def test_a_cancel_escalates_to_sigterm_then_sigkill(store, spawned, monkeypatch):
    run_id = store.submit(config(), "ada")
    supervisor = with_worker(store, spawned, STUBBORN)
    supervisor.step()
    process = supervisor.children[run_id]
    assert read_line(process) == "ready"
    store.request_cancel(run_id)

    supervisor.step()  # asked a moment ago: the worker's own check of the flag is waited for
    assert process.poll() is None and store.get(run_id).status == "running"

    monkeypatch.setattr(supervisor_module, "TERM_AFTER", -1.0)  # as if TERM_AFTER s had passed
    supervisor.step()
    assert read_line(process) == "TERM"
    assert process.poll() is None  # this one ignores SIGTERM, as a worker stuck in C code would

    monkeypatch.setattr(supervisor_module, "KILL_AFTER", -1.0)
    supervisor.step()
    assert process.wait(timeout=20) == -signal.SIGKILL
    supervisor.step()
    assert store.get(run_id).status == "cancelled" and supervisor.children == {}


def test_the_default_escalation_waits_for_the_worker_first():
    # The worker reads the flag within a second (heartbeat) and stops at its next batch; SIGTERM
    # only after a first batch's graph tracing (2-4 s) could have finished, SIGKILL after that.
    assert 0 < supervisor_module.TERM_AFTER < supervisor_module.KILL_AFTER


def test_sigterm_ends_serve_after_the_step_it_came_in_and_takes_the_standby_along(store, spawned):
    supervisor = Supervisor(store, workers=1, standby=True)
    standbys = []
    supervisor._spawn_worker = lambda run_id: standbys.append(spawned(SLEEP)) or standbys[-1]
    keep_standby = supervisor._keep_standby

    def keep_standby_then_sigterm():
        keep_standby()
        os.kill(os.getpid(), signal.SIGTERM)  # as stop_supervisor's lands: in the middle of a step

    supervisor._keep_standby = keep_standby_then_sigterm
    previous = signal.getsignal(signal.SIGTERM)
    try:
        supervisor.serve(idle_exit=None)  # returns instead of raising SystemExit mid-step
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert len(standbys) == 1 and supervisor.standby is None
    assert standbys[0].wait(timeout=10) == -signal.SIGKILL


# -- orphans --------------------------------------------------------------------------------------


def test_runs_left_by_a_vanished_supervisor_become_interrupted_unless_alive(store, spawned):
    gone, stale, alive = (store.submit(config(seed), "ada") for seed in (1, 2, 3))
    for _ in range(3):
        store.claim(max_running=3)
    finished = spawned("pass")
    finished.wait()
    store.set_pid(gone, finished.pid)  # its process has exited
    store.set_pid(stale, os.getpid())  # alive, but silent for a minute
    store.set_pid(alive, os.getpid())  # alive and beating
    with sqlite3.connect(store.db_path) as conn:
        conn.execute("UPDATE runs SET heartbeat = ? WHERE id = ?",
                     (time.time() - 6 * supervisor_module.HEARTBEAT_LIMIT, stale))

    def no_worker(run_id):
        raise AssertionError("nothing was queued: no worker should start")

    supervisor = Supervisor(store, workers=1, standby=False)
    supervisor._spawn_worker = no_worker
    supervisor.step()
    assert [store.get(i).status for i in (gone, stale, alive)] == [
        "interrupted", "interrupted", "running"]
    assert store.get(gone).error == store.get(stale).error == (
        "The training process stopped without finishing (the server or its supervisor was "
        "restarted). Submit the run again.")


def test_after_the_supervisor_itself_was_away_the_watchdog_waits_a_full_limit(store, spawned):
    """A suspended laptop or a stopped supervisor makes every heartbeat look old, though its
    workers were frozen with it: they get a full limit to beat again before the watchdog acts.
    (tests/faults/test_hung_worker.py has the watchdog ending a stopped worker.)"""
    run_id = store.submit(config(), "ada")
    supervisor = Supervisor(store, workers=1, standby=False, heartbeat_limit=1.0)
    supervisor._spawn_worker = lambda run_id: spawned(SLEEP)  # a worker that never beats
    supervisor.step()
    a_minute_ago = time.time() - 60
    with sqlite3.connect(store.db_path) as conn:
        conn.execute("UPDATE runs SET heartbeat = ? WHERE id = ?", (a_minute_ago, run_id))
    supervisor.silence.last_look = a_minute_ago  # as if this process had not run for a minute
    supervisor.step()
    assert store.get(run_id).status == "running"
    wait_for(lambda: supervisor.step() or store.get(run_id).status == "interrupted", 20)
    assert re.fullmatch(r"The training process stopped answering for \d+ s \(the limit is 1 s\), "
                        r"so it was stopped\. Submit it again\.", store.get(run_id).error)


# -- one supervisor per store, and stopping it ----------------------------------------------------


def test_the_lock_admits_one_supervisor_per_store(store, capsys):
    held = hold_lock(store.home)
    held.write("4242\n")
    held.flush()
    try:
        assert hold_lock(store.home) is None and supervisor_running(store.home)
        assert main(["--home", str(store.home)]) == 0  # a second one leaves at once
        assert capsys.readouterr().err == f"A supervisor already runs for {store.home}.\n"
        assert (store.home / "supervisor.lock").read_text() == "4242\n"  # the holder's pid stays
    finally:
        held.close()
    assert not supervisor_running(store.home)
    again = hold_lock(store.home)
    assert again is not None
    again.close()


def test_exactly_one_supervisor_per_store(store, monkeypatch):
    monkeypatch.setenv("RNNLAB_STANDBY", "0")  # no standby: nothing here needs TensorFlow
    assert not supervisor_running(store.home)
    try:
        assert ensure_supervisor(store) is True
        wait_for(lambda: supervisor_running(store.home), 20)
        assert ensure_supervisor(store) is False
        second = subprocess.run([sys.executable, "-m", "rnnlab.jobs.supervisor", "--home",
                                 str(store.home)], capture_output=True, text=True, timeout=30)
        assert second.returncode == 0 and "A supervisor already runs" in second.stderr
    finally:
        stop_supervisor(store.home)
    assert not supervisor_running(store.home)


def test_stop_supervisor_sends_sigterm_to_the_pid_in_the_lock(store, monkeypatch):
    env = {**os.environ, "RNNLAB_STANDBY": "0"}
    process = subprocess.Popen([sys.executable, "-m", "rnnlab.jobs.supervisor", "--home",
                                str(store.home), "--forever"], cwd=ROOT, env=env,
                               start_new_session=True)
    try:
        lock = store.home / "supervisor.lock"
        wait_for(lambda: lock.exists() and lock.read_text().strip() == str(process.pid), 30)
        assert stop_supervisor(store.home) == process.pid
        assert process.wait(timeout=10) == 0  # SIGTERM: it left through its clean-up
        assert not supervisor_running(store.home)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_stop_supervisor_kills_a_holder_that_ignores_sigterm(store, spawned):
    lock = store.home / "supervisor.lock"
    holder = spawned("import fcntl, os\n"
                     f"lock = open({str(lock)!r}, 'a+')\n"
                     "fcntl.flock(lock, fcntl.LOCK_EX)\n"
                     "lock.write(f'{os.getpid()}\\n'); lock.flush()\n" + STUBBORN)
    assert read_line(holder) == "ready"
    assert stop_supervisor(store.home, timeout=0.5) == holder.pid
    assert read_line(holder) == "TERM"  # it was asked first
    assert holder.wait(timeout=10) == -signal.SIGKILL
    assert not supervisor_running(store.home)


def test_stop_supervisor_signals_nobody_when_the_lock_is_free(store, spawned):
    assert stop_supervisor(store.home) is None  # no lock file at all
    bystander = spawned(SLEEP)
    (store.home / "supervisor.lock").write_text(f"{bystander.pid}\n")  # left by one that has gone
    assert stop_supervisor(store.home) is None
    assert bystander.poll() is None


def test_stop_supervisor_gives_up_in_words_when_the_lock_stays_held(store):
    held = hold_lock(store.home)  # held by this very process, which it must not signal
    held.write(f"{os.getpid()}\n")
    held.flush()
    try:
        with pytest.raises(TimeoutError, match=r"supervisor.lock is still held by pid "
                                               rf"{os.getpid()} 0.1 s after SIGTERM"):
            stop_supervisor(store.home, timeout=0.1)
    finally:
        held.close()


# -- the standby log ------------------------------------------------------------------------------


def test_standbys_ready_reads_the_pids_of_the_standbys_that_said_so(tmp_path):
    assert standbys_ready(tmp_path) == []  # no log yet
    (tmp_path / "standby.log").write_text(
        "2024-05-01 I tensorflow/core/util/port.cc:113] oneDNN custom operations are on.\n"
        "standby 4101 ready after 5.2 s\n"
        "standby 4188 loading\n"             # not ready yet
        "the standby 77 ready after 1 s\n"   # not a line a standby writes
        "standby 4190 ready after 4.7 s\n")
    assert standbys_ready(tmp_path) == [4101, 4190]
