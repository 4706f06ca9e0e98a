"""The run store's tables, and how a database file is brought up to date.

The schema grows by numbered migrations: each entry of `MIGRATIONS` upgrades a store by one
version, and the database records how many it has had (SQLite's `PRAGMA user_version`, a
`schema_version` table on PostgreSQL: rnnlab.jobs.database). A new column or
table is a new entry at the end, never an edit of an old one, so a store made by any earlier
version of the lab opens in this one with its runs intact.

    version 1   runs (the record of every run and the job queue), metrics (the curves)
    version 2   runs.kind and runs.search (hyperparameter searches), trials (their trials)
    version 3   retired_runs: weather runs on the Seattle record, which the lab no longer has;
                every other run's config now names the new default record (a Python step)
    version 4   the classroom: people (the names joined, one person each), runs.cancelled_by,
                settings (the teacher's per-student limit), submissions (the rate limit's count),
                wrong_secrets (the wrong guesses at the teacher's secret)
    version 5   predictions (the class's guesses about a race or a sweep, rnnlab.jobs.predictions)
                and prediction_reveals (which batches' guesses the teacher has shown)
    version 6   every config gains the text section (the character-level language model): each
                run's JSON is re-encoded with its defaults and its fingerprint recomputed (Python)
    version 7   a class on several machines: runs.node (the machine that trains it) and runs.job
                (its Ray job), and the store's own random id in settings (Python)

A migration is an SQL script, or a Python function of the connection when it must rewrite JSON.
Both are written once, in SQL that SQLite and PostgreSQL share; the database translates the
few words that differ (ids, float widths). Version 3 once said `WHERE 0` and an untyped `?` in
a SELECT list, which PostgreSQL refuses: they now say `WHERE 1 = 0` and `CAST(? AS TEXT)`,
the same on SQLite.

A file this code cannot read (not SQLite, damaged, or with more migrations than it knows, i.e.
made by a newer lab) is refused with a `StoreError` and never written to: migrating it, or
setting its journal mode, could lose a newer lab's runs.

rnnlab.jobs.store explains what the tables mean to the lab; the comments below say what each
column holds.
"""
from __future__ import annotations

import json
import secrets
from typing import TYPE_CHECKING

from rnnlab.config import ConfigError, RunConfig
from rnnlab.config.search import SearchConfig
# StoreError is raised here and kept importable from here, where the pages look for it.
from rnnlab.jobs.store_error import StoreError  # noqa: F401  (its callers catch it from here)

if TYPE_CHECKING:
    from rnnlab.jobs.database import Connection, Database


def _retire_seattle(conn: Connection) -> None:
    """Version 3: the Seattle weather source (climate normals, not weather) was removed.

    Every config's JSON holds every section, so even an IMDB run's says `"source": "seattle"` in
    its unused weather section, and no longer decodes. Those runs never read the weather record:
    their weather section is set to the new default ("nyc-jfk"), re-encoded canonically, and their
    fingerprint recomputed. Weather runs that did train on Seattle are moved, row for row, into
    `retired_runs` with the reason; their curves and files stay where they were.
    """
    conn.execute("CREATE TABLE retired_runs AS SELECT *, '' AS reason FROM runs WHERE 1 = 0")
    reason = ("Trained on the Seattle climate normals, a record this version of RNN Lab no longer "
              "has (it was smoothed normals, not weather); retrain it on a New York record.")
    for run_id, config_text, search_text in conn.execute(
            "SELECT id, config, search FROM runs").fetchall():
        config = json.loads(config_text)
        if config.get("weather", {}).get("source") != "seattle":
            continue
        if config.get("dataset") == "weather":
            conn.execute("INSERT INTO retired_runs SELECT *, CAST(? AS TEXT) FROM runs "
                         "WHERE id = ?", (reason, run_id))
            conn.execute("DELETE FROM runs WHERE id = ?", (run_id,))
            continue
        try:
            config["weather"]["source"] = "nyc-jfk"
            new_config = RunConfig.from_dict(config)
            identity, search_json = new_config, None
            if search_text:
                search = json.loads(search_text)
                search["base"] = new_config.to_dict()
                identity = SearchConfig.from_dict(search)
                search_json = identity.to_json()
        except (ConfigError, KeyError, TypeError):
            continue  # damaged in some other way: left as it was, for the readers to report
        conn.execute("UPDATE runs SET config = ?, config_hash = ?, search = ? WHERE id = ?",
                     (new_config.to_json(), identity.fingerprint(), search_json, run_id))


def _add_text_section(conn: Connection) -> None:
    """Version 6: the character-level language model added a `text` section to every config.

    A run's identity is the fingerprint of its canonical JSON, which holds every section, so an
    old run's stored fingerprint no longer matches the same settings asked for today, and a
    finished run would be trained again instead of reused. Each config (and a search's base) is
    decoded, which fills the new section with its defaults, and written back with its new
    fingerprint. A row that does not decode is left as it was, for the readers to report.
    """
    for run_id, config_text, search_text in conn.execute(
            "SELECT id, config, search FROM runs").fetchall():
        try:
            config = RunConfig.from_json(config_text)
            identity, search_json = config, None
            if search_text:
                identity = SearchConfig.from_json(search_text)
                search_json = identity.to_json()
        except (ConfigError, KeyError, TypeError):
            continue
        conn.execute("UPDATE runs SET config = ?, config_hash = ?, search = ? WHERE id = ?",
                     (config.to_json(), identity.fingerprint(), search_json, run_id))


def _add_nodes_and_store_id(conn: Connection) -> None:
    """Version 7: runs may train on other machines (a Ray cluster, rnnlab.jobs.ray_jobs).

    `runs.node` is the host name of the machine whose worker trains the run (NULL until a worker
    starts), so a page and an error message can say where; `runs.job` is the Ray job's
    submission id for a run trained through Ray (NULL for a local worker process). The store's
    id is random, made once: it tells one store from another, in Ray submission ids (one cluster
    may serve several stores) and in the marker file that shows a worker reads the same run
    folder as the web server (rnnlab.jobs.shared_home).
    """
    conn.execute("ALTER TABLE runs ADD COLUMN node TEXT")
    conn.execute("ALTER TABLE runs ADD COLUMN job TEXT")
    conn.execute("INSERT INTO settings (name, value) VALUES ('store_id', ?)",
                 (json.dumps(secrets.token_hex(6)),))


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
    _retire_seattle,
    """
    CREATE TABLE people (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- the person's id, signed into their token
        name TEXT NOT NULL,                 -- display name (rnnlab.jobs.owners.display_name)
        key TEXT NOT NULL UNIQUE,           -- owner key: one person per name at a time
        joined REAL NOT NULL,
        expires REAL NOT NULL               -- when their token expires and the name is free again
    );
    ALTER TABLE runs ADD COLUMN cancelled_by TEXT;  -- the name of who asked it to stop, else NULL
    CREATE TABLE settings (
        name TEXT PRIMARY KEY,              -- e.g. 'owner_limit'
        value TEXT NOT NULL                 -- JSON
    );
    CREATE TABLE submissions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        owner_key TEXT NOT NULL,            -- rnnlab.jobs.owners.owner_key of who submitted
        time REAL NOT NULL                  -- one row per request (a race is one), not per run
    );
    CREATE INDEX submissions_by_owner ON submissions(owner_key, time);
    CREATE TABLE wrong_secrets (
        time REAL NOT NULL                  -- when someone typed a wrong teacher's secret
    );
    """,
    """
    CREATE TABLE predictions (
        batch TEXT NOT NULL,                -- the batch it is about, e.g. 'race 3,4,5'
        voter_key TEXT NOT NULL,            -- who answered: one answer per person and batch
        voter_name TEXT NOT NULL,           -- their name as the class sees it
        answer TEXT NOT NULL,               -- one of the question's choices, as text
        time REAL NOT NULL,                 -- when it was given or last changed
        PRIMARY KEY (batch, voter_key)
    );
    CREATE TABLE prediction_reveals (
        batch TEXT PRIMARY KEY,             -- a batch whose answers the teacher has shown
        revealed REAL NOT NULL,
        revealed_by TEXT NOT NULL           -- the teacher's name
    );
    """,
    _add_text_section,
    _add_nodes_and_store_id,
]


def upgrade(database: Database) -> None:
    """Apply the migrations the database lacks, all in one write transaction.

    A database with more migrations than MIGRATIONS is left as it is (prepare refuses it first).
    A migration's SQL is written for SQLite and translated by the database
    (rnnlab.jobs.database: identity ids and 8-byte floats on PostgreSQL).
    """
    if database.read_version() >= len(MIGRATIONS):
        # Pages make a Store per call: an up-to-date store needs only this read, not the write
        # lock below (taking it on every call made writers queue behind page reruns).
        return
    with database.migrating() as conn:
        current = database.version(conn)  # read again under the lock: another may have migrated
        for number, step in enumerate(MIGRATIONS[current:], start=current + 1):
            if callable(step):
                step(conn)
            else:
                for statement in filter(str.strip, step.split(";")):
                    conn.execute(database.translate(statement))
            database.set_version(conn, number)


def prepare(database: Database) -> None:
    """Make `database` a store of the current schema: create it, upgrade it, or refuse it.

    Args:
        database: the store's SQLite file (it need not exist yet; an empty file is a new
            database) or PostgreSQL database (rnnlab.jobs.database.open_database).
    Raises:
        StoreError: the file is not SQLite or is damaged, the server cannot be reached, or the
            schema is newer than MIGRATIONS. The message names the database and what to do; the
            database was not written to.
    """
    with database.refusals():
        found = database.read_version()
        if found > len(MIGRATIONS):
            raise StoreError(database.refusal(
                f"it was written by a newer version of RNN Lab, schema {found}; this version "
                f"knows up to schema {len(MIGRATIONS)}"))
        if found < len(MIGRATIONS):  # pages make a Store per call: a current one is read once
            upgrade(database)
