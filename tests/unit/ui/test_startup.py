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
