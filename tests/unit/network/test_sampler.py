"""The NumPy sampler (rnnlab.network.sampler) against Keras's own step-by-step prediction.

The oracle: the language model rnnlab.trainer.models.build_model makes for a text config, built
with inputs of any length (the weights do not depend on the window), with seeded random weights
saved as the worker saves them. At every step of a generation, Keras predicts on the prompt plus
the text written so far; its softmax at the last position must equal the distribution the
sampler drew that character from, within 1e-5. Every cell of the registry, one and two layers,
the GRU with and without reset_after, untrained and briefly trained.
"""
import dataclasses

import numpy as np
import pytest

from rnnlab.cells import CELLS
from rnnlab.config import LayerConfig, RunConfig, TextOptions, TrainingOptions
from rnnlab.config.catalog import TEXT_VOCABULARY_SIZE
from rnnlab.data.spec import data_spec
from rnnlab.data.text import encode
from rnnlab.network import sampler
from rnnlab.network.naming import head_name, layer_name
from tests.unit.network.test_replay import TOLERANCE, randomize, saved_weights

PROMPT = "def f(x):\n"


def text_config(cell, depth, units=(6, 4)):
    layers = tuple(LayerConfig(cell=cell, units=units[i % 2], return_sequences=True)
                   for i in range(depth))
    return RunConfig(dataset="text", layers=layers,
                     text=TextOptions(window_chars=12, corpus_chars=20_000, char_embedding_dim=5))


def any_length_model(config):
    """build_model's language model, reading sequences of any length."""
    from rnnlab.trainer.models import build_model

    return build_model(config, dataclasses.replace(data_spec(config), timesteps=None))


def gru_without_reset_after(config):
    """build_model always keeps Keras's reset_after=True: the same model with the 2014 GRU."""
    import keras
    from keras import layers

    spec = data_spec(config)
    inputs = keras.Input(shape=(None,), dtype="int32", name="characters")
    x = layers.Embedding(spec.vocab_size, spec.embedding_dim, name="embedding")(inputs)
    for index, layer in enumerate(config.layers, start=1):
        x = layers.GRU(layer.units, reset_after=False, return_sequences=True,
                       name=layer_name(index, layer))(x)
    outputs = layers.Dense(spec.vocab_size, activation="softmax",
                           name=head_name(config.dataset))(x)
    return keras.Model(inputs, outputs)


def keras_step_by_step(model, prompt, text):
    """Keras's prediction for each written character: the softmax at the last position of
    model.predict on the prompt and the text written before it."""
    model.run_eagerly = True  # one input length per step: no tf.function traced for each
    start = encode(prompt) if prompt else np.array([sampler.START_ID])
    ids = np.concatenate([start, encode(text)])
    return np.stack([model.predict(ids[None, :len(start) + step], verbose=0)[0, -1]
                     for step in range(len(text))])


def assert_matches_keras(config, model, prompt=PROMPT, length=15, temperature=1.0, seed=0):
    weights = saved_weights(model)
    generation = sampler.generate(config, weights, prompt, length, temperature, seed)
    assert len(generation.text) == length and generation.prompt == prompt
    assert generation.probabilities.shape == (length, TEXT_VOCABULARY_SIZE)
    np.testing.assert_allclose(generation.probabilities.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(generation.probabilities,
                               keras_step_by_step(model, prompt, generation.text), atol=TOLERANCE)
    return generation


CASES = [(cell, depth) for cell in CELLS for depth in (1, 2)]


@pytest.mark.parametrize("cell, depth", CASES, ids=[f"{c}-{d}" for c, d in CASES])
def test_every_steps_probabilities_equal_keras(cell, depth):
    config = text_config(cell, depth)
    assert_matches_keras(config, randomize(any_length_model(config), seed=depth))


@pytest.mark.parametrize("depth", [1, 2])
def test_a_gru_without_reset_after_matches_keras_too(depth):
    config = text_config("GRU", depth)
    model = randomize(gru_without_reset_after(config), seed=4)
    assert saved_weights(model)["gru_1/gru_cell/bias"].shape == (18,)  # one bias row
    assert_matches_keras(config, model)


def test_an_empty_prompt_starts_from_a_newline():
    config = text_config("LSTM", 1)
    model = randomize(any_length_model(config), seed=7)
    generation = assert_matches_keras(config, model, prompt="", length=6)
    with_newline = sampler.generate(config, saved_weights(model), "\n", 6, 1.0, 0)
    assert generation.text == with_newline.text
    np.testing.assert_array_equal(generation.probabilities, with_newline.probabilities)


def test_a_briefly_trained_model_matches_keras_and_writes_what_it_learned():
    """Trained on a repeated line, the model's greedy continuation repeats it, and every step
    still equals Keras's."""
    config = dataclasses.replace(text_config("GRU", 1, units=(16,)), training=TrainingOptions(
        optimizer="adam", learning_rate=1e-2))
    import keras

    keras.utils.set_random_seed(0)  # the same start and batches whichever tests ran before
    model = any_length_model(config)
    line = "for x in y:\n"
    ids = encode(line * 40)
    starts = np.arange(len(ids) - 13)  # windows from every position, so every context occurs
    windows = ids[starts[:, None] + np.arange(12)]
    history = model.fit(windows, ids[starts[:, None] + np.arange(1, 13)], epochs=30,
                        batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.3 * history.history["loss"][0]
    generation = assert_matches_keras(config, model, prompt="for x", length=len(line) * 2,
                                      temperature=0)
    assert generation.text == " in y:\nfor x in y:\nfor x"


def test_the_same_seed_writes_the_same_text_and_another_seed_another():
    config = text_config("GRU", 2)
    weights = saved_weights(randomize(any_length_model(config), seed=1))
    first = sampler.generate(config, weights, PROMPT, 200, 1.0, seed=11)
    again = sampler.generate(config, weights, PROMPT, 200, 1.0, seed=11)
    other = sampler.generate(config, weights, PROMPT, 200, 1.0, seed=12)
    assert first.text == again.text
    np.testing.assert_array_equal(first.probabilities, again.probabilities)
    assert other.text != first.text


def test_temperature_zero_is_the_argmax_path():
    config = text_config("LSTM", 2)
    weights = saved_weights(randomize(any_length_model(config), seed=2))
    greedy = sampler.generate(config, weights, PROMPT, 40, 0.0, seed=0)
    chosen = encode(greedy.text)
    np.testing.assert_array_equal(chosen, greedy.probabilities.argmax(axis=1))
    # The seed plays no part, and a very low temperature draws the same path.
    assert sampler.generate(config, weights, PROMPT, 40, 0, seed=99).text == greedy.text
    assert sampler.generate(config, weights, PROMPT, 40, 1e-4, seed=5).text == greedy.text


def test_the_temperature_reshapes_the_distribution_in_log_space():
    p = np.array([0.7, 0.2, 0.1])
    np.testing.assert_allclose(sampler.reshape(p, 1.0), p, atol=1e-15)
    half = p ** 2 / (p ** 2).sum()                      # T = 0.5: p^(1/T) renormalized
    np.testing.assert_allclose(sampler.reshape(p, 0.5), half, atol=1e-15)
    flat = sampler.reshape(p, 1000.0)
    assert np.ptp(flat) < 1e-3                           # a high temperature flattens
    np.testing.assert_allclose(sampler.reshape(np.array([1.0, 1e-320]), 0.01), [1.0, 0.0])


def test_draws_follow_the_reshaped_distribution():
    """Over many draws of one step, each character comes up about as often as the temperature's
    distribution says (a check of the drawing itself, independent of any model)."""
    config = text_config("SimpleRNN", 1)
    weights = saved_weights(randomize(any_length_model(config), seed=3))
    counts = np.zeros(TEXT_VOCABULARY_SIZE)
    for seed in range(400):
        generation = sampler.generate(config, weights, "ab", 1, 0.7, seed)
        counts[encode(generation.text)[0]] += 1
    expected = sampler.reshape(generation.probabilities[0], 0.7)
    assert np.abs(counts / 400 - expected).max() < 0.08


@pytest.mark.parametrize("arguments, words", [
    ({"length": 0}, "from 1 to 2000"),
    ({"length": 2001}, "from 1 to 2000"),
    ({"length": 2.5}, "whole number"),
    ({"temperature": -0.1}, "0 \\(always the likeliest character\\) or more"),
    ({"temperature": float("nan")}, "or more"),
    ({"prompt": "x" * 2001}, "at most 2,000"),
])
def test_what_a_user_can_get_wrong_is_refused_in_words(arguments, words):
    config = text_config("GRU", 1)
    weights = saved_weights(randomize(any_length_model(config)))
    call = {"prompt": "def", "length": 5, "temperature": 1.0, "seed": 0, **arguments}
    with pytest.raises(ValueError, match=words):
        sampler.generate(config, weights, **call)


def test_a_run_of_another_task_is_refused_in_words():
    with pytest.raises(ValueError, match="Only a character-level language model writes text"):
        sampler.generate(RunConfig(), {}, "def", 5, 1.0, 0)
    config = text_config("GRU", 1)
    with pytest.raises(ValueError, match="no embedding/embeddings"):
        sampler.generate(config, {}, "def", 5, 1.0, 0)
