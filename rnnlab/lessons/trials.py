"""What the Tune page shows of a search: its trials as a table, the best trial, and the two runs
that race the best trial against the model the search started from.

Pure functions of the store's Trial rows and the SearchConfig; no Streamlit, no TensorFlow.
"""
from __future__ import annotations

import dataclasses

from rnnlab.config import RunConfig
from rnnlab.config.search import SearchConfig
from rnnlab.jobs.store import Trial

# Trial statuses as a student reads them (keras-tuner's COMPLETED, FAILED, INVALID; the run's
# ending for a trial it interrupted).
STATUS_WORDS = {"running": "training", "completed": "done", "failed": "failed (loss blew up)",
                "invalid": "failed", "cancelled": "cancelled", "interrupted": "interrupted"}


def hyperparameter_columns(trials: list[Trial], search: SearchConfig) -> list[str]:
    """The hyperparameter names some trial has, in the search's order (layer 1 before layer 2)."""
    present = {name for trial in trials for name in trial.hyperparameters}
    return [name for name in search.hyperparameter_names() if name in present]


def best_trial(trials: list[Trial], search: SearchConfig) -> Trial | None:
    """The finished trial with the best score (lowest or highest, as the objective wants)."""
    scored = [t for t in trials if t.status == "completed" and t.score is not None]
    if not scored:
        return None
    pick = min if search.direction == "min" else max
    return pick(scored, key=lambda t: t.score)


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
