"""The Inside-the-cell lesson, dataset by dataset: the answer, and questions over many inputs.

The page opens one input at a time (rnnlab.lessons.inside prepares it). Around that input it
needs a few things that differ by dataset, kept here in one table (`VIEWS`) and a few pure
functions:

- how to speak of the answer: P(positive) for a review, P(marked sum > 1) for the long-memory
  task, a forecast in normalized units for weather; and which part of a long input to show first
  (a review's end, where the network has read everything; the memory task's start, where the
  first marked value is). A language model (dataset "text") gives no single answer, so it has
  no view: its passage is named, and one longer than TEXT_WINDOW_STEPS characters opens on its
  first ones;
- a fixed sample of test inputs (`test_sample`), over which the page measures how saturated each
  gate is (`gate_shares`): a gate nearly always shut or wide open works like a switch;
- the model's guesses on the test set (`review_guesses`, `sequence_guesses`), which sort test
  inputs into those it gets right and those it gets wrong (`right_or_wrong`).

The page caches these per run (rnnlab.ui.loaders): a finished run's weights never change.
Nothing here imports TensorFlow or Streamlit.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from rnnlab.config import RunConfig
from rnnlab.lessons import inside
from rnnlab.network import replay

SATURATION_SAMPLE = 100  # test inputs the gate saturation is measured over
LONG_INPUT = 120         # an input with more real steps than this opens on a window of them
WINDOW_STEPS = 100       # the steps that window shows first
TEXT_WINDOW_STEPS = 40   # characters a passage of text shows at once: each tick one character


@dataclass(frozen=True)
class DatasetView:
    """How the Inside page speaks of one dataset's inputs and the model's answer."""

    answer: str            # the answer in the prediction sentence: "P(positive) at the end: ..."
    axis: str              # the running prediction chart's axis title
    subject: str           # what one input is called in the chart's title: "review"
    opens_at_start: bool   # a long input first shows its first steps (else its last ones)
    # What one value of the running prediction means, for its hover: a template with {value}
    # and {percent} (rnnlab.lessons.meanings).
    meaning: str


VIEWS = {
    "imdb": DatasetView("P(positive)", "P(positive)", "review", opens_at_start=False,
                        meaning="P(positive) {value}: {percent} sure the review is positive"),
    "memory": DatasetView("P(marked sum > 1)", "P(marked sum > 1)", "sequence",
                          opens_at_start=True,
                          meaning="P(marked sum > 1) {value}: {percent} sure the two marked "
                                  "values add up to more than 1"),
    "weather": DatasetView("The forecast (normalized units)", "forecast (normalized)", "window",
                           opens_at_start=False,
                           meaning="forecast {value}: the target in standard deviations from "
                                   "its training mean (0 = the mean)"),
}
# What the page says under a passage of text, in place of a model's answer.
TEXT_READING = ("The model reads it one character at a time and, after each, guesses the next; "
                "every step below is labelled by the character read there (⏎ is a new line, "
                "␣ a space).")


def answer_sentence(dataset: str, step: inside.StepInput, predictions: Mapping[str, float]) -> str:
    """The sentence above the charts: the input, each run's answer at the end, the true answer.

    Args:
        dataset: the runs' dataset ("imdb", "weather", "memory" or "text").
        step: the input every run read.
        predictions: {run name, e.g. "#3 LSTM": its prediction}, in the order to show them.
    Returns:
        Markdown, e.g. "**Your review.** P(positive) at the end: #3 LSTM: 0.912."; for text,
        the passage's name and how the model reads it (TEXT_READING).
    """
    what = step.description[0].upper() + step.description[1:]
    if dataset not in VIEWS:  # a language model answers at every character: nothing to sum up
        return f"**{what}.** {TEXT_READING}"
    answers = ", ".join(f"{name}: {value:.3f}" for name, value in predictions.items())
    truth = "" if step.target is None else f"; the true answer is {step.target:.3f}"
    return f"**{what}.** {VIEWS[dataset].answer} at the end: {answers}{truth}."


def opening_steps(dataset: str, step: inside.StepInput) -> tuple[int, int] | None:
    """The steps (first, end) a long input opens on, or None if it is short enough to show whole.

    An input with more than LONG_INPUT real steps shows WINDOW_STEPS of them at first: a review's
    last ones, or the memory task's first ones (where the first marked value is). A passage of
    text longer than TEXT_WINDOW_STEPS shows its first TEXT_WINDOW_STEPS characters, so that every
    character on the time axis can be read.
    """
    end = len(step.labels)
    if dataset == "text":
        return None if end <= TEXT_WINDOW_STEPS else (0, TEXT_WINDOW_STEPS)
    if end - step.first_real <= LONG_INPUT:
        return None
    return (0, WINDOW_STEPS) if VIEWS[dataset].opens_at_start else (end - WINDOW_STEPS, end)


def prediction_changes(running_prediction) -> np.ndarray:
    """How much each step moved the answer: the running prediction's steps, from 0.5 before any."""
    return np.diff(np.asarray(running_prediction, dtype=float), prepend=0.5)


def test_sample(config: RunConfig, data, count: int = SATURATION_SAMPLE) -> np.ndarray:
    """A fixed sample of `count` test inputs of the run's dataset, as its model reads them.

    Args:
        config: the run's config.
        data: what the inputs come from: the IMDB Corpus, the WeatherData loaded with the run's
            options, the TextData of a language model, or None for the generated long-memory
            task.
        count: how many inputs (fewer if the test set is smaller).
    Returns:
        The first `count` test reviews (N, maxlen), memory sequences (N, T, 2) or passages of
        the test text (N, window_chars), or windows spread evenly over the test part of the
        weather record (N, T, F).
    """
    if config.dataset == "text":
        return data.windows("test")[0][:count]
    if config.dataset == "imdb":
        numbers = np.arange(min(count, len(data.labels("test"))))
        return inside.padded_reviews(data, "test", numbers, config)
    if config.dataset == "memory":
        return inside.memory_sequences(config, count)
    return inside.weather_windows(data, count)


def gate_shares(config: RunConfig, weights, sample, layer: int) -> dict[str, tuple]:
    """Per gate of the run's `layer`: (each unit's share of steps shut, share open) over `sample`.

    Returns:
        {gate name, e.g. "forget gate": (low (U,), high (U,))}; empty for a SimpleRNN.
    Raises:
        ValueError: no such layer, or a sample that does not fit the model.
    """
    return {gate.label.split(" (")[0]: (gate.low, gate.high)
            for gate in replay.saturation(config, weights, sample, layer=layer).values()}


def review_guesses(config: RunConfig, weights, corpus, numbers) -> np.ndarray:
    """The run's P(positive) for the test reviews `numbers`, (N,)."""
    return replay.predict(config, weights, inside.padded_reviews(corpus, "test", numbers, config))


def sequence_guesses(config: RunConfig, weights, count: int) -> np.ndarray:
    """The run's P(marked sum > 1) for its first `count` test sequences, (count,)."""
    return replay.predict(config, weights, inside.memory_sequences(config, count))


def right_or_wrong(numbers, guesses, labels, right: bool) -> np.ndarray:
    """The test inputs `numbers` the model got right (or, with right=False, wrong).

    Args:
        numbers: the inputs' numbers in the test set.
        guesses: the model's probability for each of them (> 0.5 means it answered 1).
        labels: the true answer (0 or 1) of each of them.
        right: keep those it got right (True) or those it got wrong (False).
    Returns:
        The kept numbers, in order.
    """
    numbers = np.asarray(numbers)
    correct = (np.asarray(guesses) > 0.5) == np.asarray(labels)
    return numbers[correct == right]
