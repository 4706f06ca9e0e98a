"""A run's folder: which files a run leaves behind, and the one place that writes and reads them.

Every run owns `<home>/runs/<id>/` (rnnlab.jobs.store.Store.run_dir). The worker fills it while it
trains; the web process reads it without TensorFlow. Keeping every file name and format here means
a page, the worker and the gradient recorder cannot disagree about what a file holds.

    config.json     the RunConfig (written first, when the worker starts)
    search.json     the SearchConfig of a hyperparameter search
    summary.txt     Keras's own model.summary()
    model.keras     the whole trained model, for download (only Keras reads it)
    weights.npz     {Keras weight path: array}: what the Inside page replays in NumPy
    history.csv     one row per epoch: loss, metric, validation scores, seconds
    result.json     the scores (rnnlab.trainer.training.summarize_result)
    gradients.npz   the gradient through time, rewritten after every record
    worker.log      the traceback of an unexpected failure
    process.log     the worker process's own output (TensorFlow's chatter)

Files are written whole: the arrays go to a temporary name and are renamed into place (gradients.npz
is rewritten while the run trains), and a reader that still finds one damaged treats it as not
there yet.
"""
from __future__ import annotations

import csv
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import numpy as np

from rnnlab.config import RunConfig
from rnnlab.config.search import SearchConfig
from rnnlab.data.paths import save_npz_atomically

CONFIG, SEARCH, SUMMARY, MODEL = "config.json", "search.json", "summary.txt", "model.keras"
WEIGHTS, HISTORY, RESULT, GRADIENTS = "weights.npz", "history.csv", "result.json", "gradients.npz"
WORKER_LOG, PROCESS_LOG = "worker.log", "process.log"
# What a finished training run leaves, in the order the Runs page offers them.
TRAINING_FILES = (CONFIG, SUMMARY, MODEL, WEIGHTS, HISTORY, RESULT, GRADIENTS)


def existing(folder: Path) -> dict[str, Path]:
    """The training files that exist in `folder` so far, by name (see TRAINING_FILES)."""
    return {name: folder / name for name in TRAINING_FILES if (folder / name).exists()}


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


# -- what the worker writes ----------------------------------------------------------------------


def write_config(folder: Path, config: RunConfig) -> None:
    (folder / CONFIG).write_text(config.to_json(), encoding="utf-8")


def write_search(folder: Path, search: SearchConfig) -> None:
    (folder / SEARCH).write_text(search.to_json(), encoding="utf-8")


def write_summary(folder: Path, text: str) -> None:
    (folder / SUMMARY).write_text(text, encoding="utf-8")


def model_path(folder: Path) -> Path:
    """Where the worker saves the Keras model (model.save needs the path, not the bytes)."""
    return folder / MODEL


def write_weights(folder: Path, weights: Mapping[str, np.ndarray]) -> None:
    """Save {Keras weight path: array}, e.g. {"lstm_1/lstm_cell/kernel": ...}."""
    save_npz_atomically(folder / WEIGHTS,
                        **{path: np.asarray(array) for path, array in weights.items()})


def write_result(folder: Path, result: dict) -> None:
    _write_json(folder / RESULT, result)


def write_history(folder: Path, epochs: list[dict]) -> None:
    """One CSV row per finished epoch; the columns are every key any row has, first seen first."""
    if not epochs:
        return
    names = list(dict.fromkeys(key for row in epochs for key in row))
    with open(folder / HISTORY, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=names)
        writer.writeheader()
        writer.writerows(epochs)


def write_log(folder: Path, text: str) -> None:
    (folder / WORKER_LOG).write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class GradientRecords:
    """The gradient through time of one run (rnnlab.trainer.gradients records it while it trains)."""

    epochs: np.ndarray     # (R,) 0 = before training, then epoch numbers
    norms: np.ndarray      # (R, T) mean || dLoss/dx_t || over the probe batch, per record
    seconds: np.ndarray    # (R,) what each record cost


def write_gradients(folder: Path, records: GradientRecords) -> None:
    """Rewrite the records while the run trains: to a temporary name, then renamed over the old
    file, so a page that reads meanwhile finds the previous records whole."""
    save_npz_atomically(folder / GRADIENTS, epochs=records.epochs, norms=records.norms,
                        seconds=records.seconds)


# -- what the pages read -------------------------------------------------------------------------


def read_gradients(folder: Path) -> GradientRecords | None:
    """The run's gradient records so far, or None if it has none yet (or one is being rewritten)."""
    try:
        with np.load(folder / GRADIENTS) as saved:
            return GradientRecords(saved["epochs"], saved["norms"], saved["seconds"])
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None


def read_trained_model(folder: Path) -> tuple[RunConfig, dict[str, np.ndarray]]:
    """The config and the saved weights of a finished run.

    Returns:
        (RunConfig, {Keras weight path: array}).
    Raises:
        ValueError: a file is missing (the run is unfinished or failed) or unreadable.
    """
    config_path, weights_path = folder / CONFIG, folder / WEIGHTS
    if not config_path.is_file():
        raise ValueError(f"No {CONFIG} in {folder}: is this a run folder?")
    if not weights_path.is_file():
        raise ValueError(f"No saved weights in {folder}: the run has not finished, or it stopped "
                         "before saving. Pick a finished run.")
    config = RunConfig.from_json(config_path.read_text(encoding="utf-8"))
    try:
        with np.load(weights_path) as saved:
            weights = {name: saved[name] for name in saved.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as err:
        raise ValueError(f"The weights file {weights_path} cannot be read ({err}).") from err
    return config, weights
