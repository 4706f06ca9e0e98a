"""How soon a run stops through the real engine: a cancel, and a worker that dies.

A tiny weather run (GRU(3), about a second an epoch) is submitted for 500 epochs to a temporary
store, exactly as the app does it (runs.submit starts a supervisor); once its first batch row is
in the store it is stopped, and the seconds until the store shows the ending are printed beside
what the design promises:

- cancel: the worker reads the cancel flag with its heartbeat (every second) and stops at the
  next batch. Target: well under the supervisor's TERM_AFTER (5 s), after which SIGTERM would
  do it instead;
- killed: the worker gets SIGKILL; its supervisor reaps it within a poll (0.2 s) and ends the
  run `failed`. Target: under a second.

(tests/engine/test_engine.py checks that both endings happen; the seconds are measured here.)

    python bench/stopping.py [--rounds 3]
"""
from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnnlab.config import LayerConfig, RunConfig, TrainingOptions, WeatherOptions  # noqa: E402
from rnnlab.jobs import runs  # noqa: E402
from rnnlab.jobs.people import OPERATOR  # noqa: E402
from rnnlab.jobs.store import ACTIVE, Store  # noqa: E402
from rnnlab.jobs.supervisor import POLL_SECONDS, TERM_AFTER, stop_supervisor  # noqa: E402


def long_run(seed: int) -> RunConfig:
    return RunConfig(dataset="weather",
                     weather=WeatherOptions(lookback_hours=12, step_hours=2, delay_hours=6),
                     layers=(LayerConfig(cell="GRU", units=3),),
                     training=TrainingOptions(epochs=500, batch_size=64, seed=seed))


def wait(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.01)
    raise SystemExit(f"{what} did not happen within {timeout:.0f} s")


def stop_one(store: Store, seed: int, stop) -> tuple[float, str]:
    """Submit a long run, stop it with `stop(run)` after its first batch row; seconds to its end."""
    run_id = runs.submit(long_run(seed), "bench", reuse=False, store=store).run_id
    wait(lambda: any(m.kind == "batch" for m in store.metrics_since(run_id)), 120,
         f"run {run_id}'s first batch row")
    started = time.perf_counter()
    stop(store.get(run_id))
    status = wait(lambda: store.get(run_id).status not in ACTIVE and store.get(run_id).status, 60,
                  f"run {run_id}'s end")
    return time.perf_counter() - started, status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    store = Store(tempfile.mkdtemp(prefix="rnnlab-stopping-"))
    cancels, kills = [], []
    try:
        for round_number in range(args.rounds):
            seconds, status = stop_one(store, 2 * round_number + 1,
                                       lambda run: runs.cancel(run.id, store, by=OPERATOR))
            cancels.append(seconds)
            print(f"round {round_number + 1}: cancel -> {status} in {seconds:.2f} s", flush=True)
            seconds, status = stop_one(store, 2 * round_number + 2,
                                       lambda run: os.kill(run.pid, signal.SIGKILL))
            kills.append(seconds)
            print(f"round {round_number + 1}: SIGKILL -> {status} in {seconds:.2f} s", flush=True)
    finally:
        stop_supervisor(store.home)
    print(f"\n{'':<34}{'median':>9}{'worst':>9}   promise")
    print(f"{'cancel -> cancelled':<34}{statistics.median(cancels):>7.2f} s{max(cancels):>7.2f} s"
          f"   < {TERM_AFTER:g} s (SIGTERM after that)")
    print(f"{'worker killed -> failed':<34}{statistics.median(kills):>7.2f} s{max(kills):>7.2f} s"
          f"   < 1 s (the supervisor polls every {POLL_SECONDS:g} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
