"""The long-memory task: the adding problem (Hochreiter and Schmidhuber, 1997), as a yes/no question.

Every example is a sequence of `sequence_length` steps with two readings each:

    value_t  ~ uniform(0, 1)          a random number at every step
    marker_t = 1 at exactly two steps, else 0:
        one of the first `start_steps(T)` steps (the first tenth: the start of the sequence),
        one of the second half (steps T//2 .. T-1)
    label = 1 if the two marked values add up to more than 1, else 0

The answer depends on a value near the start, and the network answers from its state after the
last step, so it must carry that value (and ignore every unmarked one) through at least
T - T//10 steps. Guessing scores 0.5 (each set is exactly half positive). A network that keeps
only the recent marked value can score 0.75 at best (say "yes" when it is above 0.5), so accuracy
between 0.5 and 0.75 means "the start is forgotten", and near 1 means "the start is remembered".
The sequence-length knob sets the lag to remember.

Why it is hard. Training sends the error at the end back to the first marker through every later
step (the gradient through time). In a SimpleRNN each step multiplies it by the recurrent matrix
and a tanh slope below 1, so it tends to shrink geometrically: the vanishing gradient. LSTM and
GRU carry their state forward by addition through gates, c_t = f * c_{t-1} + i * g, so the error
can survive the trip once the forget gate (GRU: the update gate) has learned to stay near 1.
Measured at length 50 (16 units, adam 0.01, 8 epochs, 3,200 training sequences; rnnlab.config.presets
"memory-quick" has the figures): SimpleRNN stays at chance and keeps about 3e-4 of its last step's
gradient at step 0, while LSTM and GRU pass 0.9 and keep a gradient at step 0 as large as at the
last step.
At initialisation all three vanish (the gated cells' gates start half-forgetting); the difference
is what training does.

(An earlier version of this task asked "was the first value positive?" with noise after it.
Keras starts a SimpleRNN's recurrent matrix orthogonal, which carries a single bit through 50
steps of small noise easily, so that task showed the opposite of the lesson. The adding problem
needs a value, not a sign, kept through values of the same size, which is what breaks it.)

The data is generated, never downloaded: seeded by the run's seed, with independent random
streams for the training, validation and test sets, so a run is reproducible and the three sets
never share a sequence. NumPy only: the web process may import this module.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from rnnlab.config import MemoryOptions

SPLITS = ("train", "val", "test")
# Each split draws from its own stream, so the test set does not depend on the training set's size.
_STREAMS = {"train": 0, "val": 1, "test": 2}
FEATURES = ("value", "marker")  # the two readings of every step, in this order


@dataclass(frozen=True)
class MemoryData:
    """The three sets of the task: x of shape (N, T, 2) float32 (value, marker), y (N,) float32 0/1."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def split_sizes(options: MemoryOptions, validation_split: float) -> dict[str, int]:
    """How many sequences each set holds: validation_split of `examples` validate, the rest train,
    and the test set is as large as the validation set (on top of `examples`).

    >>> split_sizes(MemoryOptions(examples=4000), 0.2)
    {'train': 3200, 'val': 800, 'test': 800}
    """
    validation = max(1, round(options.examples * validation_split))
    return {"train": options.examples - validation, "val": validation, "test": validation}


def start_steps(sequence_length: int) -> int:
    """How many steps count as "the start": the first marker lies among them (a tenth, at least 1).

    >>> start_steps(50), start_steps(5)
    (5, 1)
    """
    return max(1, sequence_length // 10)


def generate(count: int, sequence_length: int, rng: np.random.Generator
             ) -> tuple[np.ndarray, np.ndarray]:
    """`count` sequences of the task from the generator `rng`.

    Exactly half of them (rounded down) are positive, in random order, so always answering "yes"
    or "no" scores 0.5 (or within one sequence of it). To get there without changing how the
    values are distributed, a pair whose sum is on the wrong side of 1 is mirrored: both marked
    values v become 1 - v, which sends a sum s to 2 - s.

    Returns:
        (x, y): x of shape (count, sequence_length, 2), float32, with the values in x[..., 0]
        (uniform in [0, 1)) and the two markers in x[..., 1]; y of shape (count,), float32, 1.0
        where the two marked values add up to more than 1.
    """
    labels = rng.permutation(np.arange(count) % 2).astype(np.float32)
    values = rng.random((count, sequence_length), dtype=np.float32)
    rows = np.arange(count)
    first = rng.integers(0, start_steps(sequence_length), count)
    second = rng.integers(sequence_length // 2, sequence_length, count)
    wrong_side = (values[rows, first] + values[rows, second] > 1) != labels.astype(bool)
    for marked in (first, second):
        values[rows[wrong_side], marked[wrong_side]] = 1 - values[rows[wrong_side],
                                                                  marked[wrong_side]]
    markers = np.zeros_like(values)
    markers[rows, first] = markers[rows, second] = 1
    return np.stack([values, markers], axis=-1), labels


def marked_steps(sequence: np.ndarray) -> np.ndarray:
    """The two marked steps of one sequence (T, 2), in order: [start marker, recent marker]."""
    return np.flatnonzero(np.asarray(sequence)[:, 1] > 0.5)


@functools.lru_cache(maxsize=6)
def memory_split(options: MemoryOptions, validation_split: float, seed: int,
                 split: str) -> tuple[np.ndarray, np.ndarray]:
    """One set of the task ("train", "val" or "test"), as a run with this seed trains on it.

    Kept for the last few calls (the Inside-the-cell page asks for the test set on every rerun);
    the arrays are read-only so no caller can change what the next one gets.

    Raises:
        ValueError: an unknown split name.
    """
    if split not in _STREAMS:
        raise ValueError(f"Unknown split {split!r}: the task has {', '.join(SPLITS)}.")
    rng = np.random.default_rng([seed, _STREAMS[split]])
    x, y = generate(split_sizes(options, validation_split)[split], options.sequence_length, rng)
    x.flags.writeable = y.flags.writeable = False
    return x, y


def load_memory(options: MemoryOptions, validation_split: float, seed: int) -> MemoryData:
    """The task's training, validation and test sets for a run.

    Args:
        options: the run's MemoryOptions (sequence_length, examples).
        validation_split: the share of `examples` held out for validation.
        seed: the run's seed; the same seed gives the same sequences.
    """
    sets = {split: memory_split(options, validation_split, seed, split) for split in SPLITS}
    return MemoryData(*sets["train"], *sets["val"], *sets["test"])
