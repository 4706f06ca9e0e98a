"""The worker's ending in-process: how an error that a cancel causes is recorded."""
import os
import signal
import time

import pytest

from rnnlab.config import LayerConfig, RunConfig, TrainingOptions
from rnnlab.jobs.store import Store
from rnnlab.trainer import gradients, training, worker


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
    monkeypatch.setattr(training, "prepare_data", lambda config: None)
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
