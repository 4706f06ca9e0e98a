"""The three-cell race through the real engine, and its table: what the Race page shows, as text.

It submits SimpleRNN, LSTM and GRU with one config (a preset, by default the book's IMDB setup)
to a temporary run store, lets a real supervisor train them one after the other in worker
processes, exactly as the app does, and prints the race table: best validation and test score,
parameters, seconds per epoch, peak memory of the worker, and the gradient left at the first step
of the input relative to the last one (from each run's final gradient record).

    RNNLAB_DATA_DIR=../shared/data python bench/race.py [--preset imdb-lstm] [--epochs 10]
        [--cells SimpleRNN LSTM GRU Dense]

`--cells` adds lanes, e.g. the dense network with no memory (what recurrence buys).

The book's setup takes about half an hour per cell on two CPU cores.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnnlab.config.presets import PRESETS  # noqa: E402
from rnnlab.jobs import runs  # noqa: E402
from rnnlab.jobs.store import Store  # noqa: E402
from rnnlab.lessons.race import RACE_CELLS, race_configs, race_table  # noqa: E402

TERMINAL = ("done", "failed", "cancelled", "interrupted", "diverged")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="imdb-lstm", choices=sorted(PRESETS))
    parser.add_argument("--epochs", type=int, default=0, help="override the preset's (0 = keep)")
    parser.add_argument("--cells", nargs="+", default=list(RACE_CELLS),
                        help="the lanes: cells of the registry, or Dense")
    args = parser.parse_args()
    config = PRESETS[args.preset].config
    if args.epochs:
        config = dataclasses.replace(config, training=dataclasses.replace(
            config.training, epochs=args.epochs))

    home = Path(tempfile.mkdtemp(prefix="rnnlab-race-"))
    os.environ["RNNLAB_HOME"] = str(home)
    store = Store(home)
    ids = [s.run_id for s in runs.submit_batch(race_configs(config, args.cells), "bench",
                                               store=store)]
    print(f"racing {config.label()} with each cell; store {home}", flush=True)
    start = time.monotonic()
    while any(store.get(i).status not in TERMINAL for i in ids):
        time.sleep(5)
    minutes = (time.monotonic() - start) / 60
    table = race_table([store.get(i) for i in ids], store)
    # The score columns, as the Race page names them ("best validation accuracy", or for weather
    # "best validation MAE (°C)").
    best_column, test_column = (next(name for name in table[0] if name.startswith(prefix))
                                for prefix in ("best validation ", "test "))
    metric = best_column.removeprefix("best validation ")
    print(f"\nThe race, {config.label()} ({config.training.epochs} epochs), {minutes:.0f} min")
    header = (f"{'cell':<10}{'status':<8}{'best val ' + metric:>18}{'test ' + metric:>14}"
              f"{'params':>9}{'s/epoch':>9}{'peak MB':>9}{'grad first/last':>17}")
    print(header + "\n" + "-" * len(header))

    def number(value, spec):
        return format(value, spec) if value is not None else "-"

    for row in table:
        print(f"{row['cell']:<10}{row['status']:<8}"
              f"{number(row[best_column], '.4f'):>18}"
              f"{number(row[test_column], '.4f'):>14}{number(row['parameters'], ','):>9}"
              f"{number(row['seconds per epoch'], '.1f'):>9}"
              f"{number(row['peak memory (MB)'], ',.0f'):>9}"
              f"{number(row['gradient at the first step / at the last'], '.2e'):>17}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
