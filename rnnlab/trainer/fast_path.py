"""Which of Keras's execution paths a run trains on: the fastest one measured for its cell.

The same Keras model can be trained in several ways that change its speed but not the model:

- **XLA** (`model.compile(jit_compile=True)`): TensorFlow hands the whole training step to the
  XLA compiler, which fuses the recurrent loop's small operations into a few large kernels. The
  first batch waits for the compiler (a few seconds); every later batch is faster. The sums are
  done in another order, so the same seed gives slightly different curves than Keras's default.
- **op determinism** (`tf.config.experimental.enable_op_determinism()`): forces every kernel to
  add up in a fixed order. Keras's default path costs nothing for it on a CPU; under XLA it costs
  a lot, and XLA on a CPU is reproducible without it (bench/paths.py trains each path twice with
  one seed and compares the curves).

`bench/paths.py` measured, on two CPU cores (TF 2.21, Keras 3.15, the book's IMDB model on 4,000
reviews, seconds per epoch after the first):

    path                         SimpleRNN    LSTM     GRU
    Keras default + determinism     see the bench's output in docs/SPEED.md
    XLA, no op determinism

and `FASTEST_ON_CPU` records the winner for each cell. On a GPU, Keras's default path runs LSTM
and GRU on cuDNN's fused kernels, which XLA cannot call; no GPU was lent to measure it, so a GPU
keeps Keras's default (and determinism, which cuDNN honours).

A run records the path it took in its result (`execution_path`), which the Runs page shows in the
run's details. Same config, same seed, same path: same curves.

This module imports no TensorFlow; `apply` does, in the trainer.
"""
from __future__ import annotations

from dataclasses import dataclass

from rnnlab.config import RunConfig


@dataclass(frozen=True)
class ExecutionPath:
    """How Keras executes a training step: compiled by XLA or not, with deterministic kernels or not."""

    xla: bool
    op_determinism: bool

    @property
    def label(self) -> str:
        """A short name for tables and the run's details, e.g. "XLA" or "Keras default"."""
        name = "XLA" if self.xla else "Keras default"
        if self.op_determinism != (not self.xla):
            name += ", op determinism" if self.op_determinism else ", no op determinism"
        return name


KERAS_DEFAULT = ExecutionPath(xla=False, op_determinism=True)
XLA = ExecutionPath(xla=True, op_determinism=False)
# Every path bench/paths.py times, Keras's default (what the lab used before) first.
CANDIDATES: dict[str, ExecutionPath] = {
    "default": KERAS_DEFAULT,
    "default-nondeterministic": ExecutionPath(xla=False, op_determinism=False),
    "xla": XLA,
}

# The fastest path per cell on a CPU, from bench/paths.py (see the module docstring). A cell not
# listed (a new one) takes Keras's default until it is measured.
FASTEST_ON_CPU: dict[str, ExecutionPath] = {
    "SimpleRNN": XLA,
    "LSTM": XLA,
    "GRU": XLA,
    "Dense": XLA,
}


def choose_path(config: RunConfig, gpu: bool = False) -> ExecutionPath:
    """The path a run of `config` trains on: its slowest layer's fastest path on this device.

    A stack of different cells takes XLA only if every cell in it is faster under XLA.
    """
    if gpu:
        return KERAS_DEFAULT
    cells = {"Dense"} if config.is_feedforward else {layer.cell for layer in config.layers}
    paths = {FASTEST_ON_CPU.get(cell, KERAS_DEFAULT) for cell in cells}
    return paths.pop() if len(paths) == 1 else KERAS_DEFAULT
