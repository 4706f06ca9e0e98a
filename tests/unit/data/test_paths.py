"""rnnlab.data.paths: where files are looked for, and the loaders' rule that they never download."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rnnlab.data import paths
from rnnlab.data.paths import DataError

ROOT = Path(__file__).resolve().parents[3]


def test_require_file_finds_the_preferred_name_in_the_data_folder_then_the_downloads(
        data_dir, tmp_path, monkeypatch):
    downloads = tmp_path / "downloads"
    (downloads / "sub").mkdir(parents=True)
    monkeypatch.setenv("RNNLAB_DOWNLOAD_DIR", str(downloads))
    (downloads / "sub" / "b.csv").write_text("")
    assert paths.require_file("a.csv", "b.csv", missing="x") == downloads / "sub" / "b.csv"
    (data_dir / "b.csv").write_text("")
    assert paths.require_file("a.csv", "b*.csv", missing="x") == data_dir / "b.csv"
    (data_dir / "a.csv").write_text("")
    assert paths.require_file("a.csv", "b.csv", missing="x") == data_dir / "a.csv"


def test_require_file_raises_the_given_message_when_nothing_is_found(data_dir):
    with pytest.raises(DataError) as caught:
        paths.require_file("a.csv", missing="No a.csv: put it in the data folder.")
    assert str(caught.value) == "No a.csv: put it in the data folder."


def test_loaders_without_their_files_raise_the_data_error_and_never_import_keras(tmp_path):
    """Downloading needs Keras, hence TensorFlow; the loaders run in the web process, so a missing
    file must be a DataError in words, never a download (that is rnnlab.trainer.downloads)."""
    code = textwrap.dedent("""
        import sys
        from rnnlab.data import imdb
        from rnnlab.data.paths import DataError
        from rnnlab.data.weather import load_series
        for load in (imdb.load_corpus, imdb.load_word_index, lambda: load_series("jena")):
            try:
                load()
            except DataError as err:
                print(str(err).split(":")[0].split(".")[0])
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras")))
    """)
    env = {**os.environ, "RNNLAB_DATA_DIR": str(tmp_path / "data"),
           "RNNLAB_DOWNLOAD_DIR": str(tmp_path / "downloads"),
           "RNNLAB_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["The IMDB reviews are not on this computer",
                                        "The IMDB word index is not on this computer",
                                        "The Jena record is not on this computer", "[]"]
    assert not (tmp_path / "downloads").exists()
