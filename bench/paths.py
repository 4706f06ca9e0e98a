"""Seconds per epoch of each cell on each of Keras's execution paths, side by side, in one run.

The model is the book's IMDB model built by the lab (rnnlab.trainer.models: Embedding(10,000, 32),
one 32-unit layer, rmsprop, batch 128) on the first `--train` training reviews cut to 500 tokens.
Every (cell, path) pair trains in a fresh Python process, because op determinism cannot be
switched off again in a process once on; the pairs take turns, round after round, so a busy
moment of the machine spreads over all of them. Epoch 1 (graph tracing and the XLA compiler) is
left out of the seconds per epoch and printed apart, as "first epoch".

For each pair the bench also checks that the path is reproducible: with `--rounds 2` or more,
every round trains with the same seed, and "same curves" says whether the histories agree to the
last bit.

Last, it prints the path the lab chose per cell on this device (rnnlab.config.execution_path) and
whether that is the fastest reproducible one measured here.

    RNNLAB_DATA_DIR=../shared/data python bench/paths.py [--train 4000] [--epochs 3] [--rounds 2]
        [--cells SimpleRNN LSTM GRU]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rnnlab.config import ImdbOptions, LayerConfig, RunConfig, TrainingOptions  # noqa: E402
from rnnlab.config.execution_path import CANDIDATES, choose_path  # noqa: E402

CELLS = ("SimpleRNN", "LSTM", "GRU")


def book_config(cell: str, train: int, epochs: int) -> RunConfig:
    """Chollet's IMDB model with `cell`, on the first `train` reviews."""
    return RunConfig(dataset="imdb", imdb=ImdbOptions(train_subset=train),
                     layers=(LayerConfig(cell=cell, units=32),),
                     training=TrainingOptions(epochs=epochs))


def plain_keras_model(cell: str, jit_compile: bool):
    """The book's listing, typed as a reader would: no lab code between Keras and the model."""
    import keras

    model = keras.Sequential([keras.Input(shape=(500,), dtype="int32"),
                              keras.layers.Embedding(10_000, 32),
                              getattr(keras.layers, cell)(32),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"],
                  jit_compile=jit_compile)
    return model


def train_once(cell: str, path_name: str, train: int, epochs: int, plain: bool = False) -> dict:
    """In this process: fit the book model on one path; seconds per epoch and the history.

    `plain` builds it with plain Keras (plain_keras_model) instead of the lab's build_model.
    """
    from rnnlab.trainer.models import build_model
    from rnnlab.trainer.training import EpochTimer, prepare_data, seed_everything

    path = CANDIDATES[path_name]
    config = book_config(cell, train, epochs)
    data = prepare_data(config)
    seed_everything(config.training.seed, op_determinism=path.op_determinism)
    model = (plain_keras_model(cell, path.xla) if plain
             else build_model(config, jit_compile=path.xla))
    timer = EpochTimer()
    history = model.fit(*data.train, batch_size=config.training.batch_size, epochs=epochs,
                        validation_data=data.validation, callbacks=[timer], verbose=0)
    return {"seconds": timer.seconds,
            "history": {k: [float(v) for v in vs] for k, vs in history.history.items()}}


def run_child(cell: str, path_name: str, train: int, epochs: int, plain: bool = False) -> dict:
    """train_once in a fresh Python process (op determinism cannot be undone in one)."""
    out = subprocess.run([sys.executable, __file__, "--child", cell, path_name, "--train",
                          str(train), "--epochs", str(epochs), *(["--plain"] if plain else [])],
                         capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(f"{cell} on {path_name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=int, default=4000, help="training reviews (0 = all)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--cells", nargs="+", default=list(CELLS))
    parser.add_argument("--paths", nargs="+", default=list(CANDIDATES), choices=list(CANDIDATES))
    parser.add_argument("--child", nargs=2, metavar=("CELL", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--plain", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(train_once(*args.child, args.train, args.epochs, args.plain)))
        return 0

    import psutil

    psutil.cpu_percent()
    results: dict[tuple[str, str], list[dict]] = {}
    for round_number in range(1, args.rounds + 1):
        for cell in args.cells:
            for path_name in args.paths:
                result = run_child(cell, path_name, args.train, args.epochs)
                results.setdefault((cell, path_name), []).append(result)
                later = result["seconds"][1:]
                print(f"round {round_number} {cell:<13}{path_name:<26}"
                      f"{statistics.mean(later):6.2f} s/epoch  first epoch "
                      f"{result['seconds'][0]:5.1f} s", flush=True)
    load = psutil.getloadavg()

    print(f"\nThe book's IMDB model, 32 units, {args.train or 25000} reviews x 500 tokens, "
          f"{args.epochs} epochs x {args.rounds} rounds; seconds per epoch after the first "
          f"(mean of rounds), {os.cpu_count()} CPUs, load average {load[0]:.1f} {load[1]:.1f}")
    header = (f"{'cell':<13}{'path':<26}{'s/epoch':>9}{'vs default':>12}{'first epoch':>13}"
              f"{'same curves':>13}{'best val acc':>14}")
    print(header + "\n" + "-" * len(header))
    fastest = {}
    for cell in args.cells:
        default = None
        for path_name in args.paths:
            runs = results[(cell, path_name)]
            seconds = statistics.mean(s for r in runs for s in r["seconds"][1:])
            first = statistics.mean(r["seconds"][0] for r in runs)
            same = all(r["history"] == runs[0]["history"] for r in runs[1:])
            default = default or seconds
            best = max(runs[0]["history"]["val_accuracy"])
            print(f"{cell:<13}{path_name:<26}{seconds:>9.2f}{default / seconds:>11.2f}x"
                  f"{first:>12.1f}s{('yes' if same else 'NO') if len(runs) > 1 else '-':>13}"
                  f"{best:>14.3f}")
            if same and (cell not in fastest or seconds < fastest[cell][1]):
                fastest[cell] = (path_name, seconds)
    print("\nThe lab's choice on this device (rnnlab.config.execution_path):")
    for cell in args.cells:
        chosen = choose_path(book_config(cell, args.train, args.epochs))
        name = next(n for n, p in CANDIDATES.items() if p == chosen)
        verdict = ("the fastest reproducible path measured" if name == fastest[cell][0]
                   else f"but {fastest[cell][0]} was faster here")
        print(f"  {cell:<13} {chosen.label} ({name}): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
