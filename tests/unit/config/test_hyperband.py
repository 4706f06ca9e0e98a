"""Hyperband's plan: the rounds keras-tuner's HyperbandOracle runs, in its order."""
from rnnlab.config.search import hyperband_plan


def test_the_plan_lists_the_rounds_of_every_bracket():
    # keras-tuner's own HyperbandOracle gives the same (tests/unit/trainer/test_tuning.py checks it).
    assert [(r.trials, r.initial_epoch, r.epochs) for r in hyperband_plan(9, 3)] == [
        (9, 0, 1), (3, 1, 3), (1, 3, 9), (5, 0, 3), (2, 3, 9), (3, 0, 9)]
    assert [(r.bracket, r.round) for r in hyperband_plan(9, 3)] == [
        (2, 0), (2, 1), (2, 2), (1, 0), (1, 1), (0, 0)]
