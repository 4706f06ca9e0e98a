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


def modules_loaded_by_home(home: Path) -> tuple[set[str], set[str]]:
    """The modules loaded, in a fresh Python, when the app sets the tab's icon (after the Home
    page's elements, so the first paint waited for these only) and once it is done."""
    code = textwrap.dedent(f"""
        import sys
        import rnnlab.jobs.supervisor
        import streamlit
        from streamlit.testing.v1 import AppTest
        rnnlab.jobs.supervisor.ensure_supervisor = lambda store: False  # no real supervisor here
        set_page_config = streamlit.set_page_config
        def noting_the_icon(**settings):
            if settings.get("page_icon"):
                print("at the icon:", " ".join(sys.modules))
            set_page_config(**settings)
        streamlit.set_page_config = noting_the_icon
        app = AppTest.from_file({str(ROOT / "app.py")!r}, default_timeout=30).run()
        assert not app.exception, app.exception
        assert app.title[0].value == "RNN Lab"
        print("at the end:", " ".join(sys.modules))
    """)
    env = {**os.environ, "RNNLAB_HOME": str(home)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = dict(line.split(": ", 1) for line in done.stdout.splitlines() if ": " in line)
    return set(lines["at the icon"].split()), set(lines["at the end"].split())


def test_the_home_page_is_drawn_before_numpy_or_pandas_and_never_with_tensorflow(tmp_path):
    """TensorFlow never (rule 1). NumPy and PIL's images (0.27 s on a fresh server, which
    Streamlit needs for the tab's icon), pandas and pyarrow (0.3 s) not before the page's
    elements: a fresh server's first paint waits for every module its script imports first
    (issue 18)."""
    at_the_icon, at_the_end = modules_loaded_by_home(tmp_path)
    assert "streamlit" in at_the_icon and "rnnlab.ui.frame" in at_the_icon  # the app did run
    heavy = {"numpy", "PIL.Image", "pandas", "pyarrow", "tensorflow", "keras"}
    assert at_the_icon.isdisjoint(heavy), sorted(at_the_icon & heavy)
    assert {"numpy", "PIL.Image"} <= at_the_end  # the icon was set, with them
    assert at_the_end.isdisjoint({"tensorflow", "keras"}), sorted(
        at_the_end & {"tensorflow", "keras"})


def test_home_starts_with_the_offline_preset_and_names_the_quick_imdb_one_once_imdb_is_there(
        data_dir):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert any("Bundled data, no download" in block.value for block in app.markdown)
    (data_dir / "imdb.npz").write_bytes(b"")
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert any(block.value.startswith("All 20,000 training reviews cut to their last 120 words")
               for block in app.markdown)
