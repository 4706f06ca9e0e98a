"""What the Tune page shows of a search: its trials as a table, the best trial, and the two runs
that race the best trial against the model the search started from.

A search can fail as a whole: on a two-class task (IMDB sentiment, the long-memory task) a model
that learned nothing predicts 0.5 for every example, so its validation accuracy is 0.5 and its
validation loss is the binary cross-entropy of a coin, -ln(0.5) = ln 2 = 0.6931. When every
finished trial scores there (say val_loss 0.6926 to 0.6929), the lowest of them is lowest by
noise, and starring it as "best" would teach the wrong thing. So a trial within `CHANCE_MARGINS`
of chance counts as at chance, no trial at chance is ever the best, and `chance_words` says so.

Pure functions of the store's Trial rows and the SearchConfig; no Streamlit, no TensorFlow.
"""
from __future__ import annotations

import dataclasses
import math

from rnnlab.config import RunConfig
from rnnlab.config.search import SearchConfig
from rnnlab.data.spec import data_spec
from rnnlab.jobs.store import Trial

# Trial statuses as a student reads them (keras-tuner's COMPLETED, FAILED, INVALID; the run's
# ending for a trial it interrupted).
STATUS_WORDS = {"running": "training", "completed": "done", "failed": "failed (loss blew up)",
                "invalid": "failed", "cancelled": "cancelled", "interrupted": "interrupted"}


# What guessing scores on a two-class task with balanced classes, per objective.
CHANCE_SCORES = {"val_loss": math.log(2), "val_accuracy": 0.5}
# How close to chance a score must be to count as "learned nothing". A trial that learned a little
# is well below ln 2 (0.68 or less); 0.51 accuracy is within noise of a coin on a few hundred
# validation reviews.
CHANCE_MARGINS = {"val_loss": 0.005, "val_accuracy": 0.01}


def chance_score(search: SearchConfig) -> float | None:
    """What a model that learned nothing scores on the search's objective, or None where chance
    has no one value (a weather search's MAE: its yardstick is the baseline instead)."""
    if data_spec(search.base).task != "binary":
        return None
    return CHANCE_SCORES.get(search.objective)


def at_chance(score: float, search: SearchConfig) -> bool:
    """Whether `score` is no better than guessing: within the margin of chance, or worse."""
    chance = chance_score(search)
    if chance is None:
        return False
    margin = CHANCE_MARGINS[search.objective]
    return score >= chance - margin if search.direction == "min" else score <= chance + margin


def _finished(trials: list[Trial]) -> list[Trial]:
    return [t for t in trials if t.status == "completed" and t.score is not None]


def chance_words(trials: list[Trial], search: SearchConfig) -> str | None:
    """A sentence for a search whose finished trials all scored at chance, else None.

    Example: "All 6 finished trials scored at chance: val_loss 0.6926 to 0.6929, where guessing
    scores 0.6931. None of these models learned anything, so no trial is the best ..."
    """
    finished = _finished(trials)
    if not finished or not all(at_chance(t.score, search) for t in finished):
        return None
    scores = sorted(t.score for t in finished)
    spread = (f"{search.objective} {scores[0]:.4f}" if scores[0] == scores[-1] else
              f"{search.objective} {scores[0]:.4f} to {scores[-1]:.4f}")
    count = ("The one finished trial" if len(finished) == 1 else
             f"All {len(finished)} finished trials")
    return (f"{count} scored at chance: {spread}, where guessing scores "
            f"{chance_score(search):.4f}. None of these models learned anything, so no trial is "
            "the best and none is starred; the differences between them are noise. Try more "
            "epochs per trial, larger learning rates, or shorter sequences.")


def hyperparameter_columns(trials: list[Trial], search: SearchConfig) -> list[str]:
    """The hyperparameter names some trial has, in the search's order (layer 1 before layer 2)."""
    present = {name for trial in trials for name in trial.hyperparameters}
    return [name for name in search.hyperparameter_names() if name in present]


def best_trial(trials: list[Trial], search: SearchConfig) -> Trial | None:
    """The finished trial with the best score (lowest or highest, as the objective wants), or
    None when no trial has finished or the best one is at chance (see `at_chance`)."""
    scored = _finished(trials)
    if not scored:
        return None
    pick = min if search.direction == "min" else max
    best = pick(scored, key=lambda t: t.score)
    return None if at_chance(best.score, search) else best


def trial_rows(trials: list[Trial], search: SearchConfig) -> list[dict]:
    """One row per trial: number, status, score, every hyperparameter, epochs and seconds.

    A layer a trial does not have is left blank; Hyperband's continued trials say which trial's
    weights they carried on from.
    """
    names = hyperparameter_columns(trials, search)
    best = best_trial(trials, search)
    ids = {t.trial_id: t.number for t in trials}
    rows = []
    for trial in trials:
        values = trial.hyperparameters
        row = {"trial": trial.number, "status": STATUS_WORDS.get(trial.status, trial.status),
               search.objective: trial.score, "best": "★" if trial is best else ""}
        row.update({name: values.get(name) for name in names})
        if search.tuner == "hyperband":
            row["continues trial"] = ids.get(values.get("tuner/trial_id"))
        row.update({"epochs": trial.epochs, "seconds": trial.seconds})
        rows.append(row)
    return rows


def race_against_base(search: SearchConfig, trial: Trial) -> list[RunConfig]:
    """[the best trial's model, the model the search started from], trained alike.

    Both train for the trial's epochs with the base model's seed and options, so the only
    difference is what the search chose.
    """
    tuned = search.trial_config(trial.hyperparameters)
    base = search.base
    untuned = dataclasses.replace(base, training=dataclasses.replace(
        base.training, epochs=tuned.training.epochs))
    return [tuned, untuned]
