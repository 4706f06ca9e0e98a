"""The web process's NumPy runs OpenBLAS on one thread, whichever entry point starts the server
(rnnlab/ui/one_blas_thread.py): each is run in a fresh Python that then asks OpenBLAS."""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Prints {library: threads} for the BLAS libraries NumPy loaded, read from the libraries themselves,
# once NumPy has computed something (the web process imports it at its first use: numpy_after_home).
REPORT = """
import json, numpy, threadpoolctl
numpy.ones(2) @ numpy.ones(2)
print(json.dumps({info["internal_api"]: info["num_threads"]
                  for info in threadpoolctl.threadpool_info()}))
"""


def blas_threads(code: str, home: Path, **env: str) -> dict[str, int]:
    """Run `code` then REPORT in a fresh Python in the project folder; OpenBLAS's thread count."""
    environment = {key: value for key, value in os.environ.items() if key != "OPENBLAS_NUM_THREADS"}
    environment.update(RNNLAB_HOME=str(home), RNNLAB_STANDBY="0", **env)
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code) + REPORT], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_serve_py_starts_the_web_process_with_one_blas_thread(tmp_path):
    assert blas_threads("import runpy; runpy.run_path('serve.py')", tmp_path) == {"openblas": 1}


def test_app_py_sets_one_blas_thread_before_its_first_page_loads_numpy(tmp_path):
    """`streamlit run app.py` (no serve.py): app.py's first import sets it, though the modules
    its Home page imports load NumPy. The supervisor it starts is stopped again."""
    code = f"""
        from streamlit.testing.v1 import AppTest
        app = AppTest.from_file({str(ROOT / "app.py")!r}, default_timeout=30).run()
        assert not app.exception, app.exception
        from pathlib import Path
        from tests.e2e.server import stop_every_supervisor
        stop_every_supervisor(Path({str(tmp_path)!r}))
    """
    assert blas_threads(code, tmp_path) == {"openblas": 1}


def test_a_thread_count_given_by_whoever_starts_the_server_is_kept(tmp_path):
    threads = blas_threads("import rnnlab.ui.one_blas_thread", tmp_path, OPENBLAS_NUM_THREADS="2")
    assert threads == {"openblas": 2}


def test_without_it_numpy_would_start_one_openblas_thread_per_core(tmp_path):
    """What the module changes, on a machine of several cores (CI's has two or more)."""
    assert len(os.sched_getaffinity(0)) > 1
    assert blas_threads("", tmp_path)["openblas"] > 1
