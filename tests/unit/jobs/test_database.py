"""The store's two databases: writers that race each other in separate processes (claims, a new
store's migrations) on both, PostgreSQL's own schema (identity ids, 8-byte times, a version
table), and a server that cannot be reached or refuses, told in words without the password."""
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from rnnlab.config import RunConfig, TrainingOptions
from rnnlab.jobs.postgresql import PostgreSQL
from rnnlab.jobs.schema import MIGRATIONS
from rnnlab.jobs.store_error import StoreError
from rnnlab.jobs.store import Store
from tests.postgres import fresh_database_url, server_url
from tests.waiting import wait_for

pytestmark = pytest.mark.usefixtures("store_backend")  # each test on SQLite and PostgreSQL

ROOT = Path(__file__).resolve().parents[3]
PROCESSES = 6

# One contender: opens the store (RNNLAB_DATABASE_URL from the test, else SQLite in `home`),
# says it is ready, waits for the starting gun, then either claims until nothing is left or
# (with "open") opens a store in a fresh folder, and prints what it got as JSON.
CONTENDER = """
import json, sys, time
from pathlib import Path
from rnnlab.jobs.store import Store
home, ready, go, what = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
store = Store(home) if what != "open" else None
ready.touch()
while not go.exists():
    time.sleep(0.001)
if what == "open":
    print(json.dumps(Store(home / "new").store_id))
else:
    claimed = []
    while (run := store.claim(int(what))) is not None:
        claimed.append(run.id)
    print(json.dumps(claimed))
"""


def race(tmp_path: Path, what: str) -> list:
    """Start PROCESSES contenders, fire the gun once all are ready, and collect their answers."""
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{i}" for i in range(PROCESSES)]
    contenders = [subprocess.Popen([sys.executable, "-c", CONTENDER, str(tmp_path), str(flag),
                                    str(go), what], cwd=ROOT, stdout=subprocess.PIPE, text=True)
                  for flag in ready]
    wait_for(lambda: all(flag.exists() for flag in ready), 60)
    go.touch()
    outputs = [process.communicate(timeout=60)[0] for process in contenders]
    assert [process.returncode for process in contenders] == [0] * PROCESSES
    return [json.loads(output) for output in outputs]


def queue(store: Store, count: int) -> list[int]:
    return [store.submit(RunConfig(training=TrainingOptions(seed=seed)), f"student {seed % 5}")
            for seed in range(count)]


def test_processes_claiming_at_once_claim_each_run_exactly_once(tmp_path):
    store = Store(tmp_path)
    queued = queue(store, 30)
    claims = race(tmp_path, "1000")
    everything = [run_id for claimed in claims for run_id in claimed]
    assert sorted(everything) == queued  # each run once: none twice, none left behind
    assert all(claimed == sorted(claimed) for claimed in claims)  # oldest first, as it took them
    assert {run.status for run in store.list()} == {"running"}


def test_processes_claiming_at_once_stop_at_the_limit_on_running_runs(tmp_path):
    """The check (fewer than 3 running) and the act (claim one) are one step for every writer."""
    store = Store(tmp_path)
    queued = queue(store, 12)
    claims = race(tmp_path, "3")
    assert sorted(run_id for claimed in claims for run_id in claimed) == queued[:3]
    assert [run.queue_position for run in store.list(status="queued")][::-1] == list(range(1, 10))


def test_processes_opening_a_new_store_at_once_make_one_schema(tmp_path):
    ids = race(tmp_path, "open")
    assert len(set(ids)) == 1 and len(ids[0]) == 12  # one migrated; the others found it done
    store = Store(tmp_path / "new")
    assert (store.store_id, store.schema_version) == (ids[0], len(MIGRATIONS))


def test_times_keep_every_digit_and_ids_count_up(tmp_path, monkeypatch):
    """Times are 8-byte floats on both (PostgreSQL's REAL would keep about 7 digits)."""
    store = Store(tmp_path)
    monkeypatch.setattr("rnnlab.jobs.store.time.time", lambda: 1764567890.123456)
    first, second = queue(store, 2)
    assert second == first + 1
    assert store.get(first).created == 1764567890.123456
    store.add_metrics(first, [("batch", 1, 1, "loss", 0.1234567890123)])
    assert store.metrics_since(first)[0].value == 0.1234567890123


def test_rows_read_by_position_by_name_and_whole(tmp_path):
    store = Store(tmp_path)
    (run_id,) = queue(store, 1)
    with store.connect() as conn:
        row = conn.execute("SELECT id, owner FROM runs WHERE owner LIKE '%0'").fetchone()
    assert (row[0], row["owner"], dict(row)) == (run_id, "student 0",
                                                 {"id": run_id, "owner": "student 0"})


# -- PostgreSQL only --------------------------------------------------------------------------


@pytest.mark.single_backend  # it names its own server
def test_an_unreachable_server_is_named_in_words_without_the_password(tmp_path):
    url = "postgresql://teacher:s3cret-Pa55@127.0.0.1:9/classroom"  # nothing listens on port 9
    with pytest.raises(StoreError) as refused:
        Store(tmp_path, database_url=url)
    message = str(refused.value)
    assert message.startswith("The run store, the PostgreSQL database classroom on 127.0.0.1:9, "
                              "could not be opened (Connection refused")
    assert "Connection refused" in message and "RNNLAB_DATABASE_URL" in message
    assert "s3cret-Pa55" not in message


@pytest.mark.single_backend
def test_a_wrong_password_is_refused_in_words_without_repeating_it(tmp_path):
    parts = urlsplit(server_url())
    wrong = parts._replace(netloc=f"{parts.username}:Wrong-Pa55@{parts.hostname}:{parts.port}")
    with pytest.raises(StoreError) as refused:
        Store(tmp_path, database_url=urlunsplit(wrong))
    message = str(refused.value)
    assert f"{parts.hostname}:{parts.port}" in message and "password" in message
    assert "Wrong-Pa55" not in message


@pytest.mark.single_backend
def test_an_address_that_is_not_one_is_refused_without_repeating_it(tmp_path):
    with pytest.raises(StoreError, match=r"RNNLAB_DATABASE_URL is not a PostgreSQL address\. "
                                         r"Write it as postgresql://USER:PASSWORD@HOST:5432/"):
        Store(tmp_path, database_url="s3cret host==")


@pytest.mark.single_backend
def test_postgresql_tables_have_identity_ids_8_byte_times_and_a_version_table(tmp_path):
    with fresh_database_url() as url:
        store = Store(tmp_path, database_url=url)
        Store(tmp_path, database_url=url)  # opening again applies nothing twice
        with store.connect() as conn:
            columns = dict(conn.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = 'runs'").fetchall())
            identity = conn.execute(
                "SELECT is_identity FROM information_schema.columns WHERE table_schema = "
                "current_schema() AND table_name = 'runs' AND column_name = 'id'").fetchone()[0]
            versions = conn.execute("SELECT version FROM schema_version").fetchall()
    assert (columns["id"], identity) == ("bigint", "YES")
    assert {columns[name] for name in ("created", "started", "finished", "heartbeat")} == {
        "double precision"}
    assert [tuple(row) for row in versions] == [(len(MIGRATIONS),)]


@pytest.mark.single_backend
def test_a_postgresql_store_from_a_newer_lab_is_refused_untouched(tmp_path):
    with fresh_database_url() as url:
        run_id = queue(Store(tmp_path, database_url=url), 1)[0]
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("UPDATE schema_version SET version = %s", (len(MIGRATIONS) + 1,))
        with pytest.raises(StoreError) as refused:
            Store(tmp_path, database_url=url)
        with psycopg.connect(url, autocommit=True) as conn:
            version = conn.execute("SELECT version FROM schema_version").fetchone()[0]
            runs = conn.execute("SELECT id FROM runs").fetchall()
    database = PostgreSQL(url)
    assert str(refused.value) == (
        f"The run store, the PostgreSQL database {database.dbname} on {database.host}:"
        f"{database.port}, is not a database this version of RNN Lab can read (it was written "
        f"by a newer version of RNN Lab, schema {len(MIGRATIONS) + 1}; this version knows up to "
        f"schema {len(MIGRATIONS)}). Point RNNLAB_DATABASE_URL at another database or schema; "
        "it was not changed.")
    assert (version, runs) == (len(MIGRATIONS) + 1, [(run_id,)])


@pytest.mark.single_backend
def test_a_process_reuses_its_connections_and_replaces_one_the_server_dropped(tmp_path):
    with fresh_database_url() as url:
        store = Store(tmp_path, database_url=url)
        (run_id,) = queue(store, 1)

        def backend() -> int:
            with store.connect() as conn:
                return conn.execute("SELECT pg_backend_pid()").fetchone()[0]

        first = backend()
        assert backend() == first  # the same server session: no new connection per operation
        with psycopg.connect(url, autocommit=True) as admin:  # as a server restart would
            assert admin.execute("SELECT pg_terminate_backend(%s)", (first,)).fetchone()[0]
        assert store.get(run_id).status == "queued"
        assert backend() != first


@pytest.mark.single_backend
def test_a_lab_on_one_machine_never_loads_psycopg_or_ray(tmp_path):
    """The embedded default pays nothing for the cluster: the web side's store, pages' API,
    supervisor and a supervisor step import neither driver (cold start, rnnlab.jobs.database)."""
    code = (
        "import sys\n"
        "from rnnlab.jobs import people, predictions, runs\n"
        "from rnnlab.jobs.store import Store\n"
        "from rnnlab.jobs.supervisor import Supervisor\n"
        "store = Store(sys.argv[1])\n"
        "runs.runs(store=store), people.join('ada', store)\n"
        "Supervisor(store, standby=False).step()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'psycopg', 'ray'}))\n")
    one_machine = {name: value for name, value in os.environ.items()
                   if name not in ("RNNLAB_DATABASE_URL", "RNNLAB_RAY_ADDRESS")}
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, text=True,
                          capture_output=True, env=one_machine)
    assert (done.returncode, done.stdout.strip()) == (0, "[]"), done.stderr
