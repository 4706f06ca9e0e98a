"""Watching runs that are still training: a panel that redraws itself from the store.

A run trains in a worker process, which writes its metric rows into the run store (see
rnnlab.trainer.reporting); the page learns of them by asking the store again. `live_panel` is a
Streamlit fragment that does the asking: it redraws only its own part of the page every
`every_seconds` while anything it shows is queued or running, and not at all once everything has
ended. A fragment's timer is fixed when it is declared, so when the answer to "is anything still
active?" changes, the panel reruns the whole page, which declares it again with the right timer
(polling when a queued run starts, quiet when the last one ends).

Each redraw fetches only the rows newer than those this tab already holds (`run_rows`).
"""
from __future__ import annotations

import time
from typing import Callable

import streamlit as st

from rnnlab.jobs import runs
from rnnlab.jobs.store import MetricRow
from rnnlab.lessons import live


def live_panel(draw: Callable[[], None], still_active: Callable[[], bool],
               every_seconds: float = 1.0) -> None:
    """Draw a panel that polls the store while something in it is active.

    Args:
        draw: draws the panel's body (reading the runs it shows from the store).
        still_active: whether anything the panel shows is still queued or running.
        every_seconds: how often the panel redraws while polling.
    """
    polling = still_active()

    @st.fragment(run_every=every_seconds if polling else None)
    def panel() -> None:
        draw()
        if still_active() != polling:
            st.rerun()  # re-declare the fragment: poll while active, stop when all has ended

    panel()


def run_rows(run_id: int) -> list[MetricRow]:
    """All of a run's metric rows, fetching only those newer than the ones this tab already has."""
    rows = st.session_state.setdefault(f"ui_rows_{run_id}", [])
    rows.extend(runs.curves(run_id, since=rows[-1].id if rows else 0))
    return rows


def progress_now(rows: list[MetricRow], total_epochs: int) -> live.Progress:
    """How far a running run is now: rnnlab.lessons.live.progress, timed from its first row."""
    first = rows[0].time if rows else time.time()
    return live.progress(rows, total_epochs, time.time() - first)
