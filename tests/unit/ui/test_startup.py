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


def test_getting_ready_imports_with_a_short_switch_interval_and_then_restores_pythons(tmp_path):
    """The imports hand the GIL to the serving thread every GET_READY_SWITCH_INTERVAL, not every
    5 ms; once they are done the whole process has Python's usual interval again."""
    code = textwrap.dedent("""
        import importlib, sys
        import rnnlab.jobs.supervisor
        rnnlab.jobs.supervisor.ensure_supervisor = lambda store: None  # no real supervisor here
        from rnnlab.ui import startup
        seen, import_module = [], importlib.import_module
        def watched(name, *package):
            seen.append(sys.getswitchinterval())
            return import_module(name, *package)
        startup.importlib.import_module = watched
        usual = sys.getswitchinterval()
        startup.get_ready()
        microseconds = sorted({round(interval * 1e6) for interval in seen})
        print(usual, *microseconds, sys.getswitchinterval())
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "RNNLAB_HOME": str(tmp_path)}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0.005", "200", "0.005"]  # 5 ms, then 0.2 ms, then 5 ms again
