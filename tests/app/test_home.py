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


def test_rendering_the_app_does_not_import_tensorflow(tmp_path):
    code = textwrap.dedent(f"""
        import sys
        import rnnlab.jobs.supervisor
        from streamlit.testing.v1 import AppTest
        rnnlab.jobs.supervisor.ensure_supervisor = lambda store: False  # no real supervisor here
        app = AppTest.from_file({str(ROOT / "app.py")!r}, default_timeout=30).run()
        assert not app.exception, app.exception
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras"))
        print(heavy)
        sys.exit(1 if heavy else 0)
    """)
    env = {**os.environ, "RNNLAB_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_home_starts_with_the_offline_preset_and_names_the_quick_imdb_one_once_imdb_is_there(
        data_dir):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert any("Bundled data, no download" in block.value for block in app.markdown)
    (data_dir / "imdb.npz").write_bytes(b"")
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert any(block.value.startswith("All 20,000 training reviews cut to their last 120 words")
               for block in app.markdown)
