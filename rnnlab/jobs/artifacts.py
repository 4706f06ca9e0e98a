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
    samples.json    a language model's writing after every epoch: [{"epoch": 1, "text": ...}],
                    rewritten after every epoch (rnnlab.trainer.samples)
    preparing.json  while the worker prepares a dataset for the first time (IMDB's tokenizing):
                    {"fraction": 0.4, "words": "Tokenizing ..."}, deleted when it is done
    worker.log      the traceback of an unexpected failure
    process.log     the worker process's own output (TensorFlow's chatter)

Files are written whole: the arrays go to a temporary name and are renamed into place (gradients.npz
is rewritten while the run trains). Still, a disk fills up, a copy is cut short, someone edits a
file. So every reader checks what it reads and, for a file that is cut short, unreadable or holds
something other than what the worker wrote, raises `DamagedArtifact`: a ValueError whose message
names the run and the file in words, never a server path ("Run #7's gradient records are
damaged: retrain it or delete it."). A page shows it for that run only and carries on with the
others. The one exception is a running run's gradient records, which read as "not yet" (None):
the worker rewrites them after every record.
"""
from __future__ import annotations

import csv
import io
import json
import zipfile
import zlib
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
SAMPLES = "samples.json"
PREPARING = "preparing.json"
# What a finished training run leaves, in the order the Runs page offers them.
TRAINING_FILES = (CONFIG, SUMMARY, MODEL, WEIGHTS, HISTORY, RESULT, GRADIENTS)


# Each file in words, as a message names it: (what it is, its verb).
IN_WORDS = {CONFIG: ("config", "is"), SEARCH: ("search settings", "are"),
            SUMMARY: ("model summary", "is"), MODEL: ("saved model", "is"),
            WEIGHTS: ("saved weights", "are"), HISTORY: ("history", "is"),
            RESULT: ("scores", "are"), GRADIENTS: ("gradient records", "are"),
            SAMPLES: ("samples of writing", "are")}
# The errors that reading a damaged .npz can raise (np.load and the arrays' checks).
NPZ_ERRORS = (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile, zlib.error)


class DamagedArtifact(ValueError):
    """A run's file is missing, cut short, unreadable or holds something else than the worker
    wrote. The message names the run (its folder is its id) and the file in words."""

    def __init__(self, folder: Path, name: str, problem: str = "damaged"):
        self.folder, self.name = folder, name
        what, verb = IN_WORDS[name]
        whose = f"Run #{folder.name}'s" if folder.name.isdigit() else "This run's"
        super().__init__(f"{whose} {what} {verb} {problem}: retrain it or delete it.")


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


@dataclass(frozen=True)
class Sample:
    """What a language model wrote after one epoch of training (rnnlab.trainer.samples)."""

    epoch: int     # 1 = after the first epoch
    text: str      # the characters it wrote after the prompt (rnnlab.network.sampler)


def write_samples(folder: Path, samples: list[Sample]) -> None:
    """Rewrite the samples so far as [{"epoch": 1, "text": ...}, ...]: to a temporary name,
    then renamed over the old file, so the Train page, which reads it every second while the run
    trains, always finds a whole file."""
    partial = folder / f"{SAMPLES}.partial"
    _write_json(partial, [{"epoch": sample.epoch, "text": sample.text} for sample in samples])
    partial.replace(folder / SAMPLES)


# -- what the pages read -------------------------------------------------------------------------


def read_gradients(folder: Path, still_writing: bool = False) -> GradientRecords | None:
    """The run's gradient records so far.

    Args:
        folder: the run's folder.
        still_writing: the run is queued or running, so its worker may be rewriting the file.
    Returns:
        The records, or None if there are none yet (or, while still_writing, the file cannot be
        read yet).
    Raises:
        DamagedArtifact: the file of a run that has ended is cut short, unreadable or holds other
            arrays than epochs (R,), norms (R, T) and seconds (R,).
    """
    path = folder / GRADIENTS
    if not path.exists():
        return None
    try:
        with np.load(path) as saved:
            records = GradientRecords(saved["epochs"], saved["norms"], saved["seconds"])
        rows = len(records.epochs)
        if (records.epochs.shape != (rows,) or records.seconds.shape != (rows,)
                or records.norms.ndim != 2 or len(records.norms) != rows
                or any(a.dtype.kind not in "iuf" for a in vars(records).values())):
            raise ValueError("the arrays do not fit together")
        return records
    except NPZ_ERRORS:
        if still_writing:
            return None
        raise DamagedArtifact(folder, GRADIENTS) from None


def read_samples(folder: Path, still_writing: bool = False) -> list[Sample]:
    """The samples of writing a language model left after each epoch so far, oldest first.

    Args:
        folder: the run's folder.
        still_writing: the run is queued or running (its worker rewrites the file each epoch).
    Returns:
        The samples; none when the run has written none (yet, or it is not a text run), or,
        while still_writing, when the file cannot be read yet.
    Raises:
        DamagedArtifact: the file of a run that has ended is not a list of {"epoch": a whole
            number, "text": text}.
    """
    path = folder / SAMPLES
    if not path.exists():
        return []
    try:
        rows = json.loads(path.read_bytes())
        if not isinstance(rows, list) or not all(
                isinstance(row, dict) and type(row.get("epoch")) is int
                and isinstance(row.get("text"), str) for row in rows):
            raise ValueError("not a list of epoch numbers and texts")
        return [Sample(row["epoch"], row["text"]) for row in rows]
    except (OSError, ValueError):  # a JSONDecodeError or a UnicodeDecodeError is a ValueError
        if still_writing:
            return []
        raise DamagedArtifact(folder, SAMPLES) from None


def write_preparing(folder: Path, fraction: float, words: str) -> None:
    """Say how far the first preparation of the run's data is (see rnnlab.data.imdb.load_corpus).

    Written to a temporary name and renamed, so a page never reads half a note.
    """
    partial = folder / f"{PREPARING}.partial"
    _write_json(partial, {"fraction": float(fraction), "words": str(words)})
    partial.replace(folder / PREPARING)


def clear_preparing(folder: Path) -> None:
    """The data is ready: remove the note, if the preparation wrote one."""
    (folder / PREPARING).unlink(missing_ok=True)


def read_preparing(folder: Path) -> tuple[float, str] | None:
    """(fraction done, what is happening) of a data preparation under way, or None: none is
    under way, or the note cannot be read (it is only a progress report, never worth an error)."""
    try:
        note = json.loads((folder / PREPARING).read_bytes())
        return float(note["fraction"]), str(note["words"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def read_trained_model(folder: Path) -> tuple[RunConfig, dict[str, np.ndarray]]:
    """The config and the saved weights of a finished run.

    Returns:
        (RunConfig, {Keras weight path: array}).
    Raises:
        ValueError: the run has no saved weights (it is unfinished or failed).
        DamagedArtifact: the config is missing or not a config, or the weights cannot be read.
    """
    weights_path = folder / WEIGHTS
    if not weights_path.is_file():
        whose = f"Run #{folder.name}" if folder.name.isdigit() else "This run"
        raise ValueError(f"{whose} has no saved weights: it has not finished, or it stopped "
                         "before saving. Pick a finished run.")
    config = read_config(folder)
    try:
        with np.load(weights_path) as saved:
            weights = {name: saved[name] for name in saved.files}
    except NPZ_ERRORS:
        raise DamagedArtifact(folder, WEIGHTS) from None
    if not weights or any(a.dtype.kind not in "iuf" for a in weights.values()):
        raise DamagedArtifact(folder, WEIGHTS)
    return config, weights


def read_config(folder: Path) -> RunConfig:
    """The RunConfig the run was trained with (config.json).

    Raises:
        DamagedArtifact: the file is missing, or is not a config (rnnlab.config.json_text says
            what a config file may hold).
    """
    try:
        return RunConfig.from_json((folder / CONFIG).read_bytes())
    except FileNotFoundError:
        raise DamagedArtifact(folder, CONFIG, "missing") from None
    except (OSError, ValueError):  # ConfigError is a ValueError
        raise DamagedArtifact(folder, CONFIG) from None


def read_summary(folder: Path) -> str:
    """Keras's own model summary, as text.

    Raises:
        DamagedArtifact: the file cannot be read or is not UTF-8 text.
    """
    try:
        return (folder / SUMMARY).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise DamagedArtifact(folder, SUMMARY) from None


def read_download(folder: Path, name: str) -> bytes:
    """A finished run's file, checked before it is offered for download.

    Args:
        folder: the run's folder.
        name: one of TRAINING_FILES.
    Returns:
        The file's bytes.
    Raises:
        DamagedArtifact: the file cannot be read or is not what it should be: the model not a
            zip archive (a .keras file is one), the config not a config, the history not a CSV
            whose rows fit its header, the scores not a JSON object, the arrays not an .npz.
    """
    try:
        data = (folder / name).read_bytes()
        if name == CONFIG:
            RunConfig.from_json(data)
        elif name == HISTORY:
            rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
            if not rows or any(len(row) != len(rows[0]) for row in rows):
                raise ValueError("rows that do not fit the header")
        elif name == RESULT:
            if not isinstance(json.loads(data), dict):
                raise ValueError("not an object")
        elif name in (MODEL, WEIGHTS, GRADIENTS):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if archive.testzip() is not None:
                    raise ValueError("a member is damaged")
        return data
    except FileNotFoundError:
        raise DamagedArtifact(folder, name, "missing") from None
    except (OSError, ValueError, csv.Error, zipfile.BadZipFile, zlib.error, EOFError):
        raise DamagedArtifact(folder, name) from None
