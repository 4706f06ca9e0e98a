"""The Data page's figures: the numbers it shows about each dataset before anything is trained.

Three lessons, one per tab. IMDB: how long reviews are, against the `maxlen` the network reads
(rnnlab.data.explain shows what num_words and maxlen cut from one review). Weather: the target,
the temperature, in its own unit, and the score to beat: the common-sense baseline "the
temperature in d hours equals the temperature now", whose mean absolute error a network must
beat to be worth training. The long-memory task: how many sequences each set holds, and the two
accuracies that say whether a network remembered, 0.5 (guessing) and 0.75 (remembering only
the recent marked value).

A figure is a (label, value as text) pair, ready for a row of big numbers. Nothing here imports
TensorFlow or Streamlit.
"""
from __future__ import annotations

import numpy as np

from rnnlab.config import MemoryOptions
from rnnlab.data import explain, synthetic

GUESSING_ACCURACY = 0.5   # half the marked sums are above 1
RECENT_ONLY_ACCURACY = 0.75  # answering from the second marked value alone (see Data page)


def review_lengths(corpus) -> np.ndarray:
    """The length in tokens of every review, training set then test set.

    Args:
        corpus: a rnnlab.data.imdb.Corpus.
    """
    return np.concatenate([corpus.lengths("train"), corpus.lengths("test")])


def target_in_unit(data) -> tuple[np.ndarray, str]:
    """The weather target (the temperature) over the whole record, in its own unit, and that unit.

    Args:
        data: a rnnlab.data.weather.WeatherData.
    Returns:
        (values (N,) in the unit, the unit as it reads on screen, e.g. "°C").
    """
    values = data.denormalize_target(data.values[:, data.target_index])
    return values, explain.unit_label(data.target_unit)


def baseline_figures(data) -> list[tuple[str, str]]:
    """The common-sense baseline's MAE on validation and test, in the target's unit and normalized.

    Args:
        data: a rnnlab.data.weather.WeatherData.
    Returns:
        Four figures: per part, e.g. ("validation MAE in °C", "2.41 °C") then
        ("validation MAE, normalized", "0.290").
    """
    unit = explain.unit_label(data.target_unit)
    figures = []
    for name, (normalized, in_unit) in explain.baseline_scores(data).items():
        figures += [(f"{name} MAE in {unit}", f"{in_unit:.2f} {unit}"),
                    (f"{name} MAE, normalized", f"{normalized:.3f}")]
    return figures


def memory_figures(options: MemoryOptions, validation_split: float) -> list[tuple[str, str]]:
    """The long-memory task's set sizes, and the accuracies of guessing and of a short memory."""
    sizes = synthetic.split_sizes(options, validation_split)
    return [("training sequences", f"{sizes['train']:,}"),
            ("validation sequences", f"{sizes['val']:,}"),
            ("test sequences", f"{sizes['test']:,}"),
            ("accuracy by guessing", f"{GUESSING_ACCURACY}"),
            ("recent value only", f"{RECENT_ONLY_ACCURACY}")]
