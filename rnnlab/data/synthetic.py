"""The long-memory task: was the first value of the sequence positive?

Every example is a sequence of `sequence_length` readings, one number per step:

    x_0 = +1 or -1                      the signal, the only step that matters
    x_1 .. x_{T-1} ~ uniform(-1, 1)     noise, as large as the signal
    label = 1 if x_0 > 0 else 0

Nothing after the first step says anything about the answer, and a recurrent network answers from
its state after the last step. So it must carry one bit through T - 1 steps of noise that is as
large as the signal: the task measures memory and nothing else. Guessing scores 0.5 (each split
has as many positive as negative sequences), and a network that has forgotten the first step can
do no better. The sequence-length knob sets the lag to remember.

Why it is hard. Training sends the error at the end back to step 0 through T - 1 steps (the
gradient through time). In a SimpleRNN each step multiplies it by the recurrent matrix and a tanh
slope below 1, so it tends to shrink geometrically: the vanishing gradient (Bengio, Simard and
Frasconi, 1994, used exactly this "latch" task). LSTM and GRU carry their state forward by
addition through gates, c_t = f * c_{t-1} + i * g, so the error can survive the trip once the
forget gate (GRU: the update gate) has learned to stay near 1.

What the lab measures, though, is that the gates do not start there. Keras starts an LSTM's
forget gate near sigmoid(1) = 0.73 and a GRU's update gate near 0.5, so a fresh LSTM keeps about
0.73^49 = 2e-7 of the first value after 50 steps, while it starts a SimpleRNN's recurrent matrix
orthogonal, which keeps the length of the state. Before training, at length 50, the gradient at
step 0 was about 1e-2 of the gradient at the last step for a 16-unit SimpleRNN and about 1e-5 for
an LSTM. So on this task a SimpleRNN learns lags of 50 steps in one epoch while LSTM and GRU stay
at chance for several, and beyond about 100 steps all three stay at chance in a short run: which
cell wins, and up to which length, is for the class to measure (rnnlab.presets "memory-quick"
has the numbers).

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


@dataclass(frozen=True)
class MemoryData:
    """The three sets of the task: x of shape (N, T, 1) float32, y of shape (N,) float32 0/1."""

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


def generate(count: int, sequence_length: int, rng: np.random.Generator
             ) -> tuple[np.ndarray, np.ndarray]:
    """`count` sequences of the task from the generator `rng`.

    Exactly half of them (rounded down) are negative, in random order, so always answering
    "positive" or "negative" scores 0.5 (or within one sequence of it).

    Returns:
        (x, y): x of shape (count, sequence_length, 1), float32, with x[:, 0, 0] = +1 or -1 and
        the rest uniform in [-1, 1); y of shape (count,), float32, 1.0 where x[:, 0, 0] = +1.
    """
    labels = rng.permutation(np.arange(count) % 2).astype(np.float32)
    x = rng.random((count, sequence_length), dtype=np.float32) * 2 - 1
    x[:, 0] = 2 * labels - 1
    return x[..., None], labels


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
