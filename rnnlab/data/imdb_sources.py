"""Reading the IMDB reviews from their sources into flat arrays of word ids.

Two sources (see rnnlab.data.imdb, which shuffles what is read here and caches it):

- Keras's `imdb.npz`, which stores each review as a list of frequency ranks: the ids are the
  ranks shifted by 3 after a start id, computed for all reviews at once with NumPy;
- the raw Stanford reviews (an aclImdb folder or tarball), tokenized here the Keras way
  (rnnlab.data.imdb.tokenize) with the Keras word index.

Tokenizing 50,000 raw reviews one at a time spends most of its time in the Python loop around
each review. `encode_many` does a batch of 2,000 in a few calls: one join, one split, one pass
of dictionary lookups, and the reviews are tokenized in batches as they are read, so the share
of the source read is the share of the reviews tokenized: what the progress callback reports.

This module imports no TensorFlow.
"""
from __future__ import annotations

import pickle
import re
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from itertools import chain, repeat
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from rnnlab.config.catalog import IMDB_INDEX_FROM, IMDB_OOV_ID, IMDB_START_ID
from rnnlab.data.paths import DataError

# progress(fraction done, what is happening in words), see rnnlab.data.imdb.load_corpus
Progress = Callable[[float, str], None]
WHERE_TO_PUT_IT = (
    "Put imdb.npz, or the Stanford aclImdb folder or aclImdb_v1.tar.gz together with "
    "imdb_word_index.json, in the data folder (set RNNLAB_DATA_DIR or use datasets/)."
)
# Keras's Tokenizer filters: every character here becomes a space. The apostrophe is not among
# them, so "don't" stays one word, as it is in the Keras word index.
PUNCTUATION = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
_BYTES_TO_SPACES = bytes.maketrans(PUNCTUATION.encode("ascii"), b" " * len(PUNCTUATION))
# Reviews tokenized in one go (encode_many), and the share of the first preparation that reading
# and tokenizing take (the rest: shuffling and saving the cache).
TOKENIZE_BATCH = 2_000
READING_SHARE = 0.95
# Between reviews tokenized together (encode_many): no word of a lowercased review is uppercase.
_SEPARATOR = "A"
_REVIEW_FILE = re.compile(r"(?:^|/)aclImdb/(train|test)/(neg|pos)/(\d+)_(\d+)\.txt$")


@dataclass(frozen=True)
class Reviews:
    """The reviews of a split in their source's order: review k is ids[starts[k]:][:lengths[k]].

    `ids` may hold other reviews too (the Stanford reader keeps both splits in one array).
    """

    ids: np.ndarray
    starts: np.ndarray
    lengths: np.ndarray
    labels: np.ndarray


def read_keras_npz(path: Path) -> tuple[Reviews, Reviews]:
    """Keras's imdb.npz stores frequency ranks; Keras adds the start id and shifts by 3 on load."""
    try:
        with np.load(path, allow_pickle=True) as f:
            raw = {key: f[key] for key in ("x_train", "y_train", "x_test", "y_test")}
    except (OSError, KeyError, ValueError, EOFError, pickle.UnpicklingError, zipfile.BadZipFile,
            zlib.error) as err:
        raise DataError(f"{path} is truncated or not Keras's imdb.npz ({err}). Delete it so it "
                        f"is downloaded again, or replace it. {WHERE_TO_PUT_IT}") from err

    def split(x, y) -> Reviews:
        lengths = np.fromiter(map(len, x), dtype=np.int64, count=len(x)) + 1  # the start id
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        ids = np.full(int(lengths.sum()), IMDB_START_ID, dtype=np.int32)
        words = np.ones(len(ids), dtype=bool)
        words[starts] = False
        ids[words] = np.fromiter(chain.from_iterable(x), dtype=np.int64,
                                 count=len(ids) - len(x)) + IMDB_INDEX_FROM
        return Reviews(ids, starts, lengths, np.asarray(y).astype(np.int32))

    return split(raw["x_train"], raw["y_train"]), split(raw["x_test"], raw["y_test"])


def read_stanford(path: Path, word_index: dict[str, int],
                   report: Progress) -> tuple[Reviews, Reviews]:
    """Tokenize the raw reviews of an aclImdb folder or tarball (sorted by split, label, file id).

    Reviews are tokenized in batches as they are read, so the progress reported (the share of
    the folder's files or of the tarball's bytes read) is the share of the reviews tokenized.
    """
    lookup = _rank_lookup(word_index)
    keys, ids, lengths, batch = [], [], [], []

    def tokenize_batch(fraction: float) -> None:
        if batch:
            batch_ids, batch_lengths = encode_many(batch, lookup)
            ids.append(batch_ids)
            lengths.append(batch_lengths)
            batch.clear()
        report(fraction * READING_SHARE, f"Tokenizing the IMDB reviews (first time only): "
                                         f"{len(keys):,} reviews done")

    try:
        for key, text, fraction in _review_texts(path):
            keys.append(key)
            batch.append(text)
            if len(batch) == TOKENIZE_BATCH:
                tokenize_batch(fraction)
    except (tarfile.TarError, EOFError, OSError, zlib.error, UnicodeDecodeError) as err:
        raise DataError(f"{path} is truncated or damaged ({err}). Delete it and copy it again. "
                        f"{WHERE_TO_PUT_IT}") from err
    tokenize_batch(1.0)
    all_ids = np.concatenate(ids or [np.zeros(0, dtype=np.int32)])
    all_lengths = np.concatenate(lengths or [np.zeros(0, dtype=np.int64)])
    all_starts = np.concatenate([[0], np.cumsum(all_lengths)[:-1]]).astype(np.int64)
    splits = []
    for split in ("train", "test"):
        order = sorted((k for k in range(len(keys)) if keys[k][0] == split), key=keys.__getitem__)
        if not order:
            raise DataError(f"{path} holds no {split} reviews: expected files like "
                            f"aclImdb/{split}/pos/123_8.txt. {WHERE_TO_PUT_IT}")
        labels = np.array([1 if keys[k][1] == "pos" else 0 for k in order], dtype=np.int32)
        splits.append(Reviews(all_ids, all_starts[order], all_lengths[order], labels))
    return splits[0], splits[1]


def _review_texts(path: Path) -> Iterator[tuple[tuple, str, float]]:
    """(sort key, text, share of the source read) of each review in an aclImdb folder or tarball."""
    if path.is_dir():
        files = [(file, match) for file in sorted(path.rglob("*.txt"))
                 if (match := _REVIEW_FILE.search(file.as_posix()))]
        for done, (file, match) in enumerate(files, start=1):
            yield _sort_key(match), file.read_text(encoding="utf-8"), done / len(files)
        return
    size = max(path.stat().st_size, 1)
    # Not as a stream ("r|*"), which takes a truncated tarball's end for the end of the reviews.
    with open(path, "rb") as raw, tarfile.open(fileobj=raw) as tar:
        for member in tar:
            match = _REVIEW_FILE.search(member.name)
            if match and member.isfile():
                text = tar.extractfile(member).read().decode("utf-8")
                yield _sort_key(match), text, min(raw.tell() / size, 1.0)


def _rank_lookup(word_index: dict[str, int]) -> dict[str, int]:
    """The word index plus _SEPARATOR, whose rank gives the start id (see encode_many)."""
    return {**word_index, _SEPARATOR: IMDB_START_ID - IMDB_INDEX_FROM}


def encode_many(texts: list[str], lookup: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """encode() of many texts at once: their ids end to end, and each one's length.

    Splitting and looking up a whole batch in one call each is several times faster than one
    review at a time. The batch is joined with _SEPARATOR, an uppercase "A" between spaces:
    after lower() no review holds an uppercase letter, so every "A" word is a separator, and
    its rank in `lookup` turns it into the start id that begins each review. Unknown words get
    rank -1, i.e. the unknown id 2.
    """
    lowered = (text.replace("<br />", " ").lower() for text in texts)
    joined = f"{_SEPARATOR} {f' {_SEPARATOR} '.join(lowered)}"
    # The punctuation is ASCII, so it can be replaced in the UTF-8 bytes, where translate is a
    # plain table lookup, not the per-character dict lookups of str.translate on non-ASCII text.
    words = joined.encode("utf-8").translate(_BYTES_TO_SPACES).decode("utf-8").split()
    ranks = np.fromiter(map(lookup.get, words, repeat(IMDB_OOV_ID - IMDB_INDEX_FROM)),
                        dtype=np.int32, count=len(words))
    ids = ranks + np.int32(IMDB_INDEX_FROM)
    starts = np.flatnonzero(ids == IMDB_START_ID)  # word ranks are at least 1 (load_word_index)
    return ids, np.diff(np.append(starts, len(ids)))


def _sort_key(match: re.Match) -> tuple:
    split, label, review_id, _rating = match.groups()
    return split, label, int(review_id)
