"""What a Ray cluster costs per run: the Ray backend against local worker processes, side by side.

The same tiny run (a GRU of 3 units on the bundled New York weather record, one epoch: about a
second of training, so what is measured is the overhead around it) is trained through a real
supervisor process for a temporary store, once with local workers (as `make app` does) and once
with RNNLAB_RAY_ADDRESS set (rnnlab.jobs.ray_jobs: every run is a Ray job). Both get the same
runs at once, the Ray cluster's CPUs (two on the head `.ci/services` starts), so the difference
is the backend and not the parallelism. For each backend it prints

- submit -> first batch row of one run, with the supervisor started and idle beforehand (the
  local one has its standby worker loaded by then, as in a class; a Ray job imports TensorFlow
  in its own process, and adds Ray's submit and job start);
- the total time of 10 tiny runs submitted at once, submit to the last one `done`;
- the mean claim -> first batch row and claim -> end of those 10 runs: each run's own start-up,
  without its wait in the queue.

    python bench/cluster.py [--address http://127.0.0.1:8265] [--runs 10]

The address defaults to RNNLAB_RAY_ADDRESS, then RNNLAB_TEST_RAY_ADDRESS; the token is read by
Ray's client (RAY_AUTH_TOKEN, RAY_AUTH_TOKEN_PATH or ~/.ray/auth_token).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rnnlab.config import LayerConfig, RunConfig, TrainingOptions, WeatherOptions  # noqa: E402
from rnnlab.jobs.ray_jobs import cluster_cpus, cpus_per_run  # noqa: E402
from rnnlab.jobs.store import Store  # noqa: E402
from rnnlab.jobs.supervisor import standbys_ready, stop_supervisor, supervisor_running  # noqa: E402

ACTIVE = ("queued", "running")


def tiny_config(seed: int) -> RunConfig:
    """The engine tests' tiny run: about a second of training on two cores."""
    return RunConfig(dataset="weather", weather=WeatherOptions(lookback_hours=12, step_hours=2, delay_hours=6),
                     layers=(LayerConfig(cell="GRU", units=3),),
                     training=TrainingOptions(epochs=1, batch_size=64, seed=seed))


def start_supervisor(home: Path, environment: dict[str, str]) -> subprocess.Popen:
    """A real `python -m rnnlab.jobs.supervisor --forever` for the store in `home`."""
    command = [sys.executable, "-m", "rnnlab.jobs.supervisor", "--home", str(home), "--forever"]
    with open(home / "supervisor.log", "ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **environment},
                                   start_new_session=True, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while not supervisor_running(home):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the supervisor did not start; see {home / 'supervisor.log'}")
        time.sleep(0.05)
    return process


def first_batch_row(store: Store, run_id: int) -> float | None:
    """When the run's first batch row was written (None: not yet)."""
    return next((row.time for row in store.metrics_since(run_id) if row.kind == "batch"), None)


def wait_until_ended(store: Store, ids: list[int], timeout: float = 600) -> dict[int, float]:
    """Wait for every run to end; returns each run's first batch row time (they must be `done`)."""
    firsts, deadline = {}, time.monotonic() + timeout
    while True:
        for run_id in ids:
            if run_id not in firsts and (first := first_batch_row(store, run_id)) is not None:
                firsts[run_id] = first
        runs = store.list(ids=ids)
        if not any(run.status in ACTIVE for run in runs):
            break
        if time.monotonic() > deadline:
            raise SystemExit(f"runs still active after {timeout:.0f} s")
        time.sleep(0.02)
    failed = [f"run {run.id} ended {run.status}: {run.error}" for run in runs if run.status != "done"]
    if failed:
        raise SystemExit("\n".join(failed))
    return firsts


def measure(name: str, environment: dict[str, str], runs: int) -> dict:
    """One backend's figures, from a fresh store and a fresh supervisor."""
    store = Store(tempfile.mkdtemp(prefix=f"rnnlab-cluster-{name}-"))
    process = start_supervisor(store.home, environment)
    try:
        if "RNNLAB_RAY_ADDRESS" not in environment:
            while not standbys_ready(store.home):  # a class's supervisor has had time to load one
                time.sleep(0.1)
        submitted = time.time()
        single = store.submit(tiny_config(seed=0), "bench")
        first = wait_until_ended(store, [single])[single] - submitted
        if "RNNLAB_RAY_ADDRESS" not in environment:
            while len(standbys_ready(store.home)) < 2:  # its next standby, before the batch
                time.sleep(0.1)
        submitted = time.time()
        ids = [store.submit(tiny_config(seed), "bench") for seed in range(1, runs + 1)]
        firsts = wait_until_ended(store, ids)
        ended = store.list(ids=ids)
        return {"first": first, "total": max(run.finished for run in ended) - submitted,
                "start": statistics.mean(firsts[run.id] - run.started for run in ended),
                "run": statistics.mean(run.finished - run.started for run in ended)}
    finally:
        stop_supervisor(store.home)
        process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--address", default=os.environ.get("RNNLAB_RAY_ADDRESS")
                        or os.environ.get("RNNLAB_TEST_RAY_ADDRESS"))
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if not args.address:
        raise SystemExit("No Ray head: pass --address or set RNNLAB_RAY_ADDRESS (http://HEAD:8265).")
    at_once = int(cluster_cpus(args.address) // cpus_per_run())
    rows = {"local workers": measure("local", {"RNNLAB_WORKERS": str(at_once)}, args.runs),
            "Ray jobs": measure("ray", {"RNNLAB_RAY_ADDRESS": args.address}, args.runs)}

    print(f"\nGRU(3) on weather/{tiny_config(0).weather.source}, 1 epoch; {at_once} runs at once on "
          f"both backends (the cluster at {args.address}: {at_once * cpus_per_run():g} CPUs)")
    print(f"{'backend':<15} {'submit->1st row':>16} {f'{args.runs} runs total':>15} "
          f"{'claim->1st row':>15} {'claim->end':>11}")
    for name, row in rows.items():
        print(f"{name:<15} {row['first']:>14.2f} s {row['total']:>13.2f} s {row['start']:>13.2f} s "
              f"{row['run']:>9.2f} s")
    local, ray = rows["local workers"], rows["Ray jobs"]
    print(f"Ray's overhead: {ray['first'] - local['first']:+.2f} s to the first row of one run, "
          f"{(ray['total'] - local['total']) / args.runs:+.2f} s per run over {args.runs} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
