"""A run's curves as they grow: turning metric rows into series, progress and an ETA.

The worker writes two kinds of rows (see rnnlab.trainer.worker): `batch` rows, the running mean of the
current epoch so far (what Keras reports during an epoch, so it restarts at each epoch), and
`epoch` rows, the full-epoch training and validation scores. Pages poll the store for rows newer
than the last id they hold and append them; everything here is a pure function of those rows.
"""
from __future__ import annotations

from dataclasses import dataclass

from rnnlab.jobs.store import MetricRow
from rnnlab.lessons.estimate import rough_duration


@dataclass(frozen=True)
class Series:
    """One curve: x = batches trained so far, y = the value; epochs for hover text."""

    name: str
    steps: list[int]
    epochs: list[int]
    values: list[float]


def series(rows: list[MetricRow], kind: str, name: str) -> Series:
    picked = [r for r in rows if r.kind == kind and r.name == name]
    return Series(name, [r.step for r in picked], [r.epoch for r in picked], [r.value for r in picked])


def epoch_values(rows: list[MetricRow], name: str) -> list[float]:
    """The per-epoch values of one metric, epoch 1 first (e.g. "val_accuracy")."""
    return series(rows, "epoch", name).values


@dataclass(frozen=True)
class Progress:
    epoch: int                 # the epoch being trained (1-based), or the last one finished
    epochs_done: int
    total_epochs: int
    fraction: float            # 0..1 of all batches
    eta_seconds: float | None  # None until there is enough to estimate from


def progress(rows: list[MetricRow], total_epochs: int, elapsed_seconds: float) -> Progress:
    """How far a run is, from its rows and how long it has trained.

    Batches per epoch are known once the first epoch ends (the step of its epoch rows); before
    that the fraction counts finished epochs only and there is no estimate.
    """
    epoch_rows = [r for r in rows if r.kind == "epoch"]
    epochs_done = max((r.epoch for r in epoch_rows), default=0)
    last_step = max((r.step for r in rows), default=0)
    current = max((r.epoch for r in rows), default=1)
    if not epoch_rows:
        return Progress(current, 0, total_epochs, 0.0, None)
    per_epoch = min(r.step for r in epoch_rows if r.epoch == 1)
    total_steps = per_epoch * total_epochs
    fraction = min(1.0, last_step / total_steps)
    eta = elapsed_seconds * (1 - fraction) / fraction if fraction > 0 else None
    return Progress(max(current, epochs_done), epochs_done, total_epochs, fraction, eta)


def time_left(eta_seconds: float | None) -> str:
    """The end of a progress line: "about 2 min 05 s left", or that it is not known yet."""
    if eta_seconds is None:
        return "estimating the time left"
    return f"about {format_duration(eta_seconds)} left"


def format_duration(seconds: float) -> str:
    """A duration to the second, for a count-down: "45 s", "2 min 05 s", "1 h 03 min"
    (a wait said as people say one, "About 3 minutes", is estimate.rough_duration)."""
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def waiting_words(queue_position: int, seconds: float | None = None) -> str:
    """Where a queued run stands, in words: "Waiting: it is next." when nothing is ahead of it,
    "Waiting: 1 run ahead of it.", "Waiting: 2 runs ahead of it." otherwise, then when it should
    start if that is known: "It should start in about 3 minutes."

    Args:
        queue_position: the run's place in the queue, 1 = the next to start (Run.queue_position).
        seconds: how long until it should start (rnnlab.lessons.queue_wait); None: not known.
    """
    ahead = queue_position - 1
    where = "it is next" if ahead <= 0 else f"{ahead} run{'s' * (ahead != 1)} ahead of it"
    if seconds is None:
        return f"Waiting: {where}."
    return f"Waiting: {where}. It should start in {rough_duration(seconds).lower()}."
