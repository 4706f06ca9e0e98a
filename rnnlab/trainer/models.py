"""Build and compile the Keras model a RunConfig describes.

The model reads top to bottom like the lesson:

    review ids --Embedding--> vectors --recurrent stack--> state --Dense--> P(positive)
    weather window ------------------> recurrent stack --> state --Dense--> temperature
    memory sequence -----------------> recurrent stack --> state --Dense--> P(marked sum > 1)
    character ids --Embedding--> vectors --recurrent stack--> a state at every step
                                          --Dense, at every step--> P(next character)

Every recurrent layer is its cell's Keras layer, built by the cell's registry entry (rnnlab.cells),
wrapped in Bidirectional on request, with the config's units, activation, dropout and recurrent
dropout. Inner layers return their sequences (the config guarantees it). If the top layer also
returns a sequence, GlobalAveragePooling1D averages it over time, so the head still makes one
prediction per example. The language model is the exception: its head is applied at every step
(a Dense layer on a sequence acts on each step alone), a softmax over the vocabulary, trained with
the cross-entropy and scored in bits per character (`bits_per_character`).

A stack of Dense layers is the contender with no memory (Chollet's "densely connected" baseline):

    review ids --Embedding--> vectors --average over words--> Dense ... --Dense--> P(positive)
    weather window --Flatten--> one long vector --> Dense ... --Dense--> temperature

Averaging the word vectors makes a bag of words (the order of the words is lost); flattening a
window keeps every reading but nothing says which came first. Each Dense layer is followed by a
Dropout layer when its dropout is above 0. Layer names come from rnnlab.network.naming, as in
rnnlab.network.summary, which computes the same shapes and counts without TensorFlow.

This module imports Keras, and with it TensorFlow: only the trainer and worker processes use it.
"""
from __future__ import annotations

import math

import keras
from keras import layers

from rnnlab.cells import CELLS
from rnnlab.config import LayerConfig, RunConfig
from rnnlab.data.spec import DataSpec, data_spec
from rnnlab.network.naming import (
    FLATTEN_NAME,
    INPUT_NAMES,
    WORD_AVERAGE_NAME,
    dropout_name,
    head_name,
    layer_name,
    model_name,
    recurrent_name,
)

OPTIMIZERS = {
    "rmsprop": keras.optimizers.RMSprop,
    "adam": keras.optimizers.Adam,
}


@keras.saving.register_keras_serializable(package="rnnlab", name="bpc")
def bits_per_character(y_true, y_pred):
    """The language model's score: its cross-entropy in bits (the natural-log loss / ln 2),
    averaged over every step of every window; Keras reports it as "bpc" and "val_bpc".
    Registered with Keras, so a saved or cloned model finds it by that name."""
    return keras.losses.sparse_categorical_crossentropy(y_true, y_pred) / math.log(2.0)


bits_per_character.__name__ = "bpc"


def recurrent_layer(index: int, layer: LayerConfig) -> keras.layers.Layer:
    """One recurrent layer of the stack (its cell's registry entry builds it), wrapped in
    Bidirectional if asked."""
    rnn = CELLS[layer.cell].keras_layer(
        keras,
        units=layer.units,
        activation=layer.activation,
        dropout=layer.dropout,
        recurrent_dropout=layer.recurrent_dropout,
        return_sequences=layer.return_sequences,
        name=recurrent_name(index, layer),
    )
    if layer.bidirectional:
        return layers.Bidirectional(rnn, name=layer_name(index, layer))
    return rnn


def feedforward_layers(config: RunConfig, x, is_text: bool):
    """The Dense stack on `x`: the input made one vector per example (word vectors averaged, or
    a window flattened), then each Dense layer, with a Dropout layer after it if asked."""
    if is_text:
        x = layers.GlobalAveragePooling1D(name=WORD_AVERAGE_NAME)(x)
    else:
        x = layers.Flatten(name=FLATTEN_NAME)(x)
    for index, layer in enumerate(config.layers, start=1):
        x = layers.Dense(layer.units, activation=layer.activation,
                         name=layer_name(index, layer))(x)
        if layer.dropout > 0:
            x = layers.Dropout(layer.dropout, name=dropout_name(index))(x)
    return x


def build_model(config: RunConfig, spec: DataSpec | None = None,
                jit_compile: bool = False) -> keras.Model:
    """A compiled functional model for `config`: a sigmoid head for yes/no tasks, a linear one
    for weather, a softmax at every step for the next character.

    Args:
        config: a valid RunConfig (its layers, dataset options and training options are used).
        spec: the input shape; derived from the config when not given.
        jit_compile: compile the training step with XLA (rnnlab.config.execution_path says when);
            the model is the same either way.
    Returns:
        A keras.Model compiled with the config's optimizer and learning rate, binary
        cross-entropy and accuracy for the binary tasks (sentiment, the memory task), mean
        absolute error for temperature, the cross-entropy and bits per character for text.
    """
    spec = spec or data_spec(config)
    if spec.is_text:
        inputs = keras.Input(shape=(spec.timesteps,), dtype="int32",
                             name=INPUT_NAMES[config.dataset])
        x = layers.Embedding(spec.vocab_size, spec.embedding_dim, mask_zero=spec.mask_padding,
                             name="embedding")(inputs)
    else:
        inputs = keras.Input(shape=(spec.timesteps, spec.features),
                             name=INPUT_NAMES[config.dataset])
        x = inputs
    if config.is_feedforward:
        x = feedforward_layers(config, x, spec.is_text)
    else:
        for index, layer in enumerate(config.layers, start=1):
            x = recurrent_layer(index, layer)(x)
        if config.layers[-1].return_sequences and spec.task != "next_character":
            x = layers.GlobalAveragePooling1D(name="average_over_time")(x)
    model = keras.Model(inputs, _head(config, spec, x), name=model_name(config))
    optimizer = OPTIMIZERS[config.training.optimizer](learning_rate=config.training.learning_rate)
    if spec.task == "next_character":
        loss, metrics = "sparse_categorical_crossentropy", [bits_per_character]
    elif spec.task == "binary":
        loss, metrics = "binary_crossentropy", ["accuracy"]
    else:
        loss, metrics = "mae", ["mae"]
    model.compile(optimizer=optimizer, loss=loss, metrics=metrics, jit_compile=jit_compile)
    return model


def _head(config: RunConfig, spec: DataSpec, x):
    """The dataset's head on `x`: one sigmoid (yes/no), one linear output (a temperature), or a
    softmax over the vocabulary at every step (the next character)."""
    if spec.task == "next_character":
        return layers.Dense(spec.vocab_size, activation="softmax",
                            name=head_name(config.dataset))(x)
    binary = spec.task == "binary"
    return layers.Dense(1, activation="sigmoid" if binary else None,
                        name=head_name(config.dataset))(x)


def keras_summary_text(model: keras.Model) -> str:
    """model.summary() as text (Keras 3 prints it through rich; print_fn collects the lines)."""
    lines: list[str] = []
    model.summary(print_fn=lambda line, **_: lines.append(line))
    return "\n".join(lines)
