"""The store's records as Python sees them: a run, a search trial and a metric row, decoded.

rnnlab.jobs.store reads and writes them; pages and lessons read their fields. A run's status is
one of the constants below: born QUEUED, RUNNING once a supervisor claims it, and then one of
TERMINAL for good (rnnlab.jobs.store's docstring tells the whole life).
"""
from __future__ import annotations

from dataclasses import dataclass

from rnnlab.config import RunConfig
from rnnlab.config.search import SearchConfig

QUEUED, RUNNING, DONE, FAILED, CANCELLED, INTERRUPTED, DIVERGED = (
    "queued", "running", "done", "failed", "cancelled", "interrupted", "diverged")
ACTIVE = (QUEUED, RUNNING)
TERMINAL = (DONE, FAILED, CANCELLED, INTERRUPTED, DIVERGED)
TRAIN, SEARCH = "train", "search"


@dataclass(frozen=True)
class Run:
    """One row of `runs`, decoded."""

    id: int
    owner: str
    config: RunConfig
    config_hash: str
    status: str
    created: float
    started: float | None
    finished: float | None
    pid: int | None
    heartbeat: float | None
    cancel_requested: float | None
    error: str | None
    result: dict | None
    kind: str                   # TRAIN or SEARCH
    search: SearchConfig | None  # a search's settings (config is then its base model)
    queue_position: int | None  # 1 = next to start; None unless queued
    cancelled_by: str | None = None  # the name of who asked it to stop (None: nobody, or unknown)
    node: str | None = None     # the host name of the machine whose worker trains it
    job: str | None = None      # its Ray job's submission id; None for a local worker process

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


@dataclass(frozen=True)
class Trial:
    """One trial of a search, decoded from `trials`."""

    run_id: int
    number: int
    trial_id: str
    hyperparameters: dict
    status: str
    score: float | None
    epochs: int | None
    seconds: float | None
    started: float
    message: str | None


@dataclass(frozen=True)
class MetricRow:
    id: int
    kind: str
    step: int
    epoch: int
    name: str
    value: float
    time: float
