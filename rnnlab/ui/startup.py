"""What the web server does once, as it starts: have the run store's supervisor running early.

A run's first point waits for TensorFlow in its worker (3-5 s to import on two cores) unless the
supervisor's standby worker has loaded it ahead of time (rnnlab.jobs.supervisor). A script runs
only when someone opens a page, so a supervisor started by app.py alone would begin loading at
the first visit, seconds before a class presses Train. Streamlit's `st.App` runs a `lifespan`
when the server starts, before any page is served: serve.py hands it this one.

    streamlit run serve.py        # the server, with the supervisor started at once
    streamlit run app.py          # the same app; the supervisor starts at the first page view

The lifespan itself only starts a thread (`get_ready`) and lets the server answer at once. The
thread imports what the first page needs while the browser loads Streamlit's JavaScript (about
0.7 s in which the server only serves files, and GET_READY_SWITCH_INTERVAL keeps that serving
from waiting on the imports), rather than while a class looks at an empty page, and then starts
the supervisor, whose standby imports TensorFlow at a lower CPU priority than the server's
(rnnlab.jobs.priority). A store whose file cannot be read starts no supervisor and is
reported in the server's log; app.py shows each visitor why.
"""
from __future__ import annotations

import importlib
import inspect
import sys
import threading
from contextlib import asynccontextmanager

# What the first page view imports beyond Streamlit: the store and the supervisor, app.py's frame
# and the Home page's modules, and PIL, which Streamlit imports to serve the page icon
# (rnnlab.ui.frame.PAGE_ICON). Not NumPy, which all but PIL import at their top: until the first
# page that computes, the web process holds a stand-in for it (rnnlab.ui.numpy_after_home).
FIRST_PAGE_MODULES = ("rnnlab.jobs.store", "rnnlab.jobs.supervisor", "rnnlab.ui.frame",
                      "rnnlab.ui.identity", "rnnlab.ui.presenter", "rnnlab.config.presets",
                      "rnnlab.data.status", "rnnlab.network.summary", "PIL.Image")

# The imports above take about 0.12 s of CPU, all of it holding Python's GIL, in the very moments
# the server's event loop sends the browser Streamlit's JavaScript, a few dozen files, each a
# handful of turns that need the GIL. Python hands the GIL to a waiting thread only every
# `sys.getswitchinterval()`, 5 ms by default, so each turn could wait that long. For the imports'
# duration the interval is this instead. Cold starts with the standby, three runs of 12-20
# alternating starts each, timed by the page's clock as bench/ui.py does: 0.05-0.09 s sooner
# (ratio to the trivial app 1.126 against 1.162, 1.228 against 1.248, and, beside a test run,
# 1.143 against 1.160).
GET_READY_SWITCH_INTERVAL = 0.0002


@asynccontextmanager
async def lifespan(app):
    """st.App's start-up and shut-down: get ready beside the server, which serves at once.

    Nothing is stopped at shut-down: the supervisor goes on training what is queued and leaves
    once idle (rnnlab.jobs.supervisor.IDLE_EXIT), as it does under `streamlit run app.py`.
    """
    threading.Thread(target=get_ready, name="rnnlab-startup", daemon=True).start()
    yield


def get_ready() -> None:
    """Import FIRST_PAGE_MODULES and answer Streamlit's first question ahead of the first page,
    then start the store's supervisor (unless a page did first)."""
    usual = sys.getswitchinterval()
    sys.setswitchinterval(GET_READY_SWITCH_INTERVAL)
    try:
        for name in FIRST_PAGE_MODULES:
            importlib.import_module(name)
        # Before the first element it sends in a process, Streamlit asks whether it runs in a
        # Python shell: `inspect.stack()`, whose first call reads the path of every module loaded
        # (about a thousand here; 30-90 ms on two cores, measured on the first page's sidebar)
        # and keeps them for the calls after. Made here first, it costs the first page nothing.
        inspect.stack()
    finally:
        sys.setswitchinterval(usual)
    # Imported above; named here rather than at the top, where serve.py would wait for them.
    from rnnlab.jobs.schema import StoreError
    from rnnlab.jobs.store import Store
    from rnnlab.jobs.supervisor import ensure_supervisor

    try:
        store = Store()
    except StoreError as err:
        print(f"The supervisor was not started: {err}", file=sys.stderr)
        return
    ensure_supervisor(store)
