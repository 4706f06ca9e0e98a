"""The counting models' bits per character, worked by hand on tiny texts."""
import math

import numpy as np
import pytest

from rnnlab.config.catalog import TEXT_VOCABULARY_SIZE as V
from rnnlab.data.char_baselines import bigram_bits, unigram_bits
from rnnlab.data.text import encode


def test_unigram_bits_are_the_smoothed_frequencies_in_bits():
    train = encode("aab")
    # P(a) = (2 + 1) / (3 + V), P(b) = (1 + 1) / (3 + V); scored on "ab": the mean of both.
    expected = -(math.log2(3 / (3 + V)) + math.log2(2 / (3 + V))) / 2
    assert unigram_bits(train, encode("ab")) == pytest.approx(expected, abs=1e-12)


def test_bigram_bits_use_the_character_before():
    train = encode("abab")
    # Pairs ab, ba, ab: P(b | a) = (2 + 1) / (2 + V), P(a | b) = (1 + 1) / (1 + V).
    expected = -(math.log2(3 / (2 + V)) + math.log2(2 / (1 + V))) / 2
    assert bigram_bits(train, encode("aba")) == pytest.approx(expected, abs=1e-12)


def test_order_is_what_the_bigram_knows_and_the_unigram_does_not():
    train = encode("ab" * 5000)
    assert unigram_bits(train, encode("ab" * 100)) == pytest.approx(1.0, abs=0.02)
    assert bigram_bits(train, encode("ab" * 100)) < 0.05


def test_nothing_to_score_is_refused():
    with pytest.raises(ValueError, match="no text to score"):
        bigram_bits(encode("ab"), np.array([1]))
