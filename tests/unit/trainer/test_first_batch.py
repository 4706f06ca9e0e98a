"""The first batch runs eagerly, later ones on the compiled step (rnnlab.trainer.first_batch)."""
import keras
import numpy as np
import tensorflow as tf

from rnnlab.config import MemoryOptions, RunConfig, TrainingOptions
from rnnlab.trainer.first_batch import EagerFirstBatch


class CallRecorder(keras.layers.Layer):
    """Passes its input on, and notes whether each call ran eagerly (a graph is traced once)."""

    def __init__(self):
        super().__init__()
        self.calls: list[bool] = []

    def call(self, x):
        self.calls.append(tf.executing_eagerly())
        return x


def fit_recording(callbacks, run_eagerly=False, jit_compile=False):
    """Fit a tiny model for one epoch of four batches; return its layer's record of calls."""
    recorder = CallRecorder()
    model = keras.Sequential([keras.Input((3,)), recorder, keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", run_eagerly=run_eagerly, jit_compile=jit_compile)
    x, y = np.ones((16, 3), "float32"), np.zeros((16, 1), "float32")
    recorder.calls.clear()  # building the model called it once, on symbolic inputs
    model.fit(x, y, batch_size=4, epochs=1, shuffle=False, callbacks=callbacks, verbose=0)
    return recorder.calls


def test_the_first_batch_runs_eagerly_and_the_rest_on_one_compiled_step():
    # Without it, Keras traces its graph before the first batch: no eager call at all.
    assert fit_recording([]) == [False]
    # With it: batch 1 eager, then one trace that batches 2-4 reuse, on either compiled path.
    assert fit_recording([EagerFirstBatch()]) == [True, False]
    assert fit_recording([EagerFirstBatch()], jit_compile=True) == [True, False]


def test_a_model_meant_to_run_eagerly_stays_eager():
    assert fit_recording([EagerFirstBatch()], run_eagerly=True) == [True] * 4


def test_the_trainer_says_its_first_batch_ran_eagerly_and_repeats_its_run():
    from rnnlab.trainer.training import train

    config = RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=8, examples=200),
                       training=TrainingOptions(batch_size=32, epochs=2))
    first, again = train(config)[1], train(config)[1]
    assert first["first_batch_eager"] is True
    assert first["history"] == again["history"]
