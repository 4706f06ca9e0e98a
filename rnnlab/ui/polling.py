"""Watching runs that are still training: a panel that redraws itself from the store.

A run trains in a worker process, which writes its metric rows into the run store (see
rnnlab.trainer.reporting); the page learns of them by asking the store again. `live_panel` is a
Streamlit fragment that does the asking: it redraws only its own part of the page every
`every_seconds` while anything it shows is queued or running, and not at all once everything has
ended. A fragment's timer is fixed when it is declared, so when the answer to "is anything still
active?" changes, the panel reruns the whole page, which declares it again with the right timer
(polling when a queued run starts, quiet when the last one ends). A panel whose run was just
queued, or has just started training, and shows no point yet polls four times faster until its
first point is drawn: that wait is the one a class notices after pressing Train (bench/ui.py
times it).

Each redraw reads the store once: `draw` fetches only the rows newer than those this tab already
holds (`run_rows`) and says itself whether what it drew is still active, so the panel does not
ask the store again (bench/classroom.py, thirty tabs: a quarter less server CPU per update). It
opens the store once too, and hands that Store to what it calls (`run_rows`,
`show_where_it_stands`): opening one checks the database's schema, a connection of its own.

A class watches one run (or one race) together: thirty tabs on the same runs redraw every second
or two, and drawing the chart (a plotly figure of every row so far) is most of each redraw's work,
once Streamlit's full garbage collection after every rerun is off (.streamlit/config.toml: it was
three quarters). `shared` makes what a redraw shows once for every tab that asks about the same
runs in the same `SHARE_SECONDS` slice of time, and hands them all the same object
(st.cache_resource: no copy, so never change it; presenter mode draws from a copy). The key is the
runs' ids, creation times and statuses and the time slice, not their last rows: a training run
writes up to four rows a second, and tabs that each waited for their own newest row would each
draw their own. So a chart is at most `SHARE_SECONDS` older than the store, a run that ends is
drawn again at once, and the server draws a chart at most 1 / SHARE_SECONDS times a second however
many tabs watch it.
`bench/classroom.py` measures what it saves; RNNLAB_LIVE_SHARE=0 turns it off.
"""
from __future__ import annotations

import os
import time
from time import monotonic
from typing import Callable, Hashable, Sequence, TypeVar

import streamlit as st

from rnnlab.jobs import runs
from rnnlab.jobs.store import QUEUED, RUNNING, MetricRow, Run, Store, store_address
from rnnlab.jobs.supervisor import default_workers
from rnnlab.lessons import live
from rnnlab.lessons.queue_wait import start_waits

T = TypeVar("T")
SHARE_SECONDS = 0.5  # how old a shared picture may be: half the panel's polling interval
FIRST_POINT_SECONDS = 0.25  # the pace of a panel waiting for its run's first point
# A run queued this recently is waited for at that pace too: a free worker (or the standby) takes
# it within half a second, and a panel that waited for its tick to see it started drew the first
# point up to a second late. One queued longer waits behind other runs, at the usual pace.
JUST_QUEUED_SECONDS = 5.0
# How often the queue's waits are worked out again, once for every tab (shared_read): from every
# run of the server (15 ms for 300 runs), and a wait said in minutes stays right for seconds.
QUEUE_WAIT_SECONDS = 5.0


def live_panel(draw: Callable[[], bool], active: bool, every_seconds: float = 1.0,
               first_point_of: int | None = None, idle_seconds: float | None = None) -> None:
    """Draw a panel that polls the store while something in it is active.

    Args:
        draw: draws the panel's body (reading the runs it shows from the store) and returns
            whether anything it drew is still queued or running.
        active: the same, as the page found it before the panel: it sets the panel's timer.
            draw() must answer as the page would from the same store, or the page would rerun
            without end.
        every_seconds: how often the panel redraws while polling.
        first_point_of: a run whose first point the panel waits for: while a worker trains it,
            or it was queued less than JUST_QUEUED_SECONDS ago, and this tab holds no row of it
            yet (run_rows), the panel redraws every FIRST_POINT_SECONDS, so the first point shows
            a quarter of a second after the worker writes it rather than up to a second, and goes
            back to every_seconds once the point is there. A run queued for longer is polled at
            the usual pace: a class whose thirty runs queue behind one worker would otherwise ask
            four times a second each, for minutes.
        idle_seconds: how often the panel looks again while nothing in it is active, for a panel
            that new runs join (the Runs page's table of every run); None: it does not. When
            draw() then finds something active, the page runs again and the panel polls.
    """
    def waiting(rows: Callable[[int], list[MetricRow]]) -> bool:
        if first_point_of is None or rows(first_point_of):
            return False
        run = runs.status(first_point_of)
        return run.status == RUNNING or (
            run.status == QUEUED and time.time() - run.created < JUST_QUEUED_SECONDS)

    hurrying = active and waiting(run_rows)  # a tab new to the run fetches its rows here, once
    interval = FIRST_POINT_SECONDS if hurrying else every_seconds

    @st.fragment(run_every=interval if active else idle_seconds)
    def panel() -> None:
        still_active = draw()  # which has fetched the rows it shows: the held ones are current
        if still_active != active or (active and waiting(held_rows) != hurrying):
            st.rerun()  # re-declare the fragment: its pace, or the idle one once all has ended

    panel()


def run_rows(run_id: int, store: Store | None = None) -> list[MetricRow]:
    """All of a run's metric rows, fetching only those newer than the ones this tab already has
    (from `store`, the one the redraw opened; default: the environment's)."""
    rows = st.session_state.setdefault(_rows_key(run_id), [])
    rows.extend(runs.curves(run_id, since=rows[-1].id if rows else 0, store=store))
    return rows


def held_rows(run_id: int) -> list[MetricRow]:
    """The run's metric rows this tab has fetched so far (run_rows), without asking the store."""
    return st.session_state.get(_rows_key(run_id), [])


def _rows_key(run_id: int) -> str:
    return f"ui_rows_{run_id}"


def progress_now(rows: list[MetricRow], total_epochs: int) -> live.Progress:
    """How far a running run is now: rnnlab.lessons.live.progress, timed from its first row."""
    first = rows[0].time if rows else time.time()
    return live.progress(rows, total_epochs, time.time() - first)


def show_where_it_stands(run: Run, rows: list[MetricRow], store: Store | None = None) -> None:
    """For a queued or running run: its place in the queue, its data being prepared (e.g. IMDB
    tokenized by the worker, read from `store`'s run folder), or its epoch and the time left, from
    `rows` (run_rows). Nothing for a run that has ended."""
    if run.status == QUEUED:
        st.info(queue_words(run, store))
    elif run.status == RUNNING and not rows and (note := runs.preparing(run.id, store)):
        st.progress(note[0], text=note[1])
    elif run.status == RUNNING:
        step = progress_now(rows, run.config.training.epochs)
        st.progress(step.fraction, text=f"Epoch {step.epoch} of {step.total_epochs} · "
                                        f"{live.time_left(step.eta_seconds)}")


def queue_words(run: Run, store: Store | None = None) -> str:
    """Where a queued run stands, and when it should start (live.waiting_words), from `store`.

    The waits of every queued run (rnnlab.lessons.queue_wait) are worked out once per
    QUEUE_WAIT_SECONDS for every tab of the server; a run queued since then has its place in the
    queue until the next time, and its wait after.
    """
    waits = shared_read("queue waits", QUEUE_WAIT_SECONDS, lambda: start_waits(
        runs.all_jobs(store), default_workers(), time.time()))
    return live.waiting_words(run.queue_position, waits.get(run.id))


def shared(what: str, shown: Sequence[Run], make: Callable[[], T]) -> T:
    """make(), computed once for every tab that shows `what` of the runs `shown` in one
    SHARE_SECONDS slice.

    Args:
        what: what is made ("curves"; "axes", the empty chart of a run with no row yet; "race",
            the race's chart of its runs), so two pictures of the same runs do not collide: a tab
            holding its first row never gets the axes.
        shown: the runs drawn (their ids, creation times and statuses are the key: a run that
            ends is drawn again, and a new run under a deleted run's id is not mistaken for it).
        make: reads what it needs from the store and draws it.
    Returns:
        What make() returned, to this tab or to another: the same object, to read, never change.
    """
    if os.environ.get("RNNLAB_LIVE_SHARE", "1") == "0":
        return make()
    moment = int(monotonic() / SHARE_SECONDS)  # the same for every tab asking in this slice
    runs_key = tuple((run.id, run.created, run.status) for run in shown)
    return _made_once((what, runs_key, moment), make)


def shared_read(what: Hashable, seconds: float, read: Callable[[], T]) -> T:
    """read(), done once for every tab of this server that asks for `what` from the same run
    store in one `seconds` slice of time.

    For what a tab reads on its own timer from the whole store, not from runs it shows (the
    race's estimate: every run, 0.1-0.2 s on a store of 300): thirty tabs then cost one read per
    slice, and what a tab shows is at most `seconds` older than its own read would be. Keep a
    page's first read its own, so a tab that just queued something sees it at once.
    """
    if os.environ.get("RNNLAB_LIVE_SHARE", "1") == "0":
        return read()
    return _made_once((what, store_address(), seconds, int(monotonic() / seconds)), read)


def shared_statuses(run_ids: Sequence[int], store: Store | None = None) -> list[Run]:
    """runs.statuses(run_ids) (from `store`, the one the redraw opened), read once for every tab
    that asks about the same runs in one SHARE_SECONDS slice: a race's two panels, in each of
    thirty tabs, ask for its racers every two seconds. A panel's first drawing uses the page's
    own read instead, since draw() must answer as the page did (live_panel).

    Raises:
        KeyError: one of the runs is not in the store (deleted, or never made).
    """
    ids = list(run_ids)
    return shared_read(("statuses", tuple(ids)), SHARE_SECONDS, lambda: runs.statuses(ids, store))


def shared_runs(store: Store | None = None) -> list[Run]:
    """Every training run (runs.runs, from `store`), read once per SHARE_SECONDS for every tab
    that asks: the sweep's chart and its question find their runs among them every two seconds.
    A panel's first drawing uses the page's own read (live_panel: draw answers as the page did)."""
    return shared_read("every run", SHARE_SECONDS, lambda: runs.runs(store=store))


# The ttl only frees memory: an entry's slice is long past after a minute.
@st.cache_resource(ttl=60, max_entries=64, show_spinner=False)
def _made_once(key: tuple, _make: Callable[[], T]) -> T:
    """One computation per key at a time for the whole server (Streamlit locks per key)."""
    return _make()
