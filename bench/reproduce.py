"""Reproduce the book's IMDB experiment with the lab, next to a plain Keras script.

Chollet, *Deep Learning with Python*, ch. 6: 10,000 words, reviews cut to 500 tokens,
Embedding(32), one 32-unit recurrent layer, rmsprop, batch 128, 10 epochs, 20 % validation. The
book reports about 0.85 best validation accuracy for SimpleRNN and 0.89 for LSTM.

For each cell this trains the model twice on the same padded arrays, alternating: once through
the lab (`rnnlab.trainer.training.train` with the book preset) and once with the plain Keras script
below, the reference. It prints a table of best validation accuracy, test accuracy, seconds per
epoch and parameters. It takes about an hour on two CPU cores and is not part of the tests.

    RNNLAB_DATA_DIR=../shared/data python bench/reproduce.py [--epochs 10] [--cells LSTM GRU]
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

from rnnlab.config.presets import PRESETS  # noqa: E402
from rnnlab.trainer.training import prepare_data, train  # noqa: E402

BOOK = {"SimpleRNN": 0.85, "LSTM": 0.89, "GRU": None}


def plain_keras(cell: str, x_pool, y_pool, x_test, y_test, epochs: int, seed: int) -> dict:
    """The reference: the book's model in plain Keras, on the whole training pool."""
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input(shape=(x_pool.shape[1],), dtype="int32"),
        layers.Embedding(10_000, 32),
        getattr(layers, cell)(32),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    history = model.fit(x_pool, y_pool, epochs=epochs, batch_size=128, validation_split=0.2,
                        verbose=0)
    seconds = (time.perf_counter() - start) / epochs
    test = model.evaluate(x_test, y_test, batch_size=128, verbose=0, return_dict=True)
    return {"best_val_accuracy": max(history.history["val_accuracy"]),
            "test_accuracy": test["accuracy"], "seconds_per_epoch": seconds,
            "params": model.count_params(), "val_curve": history.history["val_accuracy"]}


class Progress(keras.callbacks.Callback):
    def __init__(self, label: str):
        super().__init__()
        self.label = label

    def on_epoch_end(self, epoch, logs=None):
        print(f"  {self.label} epoch {epoch + 1}: val_accuracy {logs['val_accuracy']:.4f}",
              flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--cells", nargs="+", default=["SimpleRNN", "LSTM", "GRU"])
    parser.add_argument("--subset", type=int, default=0,
                        help="train on the first N reviews only, for a quick check (0 = all)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    rows = []
    for cell in args.cells:
        base = PRESETS[f"imdb-{cell.lower()}"].config
        config = dataclasses.replace(
            base, imdb=dataclasses.replace(base.imdb, train_subset=args.subset),
            training=dataclasses.replace(base.training, epochs=args.epochs))
        data = prepare_data(config)
        x_pool = np.concatenate([data.train[0], data.validation[0]])
        y_pool = np.concatenate([data.train[1], data.validation[1]])
        print(f"{cell}: lab", flush=True)
        _, lab = train(config, callbacks=[Progress("lab")], data=data)
        print(f"{cell}: plain Keras", flush=True)
        plain = plain_keras(cell, x_pool, y_pool, *data.test, args.epochs, config.training.seed)
        rows.append({"cell": cell, "lab": {k: lab[k] for k in
                                           ("best_val_accuracy", "test_accuracy",
                                            "seconds_per_epoch", "params")} |
                     {"val_curve": lab["history"]["val_accuracy"]}, "plain": plain})
        print(f"  lab best {lab['best_val_accuracy']:.4f}, plain best "
              f"{plain['best_val_accuracy']:.4f}", flush=True)

    print(f"\nIMDB, book protocol, {args.epochs} epochs, real data from {data.details['source']}")
    header = (f"{'cell':<10}{'who':<8}{'best val acc':>13}{'test acc':>10}{'s/epoch':>9}"
              f"{'params':>9}{'book':>7}")
    print(header + "\n" + "-" * len(header))
    for row in rows:
        book = BOOK[row["cell"]]
        for who in ("lab", "plain"):
            r = row[who]
            print(f"{row['cell']:<10}{who:<8}{r['best_val_accuracy']:>13.4f}{r['test_accuracy']:>10.4f}"
                  f"{r['seconds_per_epoch']:>9.1f}{r['params']:>9,}"
                  f"{(f'{book:.2f}' if book and who == 'lab' else ''):>7}")
        gap = row["lab"]["best_val_accuracy"] - row["plain"]["best_val_accuracy"]
        print(f"{'':<10}lab - plain best validation accuracy: {gap:+.4f} "
              f"({'within one point or better' if gap >= -0.01 else 'MORE THAN ONE POINT BELOW'})")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
