"""Rule 1 of the design: the web process never imports TensorFlow (or Keras, which imports it).

tests/unit/test_architecture.py reads every import statement; this test imports every module
outside rnnlab/trainer/ for real and calls what the pages call, and then looks at sys.modules,
so an import hidden from the reading (importlib, a library that pulls in Keras) is caught too.
"""
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.import_graph import web_side_modules

ROOT = Path(__file__).resolve().parents[2]

# Every rnnlab module outside rnnlab/trainer/, found in the tree: a new module is checked at once.
WEB_SIDE_MODULES = web_side_modules(ROOT)


def test_web_side_modules_do_not_import_tensorflow(tmp_path):
    code = textwrap.dedent(f"""
        import importlib, sys
        for name in {WEB_SIDE_MODULES!r}:
            importlib.import_module(name)
        from rnnlab.config import RunConfig
        from rnnlab.network.summary import summarize
        summarize(RunConfig())
        from rnnlab.lessons import inside
        memory = RunConfig(dataset="memory")
        summarize(memory), inside.memory_input(memory, 0)
        from rnnlab.jobs import runs
        from rnnlab.jobs.store import Store
        store = Store(sys.argv[1])
        runs.runs(store=store), runs.curves(1, store=store), runs.artifacts(1, store=store)
        runs.gradient_records(1, store=store), runs.samples(1, store=store)
        runs.searches(store=store), runs.trials(1, store=store)
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras"))
        print(heavy)
        sys.exit(1 if heavy else 0)
    """)
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
