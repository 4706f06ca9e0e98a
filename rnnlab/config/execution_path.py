"""Which of Keras's execution paths a run trains on: the fastest one measured for its cell.

The same Keras model can be trained in several ways that change its speed but not the model:

- **XLA** (`model.compile(jit_compile=True)`): TensorFlow hands the whole training step to the
  XLA compiler, which fuses the recurrent loop's small operations into a few large kernels. The
  first batch waits for the compiler (a few seconds); every later batch is faster. The sums are
  done in another order, so the same seed gives slightly different curves than Keras's default.
- **op determinism** (`tf.config.experimental.enable_op_determinism()`): forces every kernel to
  add up in a fixed order. Once on, it stays on for the process, and Keras then quietly compiles
  without XLA (its `model_supports_jit`), so the XLA path runs without it. XLA on a CPU is
  reproducible without it; Keras's default path is not (bench/paths.py trains each path twice
  with one seed and compares the curves: SimpleRNN's and the peephole LSTM's differed on 3,200
  reviews, the LSTM's on the full 20,000; two rounds that agree prove nothing, one that differs
  does).

`bench/paths.py` measured, on two CPU cores (AMD EPYC, load average 1.3; TF 2.21, Keras 3.15; the
book's IMDB model, 32 units, on 3,200 training reviews of 500 tokens; seconds per epoch after the
first, mean of two rounds; "same curves": both rounds gave the same history to the last bit):

    cell          Keras default  default, no op determinism  XLA             1st epoch XLA (default)
    SimpleRNN     1.23 s         1.16 s, curves differed     0.70 s (1.76x)  2.6 s (1.7 s)
    LSTM          2.64 s         2.13 s                      1.76 s (1.50x)  3.6 s (2.5 s)
    GRU           2.39 s         2.82 s                      1.22 s (1.96x)  3.5 s (2.9 s)
    PeepholeLSTM  2.32 s         2.36 s, curves differed     2.18 s (1.06x)  4.6 s (3.2 s)

so `FASTEST_ON_CPU` sends the book's three cells to XLA. XLA's lead depends on the day: on a
slower, busier one (4,000 reviews, load 1.4-1.7) it led Keras's default by only 1.02-1.06x
(SimpleRNN 2.15 s against 2.20, LSTM 4.87 against 5.18, GRU 4.44 against 4.64), but it was still
the fastest reproducible path for each of the three. On the race's full 20,000 reviews (the
LSTM, 2026-12-03, load 1.3-1.6, a day when the same epoch took 26-42 s from one run to the next)
XLA led too: 31.5 s against 38.8 s for the default path and 35.8 s without op determinism,
whose two rounds then gave different curves. The peephole LSTM, a cell the lab writes
itself, gained 6 % on average (one round faster, one slower), which its longer compile takes back
on a short run: it stays on Keras's default. On a GPU, Keras's default path runs LSTM and GRU on
cuDNN's fused kernels, which XLA cannot call; no GPU was lent to measure it, so a GPU keeps
Keras's default (and op determinism).

A run records the path it took in its result (`execution_path`, the path's label), which the Runs
page shows in the run's details; the Build page's code and the notebook a student takes home
compile the same way. Same config, same seed, same path: same curves.

The path is part of how a config trains, so it lives beside the config, in plain Python: the web
process reads it to write code, and only the trainer acts on it.
"""
from __future__ import annotations

from dataclasses import dataclass

from rnnlab.config import RunConfig


@dataclass(frozen=True)
class ExecutionPath:
    """How Keras executes a training step: compiled by XLA or not, deterministic kernels or not."""

    xla: bool
    op_determinism: bool

    @classmethod
    def from_label(cls, label: str) -> "ExecutionPath":
        """The path a run's result names (its `label`).

        Raises:
            ValueError: no path has that label.
        """
        for xla in (False, True):
            for op_determinism in (False, True):
                path = cls(xla=xla, op_determinism=op_determinism)
                if path.label == label:
                    return path
        raise ValueError(f"No execution path is called {label!r}.")

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
# listed takes Keras's default until it is measured, and so does Dense (no recurrent loop to fuse;
# not measured).
FASTEST_ON_CPU: dict[str, ExecutionPath] = {
    "SimpleRNN": XLA,
    "LSTM": XLA,
    "GRU": XLA,
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
