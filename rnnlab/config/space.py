"""The search space: the ranges a hyperparameter search draws its trials from.

A search trains many variants of one model, and the space says which variants exist: how deep
the stack may be, and for each layer the units (a range with a step), the activation and the
input dropout (a range with a step), plus the learning rate. Every layer of a trial draws its own
values from the same ranges, so a space of U units values, A activations and D dropouts holds

    L * sum over the depths d of (U * A * D) ** d

different models, with L learning rates. `SearchSpace.size()` counts them: a random search stops
early when the space holds fewer models than its trials.

This module also holds the values a search may take (tuners, objectives and the budget's
limits); the checks that use them are in `rnnlab.config.search_validation`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

TUNERS = ("random", "hyperband", "bayesian")
TUNER_NAMES = {"random": "Random search", "hyperband": "Hyperband",
               "bayesian": "Bayesian optimization"}
# Whether a lower or a higher value of each objective is better.
OBJECTIVE_DIRECTIONS = {"val_loss": "min", "val_accuracy": "max", "val_mae": "min",
                        "val_bpc": "min"}
# The learning rates the page offers (any rate above 0 and at most 1 is allowed).
LEARNING_RATES = (1e-2, 3e-3, 1e-3, 3e-4, 1e-4)
MAX_TRIALS = 200
MAX_EPOCHS = 200
MAX_DROPOUT = 0.9


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
