"""The search itself: keras-tuner's tuners over the lab's models, every trial reported to the store.

keras-tuner splits a search in three parts, and this module supplies each:

- a **HyperModel** (`LabHyperModel`) whose `build(hp)` declares the search space on `hp`
  (`hp.Choice("layers", ...)`, then per layer `hp.Int("units_1", ...)`, `hp.Choice(
  "activation_1", ...)`, `hp.Float("dropout_1", ...)` inside a conditional scope, so layer 2's
  values exist only in trials with two layers or more, and `hp.Choice("learning_rate", ...)`),
  turns the values into a RunConfig (SearchConfig.trial_config) and builds it with the lab's own
  `rnnlab.trainer.models.build_model`: a trial is exactly the model the Build page would show;
- an **oracle**, which picks each trial's values: keras-tuner's RandomSearch, Hyperband or
  BayesianOptimization, unchanged;
- a **tuner**, which trains each trial (`model.fit` on the base config's data) and asks the
  oracle for the next. The lab subclasses the chosen tuner only to use its documented hooks:
  `on_trial_begin` / `on_trial_end` write the trial to the store, `on_batch_end` /
  `on_epoch_end` write the live rows and read the cancel flag.

Before each model is built, the random seed is set to the base config's seed, so a trial trains
exactly like `rnnlab.trainer.training.train(search.trial_config(values))` would (Hyperband's later rounds
continue from a saved checkpoint instead). keras-tuner's own files (the oracle's state, each
trial's checkpoint) go to `<run folder>/tuner`.

This module imports TensorFlow: only the worker process uses it.
"""
from __future__ import annotations

import math
import signal
import time
from pathlib import Path

import keras
import keras_tuner as kt

from rnnlab.config.search import SearchConfig, SearchSpace
from rnnlab.jobs.store import Store
from rnnlab.trainer.models import build_model
from rnnlab.trainer.reporting import CurveWriter
from rnnlab.trainer.training import prepare_data, seed_everything

TUNER_CLASSES = {
    "random": kt.RandomSearch,
    "hyperband": kt.Hyperband,
    "bayesian": kt.BayesianOptimization,
}


class SearchCancelled(kt.errors.FatalError):
    """Someone asked the search to stop. keras-tuner records an ordinary exception in a trial as
    a failed trial and goes on with the next; a FatalError stops the whole search."""


def declare_space(hp: kt.HyperParameters, space: SearchSpace) -> dict:
    """Declare `space` on `hp` and return this trial's values (None for layers it does not have)."""

    def choice(name, values):
        return hp.Choice(name, list(values))

    values = {"layers": choice("layers", space.depths)}
    for i in range(1, max(space.depths) + 1):
        # Layer i exists only in trials with at least i layers; keras-tuner leaves its values out
        # of the others (and Bayesian optimization does not model what a trial did not use).
        with hp.conditional_scope("layers", [d for d in space.depths if d >= i]):
            if space.units_min == space.units_max:
                values[f"units_{i}"] = hp.Fixed(f"units_{i}", space.units_min)
            else:
                values[f"units_{i}"] = hp.Int(f"units_{i}", space.units_min, space.units_max,
                                              step=space.units_step)
            values[f"activation_{i}"] = choice(f"activation_{i}", space.activations)
            if space.dropout_min == space.dropout_max:
                values[f"dropout_{i}"] = hp.Fixed(f"dropout_{i}", space.dropout_min)
            else:
                values[f"dropout_{i}"] = hp.Float(f"dropout_{i}", space.dropout_min,
                                                  space.dropout_max, step=space.dropout_step)
    values["learning_rate"] = choice("learning_rate", space.learning_rates)
    return values


class LabHyperModel(kt.HyperModel):
    """The search space around a base model, built with the lab's own build_model."""

    def __init__(self, search: SearchConfig):
        super().__init__(name="rnnlab")
        self.search = search

    def build(self, hp: kt.HyperParameters) -> keras.Model:
        values = declare_space(hp, self.search.space)
        config = self.search.trial_config({**hp.values, **values})
        keras.utils.set_random_seed(self.search.base.training.seed)  # as train() would start
        return build_model(config)


class TrialReporter:
    """Writes a search's progress: trial rows to the store, live curve rows to the outbox.

    The curve rows come from the same CurveWriter a single run uses (rnnlab.trainer.reporting),
    fed from keras-tuner's hooks. They continue across trials: `step` counts every batch of the
    search and `epoch` every epoch, so the usual progress bar and ETA work on the whole search.
    Each epoch's rows also carry the trial's number ("trial"). A loss that blows up fails that
    trial only (keras-tuner goes on with the next); a cancel stops the whole search.
    """

    def __init__(self, store: Store, run_id: int, outbox, metric: str):
        self.store, self.run_id, self.outbox = store, run_id, outbox
        self.curves = CurveWriter(outbox, metric, cancelled=SearchCancelled,
                                  diverged=kt.errors.FailedTrialError)
        self.numbers: dict[str, int] = {}   # keras-tuner trial id -> 1, 2, ...
        self.trial_epochs = 0
        self.trial_start = 0.0

    def trial_begins(self, trial) -> None:
        self.curves.check_cancel()
        number = self.numbers[trial.trial_id] = len(self.numbers) + 1
        self.trial_epochs, self.trial_start = 0, time.perf_counter()
        self.store.start_trial(self.run_id, number, trial.trial_id,
                               dict(trial.hyperparameters.values))

    def trial_ends(self, trial) -> None:
        if trial.status == kt.engine.trial.TrialStatus.FAILED and self.outbox.cancel.is_set():
            # The stop (SIGTERM most likely) surfaced inside the trial as some other error:
            # end the search here, and the trial is recorded as cancelled, not failed.
            raise SearchCancelled()
        number = self.numbers[trial.trial_id]
        score = trial.score if trial.score is not None and math.isfinite(trial.score) else None
        message = None
        if trial.message:  # keras-tuner keeps the traceback; its last line says what happened
            message = trial.message.strip().splitlines()[-1]
        self.store.end_trial(self.run_id, number, str(trial.status).lower(), score,
                             self.trial_epochs, time.perf_counter() - self.trial_start, message)

    def batch(self, logs: dict) -> None:
        self.curves.batch(logs)

    def epoch_ends(self, logs: dict, trial) -> None:
        self.trial_epochs += 1
        self.curves.epoch(logs, trial=self.numbers[trial.trial_id])


def make_tuner(search: SearchConfig, directory: Path, reporter: TrialReporter | None = None):
    """The keras-tuner tuner `search` asks for, writing its files under `directory`/tuner."""
    base = TUNER_CLASSES[search.tuner]

    class ReportingTuner(base):
        """`base` with the progress hooks keras-tuner documents for subclasses."""

        def on_trial_begin(self, trial):
            super().on_trial_begin(trial)
            if reporter:
                reporter.trial_begins(trial)

        def on_trial_end(self, trial):
            super().on_trial_end(trial)  # the oracle scores the trial and saves its state
            if reporter:
                reporter.trial_ends(self.oracle.get_trial(trial.trial_id))

        def on_batch_end(self, trial, model, batch, logs=None):
            super().on_batch_end(trial, model, batch, logs)
            if reporter:
                reporter.batch(logs or {})

        def on_epoch_end(self, trial, model, epoch, logs=None):
            super().on_epoch_end(trial, model, epoch, logs=logs)
            if reporter:
                reporter.epoch_ends(logs or {}, trial)

        def _configure_tensorboard_dir(self, callbacks, trial, execution=0):
            # keras-tuner 1.4.8 imports TensorBoard here on every trial, to wire up TensorBoard
            # callbacks; the lab passes none and does not install TensorBoard.
            pass

    budget = ({"max_epochs": search.epochs, "factor": search.factor}
              if search.tuner == "hyperband" else {"max_trials": search.max_trials})
    return ReportingTuner(
        hypermodel=LabHyperModel(search),
        objective=kt.Objective(search.objective, direction=search.direction),
        seed=search.base.training.seed,
        directory=str(directory),
        project_name="tuner",
        overwrite=True,
        **budget,
    )


def run_search(search: SearchConfig, folder: Path, reporter: TrialReporter | None = None) -> dict:
    """Run the whole search; return its summary (the best trial's values and score).

    Raises:
        SearchCancelled: the cancel flag or SIGTERM stopped it (finished trials stay).
        DataError / ValueError: see rnnlab.trainer.training.prepare_data; ValueError also when
            keras-tuner gave up after several failed trials in a row (the loss blew up).
    """
    def on_sigterm(signum, frame):  # keras-tuner must not take it for one failed trial
        if reporter:
            reporter.outbox.cancel.set()  # in case it surfaces as another error: trial_ends
        raise SearchCancelled()

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    started = time.perf_counter()
    try:
        base = search.base
        seed_everything(base.training.seed)
        data = prepare_data(base)
        if not data.details["validation_examples"]:
            raise ValueError("There is nothing to validate on: use more training examples or a "
                             "larger validation split.")
        tuner = make_tuner(search, folder, reporter)
        arrays = len(data.train) == 2
        callbacks = []
        if base.training.early_stopping_patience:
            callbacks.append(keras.callbacks.EarlyStopping(
                monitor="val_loss", patience=base.training.early_stopping_patience,
                restore_best_weights=True))
        try:
            tuner.search(*data.train, batch_size=base.training.batch_size if arrays else None,
                         epochs=search.epochs,
                         validation_data=data.validation if arrays else data.validation[0],
                         shuffle=arrays, callbacks=callbacks, verbose=0)
        except RuntimeError as err:
            if "consecutive failures" not in str(err):
                raise
            failed = [t for t in tuner.oracle.trials.values() if t.message]
            last = failed[-1].message.strip().splitlines()[-1] if failed else ""
            raise ValueError(
                "Several trials in a row failed, so keras-tuner stopped the search"
                f"{' (the last one: ' + last + ')' if last else ''}. Narrow the space: smaller "
                "learning rates, or tanh instead of relu.") from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    return summarize_search(search, tuner, time.perf_counter() - started, data.details)


def summarize_search(search: SearchConfig, tuner, seconds: float, details: dict) -> dict:
    """The search's result as a JSON-ready dict."""
    trials = list(tuner.oracle.trials.values())
    completed = [t for t in trials if t.status == "COMPLETED" and t.score is not None]
    result = {
        "kind": "search",
        "tuner": search.tuner,
        "objective": search.objective,
        "direction": search.direction,
        "trials": len(trials),
        "trials_completed": len(completed),
        "seconds": seconds,
        **{k: v for k, v in details.items() if k in ("train_examples", "validation_examples")},
    }
    best = tuner.oracle.get_best_trials(1)
    if best:
        values = dict(best[0].hyperparameters.values)
        result.update(best_score=float(best[0].score), best_trial_id=best[0].trial_id,
                      best_hyperparameters=values)
    return result
