"""The run store's tables, and how a database file is brought up to date.

The schema grows by numbered migrations: each entry of `MIGRATIONS` upgrades a file by one
version, and SQLite's `PRAGMA user_version` records how many a file has had. A new column or
table is a new entry at the end, never an edit of an old one, so a store made by any earlier
version of the lab opens in this one with its runs intact.

    version 1   runs (the record of every run and the job queue), metrics (the curves)
    version 2   runs.kind and runs.search (hyperparameter searches), trials (their trials)

rnnlab.jobs.store explains what the tables mean to the lab; the comments below say what each
column holds.
"""
from __future__ import annotations

import sqlite3

MIGRATIONS = [
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        owner TEXT NOT NULL,
        config TEXT NOT NULL,               -- RunConfig JSON: with its seed, the run's identity
        config_hash TEXT NOT NULL,
        status TEXT NOT NULL,
        created REAL NOT NULL,
        started REAL,
        finished REAL,
        pid INTEGER,                        -- the worker process (its own process group)
        heartbeat REAL,                     -- last sign of life from the worker
        cancel_requested REAL,              -- when someone asked to stop it, else NULL
        error TEXT,                         -- what went wrong, in words a student can act on
        result TEXT                         -- JSON scores once it ends
    );
    CREATE INDEX runs_by_status ON runs(status, id);
    CREATE INDEX runs_by_hash ON runs(config_hash, status);
    CREATE TABLE metrics (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- readers ask for rows after the last id they have
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,                 -- 'batch' (running mean of the epoch) or 'epoch'
        step INTEGER NOT NULL,              -- batches trained so far in the run
        epoch INTEGER NOT NULL,             -- 1-based
        name TEXT NOT NULL,                 -- loss, accuracy, mae, val_loss, ...
        value REAL NOT NULL,
        time REAL NOT NULL
    );
    CREATE INDEX metrics_by_run ON metrics(run_id, id);
    """,
    """
    ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'train';  -- 'train' or 'search'
    ALTER TABLE runs ADD COLUMN search TEXT;   -- SearchConfig JSON of a search, else NULL
    CREATE TABLE trials (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,            -- 1 = the search's first trial
        trial_id TEXT NOT NULL,             -- keras-tuner's own id (its folder under tuner/)
        hyperparameters TEXT NOT NULL,      -- JSON {name: value}, keras-tuner's names
        status TEXT NOT NULL,               -- running, then keras-tuner's ending in lower case
                                            -- (completed, failed, invalid) or the run's
                                            -- (cancelled, interrupted) if it stopped mid-trial
        score REAL,                         -- the objective at the trial's best epoch
        epochs INTEGER,                     -- epochs this trial trained
        seconds REAL,                       -- wall-clock seconds of the trial, model building included
        started REAL NOT NULL,
        message TEXT,                       -- why a trial failed
        UNIQUE (run_id, number)
    );
    """,
]


def version(conn: sqlite3.Connection) -> int:
    """How many migrations the database behind `conn` has had (0 for a new, empty file)."""
    return conn.execute("PRAGMA user_version").fetchone()[0]


def upgrade(conn: sqlite3.Connection) -> None:
    """Apply the migrations the database lacks, all in one transaction.

    Args:
        conn: a connection in autocommit mode (isolation_level=None) with no open transaction.
    """
    if version(conn) == len(MIGRATIONS):
        # Pages make a Store per call: an up-to-date file needs only this read, not the write
        # lock below (taking it on every call made writers queue behind page reruns).
        return
    conn.execute("PRAGMA journal_mode = WAL")  # persistent: set once per database file
    conn.execute("BEGIN IMMEDIATE")  # two processes opening a new store: one migrates, one waits
    current = version(conn)
    for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
        for statement in filter(str.strip, script.split(";")):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number}")
    conn.execute("COMMIT")
