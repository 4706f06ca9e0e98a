"""Run configuration: everything that defines one training run, as frozen dataclasses.

A `RunConfig` is the currency of the lab. The pages build one from widgets, the trainer takes one,
and its JSON (config + seed) is the identity of a run. It is made of

- the dataset choice and that dataset's options (`ImdbOptions`, `WeatherOptions`,
  `MemoryOptions`),
- the recurrent stack, a tuple of `LayerConfig` (one per layer, bottom first),
- the training options (`TrainingOptions`).

The sections and their defaults (the textbook setup of Chollet, *Deep Learning with Python*,
ch. 6) are in `rnnlab.config.options`. A RunConfig validates itself when it is created and raises `ConfigError` (a `ValueError`) that
lists every problem in words a student can act on: which setting, the value given, what is
allowed, and why (the checks are in `rnnlab.config.run_validation`). One rule is fixed rather than refused: in a stack, every layer below the top
must return its whole sequence (the next layer reads one vector per timestep), so the config turns
`return_sequences` on for inner layers and `notes()` says so.

Two exact round trips make configs shareable: `to_json` / `from_json` (files, the run store) and
`to_query` / `from_query` (the `?units=64&l1_cell=GRU` part of a link).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Mapping

from rnnlab.config.checks import ConfigError, Problem
from rnnlab.config.options import (
    ImdbOptions,
    LayerConfig,
    MemoryOptions,
    TrainingOptions,
    WeatherOptions,
)
from rnnlab.config.run_validation import depth_problem, validate_run


def _default_layers() -> tuple[LayerConfig, ...]:
    return (LayerConfig(),)


@dataclass(frozen=True)
class RunConfig:
    """Everything that defines one training run. Raises ConfigError if any setting is invalid."""

    # Which lesson: "imdb" (sentiment of movie reviews), "weather" (temperature forecasting) or
    # "memory" (the generated long-memory task: do the two marked values add up to more than 1?).
    dataset: str = "imdb"
    imdb: ImdbOptions = field(default_factory=ImdbOptions)
    weather: WeatherOptions = field(default_factory=WeatherOptions)
    memory: MemoryOptions = field(default_factory=MemoryOptions)
    # The recurrent stack, bottom layer first.
    layers: tuple[LayerConfig, ...] = field(default_factory=_default_layers)
    training: TrainingOptions = field(default_factory=TrainingOptions)

    def __post_init__(self) -> None:
        layers = tuple(self.layers) if isinstance(self.layers, (list, tuple)) else self.layers
        if isinstance(layers, tuple) and all(isinstance(l, LayerConfig) for l in layers):
            # Inner layers feed the next layer one vector per timestep, so they must return
            # sequences; set it here rather than let Keras fail with a shape error.
            layers = tuple(
                dataclasses.replace(layer, return_sequences=True) if i < len(layers) - 1 else layer
                for i, layer in enumerate(layers)
            )
        object.__setattr__(self, "layers", layers)
        problems = validate_run(self)
        if problems:
            raise ConfigError(problems)

    # -- derived facts ------------------------------------------------------------------------

    @property
    def task(self) -> str:
        """"binary" (a positive review; a marked sum above 1) or "regression" (a temperature)."""
        return "regression" if self.dataset == "weather" else "binary"

    @property
    def metric(self) -> str:
        """The score the lesson watches: accuracy for yes/no answers, mean absolute error for weather."""
        return "mae" if self.dataset == "weather" else "accuracy"

    def label(self) -> str:
        """One line a student recognises, e.g. "imdb: LSTM(32) > GRU(16, bidirectional)".

        The weather record ("weather/seattle: ...") and the memory task's length ("memory/50: ...")
        follow the dataset's name.
        """
        layers = " > ".join(
            f"{layer.cell}({layer.units}{', bidirectional' if layer.bidirectional else ''})"
            for layer in self.layers)
        detail = {"weather": f"/{self.weather.source}",
                  "memory": f"/{self.memory.sequence_length}"}.get(self.dataset, "")
        return f"{self.dataset}{detail}: {layers}"

    def notes(self) -> list[str]:
        """Plain-language remarks on choices the config made or that change how training runs."""
        notes = []
        for i, layer in enumerate(self.layers[:-1], start=1):
            notes.append(
                f"Layer {i} returns its whole sequence because layer {i + 1} reads one vector "
                "per timestep."
            )
        if self.layers[-1].return_sequences:
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

    # -- JSON round trip ----------------------------------------------------------------------

    def to_dict(self) -> dict:
        """Plain dict of plain values (layers as a list), ready for json.dumps."""
        d = dataclasses.asdict(self)
        d["layers"] = [dict(layer) for layer in d["layers"]]
        return d

    def to_json(self) -> str:
        """Canonical JSON: sorted keys, so equal configs give identical text."""
        return json.dumps(self.to_dict(), sort_keys=True, indent=2)

    def fingerprint(self) -> str:
        """A short hash of the canonical JSON: equal configs (seed included) have equal fingerprints."""
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()[:16]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "RunConfig":
        """Build from a dict like to_dict's; missing keys take defaults, unknown keys are errors."""
        if not isinstance(data, Mapping):
            raise ConfigError([Problem("config", data, "A config must be a JSON object {...}.")])
        problems = _unknown_keys("config", data, RunConfig)
        kwargs: dict[str, Any] = {}
        if "dataset" in data:
            kwargs["dataset"] = data["dataset"]
        for name, section in (("imdb", ImdbOptions), ("weather", WeatherOptions),
                              ("memory", MemoryOptions), ("training", TrainingOptions)):
            if name in data:
                part = data[name]
                if not isinstance(part, Mapping):
                    problems.append(Problem(name, part, f"'{name}' must be an object {{...}}."))
                    continue
                problems += _unknown_keys(name, part, section)
                kwargs[name] = section(**{k: v for k, v in part.items() if k in _names(section)})
        if "layers" in data:
            layers = data["layers"]
            if not isinstance(layers, list) or not all(isinstance(l, Mapping) for l in layers):
                problems.append(Problem("layers", layers, "'layers' must be a list of objects."))
            else:
                for i, layer in enumerate(layers, start=1):
                    problems += _unknown_keys(f"layer {i}", layer, LayerConfig)
                kwargs["layers"] = tuple(
                    LayerConfig(**{k: v for k, v in layer.items() if k in _names(LayerConfig)})
                    for layer in layers
                )
        if problems:
            raise ConfigError(problems)
        return cls(**kwargs)

    @classmethod
    def from_json(cls, text: str) -> "RunConfig":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ConfigError([Problem("config", text[:40], f"The config is not valid JSON: {err}.")])
        return cls.from_dict(data)

    # -- URL query round trip -----------------------------------------------------------------

    def to_query(self, only_changed: bool = True) -> dict[str, str]:
        """Flat {key: text} for a shareable link, e.g. {"dataset": "imdb", "l1_cell": "GRU"}.

        Section fields keep their own names (they are unique across sections); layer fields are
        prefixed with the layer number, l1_ at the bottom. The depth is always present as
        "layers". With only_changed, settings equal to their default are left out so a link shows
        what differs from the textbook setup.
        """
        query = {"dataset": self.dataset, "layers": str(len(self.layers))}
        default = RunConfig()
        for name in _SECTIONS:
            section, base = getattr(self, name), getattr(default, name)
            for f in dataclasses.fields(section):
                value = getattr(section, f.name)
                if not only_changed or value != getattr(base, f.name):
                    query[f.name] = _to_text(value)
        for i, layer in enumerate(self.layers, start=1):
            for f in dataclasses.fields(LayerConfig):
                value = getattr(layer, f.name)
                if not only_changed or value != getattr(LayerConfig(), f.name):
                    query[f"l{i}_{f.name}"] = _to_text(value)
        return query

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "RunConfig":
        """Inverse of to_query. Keys that belong to no setting (a page name, an owner) are ignored."""
        problems: list[Problem] = []
        kwargs: dict[str, Any] = {}
        if "dataset" in query:
            kwargs["dataset"] = query["dataset"]
        for name in _SECTIONS:
            section_type = type(getattr(RunConfig(), name))
            values = {}
            for f in dataclasses.fields(section_type):
                if f.name in query:
                    values[f.name] = _from_text(f.name, query[f.name], f.default, problems)
            kwargs[name] = section_type(**values)
        depth = _from_text("layers", query.get("layers", "1"), 1, problems)
        if depth_problem(depth) is None:
            layers = []
            for i in range(1, depth + 1):
                values = {}
                for f in dataclasses.fields(LayerConfig):
                    key = f"l{i}_{f.name}"
                    if key in query:
                        values[f.name] = _from_text(key, query[key], f.default, problems)
                layers.append(LayerConfig(**values))
            kwargs["layers"] = tuple(layers)
        elif not problems:
            problems.append(depth_problem(depth))
        if problems:
            raise ConfigError(problems)
        return cls(**kwargs)


_SECTIONS = ("imdb", "weather", "memory", "training")


def _names(cls) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


def _unknown_keys(where: str, data: Mapping[str, Any], cls) -> list[Problem]:
    allowed = sorted(_names(cls))
    return [
        Problem(f"{where}.{key}", data[key],
                f"Unknown setting '{key}' in {where}; the settings there are: {', '.join(allowed)}.")
        for key in data if key not in allowed
    ]


def _to_text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return repr(value) if isinstance(value, float) else str(value)


def _from_text(key: str, text: str, default: Any, problems: list[Problem]) -> Any:
    """Parse a query value to the type of the field's default; record a Problem if it cannot be."""
    try:
        if isinstance(default, bool):
            lowered = text.strip().lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ValueError
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
        return text
    except ValueError:
        kind = {bool: "1 or 0", int: "a whole number", float: "a number"}[type(default)]
        problems.append(Problem(key, text, f"The link sets {key} to {text!r}, but it must be {kind}."))
        return default
