"""Build and compile the Keras model a RunConfig describes.

The model reads top to bottom like the lesson:

    review ids --Embedding--> vectors --recurrent stack--> state --Dense--> P(positive)
    weather window ------------------> recurrent stack --> state --Dense--> temperature
    memory sequence -----------------> recurrent stack --> state --Dense--> P(marked sum > 1)

Every recurrent layer is its cell's Keras layer, built by the cell's registry entry (rnnlab.cells),
wrapped in Bidirectional on request, with the config's units, activation, dropout and recurrent
dropout. Inner layers return their sequences (the config guarantees it). If the top layer also
returns a sequence, GlobalAveragePooling1D averages it over time, so the head still makes one
prediction per example.

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


def build_model(config: RunConfig, spec: DataSpec | None = None) -> keras.Model:
    """A compiled functional model for `config`: sigmoid head for yes/no tasks, linear for weather.

    Args:
        config: a valid RunConfig (its layers, dataset options and training options are used).
        spec: the input shape; derived from the config when not given.
    Returns:
        A keras.Model compiled with the config's optimizer and learning rate, binary
        cross-entropy and accuracy for the binary tasks (sentiment, the memory task), mean
        absolute error for temperature.
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
        if config.layers[-1].return_sequences:
            x = layers.GlobalAveragePooling1D(name="average_over_time")(x)
    binary = spec.task == "binary"
    outputs = layers.Dense(1, activation="sigmoid" if binary else None,
                           name=head_name(config.dataset))(x)
    model = keras.Model(inputs, outputs, name=model_name(config))
    optimizer = OPTIMIZERS[config.training.optimizer](learning_rate=config.training.learning_rate)
    if binary:
        model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=["accuracy"])
    else:
        model.compile(optimizer=optimizer, loss="mae", metrics=["mae"])
    return model


def keras_summary_text(model: keras.Model) -> str:
    """model.summary() as text (Keras 3 prints it through rich; print_fn collects the lines)."""
    lines: list[str] = []
    model.summary(print_fn=lambda line, **_: lines.append(line))
    return "\n".join(lines)
