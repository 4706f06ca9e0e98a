"""What a button does: act in its callback, hand the outcome to the page body through the session.

The buttons that act on runs live here, so every page asks the library the same way and shows
its refusals the same way: queue a batch (`queue_batch`) or a search (`queue_search`), cancel
(`cancel_run`) or delete (`delete_run`) a run as the person using this tab
(rnnlab.ui.identity), and whether to draw a run's Cancel and Delete buttons at all
(`may_manage`).

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
from rnnlab.config.search import SearchConfig
from rnnlab.data.explain import escape_markdown
from rnnlab.jobs import people, runs
from rnnlab.jobs.store import Run
from rnnlab.ui import identity


def queue_batch(make_configs: Callable[[], Iterable[RunConfig]], error_key: str,
                watch_key: str | None = None) -> None:
    """A button's on_click that queues a batch of runs (a race, a sweep) for this tab's owner.

    Args:
        make_configs: called with no arguments, returns the RunConfigs to queue as one request.
        error_key: where the reason goes, in words, if the batch is refused (nobody has joined in
            this browser, the owner's limits, or configs that cannot be built); the page shows it
            with show_refusal(error_key).
        watch_key: where the new runs' ids go ("3,4,5"), for settle_url to put in the link.
    """
    try:
        submissions = runs.submit_batch(make_configs(), identity.owner_name())
    except ValueError as err:  # not joined yet, or a LimitError
        st.session_state[error_key] = str(err)
        return
    if watch_key is not None:
        st.session_state[watch_key] = ",".join(str(s.run_id) for s in submissions)


def queue_search(search: SearchConfig, error_key: str, watch_key: str) -> None:
    """A button's on_click that queues a hyperparameter search for this tab's person; its run id
    goes to `watch_key` (for settle_url), a refusal in words to `error_key` (see queue_batch)."""
    try:
        st.session_state[watch_key] = str(runs.submit_search(search, identity.owner_name()))
    except ValueError as err:  # not joined yet, or a LimitError
        st.session_state[error_key] = str(err)


def may_manage(run: Run) -> bool:
    """Whether the person using this tab may cancel or delete `run` (their own, or any for the
    teacher): pages draw a run's Cancel and Delete buttons only then."""
    return people.may_manage(identity.person(), run)


def cancel_run(run_id: int, error_key: str) -> None:
    """A Cancel button's on_click: ask the run to stop as this tab's person.

    The library checks who asks (rnnlab.jobs.runs.cancel): a refusal, in words, goes to
    `error_key` for show_refusal, never a traceback.
    """
    try:
        runs.cancel(run_id, by=identity.person())
    except (KeyError, ValueError) as err:
        st.session_state[error_key] = err.args[0] if isinstance(err, KeyError) else str(err)


def delete_run(run_id: int, error_key: str) -> None:
    """A Delete button's on_click: remove the run and its files as this tab's person (refusals
    go to `error_key`, as in cancel_run)."""
    try:
        runs.delete(run_id, by=identity.person())
    except (KeyError, ValueError) as err:
        st.session_state[error_key] = err.args[0] if isinstance(err, KeyError) else str(err)


def show_refusal(error_key: str) -> None:
    """Show, once, the reason a button's callback left under `error_key` (see queue_batch)."""
    if error_key in st.session_state:
        st.error(escape_markdown(st.session_state.pop(error_key)))  # it may name the owner


def cancel_batch(run_ids: Iterable[int], error_key: str) -> None:
    """A button's on_click that cancels every run of a batch (a race, a sweep) still queued or
    running; a run already ended is left as it is. A refused cancel leaves its reason under
    `error_key` for show_refusal, and the others are still cancelled.
    """
    refusals = []
    for run_id in run_ids:
        try:
            if runs.status(run_id).active:
                runs.cancel(run_id, by=identity.person())
        except KeyError:  # deleted meanwhile: nothing left to stop
            continue
        except ValueError as err:
            refusals.append(f"#{run_id}: {err}")
    if refusals:
        st.session_state[error_key] = " ".join(refusals)
