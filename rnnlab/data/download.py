"""Downloading a dataset in a process of its own: `python -m rnnlab.data.download imdb`.

Two datasets come from the internet on first use: Keras's IMDB reviews (imdb.npz, 17 MB, and
its word index) and the Jena climate record (13 MB). keras.utils.get_file fetches them (see
rnnlab.data.paths.download), and importing Keras imports TensorFlow, which the web process must
never do: it would cost every page's server seconds and a gigabyte of memory. So the Data page's
download button calls `download_in_child`, which runs this module as a child process. The child
downloads, builds the processed cache so that the page's next read is quick, and exits; when it
fails it prints one line saying what to do on stderr and exits with status 1.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from typing import Callable

from rnnlab import PROJECT_ROOT
from rnnlab.data.paths import DataError

TIMEOUT_SECONDS = 15 * 60


def _imdb() -> None:
    from rnnlab.data import imdb

    imdb.load_corpus()
    imdb.load_word_index()


def _jena() -> None:
    from rnnlab.data.jena import read_jena

    read_jena()


# What each dataset's download runs: the loader that downloads what is missing, then caches it.
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


def download_in_child(name: str, timeout_seconds: float = TIMEOUT_SECONDS) -> None:
    """Download dataset `name` in a child Python process, so this process never imports Keras.

    Raises:
        DataError: the download failed or took longer than `timeout_seconds`; the message is
            the child's last line on stderr, which says what to do.
    """
    try:
        done = subprocess.run([sys.executable, "-m", "rnnlab.data.download", name],
                              cwd=PROJECT_ROOT, capture_output=True, text=True,
                              timeout=timeout_seconds)
    except subprocess.TimeoutExpired as err:
        raise DataError(f"The {name} download took more than {timeout_seconds / 60:.0f} minutes "
                        "and was stopped. Check the network, or put the files in the data "
                        "folder by hand.") from err
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        raise DataError(lines[-1] if lines else f"The {name} download failed.")


def main(argv: list[str] | None = None) -> int:
    """The child's entry point: download one dataset; 0 when done, else 1 and a line on stderr."""
    parser = argparse.ArgumentParser(prog="python -m rnnlab.data.download",
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
