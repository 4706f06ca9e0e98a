"""Hyperband's plan: how many models train for how many epochs, round by round.

Hyperband (Li et al., 2018, "Hyperband: A Novel Bandit-Based Approach to Hyperparameter
Optimization") spends a budget of epochs on many models by successive halving: train many models
for a few epochs, keep the best 1 in `factor`, train those `factor` times longer, and repeat until
the survivors train the most epochs any model gets (`max_epochs`). Because halving early may drop
a slow starter, it runs several *brackets*, from the most exploratory (many models, few epochs
each) to one that trains a few models for all max_epochs.

`hyperband_plan` lists the rounds keras-tuner's HyperbandOracle runs for one iteration, so the
Tune page can say before a search starts how many trials and epochs it will cost.
"""
from __future__ import annotations

import math
from dataclasses import dataclass


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
