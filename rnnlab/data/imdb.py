"""IMDB movie reviews as sequences of word ids, with the Keras conventions.

The Large Movie Review Dataset (Maas et al., ACL 2011) has 25,000 training and 25,000 test reviews,
half positive and half negative. A network cannot read words, so each review becomes a list of
integers:

    id 0 = padding, 1 = start of the review, 2 = a word outside the vocabulary,
    id r + 3 = the word of frequency rank r ("the" has rank 1, so id 4).

`num_words` keeps ids below it (the num_words - 3 most frequent words) and maps the rest to 2.
The reviews keep their own lengths here. A model reads a fixed-size matrix, so the trainer then
cuts every review to its *last* maxlen tokens and pads shorter ones with 0 in front
(keras.utils.pad_sequences with its defaults, padding="pre", truncating="pre", in
rnnlab.trainer.inputs), so the most recent token always sits at the last timestep, where a
recurrent layer's final state is read.

Where the reviews come from, in order, in the data folder (env RNNLAB_DATA_DIR) or the download
folder:

1. `imdb.npz` (Keras's pre-tokenized file);
2. the raw Stanford reviews, an `aclImdb/` folder or an `aclImdb*.tar.gz`, tokenized here like
   Keras (lowercase, `<br />` and punctuation removed, split on spaces) with the Keras word index
   `imdb_word_index.json`.

This module never downloads: without them it raises DataError saying where to put them. The
trainer downloads Keras's `imdb.npz` (and the word index) before an IMDB run loads, and the Data
page's button does the same in a child process (both with rnnlab.trainer.downloads).

rnnlab.data.imdb_sources reads both into flat arrays of ids. Both training and test sets are then
shuffled with the seed Keras uses (113), so the validation set, the last 20 % of the shuffled
training reviews, is a random sample like Keras's validation_split. Tokenizing 50,000 raw reviews
takes a few seconds (bench/imdb_prep.py), reported as it goes to a progress callback, so the
token ids are cached as flat arrays (datasets/cache) and later loads take well under a second.

This module imports no TensorFlow.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rnnlab.config import ImdbOptions
from rnnlab.config.catalog import IMDB_INDEX_FROM, IMDB_OOV_ID, IMDB_PAD_ID, IMDB_START_ID
from rnnlab.data import imdb_sources, paths
from rnnlab.data.imdb_sources import (
    PUNCTUATION,
    READING_SHARE,
    WHERE_TO_PUT_IT,
    Progress,
    Reviews,
)
from rnnlab.data.paths import DataError

KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
KERAS_SHUFFLE_SEED = 113
# Bump when tokenization changes, so stale caches are rebuilt rather than silently reused.
TOKENIZER_VERSION = 1
# The files the reviews can be read from, preferred first (see the module docstring).
REVIEW_SOURCES = ("imdb.npz", "aclImdb", "aclImdb*.tar.gz")
# The arrays of the processed cache: Corpus's fields but its source.
CACHE_ARRAYS = ("train_tokens", "train_offsets", "train_labels", "test_tokens", "test_offsets",
                "test_labels")
WORD_INDEX_FILE = "imdb_word_index.json"
# load_corpus reports its progress at most every PROGRESS_SECONDS.
PROGRESS_SECONDS = 0.2
WORD_INDEX_WHERE = "Put imdb_word_index.json (the Keras word index) in the data folder."

_TO_SPACES = str.maketrans(PUNCTUATION, " " * len(PUNCTUATION))


def tokenize(text: str) -> list[str]:
    """Split a review into words the way the Keras word index was built.

    Line breaks written as `<br />` are dropped, letters lowercased, punctuation replaced by spaces.

    >>> tokenize("Great film!<br /><br />Don't miss it.")
    ['great', 'film', "don't", 'miss', 'it']
    """
    return text.replace("<br />", " ").lower().translate(_TO_SPACES).split()


def encode(text: str, word_index: dict[str, int], num_words: int | None = None) -> list[int]:
    """Turn typed text into the ids a model trained with `num_words` expects (start id first).

    Args:
        text: any English text, e.g. a review a student typed.
        word_index: word -> frequency rank, from load_word_index().
        num_words: the vocabulary size of the model; rarer words become the unknown id 2.
    Returns:
        [1, id, id, ...], not padded.
    """
    ids = [IMDB_START_ID]
    for word in tokenize(text):
        rank = word_index.get(word)
        word_id = IMDB_OOV_ID if rank is None else rank + IMDB_INDEX_FROM
        ids.append(IMDB_OOV_ID if num_words is not None and word_id >= num_words else word_id)
    return ids


def decode(ids, word_index: dict[str, int]) -> list[str]:
    """Turn ids back into words; padding is skipped, start and unknown words shown as <start>, <unknown>."""
    id_to_word = _id_to_word(word_index)
    words = []
    for word_id in (int(i) for i in ids):
        if word_id == IMDB_PAD_ID:
            continue
        if word_id == IMDB_START_ID:
            words.append("<start>")
        else:
            words.append(id_to_word.get(word_id, "<unknown>"))
    return words


def _id_to_word(word_index: dict[str, int]) -> dict[int, str]:
    return {rank + IMDB_INDEX_FROM: word for word, rank in word_index.items()}


@dataclass(frozen=True)
class Corpus:
    """Every review as full-vocabulary ids, stored flat: review k is tokens[offsets[k]:offsets[k+1]].

    The flat layout lets num_words be applied to all 12 million tokens in one numpy operation and
    makes the cache a single small .npz.
    """

    train_tokens: np.ndarray
    train_offsets: np.ndarray
    train_labels: np.ndarray
    test_tokens: np.ndarray
    test_offsets: np.ndarray
    test_labels: np.ndarray
    source: str  # the file or folder the reviews were read from

    def sequences(self, split: str, num_words: int | None = None, limit: int = 0) -> list[np.ndarray]:
        """The reviews of "train" or "test" as id arrays, rare words mapped to 2, first `limit` (0 = all)."""
        tokens, offsets = getattr(self, f"{split}_tokens"), getattr(self, f"{split}_offsets")
        if limit:
            offsets = offsets[: limit + 1]
            tokens = tokens[: offsets[-1]]
        if num_words is not None:
            tokens = np.where(tokens >= num_words, IMDB_OOV_ID, tokens)
        return np.split(tokens, offsets[1:-1])

    def labels(self, split: str, limit: int = 0) -> np.ndarray:
        labels = getattr(self, f"{split}_labels")
        return labels[:limit] if limit else labels

    def lengths(self, split: str) -> np.ndarray:
        """Number of tokens in each review, start id included."""
        return np.diff(getattr(self, f"{split}_offsets"))


@dataclass(frozen=True)
class ImdbData:
    """The reviews of a run as id arrays of their own lengths (ids below num_words), not padded,
    and their 0/1 labels; the trainer pads them to maxlen (rnnlab.trainer.inputs)."""

    x_train: list[np.ndarray]
    y_train: np.ndarray
    x_val: list[np.ndarray]
    y_val: np.ndarray
    x_test: list[np.ndarray]
    y_test: np.ndarray
    source: str


def load_imdb(options: ImdbOptions, validation_split: float,
              progress: Progress | None = None) -> ImdbData:
    """The reviews of a run: its vocabulary (num_words) and subset, split for validation.

    The validation set is the last `validation_split` of the (shuffled) training reviews, cut
    exactly where Keras's fit(validation_split=...) would cut, so a plain Keras script given the
    whole training pool trains and validates on the same reviews.

    Args:
        options: num_words and train_subset are applied here; maxlen is the trainer's (padding).
        validation_split: the share of the training reviews kept for validation.
        progress: told how the first tokenizing goes (see load_corpus).
    Returns:
        An ImdbData whose reviews are id arrays starting with the start id 1.
    Raises:
        DataError: the reviews are not on this computer, or a file is damaged.
    """
    corpus = load_corpus(progress)
    limit = options.train_subset
    pool = corpus.sequences("train", options.num_words, limit)
    labels = corpus.labels("train", limit)
    split_at = int(np.ceil(len(pool) * (1.0 - validation_split)))  # Keras's own rule
    return ImdbData(
        x_train=pool[:split_at], y_train=labels[:split_at],
        x_val=pool[split_at:], y_val=labels[split_at:],
        x_test=corpus.sequences("test", options.num_words, limit),
        y_test=corpus.labels("test", limit),
        source=corpus.source,
    )


def load_corpus(progress: Progress | None = None) -> Corpus:
    """All 50,000 reviews from the first source available (see the module docstring), cached.

    Args:
        progress: called as progress(fraction, words) while the reviews are read and tokenized,
            i.e. only the first time, when there is no cache yet: `fraction` (0 to 1, growing) is
            the share of the work done, `words` says what is happening, e.g. "Tokenizing the
            IMDB reviews (first time only): 12,000 reviews done". At most every
            PROGRESS_SECONDS, and a last call with fraction 1.0 once the cache is saved ("Prepared
            50,000 IMDB reviews (first time only)."); never called when the cache is read.
    Raises:
        DataError: no source is on this computer (the message says where to put one), the raw
            reviews' word index is missing, or a file is damaged.
    """
    found = _find_source()
    cached = paths.cache_file("imdb", found, TOKENIZER_VERSION)
    corpus = paths.read_cache(cached, lambda saved: _read_cache(saved, found))
    if corpus is not None:
        return corpus
    report = _every(PROGRESS_SECONDS, progress)
    if found.name.endswith(".npz"):
        train, test = imdb_sources.read_keras_npz(found)
    else:
        train, test = imdb_sources.read_stanford(found, load_word_index(), report)
    corpus = _shuffle_like_keras(train, test, str(found))
    paths.save_npz_atomically(cached, **{k: v for k, v in vars(corpus).items()
                                         if isinstance(v, np.ndarray)})
    reviews = len(corpus.train_labels) + len(corpus.test_labels)
    report(1.0, f"Prepared {reviews:,} IMDB reviews (first time only).")
    return corpus


def is_prepared() -> bool:
    """Whether load_corpus() will read its cache (well under a second) rather than tokenize.

    False too when the reviews are not on this computer (load_corpus then says where to put them).
    """
    found = paths.find_file(*REVIEW_SOURCES)
    return found is not None and paths.cache_file("imdb", found, TOKENIZER_VERSION).exists()


def _find_source() -> Path:
    return paths.require_file(*REVIEW_SOURCES, missing=(
        f"The IMDB reviews are not on this computer: no imdb.npz, aclImdb folder or "
        f"aclImdb*.tar.gz in {paths.data_dir()} or {paths.download_dir()}. {WHERE_TO_PUT_IT}"))


def _every(seconds: float, progress: Progress | None) -> Progress:
    """`progress`, called at most once every `seconds` but always for the last call (fraction 1)."""
    last = -float("inf")

    def report(fraction: float, words: str) -> None:
        nonlocal last
        now = time.monotonic()
        if progress is not None and (fraction >= 1.0 or now - last >= seconds):
            last = now
            progress(fraction, words)

    return report


def load_word_index() -> dict[str, int]:
    """The Keras word index, word -> frequency rank (1 = most frequent), from disk.

    Raises:
        DataError: the file is not on this computer, or it is not a readable word index.
    """
    found = paths.require_file(WORD_INDEX_FILE, missing=(
        f"The IMDB word index is not on this computer: no {WORD_INDEX_FILE} in "
        f"{paths.data_dir()} or {paths.download_dir()}. {WORD_INDEX_WHERE}"))
    try:
        index = json.loads(found.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DataError(f"{found} is not a readable word index ({err}). Delete it and copy the "
                        "Keras imdb_word_index.json there again.") from err
    if not isinstance(index, dict) or not all(isinstance(r, int) and r >= 1
                                              for r in index.values()):
        raise DataError(f"{found} is not a word index: expected a JSON object of word -> rank "
                        "(1 = the most frequent word).")
    return index


def _shuffle_like_keras(train: Reviews, test: Reviews, source: str) -> Corpus:
    """Shuffle as keras.datasets.imdb.load_data does: one RandomState(113), train first."""
    rng = np.random.RandomState(KERAS_SHUFFLE_SEED)
    arrays = {}
    for name, reviews in (("train", train), ("test", test)):
        order = np.arange(len(reviews.labels))
        rng.shuffle(order)
        lengths = reviews.lengths[order].astype(np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        # token j of the shuffled array is token j - offsets[k] of review order[k]
        gather = np.repeat(reviews.starts[order] - offsets[:-1], lengths) + np.arange(offsets[-1])
        arrays[f"{name}_offsets"] = offsets
        arrays[f"{name}_tokens"] = reviews.ids[gather].astype(np.int32)
        arrays[f"{name}_labels"] = reviews.labels[order]
    return Corpus(source=source, **arrays)


# -- the processed cache --------------------------------------------------------------------------


def _read_cache(saved, source: Path) -> Corpus:
    """The Corpus in an open cache .npz (see paths.read_cache).

    Raises:
        ValueError: the file holds other arrays, or arrays that do not make reviews: offsets
            that do not start at 0, go back or end elsewhere than the last token, a label per
            review missing, or ids or labels out of range.
    """
    if sorted(saved.files) != sorted(CACHE_ARRAYS):
        raise ValueError(f"it holds {', '.join(sorted(saved.files)) or 'nothing'}, not "
                         f"{', '.join(CACHE_ARRAYS)}")
    arrays = {name: saved[name] for name in CACHE_ARRAYS}
    for split in ("train", "test"):
        tokens, offsets, labels = (arrays[f"{split}_{part}"]
                                   for part in ("tokens", "offsets", "labels"))
        if any(a.ndim != 1 or a.dtype.kind not in "iu" for a in (tokens, offsets, labels)):
            raise ValueError(f"its {split} arrays are not flat whole numbers")
        if (len(offsets) != len(labels) + 1 or offsets[0] != 0 or offsets[-1] != len(tokens)
                or np.any(np.diff(offsets) < 0)):
            raise ValueError(f"its {split} offsets do not cut the tokens into one review per label")
        if (len(tokens) and tokens.min() < 0) or np.any((labels != 0) & (labels != 1)):
            raise ValueError(f"its {split} ids or labels are out of range")
    return Corpus(source=str(source), **arrays)
