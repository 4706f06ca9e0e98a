"""What the web server does once, as it starts: have the run store's supervisor running early.

A run's first point waits for TensorFlow in its worker (4-7 s to import on two cores) unless the
supervisor's standby worker has loaded it ahead of time (rnnlab.jobs.supervisor). A script runs
only when someone opens a page, so a supervisor started by app.py alone would begin loading at
the first visit, seconds before a class presses Train. Streamlit's `st.App` runs a `lifespan`
when the server starts, before any page is served: serve.py hands it this one.

    streamlit run serve.py        # the server, with the supervisor started at once
    streamlit run app.py          # the same app; the supervisor starts at the first page view

The lifespan itself only starts a thread (`get_ready`) and lets the server answer at once. The
thread imports what the first page needs while the browser loads Streamlit's JavaScript (about
0.7 s in which the server only serves files), rather than while a class looks at an empty page,
and then starts the supervisor, whose standby imports TensorFlow at a lower CPU priority than the
server's (rnnlab.jobs.priority). A store whose file cannot be read starts no supervisor and is
reported in the server's log; app.py shows each visitor why.

Once a first page has been drawn, `warm_up_pages` imports, once per server, what the other pages
import: pandas, Plotly's figures, the lessons. Without it the first visit to Train or Data after a
start paid for them, 1.2-1.6 s on two cores against 0.2-0.3 s on a second visit, in front of the
class that had just pressed "Start here". It waits until a first page has been drawn, so that it
never slows the one the class looks at first.
"""
from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import sys
import threading
from contextlib import asynccontextmanager
from pathlib import Path

# What the first page view imports beyond Streamlit: the store and the supervisor, app.py's frame
# and the Home page's modules, and PIL, which Streamlit imports to serve the page icon
# (rnnlab.ui.frame.PAGE_ICON).
FIRST_PAGE_MODULES = ("rnnlab.jobs.store", "rnnlab.jobs.supervisor", "rnnlab.ui.frame",
                      "rnnlab.ui.identity", "rnnlab.ui.presenter", "rnnlab.config.presets",
                      "rnnlab.data.status", "rnnlab.network.summary", "PIL.Image")
# The app's pages: what they import is what `warm_up_pages` loads ahead of their first visit.
PAGES = Path(__file__).resolve().parents[2] / "pages"
_warm_up = threading.Lock()  # held from the first call of warm_up_pages on: it runs once
# Seconds from the end of the first page's script to the warm-up. The browser is still drawing
# that page for a few tenths of a second, on the same two cores: started at once, the warm-up made
# bench/ui.py's cold start about 0.1 s slower; two seconds later it cost nothing measurable.
WARM_UP_DELAY = 2.0


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
    for name in FIRST_PAGE_MODULES:
        importlib.import_module(name)
    # Before the first element it sends in a process, Streamlit asks whether it runs in a Python
    # shell: `inspect.stack()`, whose first call reads the path of every module loaded (about a
    # thousand here; 30-90 ms on two cores, measured on the first page's sidebar) and keeps them
    # for the calls after. Made here first, it costs the first page nothing.
    inspect.stack()
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


def warm_up_pages() -> None:
    """Import what every page imports, in a thread, the first time this is called in the process
    (app.py calls it after each page; later calls return at once)."""
    if _warm_up.acquire(blocking=False):
        timer = threading.Timer(WARM_UP_DELAY, import_page_modules)
        timer.name, timer.daemon = "rnnlab-warm-up", True
        timer.start()


def import_page_modules(folder: Path = PAGES) -> None:
    """Import every module the scripts in `folder` import at their top level (read, not run)."""
    for name in page_modules(folder):
        importlib.import_module(name)


def page_modules(folder: Path = PAGES) -> list[str]:
    """The modules named by the top-level import statements of the scripts in `folder`, in order:
    `import a.b` gives a.b; `from a import b` gives a, and a.b too where b is a module of a."""
    names: list[str] = []
    for script in sorted(folder.glob("*.py")):
        for statement in ast.parse(script.read_text(encoding="utf-8")).body:
            if isinstance(statement, ast.Import):
                names += [alias.name for alias in statement.names]
            elif isinstance(statement, ast.ImportFrom) and statement.level == 0:
                names.append(statement.module)
                names += [f"{statement.module}.{alias.name}" for alias in statement.names
                          if _is_module(f"{statement.module}.{alias.name}")]
    return list(dict.fromkeys(names))


def _is_module(name: str) -> bool:
    """Whether `name` (a.b) is a module, without importing it (a is imported to look inside)."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # a is not a package: b is a function or a class in it
        return False
