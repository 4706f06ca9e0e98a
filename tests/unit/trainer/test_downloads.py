"""rnnlab.trainer.downloads: what is fetched when a dataset is not on disk, and the child's command.

keras.utils.get_file is replaced by a fake that writes a tiny file in the real format, so no test
touches the network.
"""
import json
from pathlib import Path

import pytest

from rnnlab.config import ImdbOptions, RunConfig, WeatherOptions
from rnnlab.data import imdb, jena, paths
from rnnlab.data.paths import DataError
from rnnlab.trainer import downloads
from tests.unit.data.test_imdb import (
    WORD_INDEX,
    stanford_members,
    write_keras_npz,
    write_tarball,
)
from tests.unit.data.test_weather import jena_record, jena_text, write_zip

KERAS_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
JENA_DATES, JENA_VALUES = jena_record(days=2)


@pytest.fixture
def download_dir(data_dir, tmp_path, monkeypatch) -> Path:
    """An empty download folder (RNNLAB_DOWNLOAD_DIR), beside the empty data folder."""
    folder = tmp_path / "downloads"
    monkeypatch.setenv("RNNLAB_DOWNLOAD_DIR", str(folder))
    return folder


@pytest.fixture
def fake_get_file(download_dir, monkeypatch):
    """keras.utils.get_file, writing the file it is asked for; returns the (name, url, folder) calls."""
    import keras

    calls = []

    def get_file(fname, origin, cache_dir, cache_subdir, **kwargs):
        calls.append((fname, origin, Path(cache_dir)))
        target = Path(cache_dir) / cache_subdir / fname
        target.parent.mkdir(parents=True, exist_ok=True)
        if fname == "imdb.npz":
            write_keras_npz(target, [[1]], [1], [[2]], [0])
        elif fname == "imdb_word_index.json":
            target.write_text(json.dumps(WORD_INDEX))
        else:
            write_zip(target, jena_text(JENA_DATES, JENA_VALUES))
        return str(target)

    monkeypatch.setattr(keras.utils, "get_file", get_file)
    return calls


@pytest.fixture
def offline(download_dir, monkeypatch):
    import keras

    def no_network(*args, **kwargs):
        raise OSError("network is unreachable")

    monkeypatch.setattr(keras.utils, "get_file", no_network)


IMDB_RUN = RunConfig(imdb=ImdbOptions(num_words=10, maxlen=3))
JENA_RUN = RunConfig(dataset="weather", weather=WeatherOptions(source="jena"))


# -- what a run fetches before it loads (prepare_data) --------------------------------------------


def test_an_imdb_run_without_local_files_downloads_the_keras_file_once(fake_get_file,
                                                                       download_dir):
    downloads.fetch_for(IMDB_RUN)
    assert fake_get_file == [("imdb.npz", KERAS_URL + "imdb.npz", download_dir)]
    corpus = imdb.load_corpus()  # now found in the download folder
    assert corpus.sequences("train")[0].tolist() == [1, 4]
    downloads.fetch_for(IMDB_RUN)
    assert len(fake_get_file) == 1


def test_an_imdb_run_on_raw_reviews_fetches_only_the_missing_word_index(data_dir, fake_get_file,
                                                                        download_dir):
    write_tarball(data_dir / "aclImdb_v1.tar.gz", stanford_members())
    downloads.fetch_for(IMDB_RUN)
    assert fake_get_file == [("imdb_word_index.json", KERAS_URL + "imdb_word_index.json",
                              download_dir)]
    assert len(imdb.load_corpus().sequences("train")) == 5


def test_local_files_and_bundled_or_generated_data_fetch_nothing(data_dir, fake_get_file):
    write_keras_npz(data_dir / "imdb.npz", [[1]], [1], [[2]], [0])  # no word index: not needed
    (data_dir / jena.JENA_CSV).write_text(jena_text(JENA_DATES, JENA_VALUES))
    for config in (IMDB_RUN, JENA_RUN, RunConfig(dataset="weather"), RunConfig(dataset="memory")):
        downloads.fetch_for(config)
    assert fake_get_file == []


def test_a_jena_run_without_a_file_downloads_the_keras_zip(fake_get_file, download_dir):
    downloads.fetch_for(JENA_RUN)
    assert fake_get_file == [(jena.JENA_ZIP, jena.JENA_ORIGIN, download_dir)]
    assert jena.JENA_ORIGIN == KERAS_URL + "jena_climate_2009_2016.csv.zip"
    assert (jena.read_jena().to_numpy() == JENA_VALUES).all()
    downloads.fetch_for(JENA_RUN)  # now found in the download folder
    assert len(fake_get_file) == 1


def test_without_network_the_imdb_error_says_where_to_put_the_files(offline):
    with pytest.raises(DataError) as caught:
        downloads.fetch_for(IMDB_RUN)
    message = str(caught.value)
    assert message.startswith(f"Could not download imdb.npz from {KERAS_URL}imdb.npz "
                              "(network is unreachable). ")
    assert message.endswith(imdb.WHERE_TO_PUT_IT)


def test_without_network_the_jena_error_says_where_to_put_the_file(offline, data_dir):
    with pytest.raises(DataError) as caught:
        downloads.fetch_for(JENA_RUN)
    message = str(caught.value)
    assert "network is unreachable" in message
    assert jena.JENA_CSV in message and str(data_dir) in message
    assert "RNNLAB_DATA_DIR" in message


# -- the Data page's download, run as a child process ---------------------------------------------


def test_the_imdb_download_fetches_the_reviews_and_the_word_index_and_caches_them(
        fake_get_file, download_dir):
    assert downloads.main(["imdb"]) == 0
    assert [call[0] for call in fake_get_file] == ["imdb.npz", "imdb_word_index.json"]
    assert imdb.load_word_index() == WORD_INDEX
    assert len(list(paths.cache_dir().glob("imdb-*.npz"))) == 1


def test_the_jena_download_fetches_the_zip_and_caches_the_record(fake_get_file, download_dir):
    assert downloads.main(["jena"]) == 0
    found = download_dir / jena.JENA_ZIP
    assert paths.cache_file("jena", found, jena.PARSER_VERSION).exists()


def test_main_reports_a_failed_download_in_one_line_and_status_1(monkeypatch, capsys):
    def no_network():
        raise DataError("Could not download jena_climate_2009_2016.csv.zip: no network.")

    monkeypatch.setitem(downloads.DOWNLOADS, "jena", no_network)
    assert downloads.main(["jena"]) == 1
    assert capsys.readouterr().err == ("Could not download jena_climate_2009_2016.csv.zip: "
                                       "no network.\n")
    monkeypatch.setitem(downloads.DOWNLOADS, "jena", lambda: None)
    assert downloads.main(["jena"]) == 0


def test_an_unknown_dataset_is_refused_in_words():
    with pytest.raises(ValueError, match="no download named 'mnist': choose one of imdb, jena"):
        downloads.download("mnist")
    with pytest.raises(SystemExit) as stopped:
        downloads.main(["mnist"])
    assert stopped.value.code == 2  # argparse: a usage error
