"""The Runs page's live parts: the table of every run in the class, and the opened run's status.

A teacher puts the Runs page on the projector while the class trains: the table must show runs
starting, finishing and scoring without anyone clicking, and the teacher often opens it before
the class has started anything. So the table is a live panel (rnnlab.ui.polling.live_panel): it
reads the store again every RUNS_POLL_SECONDS while a run it lists is queued or running, and
every RUNS_IDLE_SECONDS while none is, to see the next run queued (then it polls again).

Reading every run takes a while on a full store (about 0.08 s for 300 runs, measured on two
cores), and thirty tabs may show the table: the tabs share one read per interval
(polling.shared_read). A tab's first drawing of the table uses the page's own read, so a run the
student just queued or deleted is right at once. Thirty tabs on a store of 300 runs, one of them
training (protocol clients, as bench/classroom.py's): the web server used 0.30 cores, against
1.10 with a read per tab (RNNLAB_LIVE_SHARE=0) and 0.47-0.52 at a two-second pace.

The opened run ("One run") says where it stands while it is queued or running, and when it ends
the page runs again (live_panel's rerun), so its scores, summary and files appear.
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd
import streamlit as st

from rnnlab.jobs import people, runs
from rnnlab.jobs.people import Person
from rnnlab.jobs.store import Run, Store
from rnnlab.lessons import baseline
from rnnlab.ui import frame, polling

RUNS_POLL_SECONDS = 3.0  # runs last minutes: a status three seconds old is soon enough
RUNS_IDLE_SECONDS = 10.0  # nothing active: how soon the table sees a newly queued run


def live_table(listed: Sequence[Run], me: Person | None, only_mine: bool) -> None:
    """The table of `listed` (the page's read of the runs, already filtered; nothing while it is
    empty), redrawn from the store while any run in it is active and now and then while none is;
    with `only_mine`, later reads keep to `me`'s runs."""
    first = [list(listed)]

    def draw() -> bool:
        shown = first.pop() if first else [
            r for r in polling.shared_read("every run", RUNS_POLL_SECONDS, runs.runs)
            if people.owns(me, r) or not only_mine]
        if shown:
            show_table(shown)
        return any(r.active for r in shown)

    polling.live_panel(draw, any(r.active for r in listed), every_seconds=RUNS_POLL_SECONDS,
                       idle_seconds=RUNS_IDLE_SECONDS)


def live_status(run: Run) -> None:
    """The opened run's status line, and while it is active where it stands, redrawn every
    RUNS_POLL_SECONDS (polling.show_where_it_stands); the page runs again once it has ended."""
    first = [run]

    def draw() -> bool:
        store = Store()  # one per redraw: opening it checks its schema
        try:
            now = first.pop() if first else runs.status(run.id, store)
        except KeyError:  # deleted while watched: the page, run again, says what it shows instead
            return False
        if now.error:
            st.error(f"This run {now.status}: {now.error}")
        else:
            st.markdown(f"**Status:** {now.status}" + (f", by {frame.plain(now.cancelled_by)}"
                                                       if now.cancelled_by else "")
                        + (f"; trained on {frame.plain(now.node)}" if now.node else ""))
        polling.show_where_it_stands(now, polling.run_rows(now.id, store) if now.active else [],
                                     store)
        return now.active

    polling.live_panel(draw, run.active, every_seconds=RUNS_POLL_SECONDS)


def best(run: Run) -> dict:
    """The table's metric and best validation score columns for `run` (weather in °C)."""
    scale = baseline.scale_from_result(run.result)
    if scale is not None:
        return {"metric": f"MAE ({scale.unit})",
                "best validation": run.result["best_val_mae"] * scale.factor}
    metric = run.config.metric
    return {"metric": metric,
            "best validation": run.result.get(f"best_val_{metric}") if run.result else None}


def show_table(shown: Sequence[Run]) -> None:
    """One row per run: id, owner, model, status, best validation score.

    Short headers (the full name in each tooltip), and only the columns that say something here,
    so the table fits a 1024 px projector beside the sidebar even with long names and deep
    models: a run's size and speed are under the page's "One run", and side by side in the
    race's table.
    """
    table = pd.DataFrame([{
        "run": r.id, "owner": r.owner, "model": r.config.label(), "status": r.status,
        "cancelled by": r.cancelled_by, "machine": r.node,
        **best(r),
    } for r in shown])
    metrics = set(table["metric"]) if shown else set()
    one_metric = next(iter(metrics)) if len(metrics) == 1 else None  # then a caption names it
    # "machine" only for a class on several machines (docs/CLASS_ON_SEVERAL_MACHINES.md).
    columns = [c for c in table.columns if not (c == "cancelled by" and table[c].isna().all())
               and not (c == "machine" and table[c].nunique() < 2)
               and not (c == "metric" and one_metric)]
    formats = {
        "run": st.column_config.NumberColumn("run", width="small"),
        "best validation": st.column_config.NumberColumn(
            "best val.", format="%.3f", help="The best validation score of any epoch, in the "
            "metric column (accuracy: higher is better; MAE and bpc, bits per character: lower "
            "is better)."),
    }
    # A score not yet there (a run queued or training), a run nobody cancelled: a blank cell,
    # not Streamlit's grey "None", which a class reads as a result.
    st.dataframe(table, hide_index=True, width="stretch", column_order=columns,
                 column_config=formats, placeholder="")
    st.caption((f"best val.: the best validation {one_metric} of any epoch. " if one_metric
                else "") + "Open a run under One run below for its parameters and seconds per "
               "epoch.")
