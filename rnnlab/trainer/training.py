"""Train one RunConfig from start to finish and report what happened, in numbers.

This is the whole experiment of the lesson in one function, `train(config)`:

1. pick the fastest execution path measured for the config's cells (rnnlab.config.execution_path:
   XLA or Keras's default) and fix every random seed (weights, shuffling, dropout), with
   deterministic kernels where the path needs them, so the same config and seed give the same
   curves on that path;
2. load the dataset the config names, downloading it first when it is not on this computer
   (rnnlab.trainer.downloads), and shape it for Keras (rnnlab.trainer.inputs); the processed
   data is cached after the first time;
3. build the model (rnnlab.trainer.models) and fit it, validating after every epoch, optionally stopping
   early on the validation loss and keeping the best weights; the first batch runs eagerly, so its
   point comes before the compiler's wait (rnnlab.trainer.first_batch);
4. score it on the test set it never saw, and for weather also score the common-sense baseline
   ("the temperature 24 h from now equals the temperature now") on the same windows; for the
   generated long-memory task the reference is chance, 0.5 accuracy; for text, the unigram and
   bigram models' bits per character (rnnlab.data.char_baselines).

Callers watch progress through ordinary Keras callbacks (the command line prints a line per epoch;
the background worker writes rows to the run store). The result is a plain dict, ready for JSON.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from rnnlab.config import RunConfig
from rnnlab.config.execution_path import ExecutionPath, choose_path
from rnnlab.data.imdb import Progress
from rnnlab.trainer import downloads
from rnnlab.trainer.first_batch import EagerFirstBatch
from rnnlab.trainer.inputs import padded_reviews, weather_dataset
from rnnlab.trainer.models import build_model


@dataclass(frozen=True)
class PreparedData:
    """Training, validation and test inputs in forms model.fit and model.evaluate accept."""

    train: tuple                 # (x, y) arrays, or (tf.data.Dataset,)
    validation: tuple
    test: tuple
    details: dict[str, Any]      # facts for the result: sizes, baseline scores, units


def prepare_data(config: RunConfig, progress: Progress | None = None) -> PreparedData:
    """Load the config's dataset, downloading what is not on this computer, and shape it for Keras.

    IMDB reviews become (reviews, maxlen) int32 matrices, padded and cut in front; weather
    windows become batched tf.data datasets (see rnnlab.trainer.inputs); text becomes
    (windows, window_chars) int32 matrices of character ids and of the characters after them.

    Args:
        progress: told progress(fraction, words) while the IMDB reviews are tokenized for the
            first time on this computer (see rnnlab.data.imdb.load_corpus); never called else.
    Raises:
        rnnlab.data.paths.DataError: a data file is missing and could not be downloaded, or it
            is damaged.
        ValueError: the weather windows do not fit the record.
    """
    # The weather training windows are shuffled by their tf.data pipeline, whose seed TensorFlow
    # combines with the global seed at the moment the pipeline is made: seeding here gives the
    # same order to every caller (train, the worker, which loads first, and the notebook a
    # student takes home), not only to those that happened to seed before loading.
    seed_everything(config.training.seed, op_determinism=False)
    downloads.fetch_for(config)
    if config.dataset == "imdb":
        from rnnlab.data.imdb import load_imdb

        data = load_imdb(config.imdb, config.training.validation_split, progress)
        maxlen = config.imdb.maxlen
        return PreparedData(
            train=(padded_reviews(data.x_train, maxlen), data.y_train),
            validation=(padded_reviews(data.x_val, maxlen), data.y_val),
            test=(padded_reviews(data.x_test, maxlen), data.y_test),
            details={"train_examples": len(data.x_train), "validation_examples": len(data.x_val),
                     "test_examples": len(data.x_test), "source": data.source},
        )
    if config.dataset == "text":
        return _text_data(config)
    if config.dataset == "memory":
        from rnnlab.data.synthetic import load_memory

        data = load_memory(config.memory, config.training.validation_split, config.training.seed)
        return PreparedData(
            train=(data.x_train, data.y_train),
            validation=(data.x_val, data.y_val),
            test=(data.x_test, data.y_test),
            # Each set is half positive, half negative: guessing scores 0.5.
            details={"train_examples": len(data.x_train), "validation_examples": len(data.x_val),
                     "test_examples": len(data.x_test), "source": "generated",
                     "chance_accuracy": 0.5},
        )
    from rnnlab.data.weather import load_weather

    data = load_weather(config.weather, config.training.validation_split)
    batch, seed = config.training.batch_size, config.training.seed
    return PreparedData(
        train=(weather_dataset(data, "train", batch, shuffle=True, seed=seed),),
        validation=(weather_dataset(data, "val", batch),),
        test=(weather_dataset(data, "test", batch),),
        details={
            "train_examples": len(data.window_starts("train")),
            "validation_examples": len(data.window_starts("val")),
            "test_examples": len(data.window_starts("test")),
            "baseline_val_mae": float(data.baseline_mae("val")),
            "baseline_test_mae": float(data.baseline_mae("test")),
            "target_std": float(data.to_target_units(1.0)),
            "target_unit": data.target_unit,
        },
    )


def _text_data(config: RunConfig) -> PreparedData:
    """Windows of character ids and their next characters, with the counting models' scores."""
    from rnnlab.data.char_baselines import bigram_bits, unigram_bits
    from rnnlab.data.text import load_text

    data = load_text(config.text, config.training.validation_split)
    splits = {split: data.windows(split) for split in ("train", "val", "test")}
    train_ids = data.ids["train"]
    return PreparedData(
        train=splits["train"], validation=splits["val"], test=splits["test"],
        details={"train_examples": len(splits["train"][0]),
                 "validation_examples": len(splits["val"][0]),
                 "test_examples": len(splits["test"][0]), "source": data.source,
                 "unigram_val_bpc": unigram_bits(train_ids, data.ids["val"]),
                 "bigram_val_bpc": bigram_bits(train_ids, data.ids["val"]),
                 "unigram_test_bpc": unigram_bits(train_ids, data.ids["test"]),
                 "bigram_test_bpc": bigram_bits(train_ids, data.ids["test"])},
    )


class EpochTimer(keras.callbacks.Callback):
    """Records the wall-clock seconds of every epoch (validation included)."""

    def __init__(self):
        super().__init__()
        self.seconds: list[float] = []
        self._start = 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def seed_everything(seed: int, op_determinism: bool = True) -> None:
    """Same seed, same run: Python, NumPy and TensorFlow generators, and, unless the run's
    execution path does without them (rnnlab.config.execution_path), deterministic kernels.

    Op determinism stays on for the rest of the process once on, and Keras then quietly refuses
    XLA: a process trains on one path.
    """
    keras.utils.set_random_seed(seed)
    if op_determinism:
        tf.config.experimental.enable_op_determinism()


def path_taken(model: keras.Model) -> ExecutionPath:
    """The path `model` actually trains on. It differs from the one chosen when this process
    already turned op determinism on (an earlier run or search in it): Keras then quietly
    compiles without XLA, and the run's details must say so."""
    from tensorflow.python.framework.config import is_op_determinism_enabled

    return ExecutionPath(xla=bool(model.jit_compile), op_determinism=is_op_determinism_enabled())


def train(config: RunConfig, callbacks: list | tuple = (),
          data: PreparedData | None = None) -> tuple[keras.Model, dict]:
    """Fit the model `config` describes; return it with its scores.

    Args:
        config: a valid RunConfig.
        callbacks: extra Keras callbacks (progress printing, reporting to the run store).
        data: already prepared data, to train several models on one load (benchmarks).
    Returns:
        The trained model, and a JSON-ready dict: best and final validation score, test score,
        the per-epoch history, seconds per epoch, parameter count; for weather also the baseline
        and MAE in the target's units (degrees C for temperature).
    Raises:
        DataError / ValueError: see prepare_data; ValueError also when no validation example is
            left.
    """
    path = choose_path(config)
    data = data or prepare_data(config)
    seed_everything(config.training.seed, op_determinism=path.op_determinism)
    if not data.details["validation_examples"]:
        raise ValueError(
            f"There is nothing to validate on: {data.details['train_examples']} training examples "
            f"with a validation split of {config.training.validation_split} leave no validation "
            "example. Use more training examples or a larger validation split.")
    model = build_model(config, jit_compile=path.xla)
    timer = EpochTimer()
    all_callbacks = [EagerFirstBatch(), timer, *callbacks]
    if config.training.early_stopping_patience:
        all_callbacks.append(keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=config.training.early_stopping_patience,
            restore_best_weights=True))
    # Arrays (IMDB, the memory task) are batched by fit; tf.data datasets (weather) come batched
    # already.
    arrays = len(data.train) == 2
    batch_size = config.training.batch_size if arrays else None
    history = model.fit(
        *data.train,
        batch_size=batch_size,
        epochs=config.training.epochs,
        validation_data=data.validation if len(data.validation) == 2 else data.validation[0],
        callbacks=all_callbacks,
        shuffle=arrays,  # the weather training dataset shuffles itself
        verbose=0,
    )
    test_scores = model.evaluate(*data.test, batch_size=batch_size, verbose=0, return_dict=True)
    details = {**data.details, "execution_path": path_taken(model).label,
               "first_batch_eager": True}
    return model, summarize_result(config, model, history.history, test_scores, timer.seconds,
                                   details)


def summarize_result(config: RunConfig, model, history: dict, test_scores: dict,
                     seconds: list[float], details: dict) -> dict:
    """The run's scores as a flat dict; "best" means highest accuracy, or lowest MAE or bits per
    character."""
    metric = config.metric
    val_curve = np.asarray(history[f"val_{metric}"], dtype=float)
    best_epoch = int(np.argmax(val_curve) if metric == "accuracy" else np.argmin(val_curve))
    result = {
        "dataset": config.dataset,
        "cells": [layer.cell for layer in config.layers],
        "metric": metric,
        "params": int(model.count_params()),
        "epochs_run": len(val_curve),
        "best_epoch": best_epoch + 1,
        f"best_val_{metric}": float(val_curve[best_epoch]),
        f"final_val_{metric}": float(val_curve[-1]),
        f"test_{metric}": float(test_scores[metric]),
        "seconds_per_epoch": float(np.mean(seconds)) if seconds else 0.0,
        "history": {key: [float(v) for v in values] for key, values in history.items()},
        **details,
    }
    if metric == "mae":
        scale = details["target_std"]
        for key in ("best_val_mae", "final_val_mae", "test_mae", "baseline_val_mae",
                    "baseline_test_mae"):
            result[f"{key}_{details['target_unit']}"] = result[key] * scale
    return result
