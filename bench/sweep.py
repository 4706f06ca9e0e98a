"""The sequence-length sweep through the real engine: what the Vanishing gradients page draws, as text.

It submits the long-memory model (by default the memory-quick preset) at every chosen length once
per cell to a temporary run store, lets a real supervisor train them one after the other in worker
processes, exactly as the app does, and prints best validation accuracy by length and cell, with
the gradient left at the first step relative to the last (each run's final gradient record).

    python bench/sweep.py [--lengths 10 20 50 100] [--seed 1]

About 20-60 s a run on two CPU cores: some 10 minutes for the default 12 runs.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine_batch import submit_to_new_store, wait_then_stop  # noqa: E402  (beside this file)
from rnnlab.config.presets import PRESETS  # noqa: E402
from rnnlab.lessons.race import first_step_gradient  # noqa: E402
from rnnlab.lessons.sweep import DEFAULT_LENGTHS, sweep_configs  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", type=int, nargs="+", default=list(DEFAULT_LENGTHS))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    base = PRESETS["memory-quick"].config
    base = dataclasses.replace(base, training=dataclasses.replace(base.training, seed=args.seed))

    store, ids = submit_to_new_store(sweep_configs(base, args.lengths), "rnnlab-sweep-")
    print(f"sweeping {base.label()} (seed {args.seed}) over lengths {sorted(set(args.lengths))}; "
          f"store {store.home}", flush=True)
    print(f"\n{len(ids)} runs in {wait_then_stop(store, ids):.1f} min")
    header = (f"{'length':>7}{'cell':>11}{'status':>8}{'best val acc':>14}{'test acc':>10}"
              f"{'s/epoch':>9}{'grad first/last':>17}")
    print(header + "\n" + "-" * len(header))
    for run in (store.get(i) for i in ids):
        result = run.result or {}
        gradient = first_step_gradient(run.id, store)

        def number(value, spec):
            return format(value, spec) if value is not None else "-"

        print(f"{run.config.memory.sequence_length:>7}{run.config.layers[0].cell:>11}"
              f"{run.status:>8}{number(result.get('best_val_accuracy'), '.3f'):>14}"
              f"{number(result.get('test_accuracy'), '.3f'):>10}"
              f"{number(result.get('seconds_per_epoch'), '.1f'):>9}{number(gradient, '.1e'):>17}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
