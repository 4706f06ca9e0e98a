"""Presenter mode: the lab on a classroom projector, switched on in the sidebar or in the link.

A teacher who projects the lab wants the charts readable from the back row and nothing on the
screen but the lesson. Four URL parameters, in the style of tensorflow/playground's `*_hide`
parameters, say what the projected page shows; each is on when its value is 1:

    ?present=1         presenter mode: every chart's type larger still (18 px ticks instead of
                       15, rnnlab.plots.theme.PRESENTER); the sidebar's "Presenter mode" switch
    ?sidebar_hide=1    no sidebar: no page list, no name box, no arrow to open it
    ?settings_hide=1   no Streamlit toolbar: the Deploy button and the ⋮ menu (Streamlit's own
                       settings: theme, wide mode, rerun, print); the page starts at the top
    ?intro_hide=1      no intro under each page's title and no "Show the code" expander, so the
                       chart comes up to the screen's first lines

e.g. `http://lab:8501/race?present=1&sidebar_hide=1&settings_hide=1`. The settings stay for
the whole visit: Streamlit forgets a link's parameters when it switches pages, so they are also
kept in the tab's session, written back into every page's link, and carried on the links pages
draw to one another (rnnlab.ui.state.page_params). To leave, open the link without them (or with
`present=0`): a link typed into the address bar starts a fresh visit.

The hiding is done with a few lines of CSS (st.html with only a <style> element draws nothing)
on elements Streamlit names with data-testid; the page itself runs unchanged, so a hidden
sidebar still keeps the student's name.
"""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from rnnlab.plots.theme import PRESENTER, readable

PRESENT_KEY = "present"
# What each *_hide parameter hides, as the CSS that hides it (None: the page leaves it out).
HIDE_CSS = {
    "sidebar_hide": '[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], '
                    '[data-testid="stExpandSidebarButton"] { display: none !important; }',
    "settings_hide": '[data-testid="stHeader"], [data-testid="stToolbar"] { display: none; } '
                     '[data-testid="stMainBlockContainer"] { padding-top: 2rem; }',
    "intro_hide": None,
}
URL_KEYS = (PRESENT_KEY, *HIDE_CSS)
_CARRIER = "ui_presenter"          # the settings that are on, for this tab's page switches
_SWITCH = "presenter_switch"       # the sidebar's toggle


def _on(text: str | None) -> bool:
    return (text or "").strip() in ("1", "true", "yes", "on")


def apply() -> None:
    """Read the settings (the link on a tab's first run, else the tab's own), draw the sidebar's
    switch, keep the settings in the link and hide what they hide. app.py calls it on every run.
    """
    if _CARRIER not in st.session_state:  # a new visit: the link decides
        st.session_state[_CARRIER] = {key: "1" for key in URL_KEYS
                                      if _on(st.query_params.get(key))}
        st.session_state[_SWITCH] = PRESENT_KEY in st.session_state[_CARRIER]
    present = st.sidebar.toggle(
        "Presenter mode", key=_SWITCH,
        help="Larger type on every chart, for a projector. Add sidebar_hide=1, settings_hide=1 "
             "or intro_hide=1 to the page's link to hide the sidebar, Streamlit's toolbar or "
             "each page's introduction (see the README).")
    settings = {key: "1" for key in st.session_state[_CARRIER] if key != PRESENT_KEY}
    if present:
        settings[PRESENT_KEY] = "1"
    st.session_state[_CARRIER] = settings
    for key in URL_KEYS:  # write back only what differs: the link follows the settings
        if key in settings and st.query_params.get(key) != "1":
            st.query_params[key] = "1"
        elif key not in settings and key in st.query_params:
            del st.query_params[key]
    css = " ".join(HIDE_CSS[key] for key in settings if HIDE_CSS.get(key))
    if css:
        st.html(f"<style>{css}</style>")


def link_params() -> dict[str, str]:
    """The settings that are on, as URL parameters to carry on a link to another page."""
    return dict(st.session_state.get(_CARRIER, {}))


def presenting() -> bool:
    """Whether presenter mode is on in this tab."""
    return PRESENT_KEY in st.session_state.get(_CARRIER, {})


def hidden(part: str) -> bool:
    """Whether this tab hides `part` ("sidebar", "settings" or "intro") by its *_hide parameter."""
    return f"{part}_hide" in st.session_state.get(_CARRIER, {})


def chart(figure, **kwargs) -> None:
    """st.plotly_chart, with the chart's type at presenter sizes when presenter mode is on.

    Args:
        figure: a figure from rnnlab.plots (already at the classroom's sizes).
        kwargs: passed on to st.plotly_chart (key, config, ...).
    """
    # A copy: the figure may be shared with other tabs (rnnlab.ui.polling.shared).
    st.plotly_chart(readable(go.Figure(figure), PRESENTER) if presenting() else figure, **kwargs)
