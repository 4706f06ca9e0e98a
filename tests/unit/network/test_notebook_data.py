"""Each dataset's notebook cells, executed here, give exactly the arrays the lab's loaders give.

The cells run with the names the notebook's settings cell defines (DATA_DIR, SEED, ...), on tiny
files in the lab's formats, and their arrays are compared with rnnlab.data's and
rnnlab.trainer.inputs'. The whole notebook is executed in a fresh kernel by
tests/unit/trainer/test_notebook_export.py.
"""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rnnlab.config import (
    ImdbOptions,
    MemoryOptions,
    RunConfig,
    TextOptions,
    TrainingOptions,
    WeatherOptions,
)
from rnnlab.data import imdb, jena
from rnnlab.data.imdb import load_imdb
from rnnlab.data.synthetic import load_memory
from rnnlab.data.weather import load_weather
from rnnlab.network.notebook_data import data_cells
from tests.unit.data.test_imdb import (
    WORD_INDEX,
    stanford_members,
    write_keras_npz,
    write_stanford_folder,
    write_tarball,
)
from tests.unit.data.test_weather import jena_record, jena_text, write_zip


def run_cells(config: RunConfig, data_dir: Path) -> dict:
    """Execute the config's data cells with the settings cell's names; return their namespace."""
    import keras

    training = config.training
    names = {"DATA_DIR": data_dir, "SEED": training.seed, "BATCH_SIZE": training.batch_size,
             "VALIDATION_SPLIT": training.validation_split, "json": json, "np": np, "pd": pd,
             "Path": Path, "keras": keras}
    for kind, text in data_cells(config):
        if kind == "code":
            exec(compile(text, "<notebook cell>", "exec"), names)
    return names


def assert_same_reviews(config, data_dir):
    from rnnlab.trainer.inputs import padded_reviews

    cells = run_cells(config, data_dir)
    lab = load_imdb(config.imdb, config.training.validation_split)
    for split in ("train", "val", "test"):
        expected = padded_reviews(getattr(lab, f"x_{split}"), config.imdb.maxlen)
        np.testing.assert_array_equal(cells[f"x_{split}"], expected)
        np.testing.assert_array_equal(cells[f"y_{split}"], getattr(lab, f"y_{split}"))
        assert cells[f"x_{split}"].dtype == np.int32


@pytest.mark.parametrize("layout", ["folder", "tarball"])
def test_raw_stanford_reviews_become_the_labs_matrices(data_dir, layout):
    (data_dir / imdb.WORD_INDEX_FILE).write_text(json.dumps(WORD_INDEX))
    if layout == "folder":
        write_stanford_folder(data_dir)
    else:
        write_tarball(data_dir / "aclImdb_v1.tar.gz", stanford_members())
    config = RunConfig(imdb=ImdbOptions(num_words=8, maxlen=5),
                       training=TrainingOptions(validation_split=0.4))
    assert_same_reviews(config, data_dir)


def test_the_tokenizer_is_the_labs():
    text = "A film!<br /><br />Don't (ever) miss it... 10/10, \"great\"\tfun\n[yes]{no}~"
    config = RunConfig()
    source = next(t for k, t in data_cells(config) if k == "code" and "def tokenize" in t)
    names: dict = {}
    definitions = source[source.index("PUNCTUATION ="):source.index("REVIEW_FILE")]
    exec(definitions + source[source.index("def tokenize"):source.index("def read_stanford")],
         names)
    assert names["tokenize"](text) == imdb.tokenize(text)


def test_keras_npz_with_a_subset_becomes_the_labs_matrices(data_dir):
    rng = np.random.RandomState(1)
    reviews = [list(rng.randint(0, 30, rng.randint(1, 9))) for _ in range(40)]
    write_keras_npz(data_dir / "imdb.npz", reviews[:30], [i % 2 for i in range(30)],
                    reviews[30:], [i % 2 for i in range(10)])
    config = RunConfig(imdb=ImdbOptions(num_words=12, maxlen=6, train_subset=25))
    assert_same_reviews(config, data_dir)


def test_the_memory_task_is_generated_stream_for_stream(tmp_path):
    config = RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=12, examples=130),
                       training=TrainingOptions(seed=17, validation_split=0.3))
    cells = run_cells(config, tmp_path)
    lab = load_memory(config.memory, 0.3, 17)
    for split in ("train", "val", "test"):
        np.testing.assert_array_equal(cells[f"x_{split}"], getattr(lab, f"x_{split}"))
        np.testing.assert_array_equal(cells[f"y_{split}"], getattr(lab, f"y_{split}"))


def assert_same_windows(config, data_dir):
    from rnnlab.trainer.inputs import weather_dataset

    cells = run_cells(config, data_dir)
    lab = load_weather(config.weather, config.training.validation_split)
    assert list(cells["record"].columns) == list(lab.columns)
    np.testing.assert_array_equal(cells["values"], lab.values)
    np.testing.assert_array_equal(cells["std"], lab.std)
    assert cells["target_std"] == lab.to_target_units(1.0)
    for split in ("train", "val", "test"):
        np.testing.assert_array_equal(cells["window_starts"](split), lab.window_starts(split))
        assert cells["baseline_mae"](split) == lab.baseline_mae(split)
    for split, name in (("val", "val_data"), ("test", "test_data")):
        mine = [(x.numpy(), y.numpy()) for x, y in cells[name]]
        theirs = [(x.numpy(), y.numpy()) for x, y in
                  weather_dataset(lab, split, config.training.batch_size)]
        assert len(mine) == len(theirs)
        for (x, y), (x_lab, y_lab) in zip(mine, theirs):
            np.testing.assert_array_equal(x, x_lab)
            np.testing.assert_array_equal(y, y_lab)


def test_three_new_york_stations_are_cleaned_and_windowed_like_the_lab(data_dir):
    config = RunConfig(dataset="weather", weather=WeatherOptions(
        source="nyc-all", lookback_hours=24, step_hours=3, delay_hours=12, target="rh (%)"),
        training=TrainingOptions(batch_size=1024))
    assert_same_windows(config, data_dir)


def test_the_zipped_jena_record_is_read_and_windowed_like_the_lab(data_dir):
    dates, values = jena_record(days=12)
    values[5, jena.JENA_COLUMNS.index("wv (m/s)")] = jena.SENSOR_ERROR
    write_zip(data_dir / jena.JENA_ZIP, jena_text(dates, values))
    config = RunConfig(dataset="weather", weather=WeatherOptions(
        source="jena", lookback_hours=12, step_hours=1, delay_hours=6),
        training=TrainingOptions(batch_size=256, validation_split=0.25))
    assert_same_windows(config, data_dir)


def assert_same_text(config, data_dir):
    """The text cells' windows and reference lines equal the lab's, array for array."""
    from rnnlab.trainer.training import prepare_data

    cells = run_cells(config, data_dir)
    lab = prepare_data(config)
    for split, (x, y) in (("train", lab.train), ("val", lab.validation), ("test", lab.test)):
        np.testing.assert_array_equal(cells[f"x_{split}"], x)
        np.testing.assert_array_equal(cells[f"y_{split}"], y)
        assert cells[f"x_{split}"].dtype == np.int32
    for split in ("val", "test"):
        for model in ("unigram", "bigram"):
            assert cells["baselines"][split][model] == lab.details[f"{model}_{split}_bpc"]
    return cells


def test_the_python_corpus_becomes_the_labs_windows_and_baselines(data_dir):
    config = RunConfig(dataset="text", text=TextOptions(window_chars=30, corpus_chars=12_000),
                       training=TrainingOptions(validation_split=0.25))
    cells = assert_same_text(config, data_dir)
    assert cells["x_train"].shape == (199, 30) and cells["x_val"].shape == (99, 30)
    assert "find_file" not in cells  # the standard library needs no data folder


def raw_reviews():
    """(name in the aclImdb tree, text) of 40 training reviews long enough for a 10,000-character
    corpus, with line breaks and characters outside the vocabulary, and a test review."""
    rng = np.random.default_rng(0)
    words = ["great", "dull", "film", "café", "plot", "actors", "¡wow!", "it's", "(sigh)"]
    members = []
    for number in range(40):
        label = "pos" if number % 2 else "neg"
        text = "<br /><br />".join(" ".join(rng.choice(words, 12)) for _ in range(5))
        members.append((f"aclImdb/train/{label}/{number}_{8 if label == 'pos' else 2}.txt", text))
    members.append(("aclImdb/test/pos/0_9.txt", "Never read: the test reviews are not text."))
    return members


@pytest.mark.parametrize("layout", ["folder", "tarball"])
def test_the_imdb_corpus_becomes_the_labs_windows_and_baselines(data_dir, layout):
    members = raw_reviews()
    if layout == "tarball":
        write_tarball(data_dir / "aclImdb_v1.tar.gz", members)
    else:
        for name, text in members:
            (data_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (data_dir / name).write_text(text, encoding="utf-8")
    config = RunConfig(dataset="text",
                       text=TextOptions(corpus="imdb", window_chars=25, corpus_chars=10_000),
                       training=TrainingOptions(validation_split=0.1))
    cells = assert_same_text(config, data_dir)
    assert len(cells["text"]) == 10_000 and "\n\n" in cells["text"]
    assert "<br />" not in cells["text"] and "Never read" not in cells["text"]
    assert (cells["x_train"] == 96).any()  # "é" and "¡" share the last id
