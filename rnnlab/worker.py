"""`python -m rnnlab.worker RUN_ID`: train one queued run in a process of its own and report to the store.

(`python -m rnnlab.worker --standby` loads TensorFlow first and then reads the run id from stdin:
the supervisor keeps one such process ready so a new run starts at once; see wait_as_standby.)

The supervisor starts one worker per run, in a new process session, so TensorFlow (4-7 s to import,
~0.6 GB, global state, unsafe to fork) never lives in the web server. The worker

1. reads the run's config from the store and writes `config.json` into the run's folder;
2. trains it with rnnlab.training.train and a `StoreReporter` callback that queues
   - a batch row (loss and metric: the *running mean of the current epoch*, as Keras reports
     them) at most every `BATCH_ROW_SECONDS`,
   - one row per metric at the end of every epoch (train and validation);
   and a `GradientRecorder` (rnnlab.gradients) that writes the gradient through time on a fixed
   probe batch to gradients.npz before training and after chosen epochs;
3. an `Outbox` thread writes those rows, beats the heartbeat and reads the cancel flag, so the
   training loop never waits for the database;
4. saves the artifacts (config.json, summary.txt, model.keras, weights.npz, history.csv,
   result.json) and ends the run `done`; or `cancelled` (cancel flag or SIGTERM, whatever error
   they surface as), `diverged` (the loss became NaN or infinite), `failed` (the data error, or
   any other exception, in words).

A run of kind `search` takes the same path with rnnlab.tuning in place of step 2: keras-tuner
trains the trials, each trial is written to the store as it starts and ends, and the artifacts
are search.json, keras-tuner's own folder `tuner/` and result.json (the best trial).
"""
from __future__ import annotations

import csv
import math
import os
import resource
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

from rnnlab.data.paths import DataError
from rnnlab.store import CANCELLED, DIVERGED, DONE, FAILED, SEARCH, Store

BATCH_ROW_SECONDS = 0.25     # at most four batch rows a second: smooth curves, tiny database
FLUSH_SECONDS = 0.2          # how often the outbox writes what the callback queued
HEARTBEAT_SECONDS = 1.0      # how often the worker says it is alive and reads the cancel flag


class Cancelled(Exception):
    """Someone asked the run to stop."""


class Diverged(Exception):
    """The loss became NaN or infinite: training cannot recover."""


class Outbox(threading.Thread):
    """Writes queued metric rows and heartbeats from a side thread; sets `cancel` when asked to stop."""

    def __init__(self, store: Store, run_id: int):
        super().__init__(name="outbox", daemon=True)
        self.store, self.run_id = store, run_id
        self.cancel = threading.Event()
        self._rows: list[tuple] = []
        self._lock = threading.Lock()
        self._closed = threading.Event()

    def put(self, rows: list[tuple]) -> None:
        with self._lock:
            self._rows.extend(rows)

    def flush(self) -> None:
        with self._lock:
            rows, self._rows = self._rows, []
        if rows:
            self.store.add_metrics(self.run_id, rows)

    def run(self) -> None:
        last_beat = 0.0
        while not self._closed.wait(FLUSH_SECONDS):
            self.flush()
            if time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
                last_beat = time.monotonic()
                if self.store.beat(self.run_id):
                    self.cancel.set()

    def close(self) -> None:
        self._closed.set()
        self.join()
        self.flush()


def make_reporter(outbox: Outbox, metric: str):
    """The Keras callback that reports to the outbox (built here: keras is imported lazily)."""
    import keras

    class StoreReporter(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.step, self.epoch, self.last_row = 0, 0, 0.0
            self.epochs: list[dict] = []  # every finished epoch's logs, for history.csv

        def on_epoch_begin(self, epoch, logs=None):
            self.epoch, self.epoch_start = epoch + 1, time.perf_counter()

        def on_train_batch_end(self, batch, logs=None):
            self.step += 1
            loss = float(logs["loss"])
            if not math.isfinite(loss):
                raise Diverged(
                    f"The loss became {loss} in epoch {self.epoch}, batch {batch + 1}: the weights "
                    "blew up. Lower the learning rate (e.g. ten times) or use tanh instead of relu.")
            if outbox.cancel.is_set():
                raise Cancelled()
            now = time.monotonic()
            if now - self.last_row >= BATCH_ROW_SECONDS:
                self.last_row = now
                outbox.put([("batch", self.step, self.epoch, name, float(logs[name]))
                            for name in ("loss", metric) if name in logs])

        def on_epoch_end(self, epoch, logs=None):
            row = {name: float(value) for name, value in (logs or {}).items()}
            row["seconds"] = time.perf_counter() - self.epoch_start
            self.epochs.append({"epoch": self.epoch, **row})
            outbox.put([("epoch", self.step, self.epoch, name, value) for name, value in row.items()])

    return StoreReporter()


def save_artifacts(folder: Path, model, result: dict) -> None:
    """What later lessons read without TensorFlow: weights as .npz, the summary as text."""
    import json

    import numpy as np

    from rnnlab.models import keras_summary_text

    (folder / "summary.txt").write_text(keras_summary_text(model), encoding="utf-8")
    model.save(folder / "model.keras")
    np.savez(folder / "weights.npz", **{w.path: np.asarray(w.numpy()) for w in model.weights})
    (folder / "result.json").write_text(json.dumps(result, indent=2), encoding="utf-8")


def write_history(folder: Path, epochs: list[dict]) -> None:
    if not epochs:
        return
    names = list(dict.fromkeys(key for row in epochs for key in row))
    with open(folder / "history.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=names)
        writer.writeheader()
        writer.writerows(epochs)


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def run_worker(run_id: int, store: Store) -> str:
    """Train run `run_id` and record how it ended; returns the final status."""
    run = store.get(run_id)
    folder = store.run_dir(run_id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(run.config.to_json(), encoding="utf-8")

    outbox = Outbox(store, run_id)

    def on_sigterm(signum, frame):  # the supervisor's second way of asking (after the flag)
        outbox.cancel.set()
        raise Cancelled()

    signal.signal(signal.SIGTERM, on_sigterm)
    outbox.start()
    reporter = None
    try:
        if run.kind == SEARCH:
            status, error, result = _search(store, run, folder, outbox)
        else:
            from rnnlab.gradients import GradientRecorder, probe_batch
            from rnnlab.training import prepare_data, train

            reporter = make_reporter(outbox, run.config.metric)
            data = prepare_data(run.config)
            recorder = GradientRecorder(probe_batch(data), folder / "gradients.npz",
                                        run.config.training.epochs)
            model, result = train(run.config, callbacks=[reporter, recorder], data=data)
            result["peak_memory_mb"] = peak_memory_mb()
            result["gradient_record_ms"] = recorder.mean_milliseconds
            save_artifacts(folder, model, result)
            status, error = DONE, None
    except Cancelled:
        status, error, result = CANCELLED, None, None
    except Diverged as err:
        status, error, result = DIVERGED, str(err), None
    except DataError as err:
        status, error, result = FAILED, str(err), None
    except Exception as err:
        status, error, result = _unexpected_ending(err, folder, outbox)
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        outbox.close()
        if reporter is not None:
            write_history(folder, reporter.epochs)
    store.finish(run_id, status, error=error, result=result)
    return status


def _search(store: Store, run, folder: Path, outbox: Outbox) -> tuple[str, str | None, dict | None]:
    """Run a hyperparameter search; returns (status, error, result) like the training path."""
    import json

    from rnnlab.tuning import SearchCancelled, TrialReporter, run_search

    (folder / "search.json").write_text(run.search.to_json(), encoding="utf-8")
    try:
        reporter = TrialReporter(store, run.id, outbox, run.config.metric)
        result = run_search(run.search, folder, reporter)
        result["peak_memory_mb"] = peak_memory_mb()
        (folder / "result.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
        if "best_hyperparameters" not in result:
            return FAILED, ("No trial finished with a score: every trial failed. Try a smaller "
                            "learning rate or tanh."), result
        return DONE, None, result
    except (Cancelled, SearchCancelled):
        return CANCELLED, None, None
    except (DataError, ValueError) as err:  # written for a student already
        return FAILED, str(err), None
    except Exception as err:
        return _unexpected_ending(err, folder, outbox)


def _unexpected_ending(err: Exception, folder: Path, outbox: Outbox) -> tuple[str, str | None, None]:
    """How a run that raised something unforeseen ended: the details go to worker.log.

    After a cancel request any error counts as the cancel: SIGTERM raises `Cancelled` wherever the
    worker happens to be, and if that is inside a pybind11 module being loaded, pybind11 turns it
    into "ImportError: initialization failed". The student asked the run to stop and it stopped;
    that is not a failure.
    """
    (folder / "worker.log").write_text(traceback.format_exc(), encoding="utf-8")
    if outbox.cancel.is_set():
        return CANCELLED, None, None
    return FAILED, f"{type(err).__name__}: {err}", None


def wait_as_standby() -> int | None:
    """`--standby`: load TensorFlow now, then wait on stdin for the id of the run to train.

    Importing keras costs 4-7 s on two cores, most of the wait between pressing Train and seeing
    the first point. The supervisor keeps one standby loaded while it has a free slot and hands it
    the next run it claims: the first point then takes about 3 s (mostly the first batch's graph
    tracing) instead of 9. Returns the run id, or None when stdin closes or says nothing (the
    supervisor left or dismissed it).
    """
    started = time.perf_counter()
    from rnnlab import gradients, training  # noqa: F401  what every run needs, keras included

    print(f"standby {os.getpid()} ready after {time.perf_counter() - started:.1f} s", flush=True)
    line = sys.stdin.readline().strip()
    return int(line) if line.isdigit() else None


def log_to(path: Path) -> None:
    """Send this process's stdout and stderr (TensorFlow's chatter included) to `path`."""
    with open(path, "ab") as log:
        os.dup2(log.fileno(), sys.stdout.fileno())
        os.dup2(log.fileno(), sys.stderr.fileno())


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not (args[0].isdigit() or args[0] == "--standby"):
        print("usage: python -m rnnlab.worker RUN_ID | --standby", file=sys.stderr)
        return 2
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if args[0] == "--standby":
        run_id = wait_as_standby()
        if run_id is None:
            return 0
        store = Store()
        log_to(store.run_dir(run_id) / "process.log")
    else:
        run_id, store = int(args[0]), Store()
    status = run_worker(run_id, store)
    return 0 if status in (DONE, CANCELLED) else 1


if __name__ == "__main__":
    sys.exit(main())
