"""The shape of what a dataset feeds the network, known from the config alone (no data loaded).

The analytic model summary and the Keras model builder both start from a DataSpec, so the page
that shows a model's shapes and parameter counts never has to load a dataset or TensorFlow.
"""
from __future__ import annotations

from dataclasses import dataclass

from rnnlab.config import RunConfig
from rnnlab.config.catalog import TEXT_VOCABULARY_SIZE, WEATHER_SOURCES


@dataclass(frozen=True)
class DataSpec:
    """What one example looks like to the network."""

    task: str                  # "binary" (sentiment, marked sum above 1), "regression" or
                               # "next_character" (a softmax over the vocabulary at every step)
    timesteps: int             # sequence length: tokens per review, readings per window, steps
                               # or characters per window
    features: int              # numbers per timestep entering the first recurrent layer
    vocab_size: int = 0        # text only: word or character ids run from 0 to vocab_size - 1
    embedding_dim: int = 0     # text only: the Embedding layer turns each id into this many numbers
    mask_padding: bool = False  # text only: recurrent layers skip padding ids (a dense network's
                                # average always leaves them out)

    @property
    def is_text(self) -> bool:
        return self.vocab_size > 0


def data_spec(config: RunConfig) -> DataSpec:
    """The input shape implied by `config` (see rnnlab.data.weather for the window arithmetic)."""
    if config.dataset == "imdb":
        imdb = config.imdb
        # A dense network's bag of words averages the review's words only: averaged over all
        # maxlen slots, a short review is mostly the padding vector (measured on the book's IMDB
        # setup, 10 epochs: 0.72 best validation accuracy with the padding, 0.887 without).
        return DataSpec(task="binary", timesteps=imdb.maxlen, features=imdb.embedding_dim,
                        vocab_size=imdb.num_words, embedding_dim=imdb.embedding_dim,
                        mask_padding=imdb.mask_padding or config.is_feedforward)
    if config.dataset == "text":  # character ids (rnnlab.data.text), a prediction at every step
        text = config.text
        return DataSpec(task="next_character", timesteps=text.window_chars,
                        features=text.char_embedding_dim, vocab_size=TEXT_VOCABULARY_SIZE,
                        embedding_dim=text.char_embedding_dim)
    if config.dataset == "memory":  # a value and a marker per step (rnnlab.data.synthetic)
        return DataSpec(task="binary", timesteps=config.memory.sequence_length, features=2)
    weather = config.weather
    return DataSpec(task="regression",
                    timesteps=weather.lookback_hours // weather.step_hours,
                    features=len(WEATHER_SOURCES[weather.source].columns))
