"""When a queued run should start: what a student whose run waits behind the class's wants to know.

The supervisor trains `workers` runs at once (one by default) and starts the queued ones in the
order they were queued (Run.queue_position) as workers come free. So the wait is worked out as the
supervisor will go:

- each running run frees its worker once its expected duration has passed since it started (at
  once if it has already run longer: it may end any moment);
- each queued run, in order, takes the first worker free, and holds it for its own duration.

A run's duration is its epochs at its seconds per epoch plus what a run costs beyond them
(rnnlab.lessons.estimate: this server's finished runs of the same size first, then the figures
measured on this machine). A run whose duration cannot be told (a search, whose trials are
decided as it goes; data never measured here) holds its worker for an unknown time, and a queued
run that must wait for that worker gets no figure rather than a guess. Early stopping can end a
run before its last epoch, so a wait errs long, never short.
"""
from __future__ import annotations

import heapq
import math
from typing import Sequence

from rnnlab.jobs.store import QUEUED, RUNNING, TRAIN, Run
from rnnlab.lessons.estimate import MEASURED, RUN_OVERHEAD_SECONDS, Measured, run_pace, server_paces


def start_waits(everything: Sequence[Run], workers: int, now: float,
                measured: Sequence[Measured] = MEASURED) -> dict[int, float]:
    """Seconds from `now` until each queued run should start, for those whose wait can be told.

    Args:
        everything: every run of the server, of every kind (Store.list): the running and queued
            ones are the queue, the finished ones give this server's paces.
        workers: runs trained at once (rnnlab.jobs.supervisor.default_workers).
        now: the time the waits are counted from (time.time()).
        measured: the figures measured on this machine.
    Returns:
        {queued run id: seconds until it starts}; a run left out has no figure.
    """
    here = server_paces(everything)

    def duration(run: Run) -> float:
        """Seconds the run holds its worker; math.inf where that cannot be told."""
        pace = run_pace(run.config, here, measured)[0] if run.kind == TRAIN else None
        if pace is None:
            return math.inf
        return run.config.training.epochs * pace + RUN_OVERHEAD_SECONDS

    free_at = [max(0.0, (run.started or now) + duration(run) - now)
               for run in everything if run.status == RUNNING]
    free_at += [0.0] * max(0, workers - len(free_at))
    heapq.heapify(free_at)
    waits = {}
    for run in sorted((run for run in everything if run.status == QUEUED),
                      key=lambda run: run.queue_position):
        start = heapq.heappop(free_at)
        if start < math.inf:
            waits[run.id] = start
        heapq.heappush(free_at, start + duration(run))
    return waits
