"""Hyperparameter search: which units, activations, dropout, depth and learning rate work best?

Choosing a network's size and training settings by hand is guesswork. A *search* trains many
variants of one model and keeps score: each variant is a **trial**, a set of values drawn from a
**search space** (the ranges below), trained for a few epochs and scored on the validation data
by an **objective** (lowest val_loss, highest val_accuracy, lowest val_mae). keras-tuner offers
three ways to choose the next trial:

- **random search** draws every trial at random from the space (Bergstra and Bengio, 2012: often
  as good as a grid, for a fraction of the trials);
- **Hyperband** trains many trials for a few epochs, keeps the best third (`factor` 3) and trains
  them longer, again and again (Li et al., 2018): the budget is the most epochs one model gets;
- **Bayesian optimization** fits a Gaussian process to the scores so far and picks the trial it
  expects to improve most: later trials learn from earlier ones.

A `SearchConfig` is the base `RunConfig` (the Build page's model: dataset, cell, bidirectional,
recurrent dropout, batch size, optimizer, seed) plus the `SearchSpace`, the tuner, the budget and
the objective. Like a RunConfig it validates itself and raises `ConfigError` with every problem in
words a student can act on, and it round-trips through JSON (the run store) and the URL (the
`tune_...` keys of a shareable link). `trial_config` turns one trial's values back into an
ordinary RunConfig, so the best trial can be trained, raced and inspected like any other run.

The hyperparameters are named as in the keras-tuner tutorials: `layers` (the depth),
`units_1`, `activation_1`, `dropout_1` for the bottom layer (and `_2`, ... above it, only in
trials deep enough to have them) and `learning_rate`. This module imports no TensorFlow: the
search itself runs in the worker (rnnlab.trainer.tuning).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any, Mapping

from rnnlab.config import (
    ACTIVATIONS,
    MAX_LAYERS,
    MAX_UNITS,
    ConfigError,
    Problem,
    RunConfig,
    _check_choice,
    _check_int,
    _is_int,
    _is_number,
)

TUNERS = ("random", "hyperband", "bayesian")
TUNER_NAMES = {"random": "Random search", "hyperband": "Hyperband",
               "bayesian": "Bayesian optimization"}
# Whether a lower or a higher value of each objective is better.
OBJECTIVE_DIRECTIONS = {"val_loss": "min", "val_accuracy": "max", "val_mae": "min"}
# The learning rates the page offers (any rate above 0 and at most 1 is allowed).
LEARNING_RATES = (1e-2, 3e-3, 1e-3, 3e-4, 1e-4)
MAX_TRIALS = 200
MAX_EPOCHS = 200
MAX_DROPOUT = 0.9
QUERY_PREFIX = "tune_"


@dataclass(frozen=True)
class SearchSpace:
    """The ranges a search draws from. Every layer of a trial draws its own units, activation and
    dropout from the same ranges."""

    # Depths to try: how many recurrent layers the stack has (each trial picks one of these).
    depths: tuple[int, ...] = (1, 2)
    # Units (size of the hidden state) per layer: min, min + step, ..., up to max.
    units_min: int = 8
    units_max: int = 64
    units_step: int = 8
    # Activations to try for each layer's new state (the gates always use a sigmoid).
    activations: tuple[str, ...] = ("tanh", "relu")
    # Input dropout per layer: min, min + step, ..., up to max (min = max tries one value).
    dropout_min: float = 0.0
    dropout_max: float = 0.4
    dropout_step: float = 0.1
    # Learning rates to try: the step size of the optimizer, usually worth a factor of 10 apart.
    learning_rates: tuple[float, ...] = (1e-2, 1e-3, 1e-4)

    def units_values(self) -> list[int]:
        """Every units value a trial can draw, e.g. [8, 16, ..., 64]."""
        return list(range(self.units_min, self.units_max + 1, self.units_step))

    def dropout_values(self) -> list[float]:
        """Every dropout value a trial can draw, e.g. [0.0, 0.1, 0.2, 0.3, 0.4]."""
        if self.dropout_max == self.dropout_min:
            return [self.dropout_min]
        count = int(math.floor((self.dropout_max - self.dropout_min) / self.dropout_step + 1e-9))
        return [round(self.dropout_min + k * self.dropout_step, 4) for k in range(count + 1)]

    def size(self) -> int:
        """How many different models the space holds (each depth's per-layer choices multiply)."""
        per_layer = len(self.units_values()) * len(self.activations) * len(self.dropout_values())
        return len(self.learning_rates) * sum(per_layer ** depth for depth in self.depths)


@dataclass(frozen=True)
class SearchConfig:
    """One search: a base model, the space around it, the tuner, the budget and the objective.

    Raises ConfigError if any setting is invalid.
    """

    # The model the search starts from (dataset and its options, cell, bidirectional, recurrent
    # dropout, batch size, optimizer, seed); the search varies only what the space names.
    base: RunConfig = field(default_factory=RunConfig)
    # The ranges the trials draw from.
    space: SearchSpace = field(default_factory=SearchSpace)
    # How the next trial is chosen: "random", "hyperband" or "bayesian".
    tuner: str = "random"
    # Random search and Bayesian optimization: how many trials to train (fewer if the space
    # holds fewer models). Hyperband ignores it: its plan follows from epochs and factor.
    max_trials: int = 5
    # Random search and Bayesian optimization: epochs each trial trains. Hyperband: the most
    # epochs any one model trains (its max_epochs).
    epochs: int = 3
    # Hyperband: keep the best 1/factor of the models at each round, and train them factor
    # times longer.
    factor: int = 3
    # The validation score that ranks trials: "val_loss" (lower is better), "val_accuracy"
    # (higher, yes/no tasks) or "val_mae" (lower, weather).
    objective: str = "val_loss"

    def __post_init__(self) -> None:
        problems = _validate(self)
        if problems:
            raise ConfigError(problems)

    # -- derived facts ------------------------------------------------------------------------

    @property
    def direction(self) -> str:
        """"min" if a lower objective is better, else "max"."""
        return OBJECTIVE_DIRECTIONS[self.objective]

    def label(self) -> str:
        """One line, e.g. "Random search, 5 trials of 3 epochs, val_loss: imdb: LSTM(32)"."""
        if self.tuner == "hyperband":
            budget = f"up to {self.epochs} epochs, factor {self.factor}"
        else:
            budget = f"{self.max_trials} trials of {self.epochs} epoch{'s' * (self.epochs != 1)}"
        return f"{TUNER_NAMES[self.tuner]}, {budget}, {self.objective}: {self.base.label()}"

    def planned_trials(self) -> int:
        """The most trials the search will train (a small space can end a search sooner)."""
        if self.tuner == "hyperband":
            return sum(r.trials for r in hyperband_plan(self.epochs, self.factor))
        return min(self.max_trials, self.space.size())

    def planned_epochs(self) -> int:
        """The epochs all trials train together: the search's cost, in epochs of the base model."""
        if self.tuner == "hyperband":
            return sum(r.trials * (r.epochs - r.initial_epoch)
                       for r in hyperband_plan(self.epochs, self.factor))
        return self.planned_trials() * self.epochs

    def notes(self) -> list[str]:
        """Plain-language remarks on what this budget and space mean."""
        notes = []
        size = self.space.size()
        if self.tuner == "hyperband":
            notes.append(
                f"Hyperband plans {self.planned_trials()} trials, {self.planned_epochs()} epochs "
                f"in all: many models train for a few epochs, and the best 1 in {self.factor} go "
                f"on to train longer, up to {self.epochs} epochs. The number of trials follows "
                "from the epochs and the factor.")
            if self.epochs < self.factor:
                notes.append(f"With at most {self.epochs} epochs and factor {self.factor} there "
                             "is only one round: every model trains the full epochs, which is "
                             "a random search.")
        elif size < self.max_trials:
            notes.append(f"The space holds only {size} different model{'s' * (size != 1)}, so "
                         f"the search stops after at most {size} trials.")
        if self.tuner == "bayesian":
            notes.append("Bayesian optimization starts with a few random trials, then fits a "
                         "model of the scores so far to choose each next trial.")
        return notes

    def hyperparameter_names(self) -> list[str]:
        """The names trials carry, bottom layer first (deeper layers only in deeper trials)."""
        names = ["layers"]
        for i in range(1, max(self.space.depths) + 1):
            names += [f"units_{i}", f"activation_{i}", f"dropout_{i}"]
        return names + ["learning_rate"]

    def trial_config(self, values: Mapping[str, Any]) -> RunConfig:
        """The RunConfig that trains one trial's values: the base model with them filled in.

        Each layer keeps the base model's cell, bidirectional and recurrent dropout (a layer above
        the base model's top copies the top); the learning rate comes from the trial; the epochs
        are the ones the trial trained (for Hyperband, its "tuner/epochs").

        Raises:
            ConfigError: a value is missing or outside what a RunConfig allows.
        """
        base = self.base
        try:
            depth = int(values["layers"])
            layers = []
            for i in range(1, depth + 1):
                template = base.layers[min(i, len(base.layers)) - 1]
                layers.append(dataclasses.replace(
                    template, units=int(values[f"units_{i}"]),
                    activation=str(values[f"activation_{i}"]),
                    dropout=round(float(values[f"dropout_{i}"]), 4)))
            learning_rate = float(values["learning_rate"])
        except (KeyError, TypeError, ValueError) as err:
            raise ConfigError([Problem("trial", dict(values),
                                       f"This trial's values are incomplete ({err}): it cannot "
                                       "be turned into a model.")]) from None
        layers[-1] = dataclasses.replace(layers[-1],
                                         return_sequences=base.layers[-1].return_sequences)
        epochs = int(values.get("tuner/epochs", self.epochs))
        training = dataclasses.replace(base.training, learning_rate=learning_rate, epochs=epochs)
        return dataclasses.replace(base, layers=tuple(layers), training=training)

    # -- JSON round trip ----------------------------------------------------------------------

    def to_dict(self) -> dict:
        space = dataclasses.asdict(self.space)
        return {"base": self.base.to_dict(),
                "space": {k: list(v) if isinstance(v, tuple) else v for k, v in space.items()},
                **{f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                   if f.name not in ("base", "space")}}

    def to_json(self) -> str:
        """Canonical JSON: sorted keys, so equal searches give identical text."""
        return json.dumps(self.to_dict(), sort_keys=True, indent=2)

    def fingerprint(self) -> str:
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()[:16]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "SearchConfig":
        """Build from a dict like to_dict's; missing keys take defaults, unknown keys are errors."""
        if not isinstance(data, Mapping):
            raise ConfigError([Problem("search", data, "A search must be a JSON object {...}.")])
        top = {f.name for f in dataclasses.fields(cls)}
        space_names = {f.name for f in dataclasses.fields(SearchSpace)}
        problems = [Problem(f"search.{k}", data[k], f"Unknown setting '{k}' in the search; the "
                            f"settings there are: {', '.join(sorted(top))}.")
                    for k in data if k not in top]
        space = data.get("space", {})
        if not isinstance(space, Mapping):
            problems.append(Problem("space", space, "'space' must be an object {...}."))
            space = {}
        problems += [Problem(f"space.{k}", space[k], f"Unknown setting '{k}' in the space; the "
                             f"settings there are: {', '.join(sorted(space_names))}.")
                     for k in space if k not in space_names]
        if problems:
            raise ConfigError(problems)
        kwargs = {k: v for k, v in data.items() if k not in ("base", "space")}
        if "base" in data:
            kwargs["base"] = RunConfig.from_dict(data["base"])
        kwargs["space"] = SearchSpace(**{k: tuple(v) if isinstance(v, list) else v
                                         for k, v in space.items()})
        return cls(**kwargs)

    @classmethod
    def from_json(cls, text: str) -> "SearchConfig":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ConfigError([Problem("search", text[:40], f"The search is not valid JSON: {err}.")])
        return cls.from_dict(data)

    # -- URL query round trip -----------------------------------------------------------------

    def to_query(self, only_changed: bool = True) -> dict[str, str]:
        """The search's own settings as tune_... keys, e.g. {"tune_tuner": "hyperband"}.

        The base model is not included: it travels in the link as the ordinary config keys
        (RunConfig.to_query). With only_changed, settings equal to their default are left out.
        """
        query = {}
        default = SearchConfig(self.base)
        for name, value, base_value in _flat_items(self, default):
            if not only_changed or value != base_value:
                query[QUERY_PREFIX + name] = _to_text(value)
        return query

    @classmethod
    def from_query(cls, query: Mapping[str, str], base: RunConfig) -> "SearchConfig":
        """Inverse of to_query, around `base`. Keys without the tune_ prefix are ignored."""
        problems: list[Problem] = []
        default = SearchConfig(base)
        top, space = {}, {}
        for name, _, default_value in _flat_items(default, default):
            key = QUERY_PREFIX + name
            if key not in query:
                continue
            target = space if name in _SPACE_FIELDS else top
            target[name] = _from_text(key, query[key], default_value, problems)
        if problems:
            raise ConfigError(problems)
        return cls(base=base, space=SearchSpace(**space), **top)


# -- Hyperband's plan ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HyperbandRound:
    """One round of one Hyperband bracket: `trials` models trained from initial_epoch to epochs."""

    bracket: int
    round: int
    trials: int
    initial_epoch: int
    epochs: int


def hyperband_plan(max_epochs: int, factor: int) -> list[HyperbandRound]:
    """The rounds keras-tuner's HyperbandOracle runs for one iteration, in the order it runs them.

    Brackets count down from the most exploratory (many models, few epochs each) to bracket 0
    (few models, all max_epochs). In round r of bracket b, ceil(n_b * factor**(b - r)) models
    train up to ceil(max_epochs / factor**(b - r)) epochs, where n_b = ceil(1 + log_factor
    max_epochs) / (b + 1); the models of a later round are the best of the round before,
    carried on from their saved weights. (The formulas are keras-tuner 1.4's; a test checks
    them against its oracle.)
    """
    brackets, epochs = 0, float(max_epochs)
    while epochs >= 1:
        epochs /= factor
        brackets += 1
    end_size = math.ceil(1 + math.log(max_epochs, factor))

    def size(bracket: int, round_number: int) -> int:
        return math.ceil(end_size / (bracket + 1) * factor ** (bracket - round_number))

    def epochs_at(bracket: int, round_number: int) -> int:
        return math.ceil(max_epochs / factor ** (bracket - round_number))

    return [HyperbandRound(b, r, size(b, r), epochs_at(b, r - 1) if r else 0, epochs_at(b, r))
            for b in range(brackets - 1, -1, -1) for r in range(b + 1)]


# -- helpers -------------------------------------------------------------------------------------

_SPACE_FIELDS = tuple(f.name for f in dataclasses.fields(SearchSpace))
_TOP_FIELDS = ("tuner", "max_trials", "epochs", "factor", "objective")


def _flat_items(search: SearchConfig, default: SearchConfig):
    """(name, value, default value) for every setting but the base, space fields by their names."""
    for name in _TOP_FIELDS:
        yield name, getattr(search, name), getattr(default, name)
    for name in _SPACE_FIELDS:
        yield name, getattr(search.space, name), getattr(default.space, name)


def _to_text(value: Any) -> str:
    if isinstance(value, tuple):
        return ",".join(_to_text(v) for v in value)
    return repr(value) if isinstance(value, float) else str(value)


def _from_text(key: str, text: str, default: Any, problems: list[Problem]) -> Any:
    """Parse a link's text to the type of the default (a tuple: comma-separated items)."""
    try:
        if isinstance(default, tuple):
            kind = type(default[0]) if default else str
            return tuple(kind(part.strip()) for part in text.split(",") if part.strip())
        return type(default)(text)
    except ValueError:
        problems.append(Problem(key, text, f"The link sets {key} to {text!r}, which is not a "
                                           f"{'list of ' if isinstance(default, tuple) else ''}"
                                           "number."))
        return default


def allowed_objectives(base: RunConfig) -> tuple[str, ...]:
    """The objectives that make sense for the base model's task: its loss, or its metric."""
    return ("val_loss", f"val_{base.metric}")


def _validate(search: SearchConfig) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(search.base, RunConfig):
        return [Problem("base", search.base, "The search needs a base RunConfig.")]
    if not isinstance(search.space, SearchSpace):
        return [Problem("space", search.space, "The search needs a SearchSpace.")]
    _check_choice(problems, "tuner", "Tuner", search.tuner, TUNERS,
                  "keras-tuner's random search, Hyperband and Bayesian optimization")
    _check_choice(problems, "objective", "Objective", search.objective,
                  allowed_objectives(search.base),
                  f"the {search.base.dataset} task is scored by its loss or its "
                  f"{search.base.metric} on the validation data")
    _check_int(problems, "max_trials", "Number of trials", search.max_trials, 1, MAX_TRIALS,
               "each trial trains one model, and more than that does not fit a lesson")
    _check_int(problems, "epochs", "Epochs per trial" if search.tuner != "hyperband" else
               "Most epochs per model", search.epochs, 1, MAX_EPOCHS,
               "each trial trains at least one epoch")
    _check_int(problems, "factor", "Hyperband factor", search.factor, 2, 10,
               "Hyperband keeps the best 1 in factor models at each round, so at least 2")
    return problems + _validate_space(search.space)


def _validate_space(space: SearchSpace) -> list[Problem]:
    problems: list[Problem] = []
    depths = space.depths
    if (not isinstance(depths, tuple) or not depths
            or not all(_is_int(d) and 1 <= d <= MAX_LAYERS for d in depths)):
        problems.append(Problem("space.depths", depths,
                                f"Depths to try are {_show(depths)}, but they must be one or more "
                                f"whole numbers from 1 to {MAX_LAYERS}: a stack has at least one "
                                "recurrent layer, and deeper stacks train too slowly for a "
                                "lesson."))
    elif len(set(depths)) != len(depths):
        problems.append(Problem("space.depths", depths, f"Depths to try are {_show(depths)}: "
                                                        "each depth may appear only once."))
    units_ok = True
    for name, label in (("units_min", "Smallest units"), ("units_max", "Largest units")):
        before = len(problems)
        _check_int(problems, f"space.{name}", label, getattr(space, name), 1, MAX_UNITS,
                   "units is the size of a layer's hidden state")
        units_ok = units_ok and len(problems) == before
    before = len(problems)
    _check_int(problems, "space.units_step", "Units step", space.units_step, 1, MAX_UNITS,
               "the units tried go from the smallest up in steps of this many")
    units_ok = units_ok and len(problems) == before
    if units_ok and space.units_min > space.units_max:
        problems.append(Problem("space.units_min", space.units_min,
                                f"Smallest units is {space.units_min}, above the largest units "
                                f"{space.units_max}: the range would be empty. Lower the "
                                "smallest or raise the largest."))
    if (not isinstance(space.activations, tuple) or not space.activations
            or not all(a in ACTIVATIONS for a in space.activations)):
        problems.append(Problem("space.activations", space.activations,
                                f"Activations to try are {_show(space.activations)}, but they "
                                f"must be one or more of {', '.join(ACTIVATIONS)}: pick at least "
                                "one for the search to choose from."))
    elif len(set(space.activations)) != len(space.activations):
        problems.append(Problem("space.activations", space.activations,
                                "Each activation may appear only once."))
    dropout_ok = True
    for name, label in (("dropout_min", "Smallest dropout"), ("dropout_max", "Largest dropout")):
        value = getattr(space, name)
        if not _is_number(value) or not 0 <= value <= MAX_DROPOUT:
            dropout_ok = False
            problems.append(Problem(f"space.{name}", value,
                                    f"{label} is {value!r}, but it must be a number from 0 to "
                                    f"{MAX_DROPOUT}: it is the share of a layer's inputs "
                                    "dropped while training, and dropping more than 90 % "
                                    "leaves nothing to learn from."))
    step = space.dropout_step
    if not _is_number(step) or not 0 < step <= MAX_DROPOUT:
        dropout_ok = False
        problems.append(Problem("space.dropout_step", step,
                                f"Dropout step is {step!r}, but it must be a number above 0 and "
                                f"at most {MAX_DROPOUT}: the dropout values tried go from the "
                                "smallest up in steps of this size."))
    if dropout_ok and space.dropout_min > space.dropout_max:
        problems.append(Problem("space.dropout_min", space.dropout_min,
                                f"Smallest dropout is {space.dropout_min}, above the largest "
                                f"dropout {space.dropout_max}: the range would be empty. Lower "
                                "the smallest or raise the largest."))
    rates = space.learning_rates
    if (not isinstance(rates, tuple) or not rates
            or not all(_is_number(r) and 0 < r <= 1 for r in rates)):
        problems.append(Problem("space.learning_rates", rates,
                                f"Learning rates to try are {_show(rates)}, but they must be one "
                                "or more numbers above 0 and at most 1 (try 0.01, 0.001 and "
                                "0.0001): a zero step never learns."))
    elif len(set(rates)) != len(rates):
        problems.append(Problem("space.learning_rates", rates,
                                "Each learning rate may appear only once."))
    return problems


def _show(values: Any) -> str:
    if isinstance(values, tuple):
        return "(none)" if not values else ", ".join(map(str, values))
    return repr(values)
