"""The Data page's figures: the numbers it shows about each dataset before anything is trained.

Four lessons, one per tab. IMDB: how long reviews are, against the `maxlen` the network reads
(rnnlab.data.explain shows what num_words and maxlen cut from one review). Weather: the target,
the temperature, in its own unit, and the score to beat: the common-sense baseline "the
temperature in d hours equals the temperature now", whose mean absolute error a network must
beat to be worth training. The long-memory task: how many sequences each set holds, and the two
accuracies that say whether a network remembered, 0.5 (guessing) and 0.75 (remembering only
the recent marked value). Text: where the corpus comes from and how big it is, the vocabulary of
97 character ids and how often each occurs, one window with the shifted target that makes the
task many-to-many, and the two counting models' bits per character a network must beat.

A figure is a (label, value as text) pair, ready for a row of big numbers; the sentences that
carry numbers (how long the task's memory must be, what the window reads, which part of the record
the normalization comes from) are written here too, so a test can hold them to the settings.
Nothing here imports TensorFlow or Streamlit.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from rnnlab.config import MemoryOptions, TextOptions, WeatherOptions
from rnnlab.config.catalog import TEXT_VOCABULARY_SIZE, WEATHER_SOURCES
from rnnlab.data import explain, synthetic
from rnnlab.data.text import TextData, decode
from rnnlab.lessons.baseline import persistence_guess
from rnnlab.lessons.text_baselines import CharBaselines

# How a character that prints as nothing is shown in a table or a window: the newline and the space.
SHOWN_CHARACTERS = {"\n": "\N{RETURN SYMBOL}", " ": "\N{OPEN BOX}"}
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
        ("validation, normalized", "0.290").
    """
    unit = explain.unit_label(data.target_unit)
    figures = []
    for name, (normalized, in_unit) in explain.baseline_scores(data).items():
        figures += [(f"{name} MAE in {unit}", f"{in_unit:.2f} {unit}"),
                    (f"{name}, normalized", f"{normalized:.3f}")]
    return figures


def memory_figures(options: MemoryOptions, validation_split: float) -> list[tuple[str, str]]:
    """The long-memory task's set sizes, and the accuracies of guessing and of a short memory."""
    sizes = synthetic.split_sizes(options, validation_split)
    return [("training sequences", f"{sizes['train']:,}"),
            ("validation sequences", f"{sizes['val']:,}"),
            ("test sequences", f"{sizes['test']:,}"),
            ("accuracy by guessing", f"{GUESSING_ACCURACY}"),
            ("recent value only", f"{RECENT_ONLY_ACCURACY}")]


def window_words(options: WeatherOptions) -> str:
    """What one example of the weather lesson reads and predicts, in a sentence."""
    return (f"{WEATHER_SOURCES[options.source].title}. The network reads a reading every "
            f"{options.step_hours} h over the last {options.lookback_hours} h and predicts the "
            f"temperature {options.delay_hours} h after the last one.")


def baseline_words(options: WeatherOptions) -> str:
    """The common-sense baseline for these settings, in words that follow the delay and the step.

    "Now" is the window's last reading: the network reads one every `step_hours`, the guess only
    that last one; the delay reads in hours, as "tomorrow" at 24 h and in days beyond.
    """
    every = "hour" if options.step_hours == 1 else f"{options.step_hours} h"
    return (f"Guess that {persistence_guess(options)}, the window's last reading (the network "
            f"reads one every {every}; this guess needs only the last). Its mean absolute error "
            "(MAE) is the score a network must beat to be worth training:")


def normalization_words(validation_split: float) -> str:
    """Why the features are normalized with the training part's statistics only."""
    return ("Every column is fed to the network after normalizing, z = (value - mean) / std. "
            "The mean and std come from the **training part only** (the first "
            f"{1 - 2 * validation_split:.0%} of the record), so nothing of the validation or "
            "test period leaks into training.")


def memory_task_words(sequence_length: int) -> str:
    """The adding problem at `sequence_length` steps: what is marked, what is asked, what it
    takes to answer, and the two accuracies that tell guessing and a short memory apart."""
    start = synthetic.start_steps(sequence_length)
    return (
        f"Each example is a sequence of **{sequence_length} steps**. Every step holds a random "
        "value between 0 and 1 and a marker; exactly **two steps are marked**: one among the "
        f"first {start} (the start) and one in the second half. The question: *do the two "
        "marked values add up to more than 1?* This is the *adding problem* (Hochreiter and "
        "Schmidhuber, 1997), the classic test of the vanishing gradient. The network answers "
        f"after reading step {sequence_length - 1}, so it must carry the first marked value "
        f"through at least {sequence_length - start} steps of other values. Half the sums are "
        f"above 1, so guessing scores **{GUESSING_ACCURACY}**; a network that remembers only "
        f"the recent marked value can reach **{RECENT_ONLY_ACCURACY}** (answer yes when it is "
        "above 0.5). The data is generated from the run's seed in a moment; nothing is "
        "downloaded.")


def shown(text: str) -> str:
    """`text` with the characters that print as nothing made visible: a newline as ⏎, a space
    as ␣ (the unknown id already prints as �)."""
    return "".join(SHOWN_CHARACTERS.get(character, character) for character in text)


def corpus_words(options: TextOptions, data: TextData) -> str:
    """Where the corpus comes from and how it is split, in a few sentences.

    Args:
        options: the run's text options.
        data: the corpus as loaded with them (its `source` names the files or reviews read).
    """
    total = sum(len(ids) for ids in data.ids.values())
    origin = (f"The Python standard library's own source code: {data.source}, read in "
              "name order until the corpus is full. Every machine that runs the lab has it, "
              "so nothing is downloaded; another Python version reads slightly different text."
              if options.corpus == "python" else f"Movie reviews, as people typed them: "
              f"{data.source}.")
    return (f"{origin} The first **{total:,} characters** are split in order, not shuffled: "
            f"{len(data.ids['train']):,} for training, then {len(data.ids['val']):,} for "
            f"validation and {len(data.ids['test']):,} for the test, so the model is scored on "
            "text it never read.")


def text_figures(data: TextData) -> list[tuple[str, str]]:
    """The number of windows per part and the vocabulary's size, for a row of big numbers."""
    return [*((f"{name} windows", f"{len(data.windows(split)[0]):,}") for split, name in
              (("train", "training"), ("val", "validation"), ("test", "test"))),
            ("characters per window", f"{data.window_chars:,}"),
            ("vocabulary (ids)", f"{TEXT_VOCABULARY_SIZE}")]


def vocabulary_table(data: TextData) -> pd.DataFrame:
    """Every id of the vocabulary with its character and how often it occurs in the corpus.

    Returns:
        One row per id (97), most frequent first: "id", "character" (⏎ for the newline, ␣ for
        the space, � for any other character), "count" in the whole corpus and "share" of it.
    """
    ids = np.concatenate([data.ids[split] for split in ("train", "val", "test")])
    counts = np.bincount(ids, minlength=TEXT_VOCABULARY_SIZE)
    table = pd.DataFrame({"id": np.arange(TEXT_VOCABULARY_SIZE),
                          "character": [shown(decode([i])) for i in range(TEXT_VOCABULARY_SIZE)],
                          "count": counts, "share": counts / max(len(ids), 1)})
    return table.sort_values(["count", "id"], ascending=[False, True], ignore_index=True)


def window_pair(data: TextData, split: str, index: int) -> tuple[str, str]:
    """Window `index` of `split` as the model reads it and as it is asked to answer.

    Returns:
        (input, target) as shown text (see `shown`): the target is the input shifted by one
        character, the character that comes next at every step.
    Raises:
        IndexError: the split has no window `index`.
    """
    inputs, targets = data.windows(split)
    return shown(decode(inputs[index])), shown(decode(targets[index]))


def window_lines(reads: str, predicts: str, width: int = 48) -> str:
    """A window and its target as pairs of lines, `width` characters each, the target under
    the input, so that a step's input and its answer stand one above the other.

    Returns:
        e.g. "reads        def␣f(x)\nmust predict ef␣f(x):" (more pairs for a longer window,
        a blank line between pairs).
    """
    pairs = [f"reads        {reads[start:start + width]}\n"
             f"must predict {predicts[start:start + width]}"
             for start in range(0, len(reads), width)]
    return "\n\n".join(pairs)


def char_baseline_words(lines: CharBaselines) -> str:
    """The unigram and bigram models' bits per character on the validation text, and what they
    mean (rnnlab.data.char_baselines)."""
    return (
        "A language model is scored in **bits per character** (bpc): the average of "
        "-log2 P(the character that came). b bits is as unsure as a fair pick among 2^b "
        f"characters; a blind guess among the {TEXT_VOCABULARY_SIZE} ids needs "
        f"{np.log2(TEXT_VOCABULARY_SIZE):.2f}. Two models that only count set the bar on the "
        f"validation text: the **unigram** model, which knows how often each character occurs "
        f"and nothing of order, needs **{lines.unigram:.2f}** bits per character (a pick among "
        f"{2 ** lines.unigram:.0f}); the **bigram** model, which also knows the character just "
        f"before, needs **{lines.bigram:.2f}** (a pick among {2 ** lines.bigram:.0f}). A "
        "recurrent network above the unigram line has learned nothing about order; below the "
        "bigram line it remembers more than one character back.")
