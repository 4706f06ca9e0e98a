"""Shared test set-up: keep every test away from the developer's caches, downloads and the network.

RNNLAB_DATA_DIR is read once here, before any test changes it, so real-data tests can use the real
IMDB files (CI points it at ../shared/data) while the other tests point it at folders they made.
"""
import functools
import os
from pathlib import Path

import pytest

REAL_DATA_DIR = os.environ.get("RNNLAB_DATA_DIR")
TESTS = Path(__file__).resolve().parent

# Tests that start a server, a browser, a supervisor or a worker, train on both cores, or measure
# how fast something is. `make test` runs them last, one at a time, on a machine the rest of the
# suite has stopped loading; the others (pages under AppTest, configs, plots, lessons, the store)
# first, two processes at once (pytest -m "not serial" -n 2). Plain `pytest` runs everything in
# one process.
SERIAL = ("e2e/", "engine/", "unit/trainer/", "faults/test_hung_worker.py",
          "unit/jobs/test_supervisor.py", "unit/jobs/test_ray_jobs.py",
          "unit/jobs/test_priority.py", "unit/ui/test_startup.py", "unit/test_cli.py")


def pytest_collection_modifyitems(config, items):
    """Mark the tests under SERIAL `serial`."""
    for item in items:
        if item.path.relative_to(TESTS).as_posix().startswith(SERIAL):
            item.add_marker(pytest.mark.serial)


@pytest.fixture(autouse=True, scope="session")
def _private_cache_and_downloads(tmp_path_factory):
    """One cache for the whole session (real IMDB is tokenized once) and an empty download folder."""
    os.environ["RNNLAB_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["RNNLAB_DOWNLOAD_DIR"] = str(tmp_path_factory.mktemp("downloads"))
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
    yield


@pytest.fixture(autouse=True, scope="session")
def _one_component_scan():
    """Streamlit's AppTest looks through every installed package's metadata for custom components
    each time one is made (about 430 packages here, 0.14-0.3 s). The packages do not change
    during a test session, so the first answer is kept: tests/app alone made 267 AppTests and
    ran in 348 s against 397 s. The app's behaviour under test is unchanged; a real server scans
    once as it starts."""
    from streamlit.components.v2 import manifest_scanner

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests",
                      functools.cache(manifest_scanner.scan_component_manifests))
        yield


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """An empty data folder the code under test will search (RNNLAB_DATA_DIR)."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("RNNLAB_DATA_DIR", str(folder))
    monkeypatch.setenv("RNNLAB_CACHE_DIR", str(tmp_path / "cache"))
    return folder
