"""The background engine with real processes: store, supervisor, workers, cancel, crashes, load.

The acceptance tests (BOTH_BACKENDS) run twice: on the embedded default, and through a Ray job per
run with the store on PostgreSQL (tests/engine/conftest.py). tests/engine/test_ray.py has what
only Ray does (a refused token, a node without the class's folder).
"""
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from rnnlab.config import ImdbOptions, LayerConfig, RunConfig, TrainingOptions, WeatherOptions
from rnnlab.jobs import artifacts, runs
from rnnlab.jobs.people import OPERATOR
from rnnlab.jobs.shared_home import MARKER
from rnnlab.jobs.store import LimitError
from rnnlab.jobs.supervisor import standbys_ready
from rnnlab.jobs.xla_cache import XLA_CACHE
from rnnlab.network.summary import summarize, total_params
from tests.engine.conftest import BOTH_BACKENDS, ROOT, tiny_config
from tests.waiting import wait_for

TERMINAL = ("done", "failed", "cancelled", "interrupted", "diverged")


def first_batch_row(store, run_id):
    return wait_for(lambda: [m for m in store.metrics_since(run_id) if m.kind == "batch"], 60)


@BOTH_BACKENDS
def test_tiny_run_goes_queued_running_done_with_rows_and_artifacts(store, supervisor, backend):
    run_id = store.submit(tiny_config(epochs=2), "ada")
    assert store.get(run_id).status == "queued" and store.get(run_id).queue_position == 1
    supervisor()
    seen = {store.get(run_id).status}
    deadline = time.monotonic() + 90
    while store.get(run_id).status not in TERMINAL and time.monotonic() < deadline:
        seen.add(store.get(run_id).status)
        time.sleep(0.05)
    run = store.get(run_id)
    assert run.status == "done", run.error
    assert "running" in seen  # (it was queued before the supervisor started)
    rows = store.metrics_since(run_id)
    epochs = [r for r in rows if r.kind == "epoch"]
    assert sorted({r.name for r in epochs}) == ["loss", "mae", "seconds", "val_loss", "val_mae"]
    assert [r.epoch for r in epochs if r.name == "val_mae"] == [1, 2]
    assert any(r.kind == "batch" and r.name == "loss" for r in rows)
    assert [r.id for r in rows] == sorted(r.id for r in rows)
    assert store.metrics_since(run_id, since=rows[-2].id) == rows[-1:]
    files = runs.artifacts(run_id, store)
    assert set(files) == set(artifacts.TRAINING_FILES)
    weights = np.load(files["weights.npz"])
    assert weights["gru_1/gru_cell/kernel"].shape == (8, 9)  # 8 measurements -> 3 gates x 3 units
    assert run.result["epochs_run"] == 2 and run.result["peak_memory_mb"] > 100
    if backend == "local":  # its workers share one XLA cache, where this run's step now is
        assert run.result["execution_path"] == "XLA"
        assert list((store.home / XLA_CACHE).glob("xla_compile_cache_*"))
    assert run.result["best_val_mae"] == min(r.value for r in epochs if r.name == "val_mae")
    trainable = total_params(summarize(run.config))  # the lab's own count: 121 for this GRU(3)
    assert f"Trainable params: {trainable} " in files["summary.txt"].read_text()
    assert files["history.csv"].read_text().splitlines()[0].startswith("epoch,loss,mae")
    gradients = runs.gradient_records(run_id, store)  # before training, after epochs 1 and 2
    timesteps = run.config.weather.lookback_hours // run.config.weather.step_hours
    assert gradients.epochs.tolist() == [0, 1, 2] and gradients.norms.shape == (3, timesteps)
    assert np.all(gradients.norms > 0) and run.result["gradient_record_ms"] > 0
    assert run.node == socket.gethostname()  # the worker says where it trained
    if backend == "ray-postgresql":  # a Ray job, which logged where a local worker logs
        assert run.job == f"rnnlab-{store.store_id}-{run_id}"
        assert (store.home / MARKER).read_text().strip() == store.store_id
        assert (store.run_dir(run_id) / artifacts.PROCESS_LOG).is_file()
    else:
        assert run.job is None


@BOTH_BACKENDS
def test_cancel_mid_epoch_stops_the_run_and_the_next_run_starts(store, supervisor):
    """How soon a cancel lands is bench/stopping.py's figure; tests/unit/trainer/test_reporting.py
    and tests/unit/jobs/test_supervisor.py test the flag and the escalation step by step."""
    long_run = store.submit(tiny_config(epochs=500), "ada")
    next_run = store.submit(tiny_config(epochs=1, seed=2), "bob")
    queued_then_cancelled = store.submit(tiny_config(epochs=1, seed=3), "cy")
    assert runs.cancel(queued_then_cancelled, store, by=OPERATOR) == "cancelled"  # queued: at once
    supervisor()
    first_batch_row(store, long_run)
    assert runs.cancel(long_run, store, by=OPERATOR) == "running"
    wait_for(lambda: store.get(long_run).status == "cancelled", 10)
    stopped = store.get(long_run)
    assert (stopped.result, stopped.error) == (None, None)
    assert stopped.finished >= stopped.cancel_requested
    rows = store.metrics_since(long_run)
    wait_for(lambda: store.get(next_run).status == "done", 90)
    assert store.metrics_since(long_run) == rows  # nothing more came from the stopped worker
    assert store.get(queued_then_cancelled).status == "cancelled"


@BOTH_BACKENDS
def test_a_killed_worker_fails_the_run_and_the_queue_goes_on(store, supervisor):
    victim = store.submit(tiny_config(epochs=500), "ada")
    after = store.submit(tiny_config(epochs=1, seed=2), "ada")
    supervisor()
    first_batch_row(store, victim)
    os.kill(store.get(victim).pid, signal.SIGKILL)
    wait_for(lambda: store.get(victim).status in ("failed", "interrupted"), 30)
    assert store.get(victim).status == "failed"  # its supervisor saw it die, or its Ray job fail
    assert "killed (SIGKILL)" in store.get(victim).error
    wait_for(lambda: store.get(after).status == "done", 90)


@BOTH_BACKENDS
def test_killing_supervisor_and_worker_leaves_finished_runs_intact(store, supervisor, backend):
    first = supervisor()
    finished = store.submit(tiny_config(epochs=1), "ada")
    wait_for(lambda: store.get(finished).status == "done", 90)
    rows_before = store.metrics_since(finished)
    victim = store.submit(tiny_config(epochs=500, seed=2), "ada")
    first_batch_row(store, victim)
    worker_pid = store.get(victim).pid
    first.kill()
    os.kill(worker_pid, signal.SIGKILL)
    supervisor()  # a restarted server starts a new supervisor
    if backend == "local":  # an orphan: nobody can tell how its worker ended
        wait_for(lambda: store.get(victim).status == "interrupted", 10)
        assert "Submit the run again" in store.get(victim).error
    else:  # the new supervisor adopts the run's Ray job, and finds it failed
        wait_for(lambda: store.get(victim).status == "failed", 10)
        assert "killed (SIGKILL)" in store.get(victim).error
    assert store.get(finished).status == "done"
    assert store.metrics_since(finished) == rows_before
    assert store.integrity_ok()


def test_nan_loss_ends_the_run_diverged_with_advice(store, supervisor):
    config = RunConfig(dataset="weather", weather=WeatherOptions(lookback_hours=48),
                       layers=(LayerConfig(cell="SimpleRNN", units=16, activation="relu"),),
                       training=TrainingOptions(epochs=2, batch_size=64, learning_rate=1.0))
    run_id = store.submit(config, "ada")
    supervisor()
    wait_for(lambda: store.get(run_id).status in TERMINAL, 90)
    run = store.get(run_id)
    assert run.status == "diverged"
    assert "The loss became nan" in run.error and "Lower the learning rate" in run.error


def test_a_broken_data_file_fails_the_run_with_the_data_error(store, supervisor, tmp_path, monkeypatch):
    (tmp_path / "imdb.npz").write_bytes(b"not a zip")
    monkeypatch.setenv("RNNLAB_DATA_DIR", str(tmp_path))
    run_id = store.submit(RunConfig(imdb=ImdbOptions(maxlen=10)), "ada")
    supervisor()
    wait_for(lambda: store.get(run_id).status in TERMINAL, 90)
    run = store.get(run_id)
    assert run.status == "failed"
    assert "imdb.npz is truncated or not Keras's imdb.npz" in run.error


def test_identical_finished_run_is_offered_for_reuse(store, supervisor, monkeypatch):
    supervisor()
    config = tiny_config()
    first = runs.submit(config, "ada", store=store)
    wait_for(lambda: store.get(first.run_id).status == "done", 90)
    assert runs.submit(config, "bob", store=store) == runs.Submission(first.run_id, reused=True)
    again = runs.submit(config, "bob", reuse=False, store=store)
    assert not again.reused and again.run_id != first.run_id


def test_owner_limit_refuses_with_a_message_and_queues_nothing(store, monkeypatch):
    monkeypatch.setenv("RNNLAB_OWNER_LIMIT", "3")
    monkeypatch.setattr(runs, "ensure_supervisor", lambda store: False)
    for seed in range(3):
        runs.submit(tiny_config(seed=seed), "ada", store=store)
    with pytest.raises(LimitError, match="ada already has 3 runs queued or running"):
        runs.submit(tiny_config(seed=9), "ada", store=store)
    assert len(store.list()) == 3
    runs.submit(tiny_config(seed=9), "bob", store=store)  # another owner is not affected
    assert [r.queue_position for r in store.list()] == [4, 3, 2, 1]


@BOTH_BACKENDS
def test_four_owners_submit_two_runs_each_from_several_processes(store, supervisor, home):
    submitter = textwrap.dedent("""
        import sys
        from rnnlab.jobs import runs
        from tests.engine.conftest import tiny_config
        owner, number = sys.argv[1], int(sys.argv[2])
        for i in range(2):  # seeds of their own: a twin queued by another is joined, not queued
            runs.submit(tiny_config(seed=100 * number + i), owner, reuse=False)
    """)
    env = {**os.environ, "RNNLAB_HOME": str(home), "RNNLAB_OWNER_LIMIT": "5"}
    supervisor(workers=2)
    processes = [subprocess.Popen([sys.executable, "-c", submitter, owner, str(number)],
                                  cwd=ROOT, env=env)
                 for number, owner in enumerate(("ada", "bob", "cyrus", "dorothea"))]
    assert [p.wait(timeout=60) for p in processes] == [0, 0, 0, 0]
    assert len(store.list()) == 8
    wait_for(lambda: all(r.status in TERMINAL for r in store.list()), 300, interval=0.5)
    finished = store.list()
    assert [r.status for r in finished] == ["done"] * 8
    assert sorted({r.owner for r in finished}) == ["ada", "bob", "cyrus", "dorothea"]
    for run in finished:  # no row lost: every epoch row of every run is there
        names = sorted(m.name for m in store.metrics_since(run.id) if m.kind == "epoch")
        assert names == ["loss", "mae", "seconds", "val_loss", "val_mae"], run.id
    # never more than two at once: count overlapping (started, finished) intervals
    events = sorted([(r.started, 1) for r in finished] + [(r.finished, -1) for r in finished])
    assert max(np.cumsum([delta for _, delta in events])) <= 2
    assert store.integrity_ok()


def test_a_memory_run_trains_in_a_worker_and_replays_in_numpy(store, supervisor):
    """The generated task through the real engine: its head's weights, its gradient records and
    the NumPy replay of its saved weights agree with what the worker measured."""
    from rnnlab.config import MemoryOptions
    from rnnlab.lessons import inside
    from rnnlab.network import replay

    config = RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=6, examples=120),
                       layers=(LayerConfig(cell="LSTM", units=3),),
                       training=TrainingOptions(batch_size=32, epochs=2))
    run_id = store.submit(config, "ada")
    supervisor()
    wait_for(lambda: store.get(run_id).status in TERMINAL, 90)
    run = store.get(run_id)
    assert run.status == "done", run.error
    assert run.result["chance_accuracy"] == 0.5 and run.result["test_examples"] == 24
    files = runs.artifacts(run_id, store)
    weights = np.load(files["weights.npz"])
    assert weights["sum_over_one/kernel"].shape == (3, 1)
    gradients = runs.gradient_records(run_id, store)
    assert gradients.epochs.tolist() == [0, 1, 2] and gradients.norms.shape == (3, 6)
    config, saved = artifacts.read_trained_model(files["weights.npz"].parent)
    x, y = inside.memory_test_set(config)
    accuracy = float(np.mean((replay.predict(config, saved, x) > 0.5) == y))
    assert accuracy == pytest.approx(run.result["test_accuracy"], abs=1e-6)


def process_alive(pid: int) -> bool:
    """True while `pid` runs; a zombie (dead, not yet reaped by its new parent) counts as gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def test_a_ready_standby_takes_the_next_run_and_is_replaced(store, supervisor, home):
    process = supervisor()
    [standby] = wait_for(lambda: standbys_ready(home), 90)  # loaded before anything was submitted
    # ... without scikit-learn, which Keras would load for nothing (rnnlab.trainer.keras_import)
    assert "/sklearn/" not in Path(f"/proc/{standby}/maps").read_text()
    run_id = store.submit(tiny_config(epochs=1), "ada")
    wait_for(lambda: store.get(run_id).status in TERMINAL, 90)
    run = store.get(run_id)
    assert run.status == "done", run.error
    assert run.pid == standby  # the run trained in the process that had loaded TensorFlow
    assert (store.run_dir(run_id) / "process.log").exists()  # its output went to the run's folder
    assert run.result["epochs_run"] == 1 and set(runs.artifacts(run_id, store)) == set(artifacts.TRAINING_FILES)

    # the slot is free again, so a new standby loads; a supervisor that leaves takes it along
    _, replacement = wait_for(lambda: standbys_ready(home)[1:] and standbys_ready(home), 90)
    assert replacement != standby and process_alive(replacement)
    process.stop()
    wait_for(lambda: not process_alive(replacement), 10)


def test_a_killed_supervisors_standby_leaves_by_itself(store, supervisor, home):
    process = supervisor()
    [standby] = wait_for(lambda: standbys_ready(home), 90)
    process.kill()  # SIGKILL: no chance to dismiss it; its stdin pipe closes
    wait_for(lambda: not process_alive(standby), 10)
    assert store.list() == []
