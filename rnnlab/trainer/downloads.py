"""Fetching the datasets that come from the internet: `python -m rnnlab.trainer.downloads imdb`.

Two datasets are downloaded on first use: Keras's IMDB reviews (imdb.npz, 17 MB, and its word
index) and the Jena climate record (a 13 MB zip). keras.utils.get_file fetches a file into the
download folder (rnnlab.data.paths.download_dir) and keeps it there, so each is fetched once.
The loaders in rnnlab.data never download: they read what is on disk and raise a DataError that
says where to put a missing file. Downloading lives here because importing Keras imports
TensorFlow, which the web process must never do: it would cost every page's server seconds and
a gigabyte of memory.

Two callers:

- the trainer: prepare_data calls `fetch_for(config)` before it loads, so a run (from the
  worker, the command line or a search) of a dataset not on disk downloads what it needs;
- the Data page's download button, which runs this module as a child process
  (rnnlab.ui.loaders.download_in_child). The child fetches everything the pages read (for IMDB
  the word index too), builds the processed cache so that the page's next read is quick, and
  exits; when it fails it prints one line saying what to do on stderr and exits with status 1.

Keras is imported only when a file is really fetched, so a child whose files are already on disk
only builds the cache, in a second rather than the several TensorFlow takes to import.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from rnnlab.config import RunConfig
from rnnlab.data import imdb, jena, paths
from rnnlab.data.paths import DataError


def fetch_file(filename: str, origin: str, what_to_do: str) -> Path:
    """Fetch `origin` into the download folder with keras.utils.get_file (which keeps it there).

    Args:
        filename: the name to save it under.
        origin: the URL.
        what_to_do: the advice the error ends with: where to put the file by hand.
    Returns:
        The downloaded file.
    Raises:
        DataError: there is no network or the server refused; the message says `what_to_do`.
    """
    import keras  # imported here: keras pulls in TensorFlow, and most calls fetch nothing

    target = paths.download_dir()
    target.mkdir(parents=True, exist_ok=True)
    try:
        return Path(keras.utils.get_file(filename, origin=origin, cache_dir=str(target),
                                         cache_subdir="."))
    except Exception as err:  # get_file wraps network failures in several exception types
        raise DataError(f"Could not download {filename} from {origin} ({err}). {what_to_do}") from err


def fetch_imdb_reviews() -> None:
    """What training on IMDB needs and is not on disk: Keras's imdb.npz when no source of the
    reviews is found, the word index when the source is the raw Stanford text without it."""
    found = paths.find_file(*imdb.REVIEW_SOURCES)
    if found is None:
        fetch_file("imdb.npz", imdb.KERAS_ORIGIN + "imdb.npz", imdb.WHERE_TO_PUT_IT)
    elif not found.name.endswith(".npz"):
        fetch_imdb_word_index()


def fetch_imdb_word_index() -> None:
    """Keras's imdb_word_index.json, unless it is on disk (the pages need it to show words)."""
    if paths.find_file(imdb.WORD_INDEX_FILE) is None:
        fetch_file(imdb.WORD_INDEX_FILE, imdb.KERAS_ORIGIN + imdb.WORD_INDEX_FILE,
                   imdb.WORD_INDEX_WHERE)


def fetch_jena() -> None:
    """The Jena zip from the Keras URL, unless the CSV or the zip is on disk."""
    if paths.find_file(jena.JENA_CSV, jena.JENA_ZIP) is None:
        fetch_file(jena.JENA_ZIP, jena.JENA_ORIGIN, jena.where_to_put_it())


def fetch_for(config: RunConfig) -> None:
    """Download what training `config` needs and is not on disk (New York's weather is
    bundled with a package and the long-memory task is generated: nothing to fetch).

    Raises:
        DataError: a download failed; the message says where to put the file by hand.
    """
    if config.dataset == "imdb":
        fetch_imdb_reviews()
    elif config.dataset == "weather" and config.weather.source == "jena":
        fetch_jena()


def _imdb() -> None:
    fetch_imdb_reviews()
    fetch_imdb_word_index()
    imdb.load_corpus()  # builds the token cache the Data page reads


def _jena() -> None:
    fetch_jena()
    jena.read_jena()  # builds the parsed cache


# What each dataset's download runs: fetch what is missing, then build the cache.
DOWNLOADS: dict[str, Callable[[], None]] = {"imdb": _imdb, "jena": _jena}


def download(name: str) -> None:
    """Download dataset `name` ("imdb" or "jena") in this process, and build its cache.

    Raises:
        ValueError: no dataset of that name is downloaded.
        DataError: the download failed (no network, server refused); the message says what to do.
    """
    if name not in DOWNLOADS:
        raise ValueError(f"There is no download named {name!r}: choose one of "
                         f"{', '.join(DOWNLOADS)}.")
    DOWNLOADS[name]()


def main(argv: list[str] | None = None) -> int:
    """The child's entry point: download one dataset; 0 when done, else 1 and a line on stderr."""
    parser = argparse.ArgumentParser(prog="python -m rnnlab.trainer.downloads",
                                     description="Download a dataset and build its cache.")
    parser.add_argument("dataset", choices=list(DOWNLOADS))
    args = parser.parse_args(argv)
    try:
        download(args.dataset)
    except DataError as err:
        print(err, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
