"""What training in the background costs: the engine against plain model.fit, side by side.

The same model on the same data (the default weather config: a 32-unit LSTM over 240 hourly
readings of New York's JFK airport, bundled, so this runs anywhere), on the same execution path
(the one the lab chooses for it), is trained alternately

- in this process with the trainer's plain `model.fit` (rnnlab.trainer.training.train), and
- through the engine, exactly as the app does it: runs.submit starts a supervisor process for a
  temporary store, which starts `python -m rnnlab.trainer.worker` with its reporting callback, outbox
  thread and heartbeat (the supervisor leaves by itself after ten idle minutes),

and the seconds per epoch of both are compared (epoch 1, which includes graph tracing, is left
out of the ratio). Throughput ratio = plain seconds per epoch / engine seconds per epoch: 1.0
means the engine costs nothing, the target is at least 0.97. It also prints the time from
submit to the first batch row in the store (data load and model build included; target under
6 s on a 2-core machine), both ways a run can start:

- cold, in round 1: the submit starts the supervisor, whose worker must import TensorFlow first;
- warm, in later rounds: the supervisor's standby worker had TensorFlow loaded before the submit.
  The bench waits for the standby to report ready before the next plain fit, so its import
  never overlaps a measured epoch.

    python bench/overhead.py [--rounds 2] [--epochs 4]
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnnlab.config import RunConfig, TrainingOptions  # noqa: E402
from rnnlab.config.execution_path import choose_path  # noqa: E402
from rnnlab.jobs import runs  # noqa: E402
from rnnlab.jobs.store import Store  # noqa: E402
from rnnlab.jobs.supervisor import standbys_ready  # noqa: E402


def plain_fit(config: RunConfig) -> list[float]:
    """Seconds per epoch of the trainer's model.fit in this process, with no reporting.

    rnnlab.trainer.training.train seeds, builds and fits exactly as the engine's worker does, on
    the execution path the lab chooses (XLA for the LSTM): compared with Keras's default path
    instead, the ratio would measure the path, not the engine.
    """
    from rnnlab.trainer.training import EpochTimer, train

    timer = EpochTimer()
    train(config, callbacks=[timer])
    return timer.seconds


def engine_fit(config: RunConfig, store: Store) -> tuple[list[float], float]:
    """Seconds per epoch as the worker measured them, and seconds from submit to the first batch row."""
    submitted = time.perf_counter()
    run_id = runs.submit(config, "bench", reuse=False, store=store).run_id  # starts a supervisor
    first_row = None
    while True:
        if first_row is None and any(m.kind == "batch" for m in store.metrics_since(run_id)):
            first_row = time.perf_counter() - submitted
        run = store.get(run_id)
        if run.status not in ("queued", "running"):
            break
        # Finely until the first row, to time it; then rarely: every look opens the store, and
        # fifty a second is CPU that the worker's epochs compete for (the plain fit has no watcher).
        time.sleep(0.02 if first_row is None else 0.5)
    if run.status != "done":
        raise SystemExit(f"engine run ended {run.status}: {run.error}")
    seconds = [m.value for m in store.metrics_since(run_id) if m.kind == "epoch" and m.name == "seconds"]
    return seconds, first_row


def wait_for_standby(store: Store, count: int, timeout: float = 120) -> None:
    """Wait until `count` standbys have loaded TensorFlow for this store."""
    deadline = time.monotonic() + timeout
    while len(standbys_ready(store.home)) < count:
        if time.monotonic() > deadline:
            raise SystemExit(f"no standby worker reported ready within {timeout:.0f} s")
        time.sleep(0.1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=4)
    args = parser.parse_args()
    base = RunConfig(dataset="weather")
    config = dataclasses.replace(base, training=TrainingOptions(epochs=args.epochs))
    store = Store(tempfile.mkdtemp(prefix="rnnlab-overhead-"))

    plain, engine, first_rows = [], [], []
    for round_number in range(1, args.rounds + 1):
        p = plain_fit(config)
        e, first = engine_fit(config, store)
        wait_for_standby(store, count=round_number)
        plain += p[1:]
        engine += e[1:]
        first_rows.append(first)
        print(f"round {round_number}: plain {statistics.mean(p[1:]):.2f} s/epoch, engine "
              f"{statistics.mean(e[1:]):.2f} s/epoch, submit -> first batch row {first:.2f} s "
              f"({'cold' if round_number == 1 else 'warm standby'})", flush=True)

    ratio = statistics.mean(plain) / statistics.mean(engine)
    print(f"\n{config.layers[0].cell}({config.layers[0].units}) on weather/{config.weather.source}, "
          f"{args.epochs} epochs x {args.rounds} rounds (epoch 1 left out), both on the "
          f"{choose_path(config).label} path")
    print(f"plain model.fit : {statistics.mean(plain):.3f} s/epoch  (min {min(plain):.3f})")
    print(f"engine          : {statistics.mean(engine):.3f} s/epoch  (min {min(engine):.3f})")
    print(f"throughput ratio engine/plain: {ratio:.3f}  (target >= 0.97)")
    warm = first_rows[1:]
    print(f"submit -> first batch row, cold (TensorFlow imported after the submit): "
          f"{first_rows[0]:.2f} s")
    if warm:
        print(f"submit -> first batch row, warm standby: {', '.join(f'{s:.2f}' for s in warm)} s "
              f"(target < 6 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
