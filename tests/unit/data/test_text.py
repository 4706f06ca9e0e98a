"""The language model's text: the fixed vocabulary, the ordered split, and windows shifted by one."""
import platform
import re
import sys

import numpy as np
import pytest

from rnnlab.config import TextOptions
from rnnlab.config.catalog import TEXT_UNKNOWN, TEXT_VOCABULARY_SIZE
from rnnlab.data import text
from rnnlab.data.paths import DataError


def test_every_vocabulary_character_round_trips_and_others_share_the_last_id():
    line = "def f(x):\n    return x ~ 1"
    assert text.decode(text.encode(line)) == line
    assert text.encode("\n A~").tolist() == [0, 1, 34, 95]
    assert text.encode("é\t€").tolist() == [TEXT_VOCABULARY_SIZE - 1] * 3
    assert text.decode(text.encode("café")) == "caf" + TEXT_UNKNOWN


def test_windows_predict_the_next_character_at_every_step():
    data = text.TextData(ids={"train": text.encode("abcdefghij")}, window_chars=3, source="")
    inputs, targets = data.windows("train")
    assert [text.decode(row) for row in inputs] == ["abc", "def", "ghi"]
    assert [text.decode(row) for row in targets] == ["bcd", "efg", "hij"]
    assert inputs.dtype == targets.dtype == np.int32


def test_the_python_corpus_is_split_in_order_from_the_standard_library():
    options = TextOptions(corpus="python", window_chars=50, corpus_chars=20_000)
    data = text.load_text(options, validation_split=0.2)
    sizes = {split: len(ids) for split, ids in data.ids.items()}
    assert sizes == {"train": 12_000, "val": 4_000, "test": 4_000}
    first = text.python_source_files()[0]
    # The files by name and the Python version, never the server's folder they are read from.
    assert re.fullmatch(rf"\d+ source files of Python {re.escape(platform.python_version())}'s "
                        rf"standard library \({re.escape(first.name)} to \w+\.py\)", data.source)
    assert str(first.parent) not in data.source and sys.base_prefix not in data.source
    assert text.decode(data.ids["train"][:200]) == text.decode(
        text.encode(first.read_text(encoding="utf-8")[:200]))
    assert data.windows("val")[0].shape == (79, 50)  # (4,000 - 1) // 50 whole windows


def test_the_imdb_corpus_reads_the_training_reviews_as_text(tmp_path, monkeypatch):
    for label, review in (("neg", "Dull.<br />Very dull."), ("pos", "Loved it!")):
        folder = tmp_path / "aclImdb" / "train" / label
        folder.mkdir(parents=True)
        (folder / "0_3.txt").write_text(review, encoding="utf-8")
    (tmp_path / "aclImdb" / "test" / "pos").mkdir(parents=True)
    (tmp_path / "aclImdb" / "test" / "pos" / "0_9.txt").write_text("Not read.", encoding="utf-8")
    monkeypatch.setenv("RNNLAB_DATA_DIR", str(tmp_path))
    corpus, source = text.read_corpus("imdb", 1000)
    assert corpus == "Dull.\nVery dull.\n\nLoved it!\n\n"
    assert source.startswith("2 IMDB training reviews")


def test_a_missing_imdb_text_says_the_python_corpus_needs_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNLAB_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RNNLAB_DOWNLOAD_DIR", str(tmp_path / "downloads"))
    with pytest.raises(DataError, match="pick the python corpus"):
        text.read_corpus("imdb", 1000)


def test_a_corpus_shorter_than_asked_is_refused_in_words(monkeypatch):
    monkeypatch.setattr(text, "read_corpus", lambda corpus, chars: ("x" * 100, "a tiny corpus"))
    with pytest.raises(DataError, match="has 100 characters here .a tiny corpus., fewer than "
                                        "the 10,000 asked for"):
        text.load_text(TextOptions(corpus_chars=10_000), 0.2)


def test_a_prompt_s_unknown_characters_are_named_once_each_in_their_order():
    assert text.unknown_characters("héllo → wörld ✓ é\t") == ["é", "→", "ö", "✓", "\t"]
    assert text.unknown_characters("def f(x):\n    return ~x") == []
    assert all(i == text.UNKNOWN_ID for i in text.encode("".join(
        text.unknown_characters("héllo → wörld ✓"))))
