"""How a training process reports to the run store while Keras trains: rows, heartbeats, cancels.

Two pieces, used by a single training run (rnnlab.trainer.worker) and by a search
(rnnlab.trainer.tuning) alike:

- `Outbox`, a side thread that writes queued metric rows to the store every `FLUSH_SECONDS`,
  beats the run's heartbeat every `HEARTBEAT_SECONDS` and sets its `cancel` event when someone
  asked the run to stop. The training loop only appends to a list, so it never waits for the
  database.
- `CurveWriter`, which turns Keras's logs into the store's metric rows:
  - a `batch` row (loss and metric, the *running mean of the current epoch* as Keras reports
    them) at most every `BATCH_ROW_SECONDS`,
  - one `epoch` row per value at the end of every epoch (training and validation scores).
  Steps and epochs keep counting across the fits of a search, so one progress bar covers it.
  On every batch it checks that the loss is still finite and whether a cancel was asked for.

`keras_callback(writer)` wraps a CurveWriter as the Keras callback a run's model.fit takes; a
search calls the same writer from keras-tuner's hooks instead. `epoch_printer(metric)` is the
command line's callback (`python -m rnnlab train`): one line per epoch on stdout, no store.
"""
from __future__ import annotations

import math
import threading
import time
from typing import Callable

from rnnlab.jobs.store import Store

BATCH_ROW_SECONDS = 0.25     # at most four batch rows a second: smooth curves, tiny database
FLUSH_SECONDS = 0.2          # how often the outbox writes what the writer queued
HEARTBEAT_SECONDS = 1.0      # how often the outbox says the run is alive and reads the cancel flag


class Cancelled(Exception):
    """Someone asked the run to stop."""


class Diverged(Exception):
    """The loss became NaN or infinite: training cannot recover."""


class Outbox(threading.Thread):
    """Writes queued metric rows and heartbeats from a side thread; sets `cancel` when asked to stop.

    Training never waits for the store: put() only queues, and the thread writes every
    FLUSH_SECONDS. The run's first rows are the exception to the pace, not to the thread: they
    wake it at once, because the first point after Train is the wait a class notices (up to
    FLUSH_SECONDS more otherwise).
    """

    def __init__(self, store: Store, run_id: int):
        super().__init__(name="outbox", daemon=True)
        self.store, self.run_id = store, run_id
        self.cancel = threading.Event()
        self._rows: list[tuple] = []
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._turn = threading.Event()  # set: write now, without waiting out FLUSH_SECONDS
        self._put_any = False

    def put(self, rows: list[tuple]) -> None:
        with self._lock:
            self._rows.extend(rows)
            first, self._put_any = not self._put_any, True
        if first:
            self._turn.set()

    def flush(self) -> None:
        with self._lock:
            rows, self._rows = self._rows, []
        if rows:
            self.store.add_metrics(self.run_id, rows)

    def run(self) -> None:
        last_beat = 0.0
        while True:
            self._turn.wait(FLUSH_SECONDS)
            if self._closed.is_set():
                return
            self._turn.clear()
            self.flush()
            if time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
                last_beat = time.monotonic()
                if self.store.beat(self.run_id):
                    self.cancel.set()

    def close(self) -> None:
        self._closed.set()
        self._turn.set()
        self.join()
        self.flush()


class CurveWriter:
    """Keras logs in, the store's metric rows out (through an outbox: anything with put(rows)
    and a `cancel` event).

    Args:
        outbox: where the rows go.
        metric: the run's metric ("accuracy" or "mae"), reported on batch rows beside the loss.
        cancelled: the exception to raise when a cancel was asked for.
        diverged: the exception class to raise, with a message, when the loss is not finite.
    """

    def __init__(self, outbox, metric: str, cancelled: Callable[[], Exception] = Cancelled,
                 diverged: Callable[[str], Exception] = Diverged):
        self.outbox, self.metric = outbox, metric
        self.cancelled, self.diverged = cancelled, diverged
        self.step = 0              # batches trained so far
        self.epochs_done = 0       # epochs finished so far
        self.batch_in_epoch = 0
        self.last_row = 0.0
        self.epochs: list[dict] = []   # every finished epoch's values, for history.csv

    def check_cancel(self) -> None:
        if self.outbox.cancel.is_set():
            raise self.cancelled()

    def batch(self, logs: dict) -> None:
        """After each training batch: check the loss and the cancel flag, maybe queue a row."""
        self.step += 1
        self.batch_in_epoch += 1
        loss = float(logs.get("loss", 0.0))
        if not math.isfinite(loss):
            raise self.diverged(
                f"The loss became {loss} in epoch {self.epochs_done + 1}, batch "
                f"{self.batch_in_epoch}: the weights blew up. Lower the learning rate (e.g. ten "
                "times) or use tanh instead of relu.")
        self.check_cancel()
        now = time.monotonic()
        if now - self.last_row >= BATCH_ROW_SECONDS:
            self.last_row = now
            self.outbox.put([("batch", self.step, self.epochs_done + 1, name, float(logs[name]))
                             for name in ("loss", self.metric) if name in logs])

    def epoch(self, logs: dict, **extra: float) -> None:
        """After each epoch: one row per value of `logs` and of `extra` (e.g. seconds=12.5)."""
        self.epochs_done += 1
        self.batch_in_epoch = 0
        row = {name: float(value) for name, value in {**(logs or {}), **extra}.items()}
        self.epochs.append({"epoch": self.epochs_done, **row})
        self.outbox.put([("epoch", self.step, self.epochs_done, name, value)
                         for name, value in row.items()])


def keras_callback(writer: CurveWriter):
    """The Keras callback that feeds `writer` during model.fit, with each epoch's seconds.

    Keras is imported here, not at the top, so a worker that has not started training yet (a
    standby, a usage error) has not paid for the import.
    """
    import keras

    class CurveReporter(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.epoch_start = time.perf_counter()

        def on_train_batch_end(self, batch, logs=None):
            writer.batch(logs or {})

        def on_epoch_end(self, epoch, logs=None):
            writer.epoch(logs or {}, seconds=time.perf_counter() - self.epoch_start)

    return CurveReporter()


def epoch_printer(metric: str):
    """The Keras callback that prints one line per epoch, for the command line trainer.

    Args:
        metric: the run's metric ("accuracy" or "mae"), printed beside the loss.
    Returns:
        A callback printing e.g. `epoch 1/2  loss 0.6931  accuracy 0.5000  val_loss 0.6925
        val_accuracy 0.5100`, values rounded to 4 decimals, flushed at once so a pipe sees it.
    """
    import keras  # imported here for the same reason as in keras_callback

    class EpochPrinter(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs = logs or {}
            parts = [f"epoch {epoch + 1}/{self.params['epochs']}"]
            for key in ("loss", metric, "val_loss", f"val_{metric}"):
                if key in logs:
                    parts.append(f"{key} {logs[key]:.4f}")
            print("  ".join(parts), flush=True)

    return EpochPrinter()
