"""One-to-many: a trained character-level model writes, one character at a time, in NumPy.

The language model (rnnlab.trainer.models) was trained many-to-many: it read a window of
characters and at every step gave a probability to each of the 97 characters of the vocabulary
(rnnlab.config.catalog.TEXT_VOCABULARY) coming next. Generation turns that around (Karpathy's
char-rnn): feed it a prompt, draw the next character from its prediction, feed that character
back in, and repeat. One input sequence, as many outputs as we ask for: one-to-many.

    prompt "def " --read--> states --head--> p_1 --draw--> c_1 --read--> states --> p_2 --> ...

At each step the head is a softmax over the vocabulary, p = softmax(h_t W + b). The temperature T
reshapes it before the draw, in log space:

    q_i = p_i^(1/T) / sum_j p_j^(1/T)      (the same as softmax of the logits divided by T)

T = 1 draws from the model's own belief; T < 1 sharpens it towards the likeliest character (safe,
repetitive text); T > 1 flattens it (surprising, soon garbled text); T = 0 is the limit, the
likeliest character every time (greedy, argmax). The draws come from
numpy.random.default_rng(seed), so the same prompt, temperature and seed write the same text.

The recurrent states are carried from step to step (each cell's registry entry runs one step from
given states, rnnlab.cells.Cell.run with initial_state), so writing N characters costs N steps,
not the 1 + 2 + ... + N of rereading the whole text every time. The weights are those the worker
saves in weights.npz (rnnlab.jobs.artifacts.read_trained_model), read by their Keras names as
rnnlab.network.replay reads them; this module imports no TensorFlow, so the web process can use
it. tests/unit/network/test_sampler.py holds every step's probabilities against Keras's own
prediction.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from rnnlab.cells import CELLS
from rnnlab.config import RunConfig
from rnnlab.config.catalog import TEXT_VOCABULARY_SIZE
from rnnlab.data.text import decode, encode
from rnnlab.network.naming import head_name, layer_name
from rnnlab.network.saved_weights import cell_weights, named_weight

# The longest text one call may write, and the longest prompt it reads (both in characters).
MAX_LENGTH = 2000
MAX_PROMPT = 2000
# An empty prompt starts from this id: the newline, as if at the start of a line.
START_ID = 0
# The sample written after every epoch of training (rnnlab.trainer.samples): the same prompt,
# length, temperature and seed (the run's) each time, so only the model changes from one to the
# next and the class watches gibberish turn into words.
EPOCH_SAMPLE_PROMPTS = {"python": "def ", "imdb": "This movie "}
EPOCH_SAMPLE_LENGTH = 200
EPOCH_SAMPLE_TEMPERATURE = 0.8


@dataclass(frozen=True)
class Generation:
    """What the model wrote after a prompt, with the distribution behind every character."""

    prompt: str                 # the prompt as given
    text: str                   # the `length` generated characters only (the prompt left out)
    probabilities: np.ndarray   # (length, 97): the model's softmax each character was drawn
                                # from, BEFORE the temperature reshaped it


def generate(config: RunConfig, weights: Mapping[str, np.ndarray], prompt: str, length: int,
             temperature: float, seed: int) -> Generation:
    """Let a trained language model write `length` characters after `prompt`.

    The prompt is read through the model first, one pass over all its characters; an empty
    prompt starts from a newline (id 0), as at the start of a line. Then, `length` times: the
    head's softmax at the last character read, reshaped by the temperature (module docstring),
    a draw (or, at temperature 0, the likeliest character), and that character read in turn.

    Args:
        config: the run's RunConfig; its dataset must be "text".
        weights: {Keras weight path: array}, as rnnlab.jobs.artifacts.read_trained_model
            returns them.
        prompt: the text to continue (characters outside the vocabulary read as its unknown id).
        length: how many characters to write, 1 to MAX_LENGTH.
        temperature: 0 (greedy) or more; 1 is the model's own distribution.
        seed: the seed of numpy.random.default_rng for the draws.
    Returns:
        A Generation: the prompt, the written text, and (length, 97) probabilities.
    Raises:
        ValueError: a config that is not a language model's, a length outside 1..MAX_LENGTH, a
            negative or non-finite temperature, a prompt longer than MAX_PROMPT, or weights
            that do not fit the config.
    """
    _check(config, prompt, length, temperature)
    table = named_weight(weights, "embedding", "embeddings")
    head = head_name(config.dataset)
    kernel, bias = named_weight(weights, head, "kernel"), named_weight(weights, head, "bias")
    if table.shape[0] != TEXT_VOCABULARY_SIZE or kernel.shape[1] != TEXT_VOCABULARY_SIZE:
        raise ValueError(f"The saved weights do not fit the vocabulary of {TEXT_VOCABULARY_SIZE}"
                         " characters: were they saved for a different model?")
    layers = [(CELLS[layer.cell], cell_weights(weights, layer_name(index, layer), layer.cell),
               layer.activation) for index, layer in enumerate(config.layers, start=1)]
    rng = np.random.default_rng(seed)
    states: list[dict[str, np.ndarray] | None] = [None] * len(layers)
    ids = encode(prompt) if prompt else np.array([START_ID])
    written = np.empty(length, dtype=np.int64)
    probabilities = np.empty((length, TEXT_VOCABULARY_SIZE))
    for step in range(length):
        top = _read(layers, states, table[np.asarray(ids)][None])
        probabilities[step] = _softmax(top @ kernel + bias)
        written[step] = _choose(probabilities[step], temperature, rng)
        ids = written[step:step + 1]
    return Generation(prompt=prompt, text=decode(written), probabilities=probabilities)


def epoch_sample(config: RunConfig, weights: Mapping[str, np.ndarray]) -> Generation:
    """What the model writes after an epoch: EPOCH_SAMPLE_LENGTH characters after its corpus's
    prompt at EPOCH_SAMPLE_TEMPERATURE, drawn with the run's seed.

    Raises:
        ValueError: see `generate`.
    """
    return generate(config, weights, EPOCH_SAMPLE_PROMPTS[config.text.corpus],
                    EPOCH_SAMPLE_LENGTH, EPOCH_SAMPLE_TEMPERATURE, config.training.seed)


def reshape(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """p^(1/T) renormalized, in log space so a tiny p never underflows to a division by zero.

    Args:
        probabilities: one distribution (V,), all above 0 (a softmax's are).
        temperature: above 0.
    Returns:
        The reshaped distribution (V,), summing to 1.
    """
    logits = np.log(np.maximum(probabilities, np.finfo(np.float64).tiny)) / temperature
    return _softmax(logits)


def _check(config: RunConfig, prompt: str, length: int, temperature: float) -> None:
    if config.dataset != "text":
        raise ValueError(f"Only a character-level language model writes text; this run learned "
                         f"the {config.dataset} task. Pick a text run.")
    if isinstance(length, bool) or not isinstance(length, (int, np.integer)) \
            or not 1 <= length <= MAX_LENGTH:
        raise ValueError(f"The length must be a whole number of characters from 1 to "
                         f"{MAX_LENGTH}; got {length!r}.")
    if not isinstance(temperature, (int, float, np.floating)) or not math.isfinite(temperature) \
            or temperature < 0:
        raise ValueError(f"The temperature must be 0 (always the likeliest character) or more; "
                         f"got {temperature!r}.")
    if len(prompt) > MAX_PROMPT:
        raise ValueError(f"The prompt has {len(prompt):,} characters; give at most "
                         f"{MAX_PROMPT:,}.")


def _read(layers, states: list, x: np.ndarray) -> np.ndarray:
    """Feed x (1, T, D) up the stack from each layer's carried states, updating them in place;
    returns the top layer's output at the last step, (1, U)."""
    for index, (cell, arrays, activation) in enumerate(layers):
        traces = cell.run(x, arrays, activation, initial_state=states[index])
        states[index] = {name: traces[name][:, -1] for name in cell.states}
        x = traces["hidden"]
    return x[:, -1]


def _softmax(logits: np.ndarray) -> np.ndarray:
    """exp(v - max v), normalized over the last axis; (1, V) or (V,) in, (V,) out."""
    logits = np.asarray(logits, dtype=np.float64).reshape(-1)
    exps = np.exp(logits - logits.max())
    return exps / exps.sum()


def _choose(probabilities: np.ndarray, temperature: float, rng: np.random.Generator) -> int:
    """The next character's id: the likeliest at temperature 0, else a draw from the reshaped
    distribution."""
    if temperature == 0:
        return int(np.argmax(probabilities))
    return int(rng.choice(len(probabilities), p=reshape(probabilities, temperature)))
