"""What the server does as it starts, before anyone opens a page (rnnlab.ui.startup.get_ready)."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_getting_ready_loads_the_first_page_and_answers_streamlits_first_question(tmp_path):
    """The first page's modules are imported, and Python's table of module files, which Streamlit's
    first element reads (`inspect.stack()`), is filled: the first page view pays for neither."""
    code = textwrap.dedent("""
        import inspect, os, sys
        import rnnlab.jobs.supervisor
        started = []
        rnnlab.jobs.supervisor.ensure_supervisor = started.append  # no real supervisor here
        from rnnlab.ui import startup
        startup.get_ready()
        import rnnlab.ui.frame
        loaded = all(name in sys.modules for name in startup.FIRST_PAGE_MODULES)
        known = os.path.realpath(rnnlab.ui.frame.__file__) in inspect.modulesbyfile
        print(loaded, known, len(started))
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "RNNLAB_HOME": str(tmp_path)}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "1"]  # and then the supervisor, once


def test_the_pages_modules_are_read_from_their_top_level_import_statements(tmp_path):
    (tmp_path / "a.py").write_text(textwrap.dedent("""
        import json
        from rnnlab.ui import frame, state
        from rnnlab.config import RunConfig
        if False:
            import csv
    """))
    (tmp_path / "b.py").write_text("import json\nfrom rnnlab.plots.curves import curve_figure\n")
    from rnnlab.ui import startup

    assert startup.page_modules(tmp_path) == [
        "json", "rnnlab.ui", "rnnlab.ui.frame", "rnnlab.ui.state", "rnnlab.config",
        "rnnlab.plots.curves"]


def test_warming_up_loads_every_pages_modules_once_and_never_tensorflow(tmp_path):
    """What the pages import is loaded by the warm-up thread, started by the first call only;
    TensorFlow stays out of the web process."""
    code = textwrap.dedent("""
        import sys, threading
        from rnnlab.ui import startup
        names, calls, finished = startup.page_modules(), [], threading.Event()
        real = startup.import_page_modules
        def counted():
            calls.append(threading.current_thread().name)
            real()
            finished.set()
        startup.import_page_modules = counted
        startup.warm_up_pages()
        startup.warm_up_pages()
        assert finished.wait(60)
        print(calls, all(name in sys.modules for name in names),
              "pandas" in names, "rnnlab.plots.curves" in names,
              any(name.split(".")[0] in ("tensorflow", "keras") for name in sys.modules))
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "RNNLAB_HOME": str(tmp_path)}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["['rnnlab-warm-up']", "True", "True", "True", "False"]
