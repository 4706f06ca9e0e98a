"""The unit finder: which unit of a character-level model keeps track of something in the text?

Karpathy, Johnson and Fei-Fei ("Visualizing and understanding recurrent networks", 2015) read
the cells of a character-level LSTM one at a time and found some that track the text's
structure: one is on inside quotes, one counts how far the line has run, one lights up inside
brackets. Looking at a few hundred units by eye is slow, so the finder asks the question the
other way round: the student picks a simple *feature* of the text, one number per character,
and every unit of a layer is scored by how closely its trace follows that feature.

The features (each is the value *after reading* the character, which is all a unit can know
then):

- "inside quotes": 1 from an opening quote (' or ") up to, not including, the quote of the same
  kind that closes it; a quote of the other kind inside does not count ("it's" inside "...").
  A simple rule: no escapes, and a triple quote opens, closes and opens again, which ends
  inside, as Python's docstrings do.
- "inside brackets": 1 while the nesting depth of (), [] and {} together is above 0; an
  opening bracket is inside, the closing one that brings the depth back to 0 is not. A closing
  bracket with nothing open is ignored.
- "position in the line": the characters read since the last newline (the newline itself is 0,
  the line's first character 1; at the start of a passage counted from its start).
- "inside a word": 1 on a letter, a digit or an underscore (ASCII), else 0.

The score is Pearson's correlation over all the characters,

    r = sum((u_t - mean u)(f_t - mean f)) / sqrt(sum (u_t - mean u)^2 * sum (f_t - mean f)^2),

and the units are ranked by |r|: a unit that falls inside brackets tracks them as well as one
that rises. A feature that never changes over the passage cannot be tracked (r is 0/0): that is
a ValueError in words. A unit that never changes gets no score (None) and ranks last.

`find_units` does it for a trained run: it replays each passage from the run's saved weights
(rnnlab.network.replay), measures the feature on the same characters, and ranks the units of one
layer's hidden state (or, for an LSTM-like cell, its cell state).

Pure NumPy: no TensorFlow, no Streamlit.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from rnnlab.cells import CELLS
from rnnlab.config import RunConfig
from rnnlab.data.text import decode
from rnnlab.network import replay

OPENING, CLOSING = "([{", ")]}"
QUOTES = "'\""


def inside_quotes(text: str) -> np.ndarray:
    """1.0 for each character read inside a pair of quotes (see the module docstring), else 0.0."""
    values = np.zeros(len(text))
    open_quote = None
    for t, character in enumerate(text):
        if open_quote is None and character in QUOTES:
            open_quote = character
        elif character == open_quote:
            open_quote = None
        values[t] = open_quote is not None
    return values


def bracket_depth(text: str) -> np.ndarray:
    """How many brackets ((), [], {} together) are open after each character."""
    values = np.zeros(len(text))
    depth = 0
    for t, character in enumerate(text):
        if character in OPENING:
            depth += 1
        elif character in CLOSING:
            depth = max(depth - 1, 0)
        values[t] = depth
    return values


def inside_brackets(text: str) -> np.ndarray:
    """1.0 for each character read while a bracket is open (depth above 0), else 0.0."""
    return (bracket_depth(text) > 0).astype(float)


def line_position(text: str) -> np.ndarray:
    """The characters read since the last newline: "ab\\ncd" gives [1, 2, 0, 1, 2]."""
    values = np.zeros(len(text))
    position = 0
    for t, character in enumerate(text):
        position = 0 if character == "\n" else position + 1
        values[t] = position
    return values


def inside_word(text: str) -> np.ndarray:
    """1.0 on an ASCII letter, digit or underscore, else 0.0."""
    return np.array([float(c == "_" or (c.isascii() and c.isalnum())) for c in text])


# The features a student can pick: name -> function of the text (one value per character).
# The first changes in any passage that is not all newlines, so the page opens on a score.
FEATURES: dict[str, Callable[[str], np.ndarray]] = {
    "position in the line": line_position,
    "inside quotes": inside_quotes,
    "inside brackets": inside_brackets,
    "inside a word": inside_word,
}


@dataclass(frozen=True)
class UnitScore:
    """How closely one unit's trace follows the feature."""

    unit: int
    correlation: float | None  # Pearson's r, -1..1; None when the unit never changes

    @property
    def score(self) -> float:
        """|r|, the ranking key (-1 for a unit that never changes, so it ranks last)."""
        return -1.0 if self.correlation is None else abs(self.correlation)


def feature_values(feature: str, passages: list[str]) -> np.ndarray:
    """The feature over several passages, each measured on its own text, one after another.

    Each passage is read by the model from a fresh state, so the feature starts afresh too.

    Raises:
        ValueError: an unknown feature name.
    """
    if feature not in FEATURES:
        raise ValueError(f"There is no feature {feature!r}: pick one of "
                         f"{', '.join(FEATURES)}.")
    return np.concatenate([FEATURES[feature](text) for text in passages]) if passages else \
        np.zeros(0)


def correlations(trace, feature) -> list[float | None]:
    """Pearson's r between each unit's trace and the feature.

    Args:
        trace: (T, U) the units' values at each character.
        feature: (T,) the feature at each character.
    Returns:
        U correlations; None for a unit whose value never changes.
    Raises:
        ValueError: the lengths differ, fewer than two characters, or the feature never changes.
    """
    trace, feature = np.asarray(trace, dtype=float), np.asarray(feature, dtype=float)
    if trace.ndim != 2 or feature.shape != (len(trace),):
        raise ValueError(f"The trace has {trace.shape[0] if trace.ndim else 0} steps but the "
                         f"feature {feature.size} characters: they must cover the same text.")
    if len(feature) < 2:
        raise ValueError("A correlation needs at least two characters: pick a longer passage.")
    centred = feature - feature.mean()
    spread = float(np.sqrt((centred ** 2).sum()))
    if spread <= 1e-12 * max(1.0, float(np.abs(feature).max())):
        raise ValueError(f"The feature is {feature[0]:g} at every one of these {len(feature)} "
                         "characters, so no unit can be said to follow it: pick passages where "
                         "it changes, or another feature.")
    units = trace - trace.mean(axis=0)
    spreads = np.sqrt((units ** 2).sum(axis=0))
    products = centred @ units
    return [None if s <= 1e-12 else float(np.clip(p / (s * spread), -1.0, 1.0))
            for p, s in zip(products, spreads)]


def rank_units(trace, feature) -> list[UnitScore]:
    """Every unit, best first: by |r| with the feature, units that never change last.

    Raises:
        ValueError: as `correlations`.
    """
    scores = [UnitScore(unit, r) for unit, r in enumerate(correlations(trace, feature))]
    return sorted(scores, key=lambda s: (-s.score, s.unit))


# Below this |r| the best unit follows the feature too loosely to say that it tracks it: |r| =
# 0.4 means the feature explains 16 % of the unit's variation over the passages.
WEAK_CORRELATION = 0.4


def sentence(best: UnitScore, layer: int, state: str, feature: str, characters: int) -> str:
    """The finder's verdict in words.

    Args:
        best: the top of `rank_units`.
        layer: the layer's number (1 = bottom).
        state: what was scored, e.g. "hidden state h".
        feature: the feature's name.
        characters: how many characters the score was measured over.
    Returns:
        e.g. "Unit 7 of layer 1 (hidden state h) tracks 'inside brackets': correlation 0.62
        over 400 characters (it is higher inside brackets than outside)."; below
        WEAK_CORRELATION, that no unit clearly tracks it; for a unit that never changes, that
        no unit of the layer changes at all.
    """
    if best.correlation is None:
        return (f"No unit of layer {layer} ({state}) changes over these {characters:,} "
                "characters, so none tracks anything: try other passages or a trained run.")
    higher = best.correlation > 0
    if feature == "position in the line":
        way = f"it {'grows' if higher else 'shrinks'} along the line"
    else:  # the 0/1 features: inside something or not
        way = f"it is {'higher' if higher else 'lower'} {feature} than outside"
    if abs(best.correlation) < WEAK_CORRELATION:
        return (f"No unit of layer {layer} ({state}) clearly tracks '{feature}': the closest, "
                f"unit {best.unit}, has a correlation of only {best.correlation:.2f} over "
                f"{characters:,} characters ({way}, but loosely). Try another feature, more "
                "passages, or a larger or longer-trained model.")
    return (f"Unit {best.unit} of layer {layer} ({state}) tracks '{feature}': correlation "
            f"{best.correlation:.2f} over {characters:,} characters ({way}).")


@dataclass(frozen=True)
class Finding:
    """The units of one layer ranked against a feature, over some passages read one by one."""

    ranking: list[UnitScore]   # every unit, best first
    values: np.ndarray         # (characters, U): the scored state at each character
    feature: np.ndarray        # (characters,): the feature at each character
    texts: list[str]           # the passages' characters, in the order scored


def states_of(cell: str) -> list[str]:
    """The traces of a cell the finder scores: its hidden state, and its cell state if it has one
    (an LSTM's long-term memory, where Karpathy et al. found their units)."""
    return [name for name in ("hidden", "cell_state") if name in CELLS[cell].traces]


def find_units(config: RunConfig, weights, passages, layer: int, state: str,
               feature: str) -> Finding:
    """Replay each passage through the run and rank the layer's units against the feature.

    Args:
        config, weights: a language model's run config and saved weights.
        passages: character ids, one (T,) array per passage; each is read from a fresh state,
            as the model read its training windows.
        layer: which recurrent layer, 1 = bottom.
        state: "hidden" or, for an LSTM-like cell, "cell_state" (see `states_of`).
        feature: one of FEATURES.
    Returns:
        A Finding over all the passages' characters.
    Raises:
        ValueError: no passage, no such layer or state, an unknown feature, a feature that never
            changes over the passages, or weights that do not fit the config.
    """
    if not len(passages):
        raise ValueError("Pick at least one passage to score the units on.")
    if not 1 <= layer <= len(config.layers):
        raise ValueError(f"Layer {layer} does not exist: the model has {len(config.layers)} "
                         "recurrent layer(s), numbered from 1 at the bottom.")
    cell = config.layers[layer - 1].cell
    if state not in states_of(cell):
        raise ValueError(f"A {cell} layer has no {state!r} to score: pick one of "
                         f"{', '.join(states_of(cell))}.")
    texts = [decode(ids) for ids in passages]
    values = np.concatenate([replay.trace(config, weights, ids).layers[layer - 1].forward[state]
                             for ids in passages])
    measured = feature_values(feature, texts)
    return Finding(rank_units(values, measured), values, measured, texts)


def lines_of(text: str, values, width: int) -> tuple[list[str], np.ndarray]:
    """The text cut into rows for a coloured view, one row per line, long lines wrapped.

    Each row keeps its newline as its last character, so the rows hold every character once.

    Args:
        text: T characters.
        values: T numbers, one per character.
        width: the most characters in a row.
    Returns:
        (rows, grid): the rows' texts and a (rows, width) array of the values, NaN past each
        row's end.
    Raises:
        ValueError: `values` does not hold one number per character, or width below 1.
    """
    values = np.asarray(values, dtype=float)
    if values.shape != (len(text),) or width < 1:
        raise ValueError(f"Give one value per character ({len(text)}) and a width of at least 1.")
    rows, starts, start = [], [], 0
    for t, character in enumerate(text):
        if character == "\n" or t - start + 1 == width or t == len(text) - 1:
            rows.append(text[start:t + 1])
            starts.append(start)
            start = t + 1
    grid = np.full((len(rows), width), np.nan)
    for row, (first, row_text) in enumerate(zip(starts, rows)):
        grid[row, :len(row_text)] = values[first:first + len(row_text)]
    return rows, grid
