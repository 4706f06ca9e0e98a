"""Hyperparameter search: which units, activations, dropout, depth and learning rate work best?

Choosing a network's size and training settings by hand is guesswork. A *search* trains many
variants of one model and keeps score: each variant is a **trial**, a set of values drawn from a
**search space** (`SearchSpace`, rnnlab.config.space), trained for a few epochs and scored on the
validation data by an **objective** (lowest val_loss, highest val_accuracy, lowest val_mae,
lowest val_bpc for the language model).
keras-tuner offers three ways to choose the next trial:

- **random search** draws every trial at random from the space (Bergstra and Bengio, 2012: often
  as good as a grid, for a fraction of the trials);
- **Hyperband** trains many trials for a few epochs, keeps the best third (`factor` 3) and trains
  them longer, again and again (Li et al., 2018): the budget is the most epochs one model gets
  (its plan: rnnlab.config.hyperband);
- **Bayesian optimization** fits a Gaussian process to the scores so far and picks the trial it
  expects to improve most: later trials learn from earlier ones.

A `SearchConfig` is the base `RunConfig` (the Build page's model: dataset, cell, bidirectional,
recurrent dropout, batch size, optimizer, seed) plus the `SearchSpace`, the tuner, the budget and
the objective. Like a RunConfig it validates itself (rnnlab.config.search_validation) and raises
`ConfigError` with every problem in words a student can act on, and it round-trips through JSON
(the run store) and the URL (the `tune_...` keys of a shareable link) by the same codec as a
RunConfig (rnnlab.config.codec). `trial_config` turns one trial's values back into an
ordinary RunConfig, so the best trial can be trained, raced and inspected like any other run.

The hyperparameters are named as in the keras-tuner tutorials: `layers` (the depth),
`units_1`, `activation_1`, `dropout_1` for the bottom layer (and `_2`, ... above it, only in
trials deep enough to have them) and `learning_rate`. This module imports no TensorFlow: the
search itself runs in the worker (rnnlab.trainer.tuning).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Mapping

from rnnlab.config.checks import ConfigError, Problem
from rnnlab.config.codec import Codec, not_a_number
from rnnlab.config.hyperband import hyperband_plan
from rnnlab.config.run import RunConfig
from rnnlab.config.search_validation import allowed_objectives, validate_search
from rnnlab.config.space import (
    LEARNING_RATES,
    OBJECTIVE_DIRECTIONS,
    TUNER_NAMES,
    TUNERS,
    SearchSpace,
)

# The names the pages and the trainer import from here, though they live in the modules above.
__all__ = ["LEARNING_RATES", "QUERY_PREFIX", "TUNERS", "TUNER_NAMES", "SearchConfig",
           "SearchSpace", "allowed_objectives", "hyperband_plan"]

QUERY_PREFIX = "tune_"


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
    # (higher, yes/no tasks), "val_mae" (lower, weather) or "val_bpc" (lower, text).
    objective: str = "val_loss"

    def __post_init__(self) -> None:
        problems = validate_search(self)
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

    # -- text: JSON and links, both by rnnlab.config.codec ------------------------------------

    def to_dict(self) -> dict:
        """Plain dict of plain values (the base model and the space as dicts), ready for JSON."""
        return SEARCH_CODEC.to_dict(self)

    def to_json(self) -> str:
        """Canonical JSON: sorted keys, so equal searches give identical text."""
        return SEARCH_CODEC.to_json(self)

    def fingerprint(self) -> str:
        """A short hash of the canonical JSON: the identity of the search in the run store."""
        return SEARCH_CODEC.fingerprint(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "SearchConfig":
        """Build from a dict like to_dict's; missing keys take defaults, unknown keys are errors."""
        return SEARCH_CODEC.from_dict(data)

    @classmethod
    def from_json(cls, text: str) -> "SearchConfig":
        """Build from to_json's text. Raises ConfigError if it is not JSON or not a search."""
        return SEARCH_CODEC.from_json(text)

    def to_query(self, only_changed: bool = True) -> dict[str, str]:
        """The search's own settings as tune_... keys, e.g. {"tune_tuner": "hyperband"}.

        The base model is not included: it travels in the link as the ordinary config keys
        (RunConfig.to_query). With only_changed, settings equal to their default are left out.
        """
        return SEARCH_CODEC.to_query(self, only_changed)

    @classmethod
    def from_query(cls, query: Mapping[str, str], base: RunConfig) -> "SearchConfig":
        """Inverse of to_query, around `base`. Keys without the tune_ prefix are ignored."""
        return SEARCH_CODEC.from_query(query, base=base)


# How a search reads and writes itself as text. Its link keys carry the tune_ prefix, and its
# messages for unreadable link text say "which is not a number", as they always have.
SEARCH_CODEC = Codec(SearchConfig, noun="search", where="the {part}", prefix=QUERY_PREFIX,
                     misread=not_a_number)
