"""What the web server does once, as it starts: start the run store's supervisor.

A run's first point waits for TensorFlow in its worker (4-7 s to import on two cores) unless the
supervisor's standby worker has loaded it ahead of time (rnnlab.jobs.supervisor). app.py makes
sure a supervisor runs on every script run, but a script runs only when someone opens a page, so
the standby of a fresh server would start loading at the first visit, seconds before a class
presses Train. Streamlit's `st.App` runs a `lifespan` when the server starts, before any page
is served: serve.py hands it this one, so the standby starts loading with the server.

    streamlit run serve.py        # the server, with the supervisor started at once
    streamlit run app.py          # the same app; the supervisor starts at the first page view

The lifespan yields at once: the server is serving while the supervisor (its own process) and its
standby start beside it, at a lower priority than the server (rnnlab.jobs.supervisor). A store
whose file cannot be read starts nothing here; app.py shows each visitor the reason.
"""
from __future__ import annotations

import sys
from contextlib import asynccontextmanager

from rnnlab.jobs.schema import StoreError
from rnnlab.jobs.store import Store
from rnnlab.jobs.supervisor import ensure_supervisor


@asynccontextmanager
async def lifespan(app):
    """st.App's start-up and shut-down: start the supervisor, then serve.

    Nothing is stopped at shut-down: the supervisor goes on training what is queued and leaves
    once idle (rnnlab.jobs.supervisor.IDLE_EXIT), as it does under `streamlit run app.py`.
    """
    try:
        ensure_supervisor(Store())
    except StoreError as err:
        print(f"The supervisor was not started: {err}", file=sys.stderr)
    yield
