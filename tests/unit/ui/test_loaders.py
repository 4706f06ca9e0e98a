"""rnnlab.ui.loaders.download_in_child: a dataset fetched in a child process, which reports a
failure in a line, so the web process never imports Keras."""
import subprocess
import sys

import pytest

from rnnlab.data import paths
from rnnlab.data.jena import JENA_CSV, PARSER_VERSION
from rnnlab.data.paths import DataError
from rnnlab.ui import loaders
from tests.unit.data.test_weather import jena_record, jena_text


def test_the_child_reads_a_local_record_and_caches_it(tmp_path, monkeypatch):
    """A Jena file in the data folder: the child parses it into the cache, no network needed."""
    monkeypatch.setenv("RNNLAB_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RNNLAB_CACHE_DIR", str(tmp_path / "cache"))
    dates, values = jena_record(days=2)
    (tmp_path / JENA_CSV).write_text(jena_text(dates, values))
    loaders.download_in_child("jena")
    cached = paths.cache_file("jena", tmp_path / JENA_CSV, PARSER_VERSION)
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [cached.name]


def test_a_failing_child_becomes_a_data_error_with_its_last_line():
    with pytest.raises(DataError, match="invalid choice: 'mnist'"):
        loaders.download_in_child("mnist")


def test_a_child_that_takes_too_long_is_stopped(monkeypatch):
    def too_slow(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], kwargs["timeout"])

    monkeypatch.setattr(subprocess, "run", too_slow)
    with pytest.raises(DataError, match="The imdb download took more than 15 minutes"):
        loaders.download_in_child("imdb")


def test_the_child_is_this_python_running_the_trainer_module(monkeypatch):
    seen = {}

    def record(command, **kwargs):
        seen["command"] = command
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(subprocess, "run", record)
    loaders.download_in_child("jena")
    assert seen["command"] == [sys.executable, "-m", "rnnlab.trainer.downloads", "jena"]
