"""The teacher's tools on the Runs page: the per-student limit and clearing the class.

Only a person whose signed token says they are the teacher (rnnlab.ui.identity) sees them, and
the library checks again (rnnlab.jobs.runs.set_owner_limit and clear_class refuse anyone else),
so a student who crafts the request gets a refusal, not the power.

    the per-student limit   how many runs each student may have queued or running at once;
                            kept in the store for the whole class, it overrides the server's
                            RNNLAB_OWNER_LIMIT
    clear the class         at the end of a lesson: every queued or running run is cancelled,
                            every run that has ended is deleted with its files, and every student
                            is signed out (they join again next time). Two steps: tick, then press.
"""
from __future__ import annotations

import streamlit as st

from rnnlab.jobs import limits, runs
from rnnlab.ui import actions, identity

_ERROR, _DONE = "teacher_error", "teacher_done"


def tools() -> None:
    """Draw the teacher's tools, or nothing for anyone but the teacher."""
    teacher = identity.person()
    if teacher is None or not teacher.teacher:
        return
    st.subheader("Teacher's tools")
    st.number_input("Runs each student may have queued or running at once", min_value=1,
                    max_value=limits.MAX_OWNER_LIMIT, step=1, value=runs.owner_limit(),
                    key="teacher_owner_limit", on_change=_set_limit,
                    help="For the whole class, from now on. A race or a sweep counts as one "
                         "request when the student has nothing else waiting.")
    if st.checkbox("I want to clear the class: cancel every run, delete every run and its files, "
                   "and sign every student out", key="teacher_confirm_clear"):
        st.button("Clear the class", key="teacher_clear", on_click=_clear)
    actions.show_refusal(_ERROR)
    if _DONE in st.session_state:
        st.success(st.session_state.pop(_DONE))


def _set_limit() -> None:
    try:
        runs.set_owner_limit(int(st.session_state["teacher_owner_limit"]), by=identity.person())
    except ValueError as err:
        st.session_state[_ERROR] = str(err)


def _clear() -> None:
    try:
        cleared = runs.clear_class(by=identity.person())
    except ValueError as err:
        st.session_state[_ERROR] = str(err)
        return
    st.session_state["teacher_confirm_clear"] = False
    stopping = (f" {cleared.stopping} running run{'s were' if cleared.stopping != 1 else ' was'} "
                "asked to stop: clear again in a few seconds to remove "
                f"{'them' if cleared.stopping != 1 else 'it'}." if cleared.stopping else "")
    st.session_state[_DONE] = (f"Deleted {cleared.deleted} run{'s' * (cleared.deleted != 1)} and "
                               f"signed {cleared.people} student{'s' * (cleared.people != 1)} "
                               f"out.{stopping}")
