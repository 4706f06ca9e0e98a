"""Rule 1 of the design: the web process never imports TensorFlow (or Keras, which imports it)."""
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WEB_SIDE_MODULES = [
    "rnnlab.config", "rnnlab.config.presets", "rnnlab.network.summary", "rnnlab.config.catalog", "rnnlab.data.spec",
    "rnnlab.data.paths", "rnnlab.data.imdb", "rnnlab.data.weather", "rnnlab.data.jena",
    "rnnlab.data.status", "rnnlab.data.explain", "rnnlab.data.synthetic", "rnnlab.jobs.store", "rnnlab.jobs.supervisor", "rnnlab.jobs.runs",
    "rnnlab.lessons.live", "rnnlab.network.codegen", "rnnlab.cells", "rnnlab.network.replay", "rnnlab.lessons.inside", "rnnlab.lessons.race",
    "rnnlab.plots.curves", "rnnlab.plots.data", "rnnlab.plots.model", "rnnlab.plots.gates",
    "rnnlab.plots.gradients", "rnnlab.config.search", "rnnlab.network.naming",
    "rnnlab.plots.colours",
]


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
        runs.gradient_records(1, store=store)
        runs.searches(store=store), runs.trials(1, store=store)
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras"))
        print(heavy)
        sys.exit(1 if heavy else 0)
    """)
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_only_ui_module_imports_streamlit():
    offenders = [path.relative_to(ROOT).as_posix() for path in (ROOT / "rnnlab").rglob("*.py")
                 if path.parent.name != "ui" and any(
                     line.strip().startswith(("import streamlit", "from streamlit"))
                     for line in path.read_text().splitlines())]
    assert offenders == []
