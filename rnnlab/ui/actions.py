"""What a button does: act in its callback, hand the outcome to the page body through the session.

Pages act on a click in the button's on_click callback, never with `if st.button(...):`. A
callback runs before the page script, so it sees the click even when the script is rerun at once
(rnnlab.ui.frame.page_header does that on a server's first deep link, and a polling fragment can
cut a script run short). What the callback wants shown, a refusal or the id of the new run, it
leaves in st.session_state under a key named after the page; the page body shows it
(`show_refusal`) or writes it into the URL (rnnlab.ui.state.settle_url).
"""
from __future__ import annotations

from typing import Callable, Iterable

import streamlit as st

from rnnlab.config import RunConfig
from rnnlab.data.explain import escape_markdown
from rnnlab.jobs import runs
from rnnlab.ui import state


def queue_batch(make_configs: Callable[[], Iterable[RunConfig]], error_key: str,
                watch_key: str | None = None) -> None:
    """A button's on_click that queues a batch of runs (a race, a sweep) for this tab's owner.

    Args:
        make_configs: called with no arguments, returns the RunConfigs to queue as one request.
        error_key: where the reason goes, in words, if the batch is refused (the owner's limit,
            or configs that cannot be built); the page shows it with show_refusal(error_key).
        watch_key: where the new runs' ids go ("3,4,5"), for settle_url to put in the link.
    """
    try:
        submissions = runs.submit_batch(make_configs(), state.owner_name())
    except ValueError as err:  # rnnlab.jobs.store.LimitError is one
        st.session_state[error_key] = str(err)
        return
    if watch_key is not None:
        st.session_state[watch_key] = ",".join(str(s.run_id) for s in submissions)


def show_refusal(error_key: str) -> None:
    """Show, once, the reason a button's callback left under `error_key` (see queue_batch)."""
    if error_key in st.session_state:
        st.error(escape_markdown(st.session_state.pop(error_key)))  # it may name the owner


def cancel_run(run_id: int) -> str:
    """Ask one run to stop, for this tab's person: the one place the pages cancel through.

    Returns:
        The run's status right after asking (rnnlab.jobs.runs.cancel).
    Raises:
        ValueError: the cancel is refused, with the reason in words.
    """
    return runs.cancel(run_id)


def cancel_batch(run_ids: Iterable[int], error_key: str) -> None:
    """A button's on_click that cancels every run of a batch (a race, a sweep) still queued or
    running; a run already ended is left as it is. A refused cancel leaves its reason under
    `error_key` for show_refusal, and the others are still cancelled.
    """
    refusals = []
    for run_id in run_ids:
        try:
            if runs.status(run_id).active:
                cancel_run(run_id)
        except KeyError:  # deleted meanwhile: nothing left to stop
            continue
        except ValueError as err:
            refusals.append(f"#{run_id}: {err}")
    if refusals:
        st.session_state[error_key] = " ".join(refusals)
