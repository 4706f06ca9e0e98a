"""Run configuration: everything that defines one training run, as frozen dataclasses.

A `RunConfig` is the currency of the lab. The pages build one from widgets, the trainer takes one,
and its JSON (config + seed) is the identity of a run. It is made of

- the dataset choice and that dataset's options (`ImdbOptions`, `WeatherOptions`,
  `MemoryOptions`, `TextOptions`),
- the stack, a tuple of `LayerConfig` (one per layer, bottom first): recurrent cells, or Dense
  layers with no memory,
- the training options (`TrainingOptions`).

The sections and their defaults (the textbook setup of Chollet, *Deep Learning with Python*,
ch. 6) are in `rnnlab.config.options`. A RunConfig validates itself when it is created and raises
`ConfigError` (a `ValueError`) that lists every problem in words a student can act on: which
setting, the value given, what is allowed, and why (the checks are in
`rnnlab.config.run_validation`). Two rules are fixed rather than refused: in a recurrent stack,
every layer below the top must return its whole sequence (the next layer reads one vector per
timestep), so the config turns `return_sequences` on for inner layers (and for the top layer of
the language model, which predicts a character at every step); and a Dense layer (the
contender with no memory, `rnnlab.config.options.FEEDFORWARD`) has no timesteps, no direction and
no state, so its `return_sequences`, `bidirectional` and `recurrent_dropout` are turned off.
`notes()` says so in words.

Two exact round trips make configs shareable: `to_json` / `from_json` (files, the run store) and
`to_query` / `from_query` (the `?units=64&l1_cell=GRU` part of a link), both by the one codec of
`rnnlab.config.codec`.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Mapping

from rnnlab.config.checks import ConfigError
from rnnlab.config.codec import Codec
from rnnlab.config.options import (
    FEEDFORWARD,
    ImdbOptions,
    LayerConfig,
    MemoryOptions,
    TextOptions,
    TrainingOptions,
    WeatherOptions,
)
from rnnlab.config.run_validation import depth_problem, validate_run


def _default_layers() -> tuple[LayerConfig, ...]:
    return (LayerConfig(),)


def _normalized(layer: LayerConfig, inner: bool) -> LayerConfig:
    """`layer` with the settings its place forces: a Dense layer has no timesteps, direction or
    state to set; an inner recurrent layer feeds the next layer one vector per timestep, so it
    returns its sequence (set here rather than let Keras fail with a shape error). `inner` is
    also true of the language model's top layer, whose every step feeds the head."""
    if layer.cell == FEEDFORWARD:
        return dataclasses.replace(layer, return_sequences=False, bidirectional=False,
                                   recurrent_dropout=0.0)
    return dataclasses.replace(layer, return_sequences=True) if inner else layer


@dataclass(frozen=True)
class RunConfig:
    """Everything that defines one training run. Raises ConfigError if any setting is invalid."""

    # Which lesson: "imdb" (sentiment of movie reviews), "weather" (temperature forecasting),
    # "memory" (the generated long-memory task: do the two marked values add up to more than 1?)
    # or "text" (a character-level language model: predict the next character, then write).
    dataset: str = "imdb"
    imdb: ImdbOptions = field(default_factory=ImdbOptions)
    weather: WeatherOptions = field(default_factory=WeatherOptions)
    memory: MemoryOptions = field(default_factory=MemoryOptions)
    text: TextOptions = field(default_factory=TextOptions)
    # The stack, bottom layer first: recurrent layers, or Dense layers (a network with no memory).
    layers: tuple[LayerConfig, ...] = field(default_factory=_default_layers)
    training: TrainingOptions = field(default_factory=TrainingOptions)

    def __post_init__(self) -> None:
        layers = tuple(self.layers) if isinstance(self.layers, (list, tuple)) else self.layers
        if isinstance(layers, tuple) and all(isinstance(l, LayerConfig) for l in layers):
            per_step = self.dataset == "text"  # a prediction at every step: the top returns all
            layers = tuple(_normalized(layer, inner=per_step or i < len(layers) - 1)
                           for i, layer in enumerate(layers))
        object.__setattr__(self, "layers", layers)
        problems = validate_run(self)
        if problems:
            raise ConfigError(problems)

    # -- derived facts ------------------------------------------------------------------------

    @property
    def task(self) -> str:
        """"binary" (a positive review; a marked sum above 1), "regression" (a temperature) or
        "next_character" (a probability for every character of the vocabulary, at every step)."""
        return {"weather": "regression", "text": "next_character"}.get(self.dataset, "binary")

    @property
    def shape(self) -> str:
        """The shape of the task in the standard RNN lesson's words: "many-to-one" (a whole
        sequence in, one answer out) or "many-to-many" (an answer at every step: the language
        model, which becomes one-to-many when it writes from a prompt)."""
        return "many-to-many" if self.dataset == "text" else "many-to-one"

    @property
    def is_feedforward(self) -> bool:
        """True for a stack of Dense layers: a network with no memory, no gates and no states."""
        return self.layers[0].cell == FEEDFORWARD

    @property
    def metric(self) -> str:
        """The score the lesson watches: accuracy for yes/no answers, mean absolute error
        (weather), bits per character (text: the cross-entropy in bits, lower is better)."""
        return {"weather": "mae", "text": "bpc"}.get(self.dataset, "accuracy")

    @property
    def lower_is_better(self) -> bool:
        """True when a smaller score is a better model (an error, bits per character)."""
        return self.metric != "accuracy"

    def label(self) -> str:
        """One line a student recognises, e.g. "imdb: LSTM(32) > GRU(16, bidirectional)", or
        "weather/nyc-jfk: Dense(32)" for the network with no memory.

        The weather record ("weather/nyc-jfk: ..."), the memory task's length ("memory/50: ...")
        and the text's corpus ("text/python: ...") follow the dataset's name.
        """
        layers = " > ".join(
            f"{layer.cell}({layer.units}{', bidirectional' if layer.bidirectional else ''})"
            for layer in self.layers)
        detail = {"weather": f"/{self.weather.source}",
                  "memory": f"/{self.memory.sequence_length}",
                  "text": f"/{self.text.corpus}"}.get(self.dataset, "")
        return f"{self.dataset}{detail}: {layers}"

    def notes(self) -> list[str]:
        """Plain-language remarks on choices the config made or that change how training runs."""
        if self.is_feedforward:
            reads = ("averages the word vectors of a review's words into one vector (a bag of "
                     "words: the order of the words is lost; the padding is always left out of "
                     "the average)" if self.dataset == "imdb" else
                     "flattens the input into one long vector (every reading is there, but "
                     "nothing says which came first)")
            return [f"A dense network {reads} and keeps no state from step to step, so "
                    "bidirectional, return sequences and recurrent dropout do not apply to a "
                    "dense layer: they are off."]
        notes = []
        for i, layer in enumerate(self.layers[:-1], start=1):
            notes.append(
                f"Layer {i} returns its whole sequence because layer {i + 1} reads one vector "
                "per timestep."
            )
        if self.dataset == "text":
            notes.append(
                "The top layer returns its whole sequence: the language model predicts the next "
                "character at every step (many-to-many), so no pooling layer is added."
            )
        elif self.layers[-1].return_sequences:
            notes.append(
                "The top layer returns a sequence, so a pooling layer averages it over time to "
                "give one prediction per example."
            )
        if any(layer.recurrent_dropout > 0 for layer in self.layers):
            notes.append(
                "Recurrent dropout above 0 leaves Keras's fast fused kernel (cuDNN on a GPU): "
                "training will be noticeably slower."
            )
        return notes

    # -- text: JSON and links, both by rnnlab.config.codec ------------------------------------

    def to_dict(self) -> dict:
        """Plain dict of plain values (layers as a list), ready for json.dumps."""
        return RUN_CODEC.to_dict(self)

    def to_json(self) -> str:
        """Canonical JSON: sorted keys, so equal configs give identical text."""
        return RUN_CODEC.to_json(self)

    def fingerprint(self) -> str:
        """A short hash of the canonical JSON: equal configs (seed included) share a fingerprint."""
        return RUN_CODEC.fingerprint(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "RunConfig":
        """Build from a dict like to_dict's; missing keys take defaults, unknown keys are errors."""
        return RUN_CODEC.from_dict(data)

    @classmethod
    def from_json(cls, text: str) -> "RunConfig":
        """Build from to_json's text. Raises ConfigError if it is not JSON or not a config."""
        return RUN_CODEC.from_json(text)

    def to_query(self, only_changed: bool = True) -> dict[str, str]:
        """Flat {key: text} for a shareable link, e.g. {"dataset": "imdb", "l1_cell": "GRU"}.

        Section fields keep their own names (they are unique across sections); layer fields are
        prefixed with the layer number, l1_ at the bottom. The dataset and the depth ("layers")
        are always present. With only_changed, settings equal to their default are left out so a
        link shows what differs from the textbook setup.
        """
        return RUN_CODEC.to_query(self, only_changed)

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "RunConfig":
        """Inverse of to_query; keys that belong to no setting (a page, an owner) are ignored."""
        return RUN_CODEC.from_query(query)


# How a run config reads and writes itself as text: the dataset and the depth head every link.
RUN_CODEC = Codec(RunConfig, noun="config", always=("dataset", "layers"),
                  depth_problem=depth_problem)
