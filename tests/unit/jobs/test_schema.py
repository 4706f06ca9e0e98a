"""The store's schema: created once in WAL mode, and an older file upgraded with its runs intact.

The tests about the SQLite file (its journal mode, stores made by earlier labs, which were all
SQLite) run on SQLite only; tests/unit/jobs/test_database.py has PostgreSQL's own."""
import hashlib
import json
import sqlite3
from contextlib import nullcontext

import pytest

from rnnlab.config import LayerConfig, RunConfig
from rnnlab.config.search import SearchConfig
from rnnlab.jobs import schema
from rnnlab.jobs.database import SQLite
from rnnlab.jobs.schema import MIGRATIONS
from rnnlab.jobs.store import Store
from tests.postgres import fresh_database_url

pytestmark = pytest.mark.usefixtures("store_backend")  # each test on SQLite and PostgreSQL


@pytest.mark.single_backend
def test_schema_is_created_once_in_wal_mode(tmp_path):
    store = Store(tmp_path)
    assert store.schema_version == len(MIGRATIONS) == 7
    Store(tmp_path)  # opening again applies nothing twice
    with sqlite3.connect(store.db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 0
        tables = {row[0] for row in
                  conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"runs", "metrics", "trials", "people", "settings", "submissions", "predictions",
            "prediction_reveals"} <= tables


@pytest.mark.single_backend
def test_a_store_from_before_searches_opens_with_its_runs_as_training_runs(tmp_path):
    """A file made by the first version (no kind, search or trials) is upgraded in place."""
    config = RunConfig()
    with sqlite3.connect(tmp_path / "lab.sqlite", isolation_level=None) as conn:
        conn.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
        conn.execute("INSERT INTO runs (owner, config, config_hash, status, created) "
                     "VALUES ('ada', ?, ?, 'done', 1.0)", (config.to_json(), config.fingerprint()))
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    store = Store(tmp_path)
    assert store.schema_version == len(MIGRATIONS)
    (run,) = store.list()
    assert (run.owner, run.config, run.status, run.kind, run.search) == (
        "ada", config, "done", "train", None)
    assert store.trials(run.id) == []
    assert store.find_finished(config) == run.id


def seattle_json(config: RunConfig) -> str:
    """The JSON an earlier version wrote, when every config's weather section named Seattle."""
    return config.to_json().replace('"source": "nyc-jfk"', '"source": "seattle"')


@pytest.mark.single_backend
def test_seattle_weather_runs_are_retired_and_other_runs_name_the_new_default(tmp_path):
    """A version-2 store: IMDB runs carry the unused Seattle section, a weather run trained on it."""
    imdb = RunConfig()
    weather = RunConfig(dataset="weather")
    with sqlite3.connect(tmp_path / "lab.sqlite", isolation_level=None) as conn:
        conn.executescript(MIGRATIONS[0] + MIGRATIONS[1] + "PRAGMA user_version = 2;")
        for owner, config in (("ada", imdb), ("bob", weather)):
            conn.execute("INSERT INTO runs (owner, config, config_hash, status, created) "
                         "VALUES (?, ?, 'old', 'done', 1.0)", (owner, seattle_json(config)))
        conn.execute("INSERT INTO metrics (run_id, kind, step, epoch, name, value, time) "
                     "VALUES (2, 'epoch', 10, 1, 'val_mae', 0.3, 1.0)")
    store = Store(tmp_path)
    assert store.schema_version == len(MIGRATIONS)
    (run,) = store.list()
    assert (run.id, run.owner, run.config) == (1, "ada", imdb)
    assert store.find_finished(imdb) == 1          # its fingerprint was recomputed
    with sqlite3.connect(store.db_path) as conn:
        retired = conn.execute("SELECT id, owner, config, reason FROM retired_runs").fetchall()
        curves = conn.execute("SELECT COUNT(*) FROM metrics WHERE run_id = 2").fetchone()[0]
    conn.close()
    ((run_id, owner, config_text, reason),) = retired
    assert (run_id, owner, config_text) == (2, "bob", seattle_json(weather))
    assert "Seattle climate normals" in reason and "New York" in reason
    assert curves == 1                             # nothing of it was deleted but its row


@pytest.mark.single_backend
def test_runs_from_before_the_language_model_are_reused_after_the_upgrade(tmp_path):
    """A version-5 store: its configs' JSON has no text section, and fingerprints to match."""
    config = RunConfig(dataset="memory", layers=(LayerConfig(cell="GRU", units=8),))
    search = SearchConfig(base=config, objective="val_accuracy")
    old_config = {k: v for k, v in config.to_dict().items() if k != "text"}
    old_search = search.to_dict()
    del old_search["base"]["text"]
    old_config_json = json.dumps(old_config, sort_keys=True, indent=2)
    old_hash = hashlib.sha256(old_config_json.encode()).hexdigest()[:16]
    with sqlite3.connect(tmp_path / "lab.sqlite", isolation_level=None) as conn:
        conn.executescript("".join(step for step in MIGRATIONS[:5] if isinstance(step, str))
                           + "PRAGMA user_version = 5;")
        conn.execute("INSERT INTO runs (owner, config, config_hash, status, created) "
                     "VALUES ('ada', ?, ?, 'done', 1.0)", (old_config_json, old_hash))
        conn.execute("INSERT INTO runs (owner, config, config_hash, status, created, kind, "
                     "search) VALUES ('bob', ?, 'old', 'done', 2.0, 'search', ?)",
                     (old_config_json, json.dumps(old_search)))
        conn.execute("INSERT INTO runs (owner, config, config_hash, status, created) "
                     "VALUES ('cy', '{not json', 'x', 'failed', 3.0)")
    assert old_hash != config.fingerprint()       # before: the same settings, another key
    store = Store(tmp_path)
    assert store.schema_version == len(MIGRATIONS)
    assert store.find_finished(config) == 1
    with sqlite3.connect(store.db_path) as conn:
        rows = conn.execute("SELECT config, config_hash, search FROM runs ORDER BY id").fetchall()
    conn.close()
    assert rows[0][:2] == (config.to_json(), config.fingerprint())
    assert rows[1][1:] == (search.fingerprint(), search.to_json())
    assert rows[2] == ("{not json", "x", None)    # left for the readers to report


@pytest.mark.single_backend
def test_upgrade_leaves_a_file_from_a_newer_lab_as_it_is(tmp_path):
    """Store refuses such a file first (tests/faults/test_store_file.py); upgrade alone must not
    touch it either: no migration, and not even WAL mode (which rewrites the file's header)."""
    path = tmp_path / "lab.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY)")
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    original = path.read_bytes()
    schema.upgrade(SQLite(path))
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert path.read_bytes() == original


def test_a_store_has_its_own_random_id_and_runs_start_with_no_node_or_job(tmp_path, store_backend):
    other = fresh_database_url() if store_backend == "postgresql" else nullcontext(None)
    with other as other_url:  # on PostgreSQL, another store is another schema
        first, second = Store(tmp_path / "a"), Store(tmp_path / "b", database_url=other_url)
        assert first.store_id != second.store_id and len(first.store_id) == 12
        assert Store(tmp_path / "a").store_id == first.store_id  # made once, with the schema
        run_id = first.submit(RunConfig(), "ada")
        assert (first.get(run_id).node, first.get(run_id).job) == (None, None)
        first.set_node(run_id, "lab-pc-07")
        first.set_job(run_id, "rnnlab-x-1")
        assert (first.get(run_id).node, first.get(run_id).job) == ("lab-pc-07", "rnnlab-x-1")
