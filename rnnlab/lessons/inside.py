"""Inputs for the Inside-the-cell lesson: one sequence, and a name for every step of it.

The gate plots put time on the x axis, and a student reads it as "what the network read there".
So every input comes with labels, one per timestep: the word (or "·" for padding) of a review,
the clock time of a weather reading, the step number of a long-memory sequence ("t=3 (marked 0.42)"
names a step that holds half the answer), or the character of a passage of text (a newline shown
as "⏎" and a space as "␣", so that every step's label can be read). This module prepares those inputs from the datasets,
finds test reviews that contain a word, and shades words by a value for the page's text view.
Nothing here imports TensorFlow or Streamlit.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rnnlab.config import RunConfig
from rnnlab.config.catalog import IMDB_PAD_ID
from rnnlab.data import explain, imdb, synthetic
from rnnlab.data.text import TextData, decode

PAD_LABEL = "·"
# How a character that prints as nothing is labelled on a time axis.
CHARACTER_LABELS = {"\n": "⏎", " ": "␣", "\t": "⇥"}


@dataclass(frozen=True)
class StepInput:
    """One input sequence as the network reads it, and what to call each of its steps."""

    sequence: np.ndarray       # (T,) word ids, or (T, F) readings (normalized for weather)
    labels: list[str]          # T names: the word read, the reading's time, or the step
    first_real: int            # the first step that is not padding (0 for weather and memory)
    target: float | None       # the true answer if known: the label 0/1, or the normalized target
    description: str           # one line saying what this input is


def review_input(ids, config: RunConfig, word_index: dict[str, int], description: str,
                 label: int | None = None) -> StepInput:
    """A review (full-vocabulary ids, start id first) as the run's model reads it.

    The ids are cut to the run's vocabulary and padded or cut to its maxlen exactly as
    keras.utils.pad_sequences does it for training (rnnlab.data.explain.review_cut).
    """
    cut = explain.review_cut(ids, config.imdb.num_words, config.imdb.maxlen)
    words = [PAD_LABEL if i == IMDB_PAD_ID else imdb.decode([i], word_index)[0]
             for i in cut.network_ids]
    return StepInput(sequence=cut.network_ids, labels=words, first_real=cut.padding,
                     target=None if label is None else float(label), description=description)


def typed_review_input(text: str, config: RunConfig, word_index: dict[str, int]) -> StepInput:
    """A review a student typed, tokenized like the IMDB word index.

    Raises:
        ValueError: the text has no words.
    """
    ids = imdb.encode(text, word_index)
    if len(ids) < 2:
        raise ValueError("Type at least one word: the review is empty.")
    return review_input(ids, config, word_index, "your review")


def weather_input(data, start: int) -> StepInput:
    """The weather window whose first reading is row `start` of the record.

    Args:
        data: a rnnlab.data.weather.WeatherData loaded with the run's options.
        start: the row of the first reading.
    """
    rows = start + np.arange(data.sequence_length) * data.step_rows
    times = pd.DatetimeIndex(data.times[rows])
    target_row = start + data.span_rows
    return StepInput(
        sequence=data.values[rows], labels=[t.strftime("%d %b %H:%M") for t in times],
        first_real=0, target=float(data.values[target_row, data.target_index]),
        description=f"the window from {times[0]:%d %b %Y %H:%M} to {times[-1]:%d %b %Y %H:%M}")


def weather_windows(data, count: int) -> np.ndarray:
    """`count` test windows spread evenly over the test part of the record, (count, T, F)."""
    starts = data.window_starts("test")
    chosen = starts[np.linspace(0, len(starts) - 1, min(count, len(starts))).astype(int)]
    return np.stack([weather_input(data, int(start)).sequence for start in chosen])


def character_label(character: str) -> str:
    """A character as a time axis names it: "⏎" for a newline, "␣" for a space, else itself."""
    return CHARACTER_LABELS.get(character, character)


def passage_count(data: TextData, split: str = "val") -> int:
    """How many window-long passages the split's text holds (its windows)."""
    return len(data.windows(split)[0])


def passage_input(data: TextData, number: int, split: str = "val") -> StepInput:
    """Passage `number` of a split's text: its `number`-th window, as the model reads it.

    Args:
        data: the run's text (rnnlab.data.text.load_text with its options).
        number: which window, 0 = the split's first `window_chars` characters.
        split: "val" (text the model never trained on) or "test".
    Returns:
        The passage's character ids, labelled by their characters (see `character_label`);
        target is None: a language model answers at every step, not once.
    Raises:
        ValueError: there is no such passage.
    """
    windows = data.windows(split)[0]
    if not 0 <= number < len(windows):
        raise ValueError(f"There is no passage {number}: the text holds {len(windows)}, "
                         f"numbered 0 to {len(windows) - 1}.")
    first = number * data.window_chars
    name = {"val": "validation", "test": "test"}.get(split, split)
    return StepInput(sequence=windows[number], labels=[character_label(c) for c in
                                                       decode(windows[number])],
                     first_real=0, target=None,
                     description=f"{name} passage {number} (characters {first:,} to "
                                 f"{first + data.window_chars - 1:,} of the {name} text)")


def same_input(config: RunConfig, other: RunConfig) -> bool:
    """Whether `other`'s model reads the same kind of input as `config`'s, so one input can go
    through both side by side: the same dataset and, for weather, the same windows; for the
    memory task, sequences of the same length. Every text model reads the same characters (one
    fixed vocabulary), so any passage goes through any of them."""
    if config.dataset != other.dataset:
        return False
    if config.dataset == "weather":
        return config.weather == other.weather
    if config.dataset == "memory":
        return config.memory.sequence_length == other.memory.sequence_length
    return True


def memory_test_set(config: RunConfig) -> tuple[np.ndarray, np.ndarray]:
    """The long-memory task's test set of the run `config`: (x (N, T, 2), labels (N,) 0/1)."""
    return synthetic.memory_split(config.memory, config.training.validation_split,
                                  config.training.seed, "test")


def memory_labels(sequence) -> list[str]:
    """Step names for a memory sequence (T, 2): "t=3 (marked 0.42)" at the two marked steps,
    "t=4" at the others."""
    sequence = np.asarray(sequence, dtype=float)
    marked = set(synthetic.marked_steps(sequence).tolist())
    return [f"t={t} (marked {value:.2f})" if t in marked else f"t={t}"
            for t, value in enumerate(sequence[:, 0])]


def memory_input(config: RunConfig, index: int) -> StepInput:
    """Test sequence `index` of the long-memory task, as the run `config` was tested on it.

    Raises:
        ValueError: there is no such test sequence.
    """
    x, y = memory_test_set(config)
    if not 0 <= index < len(x):
        raise ValueError(f"There is no test sequence {index}: the test set holds {len(x)}, "
                         f"numbered 0 to {len(x) - 1}.")
    sequence = np.asarray(x[index])
    first, second = (float(sequence[t, 0]) for t in synthetic.marked_steps(sequence))
    relation = "more" if y[index] else "not more"
    return StepInput(sequence=sequence, labels=memory_labels(sequence), first_real=0,
                     target=float(y[index]),
                     description=f"test sequence {index} (its marked values {first:.2f} + "
                                 f"{second:.2f} = {first + second:.2f} add up to {relation} than "
                                 f"1, so the answer is {int(y[index])})")


def memory_sequences(config: RunConfig, count: int) -> np.ndarray:
    """The first `count` test sequences of the long-memory task, (count, T, 2)."""
    return np.asarray(memory_test_set(config)[0][:count])


def reviews_with_word(corpus, split: str, word: str, word_index: dict[str, int],
                      limit: int = 200) -> np.ndarray:
    """Numbers of the reviews of `split` that contain `word` (all reviews if it is blank).

    Returns:
        Up to `limit` review numbers, in order.
    Raises:
        ValueError: the word is not in the IMDB word index.
    """
    word = word.strip().lower()
    count = len(corpus.labels(split))
    if not word:
        return np.arange(min(count, limit))
    tokens = imdb.tokenize(word)
    if len(tokens) != 1 or tokens[0] not in word_index:
        raise ValueError(f"No review contains {word!r}: it is not one of the words in the IMDB "
                         "word index. Try another word, or leave the box empty.")
    (word_id,) = imdb.encode(tokens[0], word_index)[1:]
    positions = np.flatnonzero(getattr(corpus, f"{split}_tokens") == word_id)
    offsets = getattr(corpus, f"{split}_offsets")
    return np.unique(np.searchsorted(offsets, positions, side="right") - 1)[:limit]


def padded_reviews(corpus, split: str, numbers, config: RunConfig) -> np.ndarray:
    """The reviews `numbers` of `split` as the (N, maxlen) ids the run's model reads."""
    return np.stack([explain.review_cut(explain.review_ids(corpus, split, int(k)),
                                        config.imdb.num_words, config.imdb.maxlen).network_ids
                     for k in numbers]) if len(numbers) else np.zeros((0, config.imdb.maxlen))


def shaded_words_html(words: list[str], values, diverging: bool,
                      answer: str | None = None) -> str:
    """Words on coloured backgrounds: the text view of a gate or of the prediction's changes.

    Args:
        words: the words to show.
        values: one number per word: in 0..1 (a gate; darker blue = nearer 1) or, when
            `diverging`, any sign (green up, red down, scaled by the largest magnitude).
        answer: when the values are the changes of an answer, its name ("P(positive)"): the
            hover then says what the word did to it ("+0.034: “great” moved P(positive) up
            by 0.034").
    Returns:
        HTML: one <span> per word, its value (and, with `answer`, its meaning) in the hover title.
    """
    values = np.nan_to_num(np.asarray(values, dtype=float))
    scale = float(np.abs(values).max()) or 1.0
    spans = []
    for word, value in zip(words, values):
        if diverging:
            alpha = min(1.0, abs(value) / scale)
            colour = f"rgba(44,160,44,{alpha:.2f})" if value >= 0 else f"rgba(214,39,40,{alpha:.2f})"
        else:
            colour = f"rgba(31,119,180,{min(1.0, max(0.0, value)):.2f})"
        title = f"{value:+.3f}"
        if answer is not None:
            title += (f": “{word}” moved {answer} {'up' if value >= 0 else 'down'} by "
                      f"{abs(value):.3f}")
        spans.append(f'<span title="{html.escape(title)}" style="background:{colour};'
                     f'padding:2px 3px;border-radius:3px;line-height:2">{html.escape(word)}</span>')
    return '<div style="font-size:1.15rem">' + " ".join(spans) + "</div>"
