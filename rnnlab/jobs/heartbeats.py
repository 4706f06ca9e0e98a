"""How long a run's worker has been silent, as the watchdogs of both backends count it.

A worker beats its run's heartbeat every second (rnnlab.trainer.reporting). Silence is counted
from the later of the last heartbeat and the moment the counting process last woke up: after a
suspended laptop or a stopped supervisor every heartbeat looks old, but the workers were frozen
along with it (or could not be watched) and deserve a full limit to beat again.
"""
from __future__ import annotations

import time


class SilenceClock:
    """Counts runs' silence for a watchdog that looks at least every `limit` seconds."""

    def __init__(self, limit: float):
        self.limit = limit
        self.awake_since, self.last_look = 0.0, time.time()

    def look(self) -> float:
        """Call once per watch: returns now, and notices if this process slept past the limit."""
        now = time.time()
        if now - self.last_look > self.limit:
            self.awake_since = now
        self.last_look = now
        return now

    def silent(self, run, now: float) -> float:
        """Seconds since `run` last showed a sign of life (its heartbeat, else its start)."""
        return now - max(run.heartbeat or run.started or now, self.awake_since)
