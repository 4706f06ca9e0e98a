"""Judging a classification run against chance: a run that learned nothing says so in words.

Both classification tasks of the lab are balanced (half the reviews are positive; half the
long-memory sequences add up to more than 1), so a network that learned nothing is right on about
half of the examples: a best validation accuracy of 0.52 is not "52 % right", it is guessing. A
weather run is judged against the common-sense baseline (rnnlab.lessons.baseline.verdict) and a
language model against the unigram line (rnnlab.lessons.text_baselines.verdict); this module does
the same for accuracy, and `run_verdict` picks whichever judge fits a run.

A stopped run has no result, only its curves: `best_of_rows` reads its best validation score from
the epoch rows, so a run stopped at chance is told so too. No Streamlit, no TensorFlow.
"""
from __future__ import annotations

from typing import Iterable

from rnnlab.config import RunConfig
from rnnlab.lessons import baseline, text_baselines
from rnnlab.lessons.baseline import Verdict
from rnnlab.lessons.meanings import EXAMPLES

# A best validation accuracy less than this above chance is "at chance": nothing was learned. A
# different seed moves a run's best validation accuracy by about a point, so a few points above
# 0.5 are still noise.
AT_CHANCE = 0.05
DEFAULT_CHANCE = 0.5  # IMDB and the long-memory task: half the labels are 1

# What to try when a run stays at chance, per dataset.
_REMEDIES = {
    "imdb": "a gated cell (GRU or LSTM), reviews cut shorter (maxlen 100-200) with more of them, "
            "adam with a learning rate of 0.003-0.01, or more epochs",
    "memory": "a gated cell (LSTM or GRU): a SimpleRNN's gradient vanishes before it reaches the "
              "first marked value; or a shorter sequence length, adam with a learning rate of "
              "0.01, more examples or more epochs",
}


def chance_verdict(best: float, dataset: str, chance: float = DEFAULT_CHANCE,
                   epochs_run: int | None = None) -> Verdict | None:
    """One sentence for a best validation accuracy at chance; None when the run learned.

    Args:
        best: the run's best validation accuracy.
        dataset: "imdb" or "memory", for the examples' name and the advice.
        chance: the accuracy of guessing (0.5 on both balanced tasks).
        epochs_run: how many epochs ran, or None when not known.
    Returns:
        e.g. Verdict(False, "Best validation accuracy 0.52 is at chance (0.50): this network is
        right about as often as a coin toss on reviews it never trained on, after 3 epochs: it
        has learned nothing yet. Try ..."); None when best is AT_CHANCE or more above chance.
    """
    if best - chance >= AT_CHANCE:
        return None
    after = f", after {epochs_run} epoch{'s' * (epochs_run != 1)}" if epochs_run else ""
    remedy = _REMEDIES.get(dataset, "a gated cell, a higher learning rate or more epochs")
    return Verdict(False, f"Best validation accuracy {best:.2f} is at chance ({chance:.2f}): "
                          f"this network is right about as often as a coin toss on "
                          f"{EXAMPLES.get(dataset, 'examples')} it never trained on{after}: it "
                          f"has learned nothing yet. Try {remedy}.")


def run_verdict(result: dict | None, config: RunConfig) -> Verdict | None:
    """The verdict on a finished run: against its baseline (weather), the counting lines (text)
    or chance (accuracy); None when there is nothing to judge or an accuracy run learned."""
    judged = baseline.run_verdict(result, config) or text_baselines.run_verdict(result)
    if judged is not None or not result or "best_val_accuracy" not in result:
        return judged
    return chance_verdict(float(result["best_val_accuracy"]), config.dataset,
                          float(result.get("chance_accuracy", DEFAULT_CHANCE)),
                          result.get("epochs_run"))


def best_of_rows(rows: Iterable, metric: str) -> tuple[float, int, int] | None:
    """A run's best validation score from its epoch rows (rnnlab.jobs.records.MetricRow), for a
    run stopped before it wrote a result.

    Args:
        rows: the run's metric rows (kind "epoch" rows named "val_<metric>" are read).
        metric: "accuracy" (best is highest), "mae" or "bpc" (best is lowest).
    Returns:
        (best value, its epoch, epochs with a validation score), or None before the first epoch
        ended.
    """
    scores = [(row.value, row.epoch) for row in rows
              if row.kind == "epoch" and row.name == f"val_{metric}"]
    if not scores:
        return None
    value, epoch = (max if metric == "accuracy" else min)(scores, key=lambda score: score[0])
    return value, epoch, len(scores)
