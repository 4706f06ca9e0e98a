"""Who is using this browser: the sidebar where a person joins the class, and the cookie that
keeps them joined across reloads.

A person joins with a name (rnnlab.jobs.people.join: one person per name in the class). The
server hands back a signed token (rnnlab.jobs.tokens) and keeps it in this session; a few lines
of JavaScript also write it into a cookie, so a reload or a new tab of the same browser, whose
WebSocket handshake carries the cookie (`st.context.cookies`), finds the person again. A link
never carries anyone: `?owner=` is not read, and no page writes it. A cookie that was changed,
expired, or names someone who has left is ignored with one sentence saying why.

The cookie: `rnnlab_person`, path /, SameSite=Strict (the browser sends it to this server only
from this server's own pages), max-age of a school day (rnnlab.jobs.tokens.TOKEN_SECONDS). It is
written by script, so it cannot be HttpOnly; it holds nothing but the signed name and role.

The teacher is a person who typed the operator's secret (RNNLAB_TEACHER_SECRET, or
`teacher_secret` in .streamlit/secrets.toml) into "I am the teacher"; their token then says so.

What other modules use, once app.py has called `sidebar()` in this script run:

    person() -> Person | None   the person using this tab (None: not joined); Person has
                                name (display name), key (owner key in the store), teacher
    owner_name() -> str         person().name, or "anonymous" (the library refuses to queue for it)
"""
from __future__ import annotations

import dataclasses
import json

import streamlit as st

from rnnlab.data.explain import escape_markdown
from rnnlab.jobs import owners, people, tokens
from rnnlab.jobs.people import Person
from rnnlab.jobs.store import Store
from rnnlab.jobs.tokens import TokenError

COOKIE = "rnnlab_person"
LINKED_OWNER = "owner"           # the URL key links used to carry a name in: removed, never read
SESSION_TOKEN = "identity_token"  # this session's signed token, or None (tests join through it)
_PERSON = "identity_person"      # the Person the token named when this script run began
_CHECKED = "identity_checked"    # the cookie of the WebSocket handshake was read
_WRITE = "identity_write_cookie"  # the session changed who it is: the browser's cookie must follow
_NOTICE = "identity_notice"      # a sentence for the sidebar, shown once


def person() -> Person | None:
    """The person using this tab, as checked at the start of this script run (None: not joined)."""
    return st.session_state.get(_PERSON)


def owner_name() -> str:
    """The name this tab's runs are queued under: the person's, or "anonymous" (refused)."""
    joined = person()
    return joined.name if joined else owners.ANONYMOUS


def teacher_secret() -> str | None:
    """The teacher's secret the operator set: RNNLAB_TEACHER_SECRET, else `teacher_secret` in
    .streamlit/secrets.toml; None when neither is set (then nobody is the teacher)."""
    configured = people.configured_teacher_secret()
    if configured:
        return configured
    try:
        value = st.secrets.get("teacher_secret")
    except FileNotFoundError:  # no secrets.toml at all, or one that cannot be parsed
        return None
    return str(value) if value else None


def sidebar() -> Person | None:
    """Find this tab's person (session, else cookie) and draw the sidebar's join, leave and
    teacher controls. app.py calls it once per script run, after the store has opened.

    Returns:
        The person, or None when nobody has joined in this browser.
    """
    store = Store()
    if LINKED_OWNER in st.query_params:  # old links carried a name; it is nobody's identity
        del st.query_params[LINKED_OWNER]
    if not st.session_state.get(_CHECKED):
        st.session_state[_CHECKED] = True
        cookie = st.context.cookies.get(COOKIE)
        st.session_state[SESSION_TOKEN] = (st.session_state.get(SESSION_TOKEN)
                                           or (cookie if isinstance(cookie, str) else None))
    st.session_state[_PERSON] = _restore(store)
    joined = person()
    with st.sidebar:
        # Above the controls: an open "Join the class" popover would cover a notice drawn below.
        if _NOTICE in st.session_state:
            st.warning(escape_markdown(st.session_state.pop(_NOTICE)))  # it may repeat a name
        if joined is None:
            _join_form()
        else:
            _joined_panel(joined)
        if st.session_state.get(_WRITE):
            _write_cookie(st.session_state.get(SESSION_TOKEN))
    return joined


def _restore(store: Store) -> Person | None:
    """The person the session's token names, or None (a bad token is dropped, with a notice)."""
    token = st.session_state.get(SESSION_TOKEN)
    if not token:
        return None
    try:
        restored = people.restore(token, store)
    except TokenError as err:
        _set_token(None)
        st.session_state[_NOTICE] = f"Your saved sign-in was not used: {err}"
        return None
    if restored.teacher and teacher_secret() is None:  # the operator has taken the secret away
        return dataclasses.replace(restored, teacher=False)
    return restored


def _set_token(token: str | None) -> None:
    st.session_state[SESSION_TOKEN] = token
    st.session_state[_WRITE] = True


def _join_form() -> None:
    """The sidebar's "Join the class" button, which opens the name box and its Join button.

    Folded into a popover because the box was the costliest element of a fresh server's first
    page: a browser draws a text box only after fetching and compiling its code. In Chromium on
    two cores, a plain-Streamlit copy of the Home page showed its heading 0.04-0.07 s later with
    the box in the sidebar than without it; in a popover, which draws its contents when opened,
    the box costs what a button costs (bench/ui.py's cold start gained 0.05 s).
    """
    with (st.popover("Join the class", icon=":material/person_add:", width="stretch"),
          st.form("identity_join_form", border=False)):
        st.text_input("Your name", key="identity_name", max_chars=owners.MAX_NAME_CHARS,
                      placeholder="e.g. Ada",
                      help="Join to train: your runs carry this name, and only you and the "
                           "teacher can cancel or delete them. This browser remembers you for "
                           "a school day; a link you share never carries your name.")
        st.form_submit_button("Join", key="identity_join", on_click=_join)


def _join() -> None:
    store = Store()
    try:
        joined = people.join(st.session_state.get("identity_name", ""), store)
    except ValueError as err:
        st.session_state[_NOTICE] = str(err)
        return
    _set_token(people.token(joined, store))


def _joined_panel(joined: Person) -> None:
    role = " (the teacher)" if joined.teacher else ""
    st.markdown(f"You are **{escape_markdown(joined.name)}**{role}.")
    st.button("Leave, or change name", key="identity_leave", on_click=_leave, args=(joined,))
    if joined.teacher:
        return
    with st.expander("I am the teacher"):
        if teacher_secret() is None:
            st.caption("No teacher's secret is set on this server, so nobody is the teacher. "
                       "To set one, start the server with RNNLAB_TEACHER_SECRET in its "
                       "environment, or put `teacher_secret = \"...\"` in "
                       ".streamlit/secrets.toml.")
            return
        st.text_input("The teacher's secret", type="password", key="identity_secret")
        st.button("Unlock the teacher's tools", key="identity_promote", on_click=_promote,
                  args=(joined,))


def _leave(joined: Person) -> None:
    people.leave(joined, Store())
    _set_token(None)


def _promote(joined: Person) -> None:
    typed = st.session_state.pop("identity_secret", "")
    try:
        teacher = people.promote(joined, typed, teacher_secret(), Store())
    except ValueError as err:
        st.session_state[_NOTICE] = str(err)
        return
    _set_token(people.token(teacher, Store()))


def _write_cookie(token: str | None) -> None:
    """Make the browser's cookie hold `token` (None: remove it), with a line of JavaScript.

    st.html runs the script in the app's own page, so document.cookie is the app's cookie. It is
    drawn on every script run after a change, so a rerun that replaces the page cannot lose it.
    """
    value, age = (token, tokens.TOKEN_SECONDS) if token else ("", 0)
    cookie = f"{COOKIE}={value}; path=/; max-age={int(age)}; SameSite=Strict"
    st.html(f"<script>document.cookie = {json.dumps(cookie)};</script>",
            unsafe_allow_javascript=True)

