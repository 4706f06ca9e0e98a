"""Faults injected into the processed caches: each heals itself, logged, on the next load.

A cache only saves time. Whatever a cache file holds (cut short, bytes that are no archive at
all, a valid .npz with other arrays, arrays that do not add up), the next load must equal a
fresh load from the source, rewrite the file, and log a warning that names it. Before the fix a
valid .npz with other arrays in the IMDB cache failed every later run with
`TypeError: Corpus.__init__() got an unexpected keyword argument 'tokens'`, and a Jena cache of
strings was served as the weather record.
"""
from __future__ import annotations

import json
import logging

import numpy as np
import pandas as pd
import pytest

from rnnlab.data import imdb, jena, paths
from tests.unit.data.test_imdb import WORD_INDEX, write_keras_npz
from tests.unit.data.test_weather import jena_record, jena_text

IMDB_TRAIN = [[1, 2], [5, 5, 5], [9], [3, 4]]
IMDB_TEST = [[3], [2, 2]]


def truncated(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def garbage(path):
    path.write_bytes(b"PK\x03\x04 this is no archive" * 10)


def other_arrays(path):
    np.savez(path, tokens=np.arange(10), offsets=np.array([0, 10]))


def offsets_past_the_end(path):
    with np.load(path) as saved:
        arrays = {name: saved[name] for name in saved.files}
    arrays["train_offsets"] = arrays["train_offsets"] + 1000
    np.savez(path, **arrays)


def a_single_array(path):
    with open(path, "wb") as f:
        np.save(f, np.arange(5))


def strings_for_values(path):
    with np.load(path) as saved:
        arrays = {name: saved[name] for name in saved.files}
    arrays["values"] = arrays["values"].astype(str)
    np.savez(path, **arrays)


@pytest.fixture
def imdb_source(data_dir):
    write_keras_npz(data_dir / "imdb.npz", IMDB_TRAIN, [1, 0, 1, 0], IMDB_TEST, [0, 1])
    (data_dir / "imdb_word_index.json").write_text(json.dumps(WORD_INDEX))
    return data_dir


@pytest.fixture
def jena_source(data_dir):
    dates, values = jena_record(days=2)
    (data_dir / jena.JENA_CSV).write_text(jena_text(dates, values))
    return data_dir


def the_cache(prefix: str):
    [cached] = paths.cache_dir().glob(f"{prefix}-*.npz")
    return cached


def assert_rebuilt_and_logged(caplog, cached) -> None:
    with np.load(cached) as saved:  # rewritten whole: it reads back
        assert saved.files
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, caplog.text
    assert str(cached) in warnings[0].getMessage()
    assert "rebuilt from the source" in warnings[0].getMessage()


@pytest.mark.parametrize("damage", [truncated, garbage, other_arrays, offsets_past_the_end,
                                    a_single_array])
def test_a_damaged_imdb_cache_is_rebuilt_and_logged(imdb_source, caplog, damage):
    fresh = imdb.load_corpus()
    cached = the_cache("imdb")
    damage(cached)
    damaged_bytes = cached.read_bytes()
    with caplog.at_level(logging.WARNING, logger="rnnlab.data.paths"):
        healed = imdb.load_corpus()
    for name in imdb.CACHE_ARRAYS:
        np.testing.assert_array_equal(getattr(healed, name), getattr(fresh, name))
    assert cached.read_bytes() != damaged_bytes
    assert_rebuilt_and_logged(caplog, cached)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="rnnlab.data.paths"):
        again = imdb.load_corpus()  # the rebuilt cache is read, quietly
    assert not caplog.records
    np.testing.assert_array_equal(again.train_tokens, fresh.train_tokens)


@pytest.mark.parametrize("damage", [truncated, garbage, other_arrays, strings_for_values,
                                    a_single_array])
def test_a_damaged_jena_cache_is_rebuilt_and_logged(jena_source, caplog, damage):
    fresh = jena.read_jena()
    cached = the_cache("jena")
    damage(cached)
    damaged_bytes = cached.read_bytes()
    with caplog.at_level(logging.WARNING, logger="rnnlab.data.paths"):
        healed = jena.read_jena()
    pd.testing.assert_frame_equal(healed, fresh)
    assert cached.read_bytes() != damaged_bytes
    assert_rebuilt_and_logged(caplog, cached)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="rnnlab.data.paths"):
        pd.testing.assert_frame_equal(jena.read_jena(), fresh)
    assert not caplog.records
