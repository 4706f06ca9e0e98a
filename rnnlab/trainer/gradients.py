"""The gradient through time: how strongly the loss still "feels" each step of the input.

Training a recurrent network sends the error back through every timestep (backpropagation through
time). How much of it reaches step t is the size of the gradient of the loss with respect to the
input there,

    g_t = || dL / dx_t ||      (x_t = the embedded word, or the raw readings, at step t)

averaged over a fixed probe batch. In a SimpleRNN the path from the loss back to x_t passes
through one multiplication by the recurrent matrix (and a tanh derivative <= 1) per step, so g_t
typically shrinks geometrically with the distance from the end: the vanishing gradient. LSTM and
GRU add a path through their gated, additive state (c_t = f * c_{t-1} + ...), along which the
gradient can survive when the forget (or update) gate stays near 1. At initialisation all three can
vanish; it is after training on a task that needs the start of the sequence that the gated cells
keep a gradient where SimpleRNN's collapses.

`GradientRecorder` is a Keras callback the worker adds to every run: it records g_t on a probe
batch before training (epoch 0) and after chosen epochs, and rewrites the run's gradients.npz
each time, so the Gradients page can show it while the run trains. One record is one forward and
one backward pass over the probe batch: tens of milliseconds for the book's model.

Note: a gradient with respect to a layer's return_sequences output would see only the direct path
from that step to the loss, not the path through later states; the gradient with respect to the
input sees every path, which is why the input is where this module measures.

A Dense network (no memory) reads every step directly, through Flatten or the average over words,
so g_t is defined for it too: it shows which steps the weights read, with no path through time to
fade along. With masking on, padding steps get no gradient at all.
"""
from __future__ import annotations

import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from rnnlab.jobs import artifacts
from rnnlab.jobs.artifacts import GradientRecords

PROBE_SIZE = 32
MAX_RECORDS = 12  # records after epochs (plus one before training), spread over the run


def record_epochs(epochs: int, max_records: int = MAX_RECORDS) -> list[int]:
    """After which epochs (1-based) to record: all of them if few, else evenly spread, last included.

    >>> record_epochs(3)
    [1, 2, 3]
    >>> record_epochs(100, 4)
    [1, 34, 67, 100]
    """
    if epochs <= max_records:
        return list(range(1, epochs + 1))
    return sorted({int(round(e)) for e in np.linspace(1, epochs, max_records)})


def probe_batch(data, size: int = PROBE_SIZE) -> tuple[np.ndarray, np.ndarray]:
    """The first `size` validation examples, fixed for the whole run.

    Args:
        data: rnnlab.trainer.training.PreparedData (arrays, or a batched tf.data.Dataset for weather).
    Returns:
        (x, y) as NumPy arrays.
    """
    if len(data.validation) == 2:
        x, y = data.validation
        return np.asarray(x[:size]), np.asarray(y[:size])
    xs, ys, count = [], [], 0
    for x, y in data.validation[0]:
        xs.append(np.asarray(x))
        ys.append(np.asarray(y))
        count += len(xs[-1])
        if count >= size:
            break
    return np.concatenate(xs)[:size], np.concatenate(ys)[:size]


def gradient_probe(model: keras.Model):
    """A compiled function (x, y) -> g_t for `model`: mean over the batch of || dLoss/dx_t ||.

    For a text model x_t is the Embedding's output (the word's vector), else the input itself.
    The network runs in inference mode (no dropout), with the model's own loss. The function is
    traced once (tf.function), so each call costs one forward and one backward pass.

    The returned function gives a (T,) float64 array; entries can be exactly 0 where the gradient
    fell below what float32 can represent. Its optional third argument is the weights to read
    instead of the model's current ones (model.get_weights()'s list, e.g. a snapshot taken before).
    """
    # The probe reads a twin of the model, given the model's current weights at each call: a
    # sub-model cut from the model's own graph (from the embedding's output on) would add nodes
    # to the model's layers, after which Keras can no longer save it ("could not find node key",
    # with masking on).
    twin = keras.models.clone_model(model)
    embedding = next((layer for layer in twin.layers
                      if isinstance(layer, keras.layers.Embedding)), None)
    # After the lookup, the model reads the word vectors and, with masking on, the mask Keras
    # computes from the ids inside the model's graph: so the rest of the model takes both.
    rest = (None if embedding is None
            else keras.Model([twin.inputs[0], embedding.output], twin.output))
    loss_function = keras.losses.get(model.loss)

    @tf.function(reduce_retracing=True)
    def norms(x, y):
        if embedding is None:
            inputs = tf.cast(x, "float32")
        else:  # a plain tensor of word vectors (identity drops the mask Keras attaches)
            inputs = tf.identity(embedding(x))
        with tf.GradientTape() as tape:
            tape.watch(inputs)
            prediction = (twin(inputs, training=False) if embedding is None
                          else rest([x, inputs], training=False))
            loss = loss_function(y, prediction)
        gradient = tape.gradient(loss, inputs)  # (B, T, F)
        return tf.reduce_mean(tf.norm(gradient, axis=-1), axis=0)

    def probe(x: np.ndarray, y: np.ndarray, weights: list[np.ndarray] | None = None) -> np.ndarray:
        twin.set_weights(model.get_weights() if weights is None else weights)
        # One answer per example (a label, a temperature) as a column; the language model's
        # answers are a character id per step, (B, T), as its loss reads them.
        y = np.asarray(y, dtype="float32").reshape(-1, 1) if np.ndim(y) == 1 else np.asarray(y)
        return norms(tf.convert_to_tensor(x), tf.convert_to_tensor(y)).numpy().astype(np.float64)

    return probe


def input_gradient_norms(model: keras.Model, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """g_t for every timestep t, once (see gradient_probe; a recorder keeps its probe)."""
    return gradient_probe(model)(x, y)


class GradientRecorder(keras.callbacks.Callback):
    """Records the gradient through time before training and after chosen epochs.

    Each record rewrites the run folder's gradients.npz (rnnlab.jobs.artifacts.GradientRecords:
    the epochs recorded, 0 for "before training"; g_t of each record, see input_gradient_norms;
    and what each record cost), so a page can draw it while the run trains.
    """

    def __init__(self, probe: tuple[np.ndarray, np.ndarray], folder: Path, epochs: int):
        super().__init__()
        self.x, self.y = probe
        self.folder = Path(folder)
        self.when = set(record_epochs(epochs))
        self.epochs: list[int] = []
        self.norms: list[np.ndarray] = []
        self.seconds: list[float] = []
        self.untrained: list[np.ndarray] | None = None  # before training, until recorded

    def record(self, epoch: int, weights: list[np.ndarray] | None = None) -> None:
        start = time.perf_counter()
        self.norms.append(self.probe(self.x, self.y, weights))
        self.seconds.append(time.perf_counter() - start)
        self.epochs.append(epoch)
        artifacts.write_gradients(self.folder, GradientRecords(
            np.array(self.epochs), np.stack(self.norms), np.array(self.seconds)))

    def on_train_begin(self, logs=None):
        """Keep the untrained weights; record them once the first batch has reported.

        Tracing the probe and its first pass take 0.5-1 s on two cores: done here they would
        delay the run's first point by as much. The record of epoch 0 reads the weights as they
        were before training (a snapshot), so it is the same record, made one batch later.
        """
        self.probe = gradient_probe(self.model)
        self.untrained = self.model.get_weights()

    def on_train_batch_end(self, batch, logs=None):
        if self.untrained is not None:  # the first batch's point is out (callbacks before this)
            self.probe(self.x, self.y, self.untrained)  # trace it, so records time only passes
            self.record(0, self.untrained)
            self.untrained = None

    def on_epoch_end(self, epoch, logs=None):
        if epoch + 1 in self.when:
            self.record(epoch + 1)

    @property
    def mean_milliseconds(self) -> float:
        return 1000 * float(np.mean(self.seconds)) if self.seconds else 0.0
