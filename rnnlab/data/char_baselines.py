"""The language model's reference lines: how many bits per character simple counting needs.

A language model's score is its cross-entropy in bits per character (bpc): the average of
-log2 P(the character that came) over the text it is scored on. Fewer bits means it is less
surprised by the text; 8 bits would be one byte per character, log2(97) = 6.6 bits is a model
that finds every character of the vocabulary equally likely.

Two models that only count set the bar a recurrent network must clear:

- **unigram**: P(c) is how often c occurs in the training text. It knows that "e" and " " are
  common and "~" is rare, and nothing about order.
- **bigram**: P(c | previous character) from the training text's pairs. It knows that "u" tends
  to follow "q": one character of memory.

Both are smoothed by adding one to every count (Laplace), so a character never seen in training
costs many bits instead of infinitely many. A recurrent network that stays above the unigram line
has learned nothing about order; below the bigram line it remembers more than one character.
"""
from __future__ import annotations

import numpy as np

from rnnlab.config.catalog import TEXT_VOCABULARY_SIZE


def unigram_bits(train_ids: np.ndarray, scored_ids: np.ndarray) -> float:
    """Bits per character of the unigram model counted on `train_ids`, scored on `scored_ids`.

    Raises:
        ValueError: `scored_ids` is empty.
    """
    counts = np.bincount(train_ids, minlength=TEXT_VOCABULARY_SIZE) + 1.0
    probabilities = counts / counts.sum()
    return _mean_bits(probabilities[_nonempty(scored_ids)])


def bigram_bits(train_ids: np.ndarray, scored_ids: np.ndarray) -> float:
    """Bits per character of the bigram model counted on `train_ids`, scored on the characters
    of `scored_ids` from the second on (each given the one before it).

    Raises:
        ValueError: `scored_ids` has fewer than two characters.
    """
    size = TEXT_VOCABULARY_SIZE
    pairs = np.bincount(train_ids[:-1] * size + train_ids[1:], minlength=size * size)
    counts = pairs.reshape(size, size) + 1.0
    probabilities = counts / counts.sum(axis=1, keepdims=True)
    scored = _nonempty(scored_ids, at_least=2)
    return _mean_bits(probabilities[scored[:-1], scored[1:]])


def _nonempty(ids: np.ndarray, at_least: int = 1) -> np.ndarray:
    ids = np.asarray(ids, dtype=np.int64)
    if len(ids) < at_least:
        raise ValueError(f"There is no text to score: {len(ids)} characters, at least "
                         f"{at_least} needed.")
    return ids


def _mean_bits(probabilities: np.ndarray) -> float:
    return float(-np.mean(np.log2(probabilities)))
