"""The app under Streamlit's AppTest: it renders, shows dataset status, and never imports TensorFlow."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def table_rows(app, first_header):
    """The body rows of the markdown table whose first column is `first_header`."""
    for block in app.markdown:
        lines = block.value.splitlines()
        if lines and lines[0].startswith(f"| {first_header} |"):
            return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[2:]]
    raise AssertionError(f"no table starting with {first_header!r}")


def test_home_renders_dataset_status_and_presets(data_dir, store):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not app.exception
    assert app.title[0].value == "RNN Lab"
    datasets = table_rows(app, "dataset")
    assert [row[1] for row in datasets] == ["downloaded on first use", "**ready**",
                                            "downloaded on first use", "**ready**", "**ready**"]
    assert "Put imdb.npz" in datasets[0][2] and "RNNLAB_DATA_DIR" in datasets[2][2]
    assert datasets[3][0].startswith("Long-memory task") and "nothing to download" in datasets[3][2]
    assert datasets[4][0].startswith("Text for the language model")
    assert datasets[4][2].startswith("the python corpus: the ")
    presets = {row[0]: row for row in table_rows(app, "preset")}
    assert {"`imdb-lstm`", "`jena-gru`", "`nyc-quick`", "`memory-quick`"} <= set(presets)
    assert presets["`imdb-lstm`"][2] == "328,353"
    assert presets["`memory-quick`"][2] == "1,233"  # LSTM(16) on two numbers a step, and the head


def test_home_shows_imdb_ready_when_the_files_are_there(data_dir):
    (data_dir / "imdb.npz").write_bytes(b"")
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    imdb = table_rows(app, "dataset")[0]
    assert imdb[1] == "**ready**" and str(data_dir / "imdb.npz") in imdb[2]


def modules_after_home(home: Path) -> tuple[set[str], bool, bool]:
    """In a fresh Python that defers NumPy as the server does (serve.py): the top-level packages
    loaded once the app has rendered its Home page, whether NumPy was still deferred then, and
    whether it was no longer once the Train page had been drawn after it."""
    code = textwrap.dedent(f"""
        import sys
        import streamlit
        from rnnlab.ui import numpy_after_home
        numpy_after_home.defer()
        import rnnlab.jobs.supervisor
        from streamlit.testing.v1 import AppTest
        rnnlab.jobs.supervisor.ensure_supervisor = lambda store: False  # no real supervisor here
        app = AppTest.from_file({str(ROOT / "app.py")!r}, default_timeout=30).run()
        assert not app.exception, app.exception
        assert app.title[0].value == "RNN Lab"
        print(" ".join(sorted({{m.split(".")[0] for m in sys.modules}})))
        print(numpy_after_home.deferred())
        app.switch_page("pages/train.py").run()
        assert not app.exception, app.exception
        print(numpy_after_home.deferred())
    """)
    env = {**os.environ, "RNNLAB_HOME": str(home)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    loaded, after_home, after_train = done.stdout.splitlines()[-3:]
    return set(loaded.split()), after_home == "True", after_train == "True"


def test_rendering_the_home_page_imports_neither_tensorflow_nor_pandas_nor_numpy(tmp_path):
    """TensorFlow never (rule 1); pandas and pyarrow (0.3 s) and NumPy (0.09 s) not before the
    first paint: a fresh server's first page waits for every module its script imports (issue
    18). The next page that computes finds NumPy imported (rnnlab.ui.numpy_after_home)."""
    loaded, deferred_after_home, deferred_after_train = modules_after_home(tmp_path)
    assert "streamlit" in loaded and "rnnlab" in loaded  # the app did run
    assert loaded.isdisjoint({"tensorflow", "keras", "pandas", "pyarrow"}), sorted(
        loaded & {"tensorflow", "keras", "pandas", "pyarrow"})
    assert deferred_after_home and not deferred_after_train


def test_home_starts_with_the_offline_preset_and_names_the_quick_imdb_one_once_imdb_is_there(
        data_dir):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert any("Bundled data, no download" in block.value for block in app.markdown)
    (data_dir / "imdb.npz").write_bytes(b"")
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert any(block.value.startswith("All 20,000 training reviews cut to their last 120 words")
               for block in app.markdown)
