"""The run store: one database that is the single source of truth about every training run.

Three tables. `runs` is both the record of every run and the job queue: a run is born `queued`,
a supervisor claims it (`running`), and its worker ends it `done`, `failed`, `diverged` or
`cancelled`; a run whose worker vanished becomes `interrupted`. A run's `kind` is `train` (one
model) or `search` (a hyperparameter search, rnnlab.config.search: its `search` column holds the
SearchConfig, its `config` the base model). `metrics` holds the curves, one row per (run, name,
value): throttled batch rows (the epoch's running mean so far, as Keras reports it) and one row per
metric at the end of each epoch. `trials` holds a search's trials, one row each, written when a
trial starts and again when it ends, so finished trials survive a cancel or a crash.

Why SQLite and not memory: the web server, several browsers, the supervisor and the workers are
separate threads and processes that come and go. WAL mode lets readers read while a worker writes;
busy_timeout makes a writer wait its turn instead of failing; a connection per operation (a new
one on SQLite, one taken from the process's pool on PostgreSQL) keeps connections out of threads
they were not made in (every Streamlit rerun is a new thread).
Reloads, restarts and a second browser all see the same truth because there is only one.
A class spread over several machines (a Ray cluster) puts the same tables on a PostgreSQL server
instead (RNNLAB_DATABASE_URL), which workers on every machine reach: the SQL here is written once
for both, and rnnlab.jobs.database hides the few differences, the write lock among them.

The tables' columns and their migrations are in rnnlab.jobs.schema. Per-run files (config.json,
weights, summary, history; rnnlab.jobs.artifacts) live in `<home>/runs/<id>/`, beside the
SQLite database `<home>/lab.sqlite`. The home folder is `RNNLAB_HOME`, default `runs/` in the
project; on a cluster, a shared folder at the same path on every machine.
A database that this code cannot read is refused untouched (rnnlab.jobs.schema.StoreError).
"""
from __future__ import annotations

import functools
import json
import os
import shutil
import time
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, ContextManager

from rnnlab import PROJECT_ROOT
from rnnlab.config import RunConfig
from rnnlab.config.search import SearchConfig
from rnnlab.jobs import database, limits, owners, schema
from rnnlab.jobs.limits import LimitError  # noqa: F401  (pages catch it from here)
# The records and status names, kept importable from here, where most callers look for them.
from rnnlab.jobs.records import (ACTIVE, CANCELLED, DIVERGED, DONE, FAILED,  # noqa: F401
                                 INTERRUPTED, QUEUED, RUNNING, SEARCH, TERMINAL, TRAIN,
                                 MetricRow, Run, Trial)

if TYPE_CHECKING:
    from rnnlab.jobs.database import Connection

TWIN_QUERY = "SELECT id FROM runs WHERE config_hash = ? AND kind = ? AND status IN (?, ?) ORDER BY id"


def default_home() -> Path:
    """The store's folder when none is given: RNNLAB_HOME, else runs/ in the project."""
    return Path(os.environ.get("RNNLAB_HOME") or PROJECT_ROOT / "runs")


def store_address(home: str | Path | None = None,
                  database_url: str | None = None) -> tuple[Path, str | None]:
    """Where a store lives: its folder and its database's URL (None: SQLite in the folder), each
    from the environment when not given. Two equal addresses are the same store."""
    return (Path(home) if home else default_home(),
            database_url or os.environ.get("RNNLAB_DATABASE_URL"))


class Store:
    """The run store: its runs' files in folder `home`, its tables in `<home>/lab.sqlite` or, with
    `database_url` (default: RNNLAB_DATABASE_URL), on a PostgreSQL server (created with its
    schema on first use).

    Raises:
        StoreError: the database is not one this code can read, or the server cannot be reached
            (schema.prepare).
    """

    def __init__(self, home: str | Path | None = None, database_url: str | None = None):
        self.home, database_url = store_address(home, database_url)
        self.home.mkdir(parents=True, exist_ok=True)
        self.database = database.open_database(self.home, database_url)
        # The SQLite file, for the tests and tools that open it themselves; None on PostgreSQL.
        self.db_path = getattr(self.database, "path", None)
        schema.prepare(self.database)

    # -- connections --------------------------------------------------------------------------

    def connect(self, write: bool = False) -> ContextManager[Connection]:
        """A fresh connection; with write=True, one transaction that writers take in turn
        (committed on success): check-then-act is atomic on both databases (rnnlab.jobs.database).

        The other modules of rnnlab.jobs that keep tables of their own in the store (people,
        the classroom's settings) read and write through it, so every connection is set up alike.
        Its execute() takes `?` placeholders; rows read by position, by name and as dict(row).
        """
        return self.database.connect(write)

    @property
    def store_id(self) -> str:
        """This store's random id, made with its schema (rnnlab.jobs.schema, version 7)."""
        with self.connect() as conn:
            row = conn.execute("SELECT value FROM settings WHERE name = 'store_id'").fetchone()
        return json.loads(row["value"])

    @property
    def schema_version(self) -> int:
        """How many of rnnlab.jobs.schema's migrations the database file has had."""
        with self.connect() as conn:
            return self.database.version(conn)

    def run_dir(self, run_id: int) -> Path:
        """The folder for a run's files (config.json, weights, summary, history)."""
        return self.home / "runs" / str(run_id)

    # -- submitting and claiming --------------------------------------------------------------

    def submit(self, config: RunConfig, owner: str, owner_limit: int | None = None,
               rate_limit: int | None = None) -> int:
        """Queue a run and return its id.

        Raises:
            LimitError: `owner` already has `owner_limit` runs queued or running, or has made
                `rate_limit` requests in the last RATE_WINDOW seconds.
        """
        return self.submit_many([config], owner, owner_limit, rate_limit)[0]

    def submit_many(self, configs: list[RunConfig], owner: str,
                    owner_limit: int | None = None, rate_limit: int | None = None) -> list[int]:
        """Queue several runs as one request (a race, a sweep), all or none; returns their ids.

        A batch larger than the limit is allowed when the owner has nothing else queued or
        running: one click, one experiment (up to rnnlab.jobs.owners.MAX_BATCH runs).

        Raises:
            LimitError: the batch is larger than MAX_BATCH, or does not fit beside the owner's
                runs already queued or running, or the owner is over the rate limit.
        """
        return self._insert([(config, TRAIN, None) for config in configs], owner, owner_limit,
                            rate_limit)

    def submit_search(self, search: SearchConfig, owner: str, owner_limit: int | None = None,
                      rate_limit: int | None = None) -> int:
        """Queue a hyperparameter search (one job, one worker) and return its run id.

        Its `config` is the base model and its identity is the whole search's fingerprint.

        Raises:
            LimitError: `owner` already has `owner_limit` runs queued or running, or is over
                the rate limit.
        """
        return self._insert([(search.base, SEARCH, search)], owner, owner_limit, rate_limit)[0]

    def submit_or_join(self, configs: list[RunConfig], owner: str, owner_limit: int | None = None,
                       rate_limit: int | None = None) -> list[tuple[int, bool]]:
        """submit_many, except that a config whose twin (the same config and seed) is queued or
        running gets that run back, checked in the same transaction: three quick clicks on Train
        queue one run. Returns (run id, True if queued by this request) per config, in order.
        A request that only joins runs queues nothing and does not count towards the rate limit.
        """
        with self.connect(write=True) as conn:
            twins = [conn.execute(TWIN_QUERY, (c.fingerprint(), TRAIN, *ACTIVE)).fetchone()
                     for c in configs]
            jobs = [(c, TRAIN, None) for c, twin in zip(configs, twins) if twin is None]
            fresh = iter(self._insert(jobs, owner, owner_limit, rate_limit, conn) if jobs else [])
        return [(twin["id"], False) if twin else (next(fresh), True) for twin in twins]

    def _insert(self, jobs: list[tuple[RunConfig, str, SearchConfig | None]], owner: str,
                owner_limit: int | None, rate_limit: int | None,
                conn: Connection | None = None) -> list[int]:
        """Queue (config, kind, search) jobs as one request, all or none (see submit_many), in
        `conn`, a write transaction already open (submit_or_join), else in one opened here.

        The owner is stored as its display name and counted by its key (rnnlab.jobs.owners), so
        a name typed another way ("BOB", a zero-width space) shares the owner's limit. A request
        (one click: a run, a race, a search) counts once towards the rate limit, at most
        `rate_limit` requests per owner in any rnnlab.jobs.limits.RATE_WINDOW seconds.

        Raises:
            LimitError: more than owners.MAX_BATCH jobs at once, over the owner's limit, or over
                the rate limit (the message says in how many seconds to try again).
        """
        owner = owners.display_name(owner)
        if len(jobs) > owners.MAX_BATCH:
            raise LimitError(f"{len(jobs)} runs at once are more than one request may queue "
                             f"({owners.MAX_BATCH}). Queue fewer.")
        key = owners.owner_key(owner)
        with nullcontext(conn) if conn else self.connect(write=True) as conn:
            now = time.time()
            if rate_limit is not None:
                limits.check_rate(conn, owner, key, rate_limit, now)
            if owner_limit is not None:
                active = sum(owners.owner_key(row[0]) == key for row in conn.execute(
                    "SELECT owner FROM runs WHERE status IN (?, ?)", ACTIVE))
                limits.check_owner_limit(owner, active, len(jobs), owner_limit)
            limits.record_request(conn, key, now)
            return [int(conn.execute(
                "INSERT INTO runs (owner, config, config_hash, status, created, kind, search) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (owner, config.to_json(), (search or config).fingerprint(), QUEUED, now, kind,
                 search.to_json() if search else None)).fetchone()[0])
                for config, kind, search in jobs]

    def find_finished(self, config: RunConfig) -> int | None:
        """The newest finished (done) training run with exactly this config and seed, if any."""
        with self.connect() as conn:
            row = conn.execute("SELECT id FROM runs WHERE config_hash = ? AND status = ? AND "
                               "kind = ? ORDER BY id DESC LIMIT 1",
                               (config.fingerprint(), DONE, TRAIN)).fetchone()
        return row["id"] if row else None

    def claim(self, max_running: int) -> Run | None:
        """Atomically move the oldest queued run to running, if fewer than max_running are.

        The count and the claim are one write transaction, which writers take in turn on both
        databases, so two supervisors (or two threads) never claim one run nor pass the limit
        together (rnnlab.jobs.database says why the lock and not FOR UPDATE SKIP LOCKED).
        """
        with self.connect(write=True) as conn:
            running = conn.execute("SELECT COUNT(*) FROM runs WHERE status = ?", (RUNNING,)).fetchone()[0]
            if running >= max_running:
                return None
            row = conn.execute("SELECT id FROM runs WHERE status = ? ORDER BY id LIMIT 1",
                               (QUEUED,)).fetchone()
            if row is None:
                return None
            now = time.time()
            conn.execute("UPDATE runs SET status = ?, started = ?, heartbeat = ? WHERE id = ?",
                         (RUNNING, now, now, row["id"]))
        return self.get(row["id"])

    # -- the worker's reports -----------------------------------------------------------------

    def set_pid(self, run_id: int, pid: int) -> None:
        with self.connect(write=True) as conn:
            conn.execute("UPDATE runs SET pid = ? WHERE id = ?", (pid, run_id))

    def set_node(self, run_id: int, node: str) -> None:
        """Record the host name of the machine whose worker has started the run."""
        with self.connect(write=True) as conn:
            conn.execute("UPDATE runs SET node = ? WHERE id = ?", (node, run_id))

    def set_job(self, run_id: int, job: str) -> None:
        """Record the Ray job's submission id of a run handed to a Ray cluster."""
        with self.connect(write=True) as conn:
            conn.execute("UPDATE runs SET job = ? WHERE id = ?", (job, run_id))

    def beat(self, run_id: int) -> bool:
        """Record a heartbeat; returns True if someone has asked the run to stop."""
        with self.connect(write=True) as conn:
            conn.execute("UPDATE runs SET heartbeat = ? WHERE id = ?", (time.time(), run_id))
            row = conn.execute("SELECT cancel_requested FROM runs WHERE id = ?", (run_id,)).fetchone()
        return row is not None and row["cancel_requested"] is not None

    def add_metrics(self, run_id: int, rows: list[tuple[str, int, int, str, float]]) -> None:
        """Append (kind, step, epoch, name, value) rows, all stamped now, in one transaction."""
        now = time.time()
        with self.connect(write=True) as conn:
            conn.executemany(
                "INSERT INTO metrics (run_id, kind, step, epoch, name, value, time) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(run_id, kind, step, epoch, name, float(value), now)
                 for kind, step, epoch, name, value in rows])

    def finish(self, run_id: int, status: str, error: str | None = None,
               result: dict | None = None, only_if_running: bool = True) -> bool:
        """End a run. With only_if_running, a run that already ended keeps its first ending.

        A search's trial that was still running ends with the run's status (cancelled,
        interrupted, failed): its finished trials are kept as they are.
        """
        assert status in TERMINAL, status
        condition = " AND status = 'running'" if only_if_running else ""
        with self.connect(write=True) as conn:
            cursor = conn.execute(
                f"UPDATE runs SET status = ?, finished = ?, error = ?, result = ? WHERE id = ?{condition}",
                (status, time.time(), error, json.dumps(result) if result is not None else None,
                 run_id))
            if cursor.rowcount == 1:
                conn.execute("UPDATE trials SET status = ? WHERE run_id = ? AND status = 'running'",
                             (status, run_id))
        return cursor.rowcount == 1

    def start_trial(self, run_id: int, number: int, trial_id: str, hyperparameters: dict) -> None:
        """Record that trial `number` of search `run_id` has begun training."""
        with self.connect(write=True) as conn:
            conn.execute("INSERT INTO trials (run_id, number, trial_id, hyperparameters, status, "
                         "started) VALUES (?, ?, ?, ?, 'running', ?)",
                         (run_id, number, trial_id, json.dumps(hyperparameters, sort_keys=True),
                          time.time()))

    def end_trial(self, run_id: int, number: int, status: str, score: float | None,
                  epochs: int, seconds: float, message: str | None = None) -> None:
        """Record how trial `number` ended (keras-tuner's status in lower case) and its score."""
        with self.connect(write=True) as conn:
            conn.execute("UPDATE trials SET status = ?, score = ?, epochs = ?, seconds = ?, "
                         "message = ? WHERE run_id = ? AND number = ?",
                         (status, score, epochs, seconds, message, run_id, number))

    def trials(self, run_id: int, since: int = 0) -> list[Trial]:
        """The search's trials numbered above `since`, first trial first."""
        with self.connect() as conn:
            rows = conn.execute("SELECT run_id, number, trial_id, hyperparameters, status, score, "
                                "epochs, seconds, started, message FROM trials WHERE run_id = ? "
                                "AND number > ? ORDER BY number", (run_id, since)).fetchall()
        return [Trial(**{**dict(row), "hyperparameters": json.loads(row["hyperparameters"])})
                for row in rows]

    # -- cancel, recovery, delete -------------------------------------------------------------

    def request_cancel(self, run_id: int, by: str | None = None) -> str:
        """Ask a run to stop. A queued run is cancelled at once; returns the run's status after.

        Args:
            by: the name of who asked, kept with the run (the first to ask is kept).
        """
        with self.connect(write=True) as conn:
            conn.execute("UPDATE runs SET cancel_requested = COALESCE(cancel_requested, ?), "
                         "cancelled_by = COALESCE(cancelled_by, ?) "
                         "WHERE id = ? AND status IN (?, ?)", (time.time(), by, run_id, *ACTIVE))
            conn.execute("UPDATE runs SET status = ?, finished = ? WHERE id = ? AND status = ?",
                         (CANCELLED, time.time(), run_id, QUEUED))
            row = conn.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise KeyError(f"There is no run {run_id}.")
        return row["status"]

    def delete(self, run_id: int) -> None:
        """Remove a run, its curves and its files. Active runs must be cancelled first."""
        with self.connect(write=True) as conn:
            row = conn.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()
            if row is None:
                return
            if row["status"] in ACTIVE:
                raise ValueError(f"Run {run_id} is {row['status']}: cancel it before deleting it.")
            conn.execute("DELETE FROM runs WHERE id = ?", (run_id,))
        shutil.rmtree(self.run_dir(run_id), ignore_errors=True)

    # -- reading ------------------------------------------------------------------------------

    def get(self, run_id: int) -> Run:
        runs = self.list(ids=[run_id])
        if not runs:
            raise KeyError(f"There is no run {run_id}.")
        return runs[0]

    def list(self, owner: str | None = None, status: str | tuple | None = None,
             ids: list[int] | None = None, kind: str | None = None) -> list[Run]:
        """Runs, newest first, optionally only one owner's, some statuses, some ids or one kind."""
        where, args = [], []
        if kind is not None:
            where.append("kind = ?")
            args.append(kind)
        if owner is not None:
            where.append("owner = ?")
            args.append(owner)
        if status is not None:
            statuses = (status,) if isinstance(status, str) else tuple(status)
            where.append(f"status IN ({','.join('?' * len(statuses))})")
            args += statuses
        if ids is not None:
            where.append(f"id IN ({','.join('?' * len(ids))})")
            args += ids
        sql = "SELECT * FROM runs" + (" WHERE " + " AND ".join(where) if where else "")
        with self.connect() as conn:
            rows = conn.execute(sql + " ORDER BY id DESC", args).fetchall()
            queued = [r["id"] for r in conn.execute(
                "SELECT id FROM runs WHERE status = ? ORDER BY id", (QUEUED,))]
        position = {run_id: i for i, run_id in enumerate(queued, start=1)}
        return [_decode(row, position.get(row["id"])) for row in rows]

    def metrics_since(self, run_id: int, since: int = 0) -> list[MetricRow]:
        """The run's metric rows with id > since, oldest first: pass the last id you have."""
        with self.connect() as conn:
            rows = conn.execute("SELECT id, kind, step, epoch, name, value, time FROM metrics "
                                "WHERE run_id = ? AND id > ? ORDER BY id", (run_id, since))
            return [MetricRow(**dict(row)) for row in rows]

    def integrity_ok(self) -> bool:
        """Whether the database holds together (rnnlab.jobs.database: what each one checks)."""
        return self.database.integrity_ok()


def _decode(row, queue_position: int | None) -> Run:
    data = dict(row)
    data["config"] = _config(data["config"])
    data["result"] = json.loads(data["result"]) if data["result"] else None
    data["search"] = SearchConfig.from_json(data["search"]) if data["search"] else None
    return Run(**data, queue_position=queue_position)


# Pages list a class's hundreds of runs several times a second among their tabs, and reading a
# config (its JSON parsed and every field checked) takes a quarter of a millisecond: each stored
# text is read once per process, and its RunConfig, frozen, is shared by every listing.
@functools.lru_cache(maxsize=4096)
def _config(text: str) -> RunConfig:
    return RunConfig.from_json(text)
