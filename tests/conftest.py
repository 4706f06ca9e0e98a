"""Shared test set-up: keep every test away from the developer's caches, downloads and the network.

RNNLAB_DATA_DIR is read once here, before any test changes it, so real-data tests can use the real
IMDB files (CI points it at ../shared/data) while the other tests point it at folders they made.
"""
import os
from pathlib import Path

import pytest

REAL_DATA_DIR = os.environ.get("RNNLAB_DATA_DIR")


@pytest.fixture(autouse=True, scope="session")
def _private_cache_and_downloads(tmp_path_factory):
    """One cache for the whole session (real IMDB is tokenized once) and an empty download folder."""
    os.environ["RNNLAB_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["RNNLAB_DOWNLOAD_DIR"] = str(tmp_path_factory.mktemp("downloads"))
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
    yield


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """An empty data folder the code under test will search (RNNLAB_DATA_DIR)."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("RNNLAB_DATA_DIR", str(folder))
    monkeypatch.setenv("RNNLAB_CACHE_DIR", str(tmp_path / "cache"))
    return folder
