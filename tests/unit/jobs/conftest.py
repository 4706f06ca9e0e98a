"""The store's tests on both databases.

A module that says `pytestmark = pytest.mark.usefixtures("store_backend")` runs each of its
tests twice, `[sqlite]` and `[postgresql]`: the fixture points RNNLAB_DATABASE_URL at a fresh
schema of the test server (tests/postgres.py) or removes it, so every `Store(tmp_path)` in the
test, and every process it starts, uses that database. A test that runs once says
`@pytest.mark.single_backend`: one about the SQLite file itself (WAL mode, PRAGMA user_version,
a file from an older lab), on SQLite, or one that names its own PostgreSQL server.
The PostgreSQL half is skipped, saying why, where RNNLAB_TEST_DATABASE_URL is unset.
"""
import pytest

from rnnlab.config import RunConfig, TrainingOptions
from rnnlab.jobs.store import Store
from tests.postgres import fresh_database_url

BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config):
    config.addinivalue_line("markers",
                            "single_backend: a store test that runs once, not once per database")


def pytest_generate_tests(metafunc):
    if "store_backend" in metafunc.fixturenames and \
            metafunc.definition.get_closest_marker("single_backend") is None:
        metafunc.parametrize("store_backend", BACKENDS, indirect=True)


@pytest.fixture
def store_backend(request, monkeypatch):
    """"sqlite" or "postgresql": the database every Store made in the test uses."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        monkeypatch.delenv("RNNLAB_DATABASE_URL", raising=False)
        yield backend
        return
    with fresh_database_url() as url:
        monkeypatch.setenv("RNNLAB_DATABASE_URL", url)
        yield backend


def config(seed: int = 1) -> RunConfig:
    """The default model with its own seed: a run that is nobody's twin."""
    return RunConfig(training=TrainingOptions(seed=seed))


@pytest.fixture
def store(tmp_path) -> Store:
    """A store in a fresh folder, on the database the test's backend says (SQLite by default).
    A module that needs another set-up defines its own `store`."""
    return Store(tmp_path / "home")
