"""The first point without waiting for the compiler: a run's first batch is trained eagerly.

Before its first batch, Keras turns the training step into a TensorFlow graph, and on the XLA path
(rnnlab.config.execution_path) compiles that graph: 2-3 s on two cores for the quick presets, 4 s
for the book's 500-step IMDB models. Until then the class looks at an empty chart after pressing
Train. Run eagerly, op by op, one batch takes 0.1-1 s (2.7 s at 500 steps). So the first batch of
a fit runs eagerly and reports its point; the compiled step takes over from the second batch, and
the wait for the compiler comes after the first point instead of before it.

Measured with the lab's trainer on two busy cores, one fit each, seconds from the start of the fit
(data prepared) to the first batch done (the chart's first point) / the sixth batch done, without
and with this callback:

    memory-quick (LSTM)    2.77 / 3.16  ->  0.81 / 3.30
    nyc-quick (GRU)        2.53 / 3.15  ->  0.87 / 3.19
    text-quick (GRU)       4.30 / 4.93  ->  1.22 / 4.60
    imdb-quick (GRU)       3.32 / 3.98  ->  1.28 / 4.99
    imdb-lstm (500 steps)  4.11 / 5.16  ->  2.70 / 7.44

The eager batch adds its own time to the first epoch: about 2.3 s for the book's 500-step
models, about 1 % of their ten-epoch run (some 200 s at XLA speeds); the benchmarks' seconds per
epoch leave the first epoch out, as they always did for the compiler's time. An eager batch does
not always compute what the compiled step would, to the last digit: two epochs of a small GRU,
with or without dropout, gave the same losses both ways, but the IMDB run of
tests/unit/trainer/test_notebook_export.py (an LSTM with dropout under a bidirectional GRU) ended
2e-4 apart. So the take-home notebook trains its first batch eagerly too (rnnlab.network.notebook),
and the same config and seed still give the same curves, in the lab and at home.
"""
from __future__ import annotations

import keras


class EagerFirstBatch(keras.callbacks.Callback):
    """Train the fit's first batch eagerly, then hand over to the compiled training step.

    Keras's fit makes its `train_function` before `on_train_begin` and looks it up again for
    every batch, so the swap needs no change to the fit itself: an eager function for the first
    batch, a fresh compiled one (traced and compiled at its first call) after it.
    """

    def __init__(self):
        super().__init__()
        self.eager_batch_pending = False

    def on_train_begin(self, logs=None):
        runs_eagerly = self.model.run_eagerly
        self.model.run_eagerly = True
        self.model.make_train_function(force=True)
        self.model.run_eagerly = runs_eagerly
        self.eager_batch_pending = True

    def on_train_batch_end(self, batch, logs=None):
        if self.eager_batch_pending:
            self.model.make_train_function(force=True)  # compiled, unless the model runs eagerly
            self.eager_batch_pending = False
