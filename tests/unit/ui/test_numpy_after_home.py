"""NumPy deferred in the web process (rnnlab.ui.numpy_after_home), each case in a fresh Python
that has not imported NumPy yet, as a server starting has not."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def fresh_python(code: str, home: Path) -> list[str]:
    """Run `code` after Streamlit's import and defer(), as serve.py does; its printed words."""
    prelude = "import streamlit, sys\nfrom rnnlab.ui import numpy_after_home\n" \
              "numpy_after_home.defer()\n"
    done = subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "RNNLAB_HOME": str(home), "RNNLAB_STANDBY": "0"})
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.split()


def test_an_import_binds_the_stand_in_and_the_first_use_imports_numpy(tmp_path):
    words = fresh_python("""
        import numpy as np
        before = numpy_after_home.deferred(), "numpy._core" in sys.modules
        total = int(np.arange(10).sum())
        real = sys.modules["numpy"]
        import numpy.linalg
        print(*before, total, numpy_after_home.deferred(), real is not np,
              np.ndarray is real.ndarray, np.linalg is real.linalg, numpy.linalg.norm([3, 4]))
    """, tmp_path)
    assert words == ["True", "False", "45", "False", "True", "True", "True", "5.0"]


def test_pages_asking_at_once_import_numpy_once(tmp_path):
    """Thirty tabs open pages together on a fresh server: one import, every answer right."""
    words = fresh_python("""
        import importlib, threading
        import numpy as np
        imports, import_module = [], importlib.import_module
        def counting(name, *package):
            if name == "numpy" and "numpy" not in sys.modules:
                imports.append(name)  # a real import: NumPy was not there
            return import_module(name, *package)
        numpy_after_home.importlib.import_module = counting
        start, sums = threading.Barrier(8), []
        def page():
            start.wait()
            sums.append(int(np.ones(4).sum()))
        pages = [threading.Thread(target=page) for _ in range(8)]
        for thread in pages:
            thread.start()
        for thread in pages:
            thread.join()
        print(len(imports), sorted(set(sums)), len(sums))
    """, tmp_path)
    assert words == ["1", "[4]", "8"]


def test_a_numpy_already_imported_is_left_as_it_is(tmp_path):
    done = subprocess.run([sys.executable, "-c", textwrap.dedent("""
        import sys, numpy
        from rnnlab.ui import numpy_after_home
        numpy_after_home.defer()
        print(sys.modules["numpy"] is numpy, numpy_after_home.deferred(),
              numpy_after_home.load() is numpy)
    """)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "False", "True"]


def test_the_first_pages_modules_and_streamlits_first_question_leave_numpy_unimported(tmp_path):
    """What the server's start-up thread imports for the first page (rnnlab.ui.startup), and the
    module table Streamlit reads before its first element: none of it uses NumPy at import time,
    so a module that starts to (a constant, a type alias spelled with np) fails here."""
    words = fresh_python("""
        import importlib, inspect
        from rnnlab.ui import startup
        for name in startup.FIRST_PAGE_MODULES:
            importlib.import_module(name)
        inspect.stack()
        print(numpy_after_home.deferred(), "numpy._core" in sys.modules)
    """, tmp_path)
    assert words == ["True", "False"]
