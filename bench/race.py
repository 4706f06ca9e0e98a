"""The three-cell race through the real engine, and its table: what the Race page shows, as text.

It submits SimpleRNN, LSTM and GRU with one config (a preset, by default the book's IMDB setup)
to a temporary run store, lets a real supervisor train them one after the other in worker
processes, exactly as the app does, and prints the race table: best validation and test score,
parameters, seconds per epoch, peak memory of the worker, and the gradient left at the first step
of the input relative to the last one (from each run's final gradient record).

    RNNLAB_DATA_DIR=../shared/data python bench/race.py [--preset imdb-lstm] [--epochs 10]
        [--cells SimpleRNN LSTM GRU Dense] [--plain-epochs 3]

`--cells` adds lanes, e.g. the dense network with no memory (what recurrence buys).

On the book's IMDB setup (the default) it also times plain Keras in the same run: the book's
listing typed as a reader would (bench/paths.py plain_keras_model), each cell on Keras's default
path and under XLA, `--plain-epochs` epochs in a fresh process each, before the race and again
(on the faster path) after it. It prints the lab's seconds per epoch beside the fastest plain
path's, epoch 1 (tracing and compiling) left out of both: the lab should be within 5 %.

On two CPU cores (load average 1.6, 2026-12-01) the book's race took 4.3 minutes from
submission to the last result, all three cells on XLA (about 1.5 hours on Keras's default path
before issue 18, on a busier machine): best validation accuracy 0.841 SimpleRNN, 0.875 LSTM,
0.877 GRU; median seconds per epoch 4.9, 7.5 and 8.1 against plain Keras's 5.9, 8.0 and 12.7 on
XLA (its fastest path). The whole bench, plain timings included, took 10 minutes.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine_batch import submit_to_new_store, wait_then_stop  # noqa: E402  (beside this file)
from paths import run_child  # noqa: E402  (bench/paths.py, beside this file)

from rnnlab.config.presets import PRESETS  # noqa: E402
from rnnlab.jobs.store import Store  # noqa: E402
from rnnlab.lessons.race import (  # noqa: E402
    GRADIENT_COLUMN,
    RACE_CELLS,
    race_configs,
    race_table,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="imdb-lstm", choices=sorted(PRESETS))
    parser.add_argument("--epochs", type=int, default=0, help="override the preset's (0 = keep)")
    parser.add_argument("--cells", nargs="+", default=list(RACE_CELLS),
                        help="the lanes: cells of the registry, or Dense")
    parser.add_argument("--plain-epochs", type=int, default=3,
                        help="epochs of each plain-Keras timing (0 = no comparison)")
    args = parser.parse_args()
    config = PRESETS[args.preset].config
    if args.epochs:
        config = dataclasses.replace(config, training=dataclasses.replace(
            config.training, epochs=args.epochs))

    book = PRESETS["imdb-lstm"].config
    compare = args.plain_epochs and config.imdb == book.imdb and config.dataset == "imdb" and all(
        layer.units == 32 for layer in config.layers) and len(config.layers) == 1
    plain_cells = [cell for cell in args.cells if cell in RACE_CELLS]
    plain_before = (plain_keras_seconds(plain_cells, config, args.plain_epochs, ("default", "xla"))
                    if compare else {})

    store, ids = submit_to_new_store(race_configs(config, args.cells), "rnnlab-race-")
    print(f"racing {config.label()} with each cell; store {store.home}", flush=True)
    minutes = wait_then_stop(store, ids)
    table = race_table([store.get(i) for i in ids], store)
    # The score columns, as the Race page names them ("best val acc", or for weather
    # "best val °C", for text "best val bpc").
    best_column, test_column = (next(name for name in table[0] if name.startswith(prefix))
                                for prefix in ("best val ", "test "))
    print(f"\nThe race, {config.label()} ({config.training.epochs} epochs): {minutes:.1f} min "
          f"from submission to the last result, load average {os.getloadavg()[0]:.1f}")
    header = (f"{'cell':<10}{'status':<8}{best_column:>14}{test_column:>12}"
              f"{'params':>9}{'s/epoch':>9}{'peak MB':>9}{'grad first/last':>17}")
    print(header + "\n" + "-" * len(header))

    def number(value, spec):
        return format(value, spec) if value is not None else "-"

    for row in table:
        print(f"{row['cell']:<10}{row['status']:<8}"
              f"{number(row[best_column], '.4f'):>14}"
              f"{number(row[test_column], '.4f'):>12}{number(row['params'], ','):>9}"
              f"{number(row['s/epoch'], '.1f'):>9}"
              f"{number(row['peak MB'], ',.0f'):>9}"
              f"{number(row[GRADIENT_COLUMN], '.2e'):>17}")
    if compare:
        fastest = {cell: min(paths, key=paths.get) for cell, paths in plain_before.items()}
        plain_after = {cell: plain_keras_seconds([cell], config, args.plain_epochs,
                                                 (fastest[cell],))[cell]
                       for cell in plain_cells}
        print_against_plain(store, dict(zip(args.cells, ids)), plain_before, plain_after)
    return 0


def plain_keras_seconds(cells: list[str], config, epochs: int,
                        paths: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """Seconds per epoch (after the first) of plain Keras for each cell on each path."""
    seconds = {}
    for cell in cells:
        for path in paths:
            result = run_child(cell, path, config.imdb.train_subset, epochs, plain=True)
            seconds.setdefault(cell, {})[path] = statistics.mean(result["seconds"][1:])
            print(f"plain Keras {cell} on {path}: {seconds[cell][path]:.2f} s/epoch", flush=True)
    return seconds


def print_against_plain(store: Store, run_ids: dict[str, int], before: dict, after: dict) -> None:
    """The lab's seconds per epoch (epoch 1 left out) against the fastest plain-Keras path's.

    The lab's figure is the median of its epochs: on a shared machine one epoch in a few takes
    half as long again (a neighbour's burst), and the median is the pace a class sees. The mean
    is printed beside it."""
    header = (f"{'cell':<10}{'lab path':<10}{'lab median':>11}{'lab mean':>10}{'plain path':>12}"
              f"{'plain':>8}{'median / plain':>16}")
    print("\nThe lab against plain Keras, seconds per epoch after the first (plain: the mean of "
          "its timings before and after the race)\n" + header + "\n" + "-" * len(header))
    for cell, (path, _) in ((c, min(p.items(), key=lambda item: item[1]))
                            for c, p in before.items()):
        run_id = run_ids[cell]
        epochs = [m.value for m in store.metrics_since(run_id)
                  if m.kind == "epoch" and m.name == "seconds"][1:]
        result = store.get(run_id).result or {}
        plain = statistics.mean([before[cell][path], after[cell][path]])
        median = statistics.median(epochs)
        verdict = "within 5 %" if median <= plain * 1.05 else "MORE than 5 % slower"
        print(f"{cell:<10}{result.get('execution_path', '-'):<10}{median:>11.2f}"
              f"{statistics.mean(epochs):>10.2f}{path:>12}{plain:>8.2f}{median / plain:>15.3f}"
              f"  {verdict}")


if __name__ == "__main__":
    sys.exit(main())
