"""The worker's ending in-process: how an error that a cancel causes is recorded, what a worker
records about its machine, and what a Ray job's worker checks before it starts."""
import os
import signal
import socket
import time

import pytest

from rnnlab.config import LayerConfig, RunConfig, TrainingOptions
from rnnlab.data.paths import DataError
from rnnlab.jobs import runs
from rnnlab.jobs.store import Store
from rnnlab.trainer import gradients, training, worker
from tests.waiting import wait_for


class NoRecorder:
    mean_milliseconds = 0.0

    def __init__(self, *args):
        pass


@pytest.fixture
def claimed_run(tmp_path, monkeypatch):
    """A run in the `running` state, as the supervisor hands it to a worker, with no real data."""
    store = Store(tmp_path / "home")
    config = RunConfig(layers=(LayerConfig(cell="GRU", units=2),), training=TrainingOptions(epochs=1))
    run_id = store.submit(config, "test")
    assert store.claim(max_running=1).id == run_id
    monkeypatch.setattr(training, "prepare_data", lambda config, progress=None: None)
    monkeypatch.setattr(gradients, "probe_batch", lambda data: None)
    monkeypatch.setattr(gradients, "GradientRecorder", NoRecorder)
    return store, run_id


def sigterm_inside_a_loading_extension(config, callbacks, data):
    """What happens when the supervisor's SIGTERM lands while a pybind11 module initialises: the
    handler's exception comes out as pybind11's ImportError."""
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises before this ends
    except BaseException as err:
        raise ImportError("initialization failed") from err
    raise AssertionError("SIGTERM did not interrupt the step")


def test_an_error_after_sigterm_ends_the_run_cancelled_not_failed(claimed_run, monkeypatch):
    store, run_id = claimed_run
    monkeypatch.setattr(training, "train", sigterm_inside_a_loading_extension)

    assert worker.run_worker(run_id, store) == "cancelled"
    run = store.get(run_id)
    assert (run.status, run.error) == ("cancelled", None)
    assert "ImportError: initialization failed" in (store.run_dir(run_id) / "worker.log").read_text()
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # the handler does not outlive the run


def test_the_same_error_without_a_cancel_is_a_failure_in_words(claimed_run, monkeypatch):
    store, run_id = claimed_run

    def broken_import(config, callbacks, data):
        raise ImportError("initialization failed")

    monkeypatch.setattr(training, "train", broken_import)

    assert worker.run_worker(run_id, store) == "failed"
    assert store.get(run_id).error == "ImportError: initialization failed"


def test_the_worker_beats_while_keras_loads(claimed_run, monkeypatch):
    """Keras takes 3-5 s to import on two cores; the watchdog must hear from the run meanwhile
    (a worker that imported it before starting its outbox was ended by a 5 s watchdog in CI)."""
    store, run_id = claimed_run
    claimed_beat = store.get(run_id).heartbeat
    beats_seen = []

    def slow_keras():
        beats_seen.append(wait_for(lambda: store.get(run_id).heartbeat > claimed_beat, 5))

    monkeypatch.setattr(worker, "import_keras", slow_keras)
    monkeypatch.setattr(worker, "_train", lambda config, folder, writer: {})  # not under test
    assert worker.run_worker(run_id, store) == "done"
    assert beats_seen == [True]


def test_a_worker_records_its_machine_and_pid_and_a_node_names_itself_in_a_data_error(claimed_run, monkeypatch):
    store, run_id = claimed_run

    def no_data(config, progress=None):
        raise DataError("The weather data is not in /srv/data: run `make data` on this machine.")

    monkeypatch.setattr(training, "prepare_data", no_data)
    assert worker.run_worker(run_id, store, name_machine=True) == "failed"
    run = store.get(run_id)
    assert (run.node, run.pid) == (socket.gethostname(), os.getpid())
    assert run.error == ("The weather data is not in /srv/data: run `make data` on this machine. "
                         f"(on the machine {socket.gethostname()})")


def test_a_ray_worker_whose_home_is_not_the_class_folder_says_so_and_touches_nothing(tmp_path, monkeypatch, capsys):
    elsewhere = tmp_path / "not-the-share"
    monkeypatch.setenv("RNNLAB_HOME", str(elsewhere))
    monkeypatch.setenv("RNNLAB_STORE_ID", "0123abcd")
    monkeypatch.setenv("RNNLAB_RAY_JOB", "rnnlab-0123abcd-4")
    assert worker.main(["4"]) == 3
    said = capsys.readouterr().err.strip()
    assert said == (f"rnnlab: The machine {socket.gethostname()} does not see the class's folder: "
                    f"{elsewhere} there has no store-id file. Mount the shared folder that holds the "
                    f"class's runs at {elsewhere} on {socket.gethostname()}, at the same path as on the "
                    "web server, and submit the run again.")
    assert not elsewhere.exists()  # no stray store made where nobody looks


def test_the_first_data_preparation_is_reported_while_it_lasts_then_cleared(claimed_run,
                                                                            monkeypatch):
    """The Train page shows the worker's note (runs.preparing) until the first metric row."""
    store, run_id = claimed_run
    seen = []

    def tokenizing(config, progress=None):
        for fraction in (0.25, 0.5, 1.0):
            progress(fraction, f"Tokenizing: {fraction:.0%}")
            seen.append(runs.preparing(run_id, store))

    def after_preparing(config, callbacks, data):
        seen.append(runs.preparing(run_id, store))
        raise ImportError("stop here")

    monkeypatch.setattr(training, "prepare_data", tokenizing)
    monkeypatch.setattr(training, "train", after_preparing)
    worker.run_worker(run_id, store)
    assert seen == [(0.25, "Tokenizing: 25%"), (0.5, "Tokenizing: 50%"), (1.0, "Tokenizing: 100%"),
                    None]
    assert not (store.run_dir(run_id) / "preparing.json").exists()
