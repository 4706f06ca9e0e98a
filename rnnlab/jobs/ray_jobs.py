"""The Ray backend: the supervisor hands each claimed run to a Ray cluster as a Ray job.

With RNNLAB_RAY_ADDRESS set (the Ray head's job server, e.g. http://head:8265) the supervisor
(rnnlab.jobs.supervisor) trains nothing on its own machine. The queue and the per-owner limits
stay in the store; for each run it claims it calls `JobSubmissionClient.submit_job` with

- the entrypoint `cd <project> && exec <python> -m rnnlab.trainer.worker RUN_ID` (the same worker
  as a local run; the project and its .venv are at the same path on every node, so this
  machine's python is theirs. The `cd` matters: `python -m` puts its working folder first on the
  module path, and a job starts in whatever folder Ray chooses);
- the submission id `rnnlab-<store id>-<run id>`, recorded with `Store.set_job`. It is derived,
  not random, so a supervisor restarted while jobs run finds every run's job again (it adopts
  them) even if it died between the claim and `set_job`;
- `entrypoint_num_cpus` = RNNLAB_RAY_CPUS_PER_RUN (default 1): Ray starts the worker on a node
  with that many free CPUs, and queues it inside the cluster when none has;
- the runtime environment's variables: this process's RNNLAB_* (the database URL, the data
  folder), RNNLAB_HOME, the store id and the job id (rnnlab.jobs.shared_home checks them),
  PYTHONPATH (the project) and TF_CPP_MIN_LOG_LEVEL.

Runs at once = the cluster's CPUs (every alive node's, read with `ray.util.state.list_nodes`
every CAPACITY_REFRESH seconds, not every step) divided by the CPUs per run. There is no standby:
a node's worker imports TensorFlow itself. Each step

1. asks for a cancelled run's job to stop (`stop_job`: SIGTERM, then SIGKILL from Ray) once the
   run's own cancel flag has gone unanswered for `term_after` seconds;
2. about once a second (JOB_POLL_SECONDS), reads each running run's job and reconciles: a job that
   ended (FAILED, STOPPED, or even SUCCEEDED) while its run is still `running` ends the run
   `cancelled` if a cancel was asked for, else `failed` or `interrupted` with a message in words;
   a job the cluster no longer knows (404: the head restarted) ends it `interrupted`;
3. the watchdog: a run silent for `heartbeat_limit` seconds ends `interrupted` and its job is
   stopped. A run whose job was still PENDING at the last look (waiting for a CPU, or for its
   node to start it) is not watched: its worker has not started, and Ray itself fails a job
   that never does;
4. claims queued runs while fewer than the cluster's share run, and submits them.

Nothing here reads a local pid: a Ray run's worker lives on another machine. A head that cannot be
reached, or that refuses this server's token (Ray 2.60 turns token auth on: the client reads
RAY_AUTH_TOKEN, RAY_AUTH_TOKEN_PATH or ~/.ray/auth_token), fails the claimed runs with a sentence
that says what to set. Connection trouble while jobs run changes nothing: their runs are judged
by their heartbeats until the cluster answers again.
"""
from __future__ import annotations

import os
import shlex
import signal
import sys
import time
from typing import Callable

from rnnlab import PROJECT_ROOT
from rnnlab.jobs.heartbeats import SilenceClock
from rnnlab.jobs.shared_home import write_marker
from rnnlab.jobs.store import CANCELLED, FAILED, INTERRUPTED, RUNNING, Store

JOB_POLL_SECONDS = 1.0       # job states change in seconds (a submit alone takes ~0.7 s)
CAPACITY_REFRESH = 5.0       # nodes join or leave a class's cluster rarely
PENDING, ENDED = "PENDING", ("SUCCEEDED", "FAILED", "STOPPED")
WORKER_SAYS = "rnnlab: "     # the worker's lines for people start so (rnnlab.trainer.worker)


def cpus_per_run() -> float:
    return float(os.environ.get("RNNLAB_RAY_CPUS_PER_RUN", "1"))


def submission_id(store_id: str, run_id: int) -> str:
    """The Ray job's submission id of run `run_id` of the store `store_id`."""
    return f"rnnlab-{store_id}-{run_id}"


def explain(error: Exception, address: str) -> str:
    """A failed call to the Ray cluster, in words that say what to set; never a traceback.

    Args:
        error: what the Ray client raised.
        address: the head's address (RNNLAB_RAY_ADDRESS).
    Returns:
        One or two sentences for the run's error.
    """
    from ray.exceptions import AuthenticationError
    from ray.util.state.exception import ServerUnavailable

    if isinstance(error, AuthenticationError):
        return (f"The Ray cluster at {address} refused this server's token. Set RAY_AUTH_TOKEN "
                "for the app (or RAY_AUTH_TOKEN_PATH to a file holding it) to the token that "
                "`ray get-auth-token` prints on the head, restart the app, and submit again.")
    if isinstance(error, (ConnectionError, ServerUnavailable)):
        return (f"Cannot reach the Ray cluster at {address}. Start its head (`ray start --head`) "
                "or set RNNLAB_RAY_ADDRESS to the head's job server (http://HEAD:8265), "
                "then submit again.")
    first_line = (str(error).strip().splitlines() or [""])[0]
    return f"The Ray cluster at {address} did not take the run ({type(error).__name__}: {first_line})."


def cluster_cpus(address: str) -> float:
    """The CPUs of every alive node of the cluster at `address` (about 10 ms)."""
    from ray.util.state import list_nodes

    return sum(node.resources_total.get("CPU", 0) for node in list_nodes(address=address, detail=True)
               if node.state == "ALIVE")


def job_client(address: str):
    """A `ray.job_submission.JobSubmissionClient` for `address` (it checks the head at once)."""
    from ray.job_submission import JobSubmissionClient

    return JobSubmissionClient(address)


class RayBackend:
    """Runs the queue of `store` on the Ray cluster at `address`. Call `step()` repeatedly.

    Args:
        store: the run store (the workers on the nodes must reach the same one).
        address: the head's job server, e.g. http://head:8265.
        heartbeat_limit: seconds of silence before a run is given up.
        term_after: seconds a cancel flag may go unanswered before the job is stopped.
        make_client: builds the job client (tests pass a fake); default `job_client`.
        read_cpus: reads the cluster's CPUs (tests pass a fake); default `cluster_cpus`.
    """

    def __init__(self, store: Store, address: str, heartbeat_limit: float, term_after: float,
                 make_client: Callable = job_client, read_cpus: Callable = cluster_cpus):
        self.store, self.address, self.term_after = store, address, term_after
        self.make_client, self.read_cpus = make_client, read_cpus
        self.clock = SilenceClock(heartbeat_limit)
        self.store_id = store.store_id
        write_marker(store.home, self.store_id)
        self.client = None
        self.runs_at_once, self.unreachable = 0, None  # from the last look at the cluster
        self.capacity_read = self.last_poll = -float("inf")
        self.job_states: dict[int, str] = {}  # run id: its job's status at the last poll
        self.stopped: set[int] = set()         # runs whose job this backend asked to stop

    def step(self) -> None:
        running = self.store.list(status=RUNNING)
        now = self.clock.look()
        self._escalate_cancels(running, now)
        if time.monotonic() - self.last_poll >= JOB_POLL_SECONDS:
            self.last_poll = time.monotonic()
            running = [run for run in running if not self._reconcile(run)]
        self._watch_heartbeats(running, now)
        self._forget_ended(running)
        self._start_queued(len(running))

    def _forget_ended(self, running: list) -> None:
        """Keep what is known about jobs for running runs only (a supervisor may run for weeks)."""
        ids = {run.id for run in running}
        self.job_states = {run_id: state for run_id, state in self.job_states.items() if run_id in ids}
        self.stopped &= ids

    def job_of(self, run) -> str:
        """The run's job id: the recorded one, else the derived one (claimed before a crash)."""
        return run.job or submission_id(self.store_id, run.id)

    def _connected(self):
        """The job client, made on first use and again after a call failed."""
        if self.client is None:
            self.client = self.make_client(self.address)
        return self.client

    def _escalate_cancels(self, running: list, now: float) -> None:
        for run in running:
            if (run.cancel_requested is not None and run.id not in self.stopped
                    and now - run.cancel_requested > self.term_after):
                self._stop(run)

    def _stop(self, run) -> None:
        try:
            self._connected().stop_job(self.job_of(run))
            self.stopped.add(run.id)
        except Exception:  # unreachable for now: the next step asks again
            self.client = None

    def _reconcile(self, run) -> bool:
        """Compare the run with its job (item 2 above); True if the run was ended here."""
        job = self.job_of(run)
        try:
            info = self._connected().get_job_info(job)
        except RuntimeError as err:
            if "does not exist" not in str(err):
                self.client = None
                return False
            return self._end(run, INTERRUPTED, (
                f"The Ray cluster no longer knows this run's job {job} (was its head restarted?), "
                "so the run was given up. Submit it again."))
        except Exception:  # the head does not answer now: judge the run by its heartbeat
            self.client = None
            return False
        state = getattr(info.status, "value", info.status)
        self.job_states[run.id] = state
        if state not in ENDED:
            return False
        if state == "STOPPED":
            return self._end(run, INTERRUPTED, (
                f"Its Ray job {job} was stopped on the cluster before the run finished. "
                "Submit it again."))
        return self._end(run, FAILED, self._failure(job, info))

    def _failure(self, job: str, info) -> str:
        """Why a job ended without its worker reporting an end: the worker's own words if any."""
        try:
            logs = self._connected().get_job_logs(job)
        except Exception:
            logs = ""
        said = [line[len(WORKER_SAYS):] for line in logs.splitlines() if line.startswith(WORKER_SAYS)]
        if said:
            return said[-1]
        code = getattr(info, "driver_exit_code", None)
        if code is not None and code < 0:  # a signal's number, as subprocess reports it
            how = f"was killed ({signal.Signals(-code).name})"
        else:
            how = f"exited with code {code}" if code is not None else "ended"
        return (f"The training process on the Ray cluster {how} before reporting an end (job "
                f"{job}; `ray job logs {job}` shows why). Submit it again; if it keeps happening, "
                "check that every node has the project and its .venv at the same path.")

    def _end(self, run, status: str, error: str) -> bool:
        """End a still-running run: `cancelled` if a cancel was asked for, else `status`."""
        current = self.store.get(run.id)
        if current.status != RUNNING:
            return True  # its worker recorded its own ending meanwhile
        if current.cancel_requested is not None:
            status, error = CANCELLED, None
        self.store.finish(run.id, status, error=error)
        self.job_states.pop(run.id, None)
        return True

    def _watch_heartbeats(self, running: list, now: float) -> None:
        for run in running:
            if self.job_states.get(run.id) == PENDING:
                continue  # waiting for a CPU is not silence
            silent = self.clock.silent(run, now)
            if silent > self.clock.limit and self.store.finish(run.id, INTERRUPTED, error=(
                    f"The training process on {run.node or 'the Ray cluster'} stopped answering for "
                    f"{silent:.0f} s (the limit is {self.clock.limit:g} s), so its Ray job was "
                    "stopped. Submit it again.")):
                self._stop(run)

    def _capacity(self) -> int:
        """Runs at once: the cluster's CPUs / CPUs per run, re-read every CAPACITY_REFRESH s."""
        if time.monotonic() - self.capacity_read >= CAPACITY_REFRESH:
            self.capacity_read = time.monotonic()
            try:
                self.runs_at_once, self.unreachable = int(self.read_cpus(self.address) // cpus_per_run()), None
            except Exception as err:
                self.unreachable = explain(err, self.address)
        return self.runs_at_once

    def _start_queued(self, running: int) -> None:
        while True:
            capacity = self._capacity()
            # An unreachable head fails the runs it would take, one by one, with what to set.
            run = self.store.claim(running + 1 if self.unreachable else capacity)
            if run is None:
                return
            if self.unreachable:
                self.store.finish(run.id, FAILED, error=self.unreachable)
                continue
            self._submit(run)
            running += 1

    def _submit(self, run) -> None:
        job = submission_id(self.store_id, run.id)
        self.store.run_dir(run.id).mkdir(parents=True, exist_ok=True)
        try:
            self._connected().submit_job(
                entrypoint=(f"cd {shlex.quote(str(PROJECT_ROOT))} && exec {shlex.quote(sys.executable)} "
                            f"-m rnnlab.trainer.worker {run.id}"),
                submission_id=job, entrypoint_num_cpus=cpus_per_run(),
                runtime_env={"env_vars": self.job_environment(job)})
        except Exception as err:
            self.client = None
            self.store.finish(run.id, FAILED, error=explain(err, self.address))
            return
        self.store.set_job(run.id, job)

    def job_environment(self, job: str) -> dict[str, str]:
        """The variables a run's worker gets on its node: what it needs to find the class."""
        variables = {name: value for name, value in os.environ.items() if name.startswith("RNNLAB_")}
        variables.update(RNNLAB_HOME=str(self.store.home.resolve()), RNNLAB_STORE_ID=self.store_id,
                         RNNLAB_RAY_JOB=job, PYTHONPATH=str(PROJECT_ROOT),
                         TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"))
        return variables
