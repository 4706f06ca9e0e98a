"""rnnlab.data.download: a dataset fetched in a child process, which reports a failure in a line."""
import subprocess
import sys

import pytest

from rnnlab.data import download, paths
from rnnlab.data.jena import JENA_CSV, PARSER_VERSION
from rnnlab.data.paths import DataError
from tests.unit.data.test_weather import jena_record, jena_text


def test_main_reports_a_failed_download_in_one_line_and_status_1(monkeypatch, capsys):
    def no_network():
        raise DataError("Could not download jena_climate_2009_2016.csv.zip: no network.")

    monkeypatch.setitem(download.DOWNLOADS, "jena", no_network)
    assert download.main(["jena"]) == 1
    assert capsys.readouterr().err == ("Could not download jena_climate_2009_2016.csv.zip: "
                                       "no network.\n")
    monkeypatch.setitem(download.DOWNLOADS, "jena", lambda: None)
    assert download.main(["jena"]) == 0


def test_an_unknown_dataset_is_refused_in_words():
    with pytest.raises(ValueError, match="no download named 'mnist': choose one of imdb, jena"):
        download.download("mnist")
    with pytest.raises(SystemExit) as stopped:
        download.main(["mnist"])
    assert stopped.value.code == 2  # argparse: a usage error


def test_the_child_reads_a_local_record_and_caches_it(tmp_path, monkeypatch):
    """A Jena file in the data folder: the child parses it into the cache, no network needed."""
    monkeypatch.setenv("RNNLAB_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RNNLAB_CACHE_DIR", str(tmp_path / "cache"))
    dates, values = jena_record(days=2)
    (tmp_path / JENA_CSV).write_text(jena_text(dates, values))
    download.download_in_child("jena")
    cached = paths.cache_file("jena", tmp_path / JENA_CSV, PARSER_VERSION)
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [cached.name]


def test_a_failing_child_becomes_a_data_error_with_its_last_line():
    with pytest.raises(DataError, match="invalid choice: 'mnist'"):
        download.download_in_child("mnist")


def test_a_child_that_takes_too_long_is_stopped(monkeypatch):
    def too_slow(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], kwargs["timeout"])

    monkeypatch.setattr(subprocess, "run", too_slow)
    with pytest.raises(DataError, match="The imdb download took more than 15 minutes"):
        download.download_in_child("imdb")


def test_the_child_is_this_python_running_the_module(monkeypatch):
    seen = {}

    def record(command, **kwargs):
        seen["command"] = command
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(subprocess, "run", record)
    download.download_in_child("jena")
    assert seen["command"] == [sys.executable, "-m", "rnnlab.data.download", "jena"]
