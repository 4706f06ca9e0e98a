"""Fault: the run store's file is not a database this lab can read.

Four damaged files at <home>/lab.sqlite (a text file, random bytes, an SQLite file with a damaged
page, and a store written by a newer lab: one schema ahead) must each give one message in words that
names the file and says what to do: from Store() as a StoreError, from the supervisor as exit
status 2 on stderr, and on every page as an st.error instead of an exception box. The file's bytes
are never changed. An empty file and an empty SQLite database are not damage: they become a store.
"""
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rnnlab.config import RunConfig
from rnnlab.jobs.schema import MIGRATIONS, StoreError
from rnnlab.jobs.store import Store

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("data", "build", "train", "runs", "inside", "gradients", "race", "tune")


def text_file(path: Path) -> str:
    path.write_text("These are my notes on recurrent networks, saved with the wrong name.\n" * 40)
    return "it is not an SQLite database"


def random_bytes(path: Path) -> str:
    path.write_bytes(random.Random(12).randbytes(8192))
    return "it is not an SQLite database"


def damaged_sqlite(path: Path) -> str:
    """A real store whose header survives but whose first page (the schema) is overwritten."""
    Store(path.parent).submit(RunConfig(), "ada")
    data = bytearray(path.read_bytes())
    data[100:1000] = random.Random(7).randbytes(900)
    path.write_bytes(bytes(data))
    return "it is damaged: SQLite says its disk image is malformed"


def newer_schema(path: Path) -> str:
    """A store made by a lab with one migration more than this code knows."""
    newer = len(MIGRATIONS) + 1
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, owner TEXT, hologram BLOB)")
        conn.execute("INSERT INTO runs (owner) VALUES ('ada')")
        conn.execute(f"PRAGMA user_version = {newer}")
    conn.close()
    return (f"it was written by a newer version of RNN Lab, schema {newer}; this version knows up to "
            f"schema {len(MIGRATIONS)}")


DAMAGE = [text_file, random_bytes, damaged_sqlite, newer_schema]


def message(path: Path, reason: str) -> str:
    return (f"The run store {path} is not a database this version of RNN Lab can read ({reason}). "
            "Move it aside or point RNNLAB_HOME at another folder; it was not changed.")


@pytest.fixture(params=DAMAGE, ids=lambda damage: damage.__name__)
def damaged(request, tmp_path, monkeypatch):
    """(home, the expected message, the file's bytes) for one kind of damage; RNNLAB_HOME is home."""
    home = tmp_path / "home"
    home.mkdir()
    path = home / "lab.sqlite"
    reason = request.param(path)
    for leftover in home.glob("lab.sqlite-*"):  # what making damaged_sqlite's store left beside it
        leftover.unlink()
    monkeypatch.setenv("RNNLAB_HOME", str(home))
    return home, message(path, reason), path.read_bytes()


def unchanged(home: Path, original: bytes) -> bool:
    """The file has its bytes, and nothing was written beside it (no -wal or -journal file)."""
    return (home / "lab.sqlite").read_bytes() == original and \
        [p.name for p in home.iterdir()] == ["lab.sqlite"]


def test_the_store_refuses_the_file_in_words_and_leaves_it_as_it_was(damaged):
    home, expected, original = damaged
    for _ in range(2):  # and again: the first refusal changed nothing the second would see
        with pytest.raises(StoreError) as refused:
            Store(home)
        assert str(refused.value) == expected
        assert isinstance(refused.value, ValueError)  # an error a user can cause (house rule)
        assert unchanged(home, original)


def test_the_supervisor_exits_2_with_the_message_and_no_traceback(damaged):
    home, expected, original = damaged
    supervisor = subprocess.run([sys.executable, "-m", "rnnlab.jobs.supervisor", "--home", str(home)],
                                cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert (supervisor.returncode, supervisor.stderr, supervisor.stdout) == (2, expected + "\n", "")
    assert unchanged(home, original)  # not even its lock file: it stops before taking the lock


def run_app(page: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    if page != "home":
        app.switch_page(f"pages/{page}.py").run()
    return app


@pytest.fixture
def no_supervisor(monkeypatch):
    started = []
    monkeypatch.setattr("rnnlab.jobs.supervisor.ensure_supervisor", started.append)
    return started


def test_the_home_page_shows_the_message_instead_of_an_exception(damaged, no_supervisor):
    home, expected, original = damaged
    app = run_app("home")
    assert not app.exception
    assert [error.value for error in app.error] == [expected]
    assert not app.title  # the page itself did not run
    assert no_supervisor == [] and unchanged(home, original)


@pytest.mark.parametrize("page", PAGES)
def test_every_other_page_shows_the_same_message(page, tmp_path, monkeypatch, no_supervisor):
    home = tmp_path / "home"
    home.mkdir()
    expected = message(home / "lab.sqlite", text_file(home / "lab.sqlite"))
    monkeypatch.setenv("RNNLAB_HOME", str(home))
    app = run_app(page)
    assert not app.exception
    assert [error.value for error in app.error] == [expected]
    assert not app.title


@pytest.mark.parametrize("make", ["an empty file", "an empty SQLite database"])
def test_an_empty_file_or_database_becomes_a_store(make, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    if make == "an empty file":
        (home / "lab.sqlite").write_bytes(b"")
    else:
        with sqlite3.connect(home / "lab.sqlite") as conn:
            conn.execute("CREATE TABLE scratch (x)")
            conn.execute("DROP TABLE scratch")  # a valid database file with a header and no tables
        conn.close()
        assert (home / "lab.sqlite").stat().st_size > 0
    store = Store(home)
    assert store.schema_version == len(MIGRATIONS)
    run_id = store.submit(RunConfig(), "ada")
    assert Store(home).get(run_id).status == "queued"
