"""Run configuration: everything that defines one training run, as frozen dataclasses.

A `RunConfig` is the currency of the lab. The pages build one from widgets, the trainer takes one,
and its JSON (config + seed) is the identity of a run. It is made of

- the dataset choice and that dataset's options (`ImdbOptions`, `WeatherOptions`,
  `MemoryOptions`),
- the recurrent stack, a tuple of `LayerConfig` (one per layer, bottom first),
- the training options (`TrainingOptions`).

Every default reproduces the textbook setup (Chollet, *Deep Learning with Python*, ch. 6): IMDB
with the 10,000 most frequent words, reviews cut to their last 500 tokens, a 32-dimensional
embedding, one 32-unit LSTM, rmsprop, batch 128, 10 epochs, 20 % of the training reviews held out.

A RunConfig validates itself when it is created and raises `ConfigError` (a `ValueError`) that
lists every problem in words a student can act on: which setting, the value given, what is
allowed, and why. One rule is fixed rather than refused: in a stack, every layer below the top
must return its whole sequence (the next layer reads one vector per timestep), so the config turns
`return_sequences` on for inner layers and `notes()` says so.

Two exact round trips make configs shareable: `to_json` / `from_json` (files, the run store) and
`to_query` / `from_query` (the `?units=64&cell=GRU` part of a link).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Mapping

from rnnlab.cells import CELLS as CELL_REGISTRY
from rnnlab.config.catalog import (
    IMDB_LONGEST_REVIEW,
    IMDB_MAX_NUM_WORDS,
    IMDB_TRAIN_SIZE,
    WEATHER_SOURCES,
)

CELLS = tuple(CELL_REGISTRY)  # the cells of the registry, rnnlab.cells, in teaching order
ACTIVATIONS = ("tanh", "relu", "sigmoid")
OPTIMIZERS = ("rmsprop", "adam")
DATASETS = ("imdb", "weather", "memory")
MAX_LAYERS = 4
MAX_UNITS = 1024
# The long-memory task is generated in memory: at most this many readings (examples x steps, about
# 80 MB as float32), or generating and training it would not fit a lesson.
MEMORY_MAX_READINGS = 20_000_000


@dataclass(frozen=True)
class LayerConfig:
    """One recurrent layer of the stack."""

    # Which recurrent cell: SimpleRNN (h_t = act(x_t K + h_{t-1} R + b)), LSTM (gated, with a
    # separate cell state) or GRU (gated, lighter than LSTM).
    cell: str = "LSTM"
    # Size of the hidden state h_t (and of the LSTM cell state c_t): how much the layer can remember.
    units: int = 32
    # Squashing function for the new state / candidate; the gates always use a sigmoid.
    activation: str = "tanh"
    # Fraction of the inputs x_t dropped at random while training (a regulariser).
    dropout: float = 0.0
    # Fraction of the previous state h_{t-1} dropped while training; above 0 Keras leaves its fast
    # fused kernel (cuDNN on a GPU), so training is slower.
    recurrent_dropout: float = 0.0
    # Also read the sequence backwards and concatenate both directions (twice the units out).
    bidirectional: bool = False
    # Output h_t at every timestep (True) or only the last one, h_T (False).
    return_sequences: bool = False


@dataclass(frozen=True)
class ImdbOptions:
    """How IMDB reviews become sequences of word ids."""

    # Keep the num_words - 3 most frequent words; rarer words become the out-of-vocabulary id 2.
    num_words: int = 10_000
    # Reviews are cut to their last maxlen tokens, shorter ones padded with 0 in front (Keras's
    # pad_sequences defaults, padding="pre", truncating="pre").
    maxlen: int = 500
    # Length of the learned vector for each word (the Embedding layer's output size).
    embedding_dim: int = 32
    # Train on only the first N training reviews (0 = all 25,000); the test set is cut to the same
    # size, so quick classroom runs stay quick.
    train_subset: int = 0
    # Tell the recurrent layers to skip the padding ids (Embedding mask_zero=True). The book does
    # not; with pre-padding the last state is unaffected either way, but pooled outputs are.
    mask_padding: bool = False


@dataclass(frozen=True)
class WeatherOptions:
    """How a temperature record becomes (window, target) pairs.

    Times are in hours whatever the source's sampling, so one config reads the same on the hourly
    Seattle record and the ten-minute Jena record. The default lookback is 240 hours (10 days,
    1440 ten-minute rows): the book's code uses 1440, its prose says 720.
    """

    # Which record: "seattle" (bundled, offline, temperature only) or "jena" (14 features,
    # downloaded once, the book's dataset).
    source: str = "seattle"
    # How far back each input window reaches, in hours.
    lookback_hours: int = 240
    # Keep one reading every step_hours inside the window (the book samples Jena hourly).
    step_hours: int = 1
    # How far after the last reading of the window the target lies, in hours (24 = tomorrow).
    delay_hours: int = 24
    # The column to forecast; every source has "T (degC)", Jena offers its 13 other columns too.
    target: str = "T (degC)"


@dataclass(frozen=True)
class MemoryOptions:
    """The generated long-memory task (rnnlab.data.synthetic): the adding problem, yes or no.

    Each step holds a random value between 0 and 1 and a marker; two steps are marked, one near
    the start and one in the second half. The answer (1 if the two marked values add up to more
    than 1) needs the value from the start remembered until the end.
    """

    # Steps per sequence: how long the network must carry the early marked value (the lag).
    sequence_length: int = 50
    # Sequences generated for training and validation together (validation_split of them are
    # held out); a test set of the validation set's size is generated on top.
    examples: int = 4_000


@dataclass(frozen=True)
class TrainingOptions:
    """How the network is fitted."""

    # The update rule: rmsprop (the book's choice for recurrent networks) or adam.
    optimizer: str = "rmsprop"
    # Size of each step down the loss surface; too large and the loss explodes.
    learning_rate: float = 1e-3
    # Examples per gradient step.
    batch_size: int = 128
    # Full passes over the training data.
    epochs: int = 10
    # Share held out for validation. IMDB: the last reviews of the shuffled training set (like
    # Keras's validation_split). Weather: the series ends with a validation stretch and then a test
    # stretch, each this share of the record. Long-memory task: this share of the examples.
    validation_split: float = 0.2
    # Stop when the validation loss has not improved for this many epochs (0 = never stop early)
    # and keep the best weights.
    early_stopping_patience: int = 0
    # Seed for weights, shuffling and dropout: the same config and seed reproduce the run.
    seed: int = 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a config: the setting, the value given and what to do about it."""

    field: str
    value: Any
    message: str

    def __str__(self) -> str:
        return self.message


class ConfigError(ValueError):
    """A config a student asked for cannot be trained; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


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
        problems = _validate(self)
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
        if isinstance(depth, int) and 1 <= depth <= MAX_LAYERS:
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
            problems.append(_depth_problem(depth))
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


# -- validation --------------------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _range_problem(name: str, label: str, value: Any, low, high, why: str, whole: bool = True):
    kind = "a whole number" if whole else "a number"
    return Problem(name, value, f"{label} is {value!r}, but it must be {kind} from {low:,} to "
                                f"{high:,}: {why}.")


def _check_int(problems, name, label, value, low, high, why):
    if not _is_int(value) or not low <= value <= high:
        problems.append(_range_problem(name, label, value, low, high, why))


def _check_fraction(problems, name, label, value, low, high, why):
    if not _is_number(value) or not low <= value <= high:
        problems.append(_range_problem(name, label, value, low, high, why, whole=False))


def _check_choice(problems, name, label, value, choices, why):
    if value not in choices:
        problems.append(Problem(name, value, f"{label} is {value!r}, but it must be one of "
                                             f"{', '.join(map(str, choices))}: {why}."))


def _check_bool(problems, name, label, value):
    if not isinstance(value, bool):
        problems.append(Problem(name, value, f"{label} is {value!r}, but it must be true or false."))


def _validate(config: RunConfig) -> list[Problem]:
    problems: list[Problem] = []
    _check_choice(problems, "dataset", "Dataset", config.dataset, DATASETS,
                  "the lab has a sentiment lesson (imdb), a forecasting lesson (weather) and a "
                  "generated long-memory task (memory)")
    if isinstance(config.imdb, ImdbOptions):
        problems += _validate_imdb(config.imdb)
    else:
        problems.append(Problem("imdb", config.imdb, "imdb must be an ImdbOptions."))
    if isinstance(config.weather, WeatherOptions):
        problems += _validate_weather(config.weather, config.training.validation_split
                                      if isinstance(config.training, TrainingOptions) else 0.2)
    else:
        problems.append(Problem("weather", config.weather, "weather must be a WeatherOptions."))
    if isinstance(config.memory, MemoryOptions):
        problems += _validate_memory(config.memory)
    else:
        problems.append(Problem("memory", config.memory, "memory must be a MemoryOptions."))
    problems += _validate_layers(config.layers)
    if isinstance(config.training, TrainingOptions):
        problems += _validate_training(config.training)
    else:
        problems.append(Problem("training", config.training, "training must be a TrainingOptions."))
    return problems


def _depth_problem(depth: Any) -> Problem:
    return _range_problem("layers", "Number of layers", depth, 1, MAX_LAYERS,
                          "a stack needs at least one recurrent layer, and deeper stacks train "
                          "too slowly for a lesson")


def _validate_layers(layers) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(layers, tuple) or not all(isinstance(l, LayerConfig) for l in layers):
        return [Problem("layers", layers, "layers must be a list of LayerConfig.")]
    if not 1 <= len(layers) <= MAX_LAYERS:
        return [_depth_problem(len(layers))]
    for i, layer in enumerate(layers, start=1):
        where, label = f"layers.{i}", f"Layer {i}"
        _check_choice(problems, f"{where}.cell", f"{label} cell", layer.cell, CELLS,
                      "those are the three recurrent cells the lab compares")
        _check_int(problems, f"{where}.units", f"{label} units", layer.units, 1, MAX_UNITS,
                   "units is the size of the hidden state, and a layer needs at least one")
        _check_choice(problems, f"{where}.activation", f"{label} activation", layer.activation,
                      ACTIVATIONS, "the state is squashed by one of these")
        for name, what in (("dropout", "inputs"), ("recurrent_dropout", "previous state")):
            _check_fraction(problems, f"{where}.{name}", f"{label} {name.replace('_', ' ')}",
                            getattr(layer, name), 0.0, 0.9,
                            f"it is the share of the {what} dropped while training, and dropping "
                            "more than 90 % leaves nothing to learn from")
        _check_bool(problems, f"{where}.bidirectional", f"{label} bidirectional", layer.bidirectional)
        _check_bool(problems, f"{where}.return_sequences", f"{label} return_sequences",
                    layer.return_sequences)
    return problems


def _validate_imdb(imdb: ImdbOptions) -> list[Problem]:
    problems: list[Problem] = []
    _check_int(problems, "imdb.num_words", "Vocabulary size (num_words)", imdb.num_words, 4,
               IMDB_MAX_NUM_WORDS, "ids 0-2 are reserved for padding, start and unknown words, and "
               f"the IMDB word index has {IMDB_MAX_NUM_WORDS - 4:,} words")
    _check_int(problems, "imdb.maxlen", "Review length (maxlen)", imdb.maxlen, 1,
               IMDB_LONGEST_REVIEW, "each review is cut or padded to this many tokens, and the "
               "longest review is shorter than that")
    _check_int(problems, "imdb.embedding_dim", "Embedding size", imdb.embedding_dim, 1, 512,
               "each word becomes a vector of this many numbers")
    _check_int(problems, "imdb.train_subset", "Training subset", imdb.train_subset, 0,
               IMDB_TRAIN_SIZE, f"0 means all {IMDB_TRAIN_SIZE:,} training reviews")
    if _is_int(imdb.train_subset) and 0 < imdb.train_subset < 20:
        problems.append(Problem("imdb.train_subset", imdb.train_subset,
                                f"Training subset is {imdb.train_subset}, but it must be 0 (all) or "
                                "at least 20: a handful of reviews leaves no validation set."))
    _check_bool(problems, "imdb.mask_padding", "Mask padding", imdb.mask_padding)
    return problems


def _validate_weather(weather: WeatherOptions, validation_split) -> list[Problem]:
    problems: list[Problem] = []
    _check_choice(problems, "weather.source", "Weather source", weather.source,
                  tuple(WEATHER_SOURCES), "those are the temperature records the lab can read")
    _check_int(problems, "weather.step_hours", "Step", weather.step_hours, 1, 24,
               "the window keeps one reading every step hours")
    _check_int(problems, "weather.delay_hours", "Forecast delay", weather.delay_hours, 1, 24 * 14,
               "the target lies this many hours after the window's last reading")
    _check_int(problems, "weather.lookback_hours", "Lookback", weather.lookback_hours, 1, 24 * 60,
               "the window reaches this many hours into the past")
    if problems or weather.source not in WEATHER_SOURCES:
        return problems
    source = WEATHER_SOURCES[weather.source]
    if weather.step_hours > weather.lookback_hours:
        problems.append(Problem("weather.step_hours", weather.step_hours,
                                f"Step is {weather.step_hours} h, longer than the lookback of "
                                f"{weather.lookback_hours} h: the window would hold no reading. "
                                "Use a step no longer than the lookback."))
    # An invalid split is reported by the training checks; judge the lookback by the default.
    # A window reaches from its first reading to its target: (readings - 1) * step + delay hours.
    # It must fit inside the smallest part of the chronological split, or that part has no window.
    # (An invalid split is reported by the training checks; judge the lookback by the default.)
    split = validation_split if _is_number(validation_split) and 0.05 <= validation_split <= 0.4 else 0.2
    parts = {"training": int(source.nominal_hours * (1 - 2 * split)),
             "validation": int(source.nominal_hours * split)}
    part, part_hours = min(parts.items(), key=lambda item: item[1])
    readings = weather.lookback_hours // weather.step_hours
    reach = (readings - 1) * weather.step_hours + weather.delay_hours
    if reach >= part_hours:
        problems.append(Problem(
            "weather.lookback_hours", weather.lookback_hours,
            f"Lookback {weather.lookback_hours} h plus delay {weather.delay_hours} h does not fit "
            f"in the {part_hours:,} h {part} part of the {weather.source} record "
            f"({source.nominal_hours:,} h in all): shorten the lookback or the delay."))
    if weather.target not in source.columns:
        problems.append(Problem("weather.target", weather.target,
                                f"Target is {weather.target!r}, but the {weather.source} record "
                                f"has only: {', '.join(source.columns)}."))
    return problems


def _validate_memory(memory: MemoryOptions) -> list[Problem]:
    problems: list[Problem] = []
    _check_int(problems, "memory.sequence_length", "Sequence length", memory.sequence_length, 2,
               1000, "one step near the start and one in the second half are marked, and longer "
               "sequences take too long to train in a lesson")
    _check_int(problems, "memory.examples", "Examples", memory.examples, 100, 100_000,
               "this many sequences are generated for training and validation; fewer leave too "
               "few to validate on")
    if problems:
        return problems
    readings = memory.sequence_length * memory.examples
    if readings > MEMORY_MAX_READINGS:
        problems.append(Problem(
            "memory.examples", memory.examples,
            f"Examples is {memory.examples:,} of {memory.sequence_length:,} steps each, "
            f"{readings:,} readings, but at most {MEMORY_MAX_READINGS:,} are allowed: the task is "
            "generated in memory and must train within a lesson. Use fewer examples or shorter "
            "sequences."))
    return problems


def _validate_training(training: TrainingOptions) -> list[Problem]:
    problems: list[Problem] = []
    _check_choice(problems, "training.optimizer", "Optimizer", training.optimizer, OPTIMIZERS,
                  "the lab offers the book's rmsprop and the popular adam")
    if not _is_number(training.learning_rate) or not 0 < training.learning_rate <= 1:
        problems.append(Problem("training.learning_rate", training.learning_rate,
                                f"Learning rate is {training.learning_rate!r}, but it must be a "
                                "number above 0 and at most 1: it is the size of each step, and "
                                "a zero step never learns (try 0.001)."))
    _check_int(problems, "training.batch_size", "Batch size", training.batch_size, 1, 4096,
               "it is the number of examples per gradient step")
    _check_int(problems, "training.epochs", "Epochs", training.epochs, 1, 500,
               "it is the number of passes over the training data")
    _check_fraction(problems, "training.validation_split", "Validation split",
                    training.validation_split, 0.05, 0.4,
                    "too little validation data gives a noisy score, too much leaves little to "
                    "train on")
    _check_int(problems, "training.early_stopping_patience", "Early-stopping patience",
               training.early_stopping_patience, 0, 100, "0 turns early stopping off")
    _check_int(problems, "training.seed", "Seed", training.seed, 0, 2**31 - 1,
               "the seed fixes the random start so a run can be repeated")
    return problems
