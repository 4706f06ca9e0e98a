"""The supervisor: turns queued runs into worker processes, and cleans up after them.

One supervisor per store (an exclusive lock on `<home>/supervisor.lock` makes sure), started on
demand by the app (`ensure_supervisor`) or by hand (`python -m rnnlab.jobs.supervisor`), stopped
by the pid it writes into that file (`stop_supervisor`). It imports no TensorFlow. Several times
a second it

1. reaps workers that exited; a run still `running` after its worker is gone ends `cancelled` if a
   cancel was asked for, else `failed` with how the process died;
2. escalates cancels: the worker reads the cancel flag within a second and stops at the next
   batch; if it is still running `TERM_AFTER` seconds after the request it gets SIGTERM, after
   `KILL_AFTER` seconds SIGKILL, sent to its whole process group;
3. watches every `running` run's heartbeat (the watchdog). A run whose heartbeat is older than
   `heartbeat_limit` seconds (default `HEARTBEAT_LIMIT`) ends `interrupted` with a message in words:
   if it is one of its children (a worker stopped with SIGSTOP, frozen, or starved of memory), its
   whole process group gets SIGKILL and is reaped, so the slot frees and the queue goes on. A run
   that is not one of its children (its supervisor was killed) is an orphan: it ends `interrupted`
   as soon as its process is gone, or once its heartbeat is that old; its pid is not signalled, as
   it may belong to another process by now;
4. starts queued runs, oldest first, while fewer than `workers` run (default 1: two cores are
   enough for one training and a responsive web server; RNNLAB_WORKERS to change it). Each worker
   is `python -m rnnlab.trainer.worker RUN_ID`: a new session, never a fork of a process that has
   touched TensorFlow, and second to the web server for the CPU (rnnlab.jobs.priority);
5. keeps a standby while a slot is free: `python -m rnnlab.trainer.worker --standby` imports TensorFlow
   ahead of time and waits for a run id on its stdin. The next claimed run is handed to it, so
   training starts without the 3-5 s import. It costs one idle process (~0.7 GB; RNNLAB_STANDBY=0
   does without) and is killed when the supervisor leaves; if the supervisor is killed instead,
   its closed pipe ends it.

Its workers share one XLA compile cache (rnnlab.jobs.xla_cache).

With RNNLAB_RAY_ADDRESS set, the supervisor trains nothing itself: each step is the Ray backend's
(rnnlab.jobs.ray_jobs), which submits claimed runs as Ray jobs and keeps no standby. A run with a
Ray job is never judged by a local pid: its worker lives on another machine.
"""
from __future__ import annotations

import argparse
import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from rnnlab import PROJECT_ROOT
from rnnlab.jobs import artifacts
from rnnlab.jobs.heartbeats import SilenceClock
from rnnlab.jobs.priority import background_command, give_way_to_pages
from rnnlab.jobs.ray_jobs import RayBackend
from rnnlab.jobs.schema import StoreError
from rnnlab.jobs.store import CANCELLED, FAILED, INTERRUPTED, RUNNING, Store
from rnnlab.jobs.xla_cache import worker_environment

POLL_SECONDS = 0.2
TERM_AFTER = 5.0             # tracing the compiled step can take 2-4 s without a callback
KILL_AFTER = 10.0
# The watchdog's limit. A worker's Outbox thread beats the heartbeat every second
# (rnnlab.trainer.reporting), beside the training loop and not inside it, so a slow epoch, a long
# graph tracing or a dataset download never delays it; it starts before TensorFlow is imported, so
# the claim (which stamps the heartbeat) is followed by a beat within Python's start-up. The limit
# only has to cover a process that cannot run at all. Measured on two shared cores at a load
# average of 4-8: 0.9-1.5 s from the claim to the first beat, at most 3.1 s between two beats.
# Sixty seconds leaves a wide margin over that and still frees a hung worker's slot in a minute.
HEARTBEAT_LIMIT = 60.0
STANDBY_RETRY = 60.0         # a standby that died by itself is replaced after this long, not in a loop
IDLE_EXIT = 600.0            # an on-demand supervisor leaves after ten idle minutes


def default_workers() -> int:
    return max(1, int(os.environ.get("RNNLAB_WORKERS", "1")))


def standby_wanted() -> bool:
    return os.environ.get("RNNLAB_STANDBY", "1") != "0"


def standbys_ready(home: Path) -> list[int]:
    """The pids of the standbys that have loaded TensorFlow for this store, oldest first.

    Read from <home>/standby.log, where each standby writes "standby PID ready after S s" once
    its imports are done (rnnlab.trainer.worker.wait_as_standby); benchmarks and tests wait on it.
    """
    log = home / "standby.log"
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    return [int(line.split()[1]) for line in lines if line.startswith("standby ") and " ready " in line]


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True  # it exists (PermissionError: it is someone else's)


def _how_it_died(code: int) -> str:
    if code < 0:
        name = signal.Signals(-code).name
        return f"The training process was killed ({name})"
    return f"The training process exited with code {code} before reporting an end"


class Supervisor:
    """Runs the queue of one store. Call `step()` repeatedly, or `serve()`. `ray`: the Ray backend
    to use instead of local workers (default: one when RNNLAB_RAY_ADDRESS is set)."""

    def __init__(self, store: Store, workers: int | None = None, standby: bool | None = None,
                 heartbeat_limit: float = HEARTBEAT_LIMIT, ray: RayBackend | None = None):
        self.store = store
        self.workers = workers or default_workers()
        self.heartbeat_limit = heartbeat_limit  # seconds of silence before a run is given up
        self.silence = SilenceClock(heartbeat_limit)  # see _watch_heartbeats
        address = os.environ.get("RNNLAB_RAY_ADDRESS")
        self.ray = ray or (RayBackend(store, address, heartbeat_limit, TERM_AFTER) if address else None)
        self.keeps_standby = (standby_wanted() if standby is None else standby) and self.ray is None
        self.children: dict[int, subprocess.Popen] = {}
        self.standby: subprocess.Popen | None = None
        self._standby_died = -STANDBY_RETRY

    def step(self) -> None:
        if self.ray is not None:
            self.ray.step()
            return
        self._reap()
        running = self.store.list(status=RUNNING)
        self._escalate_cancels(running)
        self._watch_heartbeats(running)
        self._start_queued()
        self._keep_standby()

    def serve(self, idle_exit: float | None = IDLE_EXIT) -> None:
        """Loop until idle for `idle_exit` seconds (None: forever) or SIGTERM/SIGINT.

        SIGTERM ends the loop between two steps, never inside one: a step cut in half could leave
        a standby started but not yet recorded, which nobody would then dismiss.
        """
        leaving = False

        def leave(signum, frame):
            nonlocal leaving
            leaving = True

        signal.signal(signal.SIGTERM, leave)
        idle_since = time.monotonic()
        try:
            while not leaving:
                self.step()
                if self.children or self.store.list(status=("queued", "running")):
                    idle_since = time.monotonic()
                elif idle_exit is not None and time.monotonic() - idle_since > idle_exit:
                    return
                time.sleep(POLL_SECONDS)
        finally:
            self.dismiss_standby()

    def dismiss_standby(self) -> None:
        """Kill the standby, if any: it holds nothing but a loaded TensorFlow."""
        if self.standby is not None:
            self._signal(self.standby, signal.SIGKILL)
            self.standby.wait()
            self.standby = None

    def _reap(self) -> None:
        for run_id, process in list(self.children.items()):
            code = process.poll()
            if code is None:
                continue
            del self.children[run_id]
            run = self.store.get(run_id)
            if run.status != RUNNING:
                continue  # the worker recorded its own ending
            if run.cancel_requested is not None:
                self.store.finish(run_id, CANCELLED)
            else:
                self.store.finish(run_id, FAILED, error=f"{_how_it_died(code)}. Submit it again; "
                                  "if it keeps happening, try a smaller model or batch.")

    def _escalate_cancels(self, running: list) -> None:
        now = time.time()
        for run in running:
            process = self.children.get(run.id)
            if run.cancel_requested is None or process is None:
                continue
            waited = now - run.cancel_requested
            if waited > KILL_AFTER:
                self._signal(process, signal.SIGKILL)
            elif waited > TERM_AFTER:
                self._signal(process, signal.SIGTERM)

    @staticmethod
    def _signal(process: subprocess.Popen, sig: int) -> None:
        try:
            os.killpg(process.pid, sig)  # the worker leads its own process group
        except ProcessLookupError:
            pass

    def _watch_heartbeats(self, running: list) -> None:
        """The watchdog: end runs whose worker is gone or has been silent too long (item 3 above).

        Silence is counted by rnnlab.jobs.heartbeats, which forgives the time this supervisor was
        asleep. A run with a Ray job (left by a Ray supervisor) is judged by its heartbeat only:
        its pid is a process on another machine.
        """
        now = self.silence.look()
        for run in running:
            silent = self.silence.silent(run, now)
            process = self.children.get(run.id)
            if process is not None:
                if silent > self.heartbeat_limit:
                    self._end_hung(run.id, process, silent)
            elif silent > self.heartbeat_limit or (
                    run.job is None and run.pid is not None and not _process_alive(run.pid)):
                self.store.finish(run.id, INTERRUPTED, error=(
                    "The training process stopped without finishing (the server or its "
                    "supervisor was restarted). Submit the run again."))

    def _end_hung(self, run_id: int, process: subprocess.Popen, silent: float) -> None:
        """End a child's run `interrupted`, then kill its process group and reap it.

        SIGKILL, not SIGTERM: a stopped process cannot run a handler, and the kernel ends a stopped
        process on SIGKILL without a SIGCONT. The run is ended first, so the reap does not record
        it as `failed` (killed); a worker that recorded its own ending a moment ago is left to
        exit and be reaped.
        """
        if not self.store.finish(run_id, INTERRUPTED, error=(
                f"The training process stopped answering for {silent:.0f} s (the limit is "
                f"{self.heartbeat_limit:g} s), so it was stopped. Submit it again.")):
            return
        self._signal(process, signal.SIGKILL)
        try:
            process.wait(timeout=KILL_AFTER)
        except subprocess.TimeoutExpired:
            pass  # stuck in the kernel (uninterruptible I/O): subprocess reaps it once it dies
        del self.children[run_id]

    def _start_queued(self) -> None:
        while len(self.children) < self.workers:
            run = self.store.claim(self.workers)
            if run is None:
                return
            self.store.run_dir(run.id).mkdir(parents=True, exist_ok=True)
            process = self._hand_to_standby(run.id) or self._spawn_worker(run.id)
            self.children[run.id] = process
            self.store.set_pid(run.id, process.pid)

    def _hand_to_standby(self, run_id: int) -> subprocess.Popen | None:
        """Give the run to the standby; None if there is none or it cannot take it."""
        standby, self.standby = self.standby, None
        if standby is None or standby.poll() is not None:
            return None
        try:
            standby.stdin.write(f"{run_id}\n".encode())
            standby.stdin.close()
        except OSError:  # it died between poll() and the write
            standby.wait()
            return None
        return standby

    def _keep_standby(self) -> None:
        if self.standby is not None and self.standby.poll() is not None:
            self.standby, self._standby_died = None, time.monotonic()  # it failed by itself
        if (self.keeps_standby and self.standby is None and len(self.children) < self.workers
                and time.monotonic() - self._standby_died > STANDBY_RETRY):
            self.standby = self._spawn_worker(None)

    def _spawn_worker(self, run_id: int | None) -> subprocess.Popen:
        """`python -m rnnlab.trainer.worker RUN_ID` (None: `--standby`) in a session of its own.

        A run's worker logs to its folder's process.log (TensorFlow's own chatter, for debugging);
        a standby logs to <home>/standby.log until it is handed a run, and reads the run's id
        from the pipe on its stdin.
        """
        home = self.store.home
        standby = run_id is None
        log = open(home / "standby.log" if standby else self.store.run_dir(run_id) / artifacts.PROCESS_LOG, "ab")
        process = subprocess.Popen(
            background_command("rnnlab.trainer.worker", "--standby" if standby else str(run_id)),
            cwd=PROJECT_ROOT, env=worker_environment(home),
            stdout=log, stderr=log, stdin=subprocess.PIPE if standby else subprocess.DEVNULL,
            start_new_session=True)
        log.close()
        return process


# -- one supervisor per store -----------------------------------------------------------------------


def _lock_path(home: Path) -> Path:
    return home / "supervisor.lock"


def hold_lock(home: Path):
    """The open lock file if this process now holds the store's supervisor lock, else None."""
    handle = open(_lock_path(home), "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def supervisor_running(home: Path) -> bool:
    handle = hold_lock(home)
    if handle is None:
        return True
    handle.close()  # closing releases the lock
    return False


def stop_supervisor(home: Path, timeout: float = 10.0) -> int | None:
    """Stop the supervisor of the store in `home`, if one runs, as a server shutdown would.

    The supervisor writes its pid into <home>/supervisor.lock right after taking the lock (main).
    It gets SIGTERM, so it leaves through serve()'s clean-up and dismisses its standby; if it still
    holds the lock `timeout` seconds later it gets SIGKILL. Only the lock says whether a supervisor
    runs: a pid left in the file by one that has gone is never signalled. Its workers lead process
    groups of their own and are not touched: their runs are the store's business (a later
    supervisor finds them interrupted).

    Args:
        home: the store's folder.
        timeout: seconds to wait after SIGTERM before SIGKILL.
    Returns:
        The pid that was signalled, or None if no supervisor held the lock.
    Raises:
        TimeoutError: the lock is still held `timeout` seconds after SIGKILL.
    """
    home, signalled, pid = Path(home), None, None
    if not _lock_path(home).exists():
        return None
    for sig in (signal.SIGTERM, signal.SIGKILL):
        deadline, sent_to = time.monotonic() + timeout, None
        while supervisor_running(home):
            pid = _lock_holder(home)
            if pid is not None and pid != sent_to and pid != os.getpid():
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:  # it left between the two looks at the lock
                    pass
                sent_to = signalled = pid
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        else:
            return signalled
    holder = f"pid {pid}" if pid else "a process that wrote no pid into it"
    raise TimeoutError(f"{_lock_path(home)} is still held by {holder} {timeout:g} s after "
                       "SIGTERM and again after SIGKILL.")


def _lock_holder(home: Path) -> int | None:
    """The pid written in the lock file, None while the new holder has not written it yet."""
    text = _lock_path(home).read_text().strip()
    return int(text) if text.isdigit() else None


def ensure_supervisor(store: Store) -> bool:
    """Start a supervisor for `store` unless one runs; True if this call started one.

    Two callers racing both may start one; the loser finds the lock taken and exits at once.
    """
    if supervisor_running(store.home):
        return False
    with open(store.home / "supervisor.log", "ab") as log:
        subprocess.Popen(background_command("rnnlab.jobs.supervisor", "--home", str(store.home)),
                         cwd=PROJECT_ROOT, stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                         start_new_session=True)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rnnlab.jobs.supervisor", description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="the store's folder (default RNNLAB_HOME or runs/)")
    parser.add_argument("--workers", type=int, help="runs trained at once (default RNNLAB_WORKERS or 1)")
    parser.add_argument("--forever", action="store_true", help="do not exit when idle")
    args = parser.parse_args(argv)
    try:
        store = Store(args.home)
    except StoreError as err:  # a file it cannot read: say which and what to do, no traceback
        print(err, file=sys.stderr)
        return 2
    lock = hold_lock(store.home)
    if lock is None:
        print(f"A supervisor already runs for {store.home}.", file=sys.stderr)
        return 0
    lock.truncate(0)
    lock.write(f"{os.getpid()}\n")  # who holds it, for people and stop_supervisor (the lock is what counts)
    lock.flush()
    supervisor = Supervisor(store, args.workers)
    supervisor.serve(idle_exit=None if args.forever else IDLE_EXIT)
    lock.close()
    return 0


if __name__ == "__main__":
    give_way_to_pages()  # started by hand; the server's background_command has given way already
    sys.exit(main())
