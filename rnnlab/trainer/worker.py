"""`python -m rnnlab.trainer.worker RUN_ID`: train one queued run in a process of its own.

(`python -m rnnlab.trainer.worker --standby` loads TensorFlow first and then reads the run id from
stdin: the supervisor keeps one such process ready so a new run starts at once; see
wait_as_standby.)

The supervisor starts one worker per run, in a new process session, so TensorFlow (3-5 s to import,
~0.6 GB, global state, unsafe to fork) never lives in the web server. The worker

1. reads the run's config from the store and writes `config.json` into the run's folder;
2. trains it with rnnlab.trainer.training.train and two callbacks: the curve reporter
   (rnnlab.trainer.reporting: batch and epoch rows through an `Outbox` thread that also beats the
   heartbeat and reads the cancel flag) and a `GradientRecorder` (rnnlab.trainer.gradients: the
   gradient through time on a fixed probe batch, before training and after chosen epochs);
   a text run also gets a `SampleWriter` (rnnlab.trainer.samples: what the model writes after
   every epoch, into samples.json);
3. saves the run's files through rnnlab.jobs.artifacts (summary, model, weights, history, result)
   and ends the run `done`; or `cancelled` (cancel flag or SIGTERM, whatever error they surface
   as), `diverged` (the loss became NaN or infinite), `failed` (the data error, or any other
   exception, in words).

A run of kind `search` takes the same path with rnnlab.trainer.tuning in place of step 2:
keras-tuner trains the trials, each trial is written to the store as it starts and ends, and the
files are search.json, keras-tuner's own folder `tuner/` and result.json (the best trial).

Every worker records its machine's host name (`Store.set_node`) and its pid as it starts. A
worker started as a Ray job (rnnlab.jobs.ray_jobs; RNNLAB_RAY_JOB is set) runs on any node of the
cluster, so it first checks that its RNNLAB_HOME is the class's shared folder
(rnnlab.jobs.shared_home; if not, it says so on one line starting "rnnlab: ", which the
supervisor copies into the run's error, and exits), then logs to the run's process.log as a local
worker does, and names its machine in a data error (each node has its own data folder).
"""
from __future__ import annotations

import os
import resource
import signal
import socket
import sys
import time
import traceback
from pathlib import Path

from rnnlab.data.paths import DataError
from rnnlab.jobs import artifacts
from rnnlab.jobs.priority import give_way_to_pages
from rnnlab.jobs.ray_jobs import WORKER_SAYS
from rnnlab.jobs.shared_home import marker_problem
from rnnlab.jobs.store import CANCELLED, DIVERGED, DONE, FAILED, SEARCH, Store, default_home
from rnnlab.trainer.keras_import import import_keras
from rnnlab.trainer.reporting import Cancelled, CurveWriter, Diverged, Outbox, keras_callback


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def run_worker(run_id: int, store: Store, name_machine: bool = False) -> str:
    """Train run `run_id` and record how it ended; returns the final status.

    Args:
        run_id: a run the supervisor claimed.
        store: the run store.
        name_machine: add this machine's name to a data error (a run on a cluster node).
    Returns:
        The run's final status.
    """
    machine = socket.gethostname()
    store.set_node(run_id, machine)
    store.set_pid(run_id, os.getpid())
    run = store.get(run_id)
    folder = store.run_dir(run_id)
    folder.mkdir(parents=True, exist_ok=True)
    artifacts.write_config(folder, run.config)

    outbox = Outbox(store, run_id)

    def on_sigterm(signum, frame):  # the supervisor's second way of asking (after the flag)
        outbox.cancel.set()
        raise Cancelled()

    signal.signal(signal.SIGTERM, on_sigterm)
    outbox.start()  # beats from here on, so the watchdog hears from this run while Keras loads
    writer = None
    try:
        import_keras()  # 3-5 s; before anything imports it with scikit-learn (keras_import)
        if run.kind == SEARCH:
            status, error, result = _search(store, run, folder, outbox)
        else:
            writer = CurveWriter(outbox, run.config.metric)
            result = _train(run.config, folder, writer)
            status, error = DONE, None
    except Cancelled:
        status, error, result = CANCELLED, None, None
    except Diverged as err:
        status, error, result = DIVERGED, str(err), None
    except DataError as err:
        where = f" (on the machine {machine})" if name_machine else ""
        status, error, result = FAILED, f"{err}{where}", None
    except Exception as err:
        status, error, result = _unexpected_ending(err, folder, outbox)
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        outbox.close()
        if writer is not None:
            artifacts.write_history(folder, writer.epochs)
    store.finish(run_id, status, error=error, result=result)
    return status


def _train(config, folder: Path, writer: CurveWriter) -> dict:
    """Fit one model with the reporting and gradient callbacks; save what later lessons read."""
    import numpy as np

    from rnnlab.trainer.gradients import GradientRecorder, probe_batch
    from rnnlab.trainer.models import keras_summary_text
    from rnnlab.trainer.training import prepare_data, train

    try:  # a first IMDB tokenizing takes seconds: the Train page shows how far it is
        data = prepare_data(config, progress=lambda fraction, words: artifacts.write_preparing(
            folder, fraction, words))
    finally:
        artifacts.clear_preparing(folder)
    recorder = GradientRecorder(probe_batch(data), folder, config.training.epochs)
    callbacks = [keras_callback(writer), recorder]
    if config.dataset == "text":  # the class watches it learn to write, epoch by epoch
        from rnnlab.trainer.samples import SampleWriter

        callbacks.append(SampleWriter(config, folder))
    model, result = train(config, callbacks=callbacks, data=data)
    result["peak_memory_mb"] = peak_memory_mb()
    result["gradient_record_ms"] = recorder.mean_milliseconds
    artifacts.write_summary(folder, keras_summary_text(model))
    model.save(artifacts.model_path(folder))
    artifacts.write_weights(folder, {w.path: np.asarray(w.numpy()) for w in model.weights})
    artifacts.write_result(folder, result)
    return result


def _search(store: Store, run, folder: Path, outbox: Outbox) -> tuple[str, str | None, dict | None]:
    """Run a hyperparameter search; returns (status, error, result) like the training path."""
    from rnnlab.trainer.tuning import SearchCancelled, TrialReporter, run_search

    artifacts.write_search(folder, run.search)
    try:
        reporter = TrialReporter(store, run.id, outbox, run.config.metric)
        result = run_search(run.search, folder, reporter)
        result["peak_memory_mb"] = peak_memory_mb()
        artifacts.write_result(folder, result)
        if "best_hyperparameters" not in result:
            return FAILED, ("No trial finished with a score: every trial failed. Try a smaller "
                            "learning rate or tanh."), result
        return DONE, None, result
    except (Cancelled, SearchCancelled):
        return CANCELLED, None, None
    except (DataError, ValueError) as err:  # written for a student already
        return FAILED, str(err), None
    except Exception as err:
        return _unexpected_ending(err, folder, outbox)


def _unexpected_ending(err: Exception, folder: Path, outbox: Outbox) -> tuple[str, str | None, None]:
    """How a run that raised something unforeseen ended: the details go to worker.log.

    After a cancel request any error counts as the cancel: SIGTERM raises `Cancelled` wherever the
    worker happens to be, and if that is inside a pybind11 module being loaded, pybind11 turns it
    into "ImportError: initialization failed". The student asked the run to stop and it stopped;
    that is not a failure.
    """
    artifacts.write_log(folder, traceback.format_exc())
    if outbox.cancel.is_set():
        return CANCELLED, None, None
    return FAILED, f"{type(err).__name__}: {err}", None


def wait_as_standby() -> int | None:
    """`--standby`: load TensorFlow now, then wait on stdin for the id of the run to train.

    Importing keras costs 3-5 s on two cores (rnnlab.trainer.keras_import, bench/worker_start.py),
    most of the wait between pressing Train and seeing the first point. The supervisor keeps one
    standby loaded while it has a free slot and hands it the next run it claims: the first point
    then comes about 1 s after the claim (the first batch runs eagerly,
    rnnlab.trainer.first_batch) instead of about 5 s. Returns the run id, or None when
    stdin closes or says nothing (the supervisor left or dismissed it).
    """
    started = time.perf_counter()
    import_keras()
    from rnnlab.trainer import (  # noqa: F401  what every run needs
        gradients,
        training,
    )

    print(f"standby {os.getpid()} ready after {time.perf_counter() - started:.1f} s", flush=True)
    line = sys.stdin.readline().strip()
    return int(line) if line.isdigit() else None


def log_to(path: Path) -> None:
    """Send this process's stdout and stderr (TensorFlow's chatter included) to `path`."""
    with open(path, "ab") as log:
        os.dup2(log.fileno(), sys.stdout.fileno())
        os.dup2(log.fileno(), sys.stderr.fileno())


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not (args[0].isdigit() or args[0] == "--standby"):
        print("usage: python -m rnnlab.trainer.worker RUN_ID | --standby", file=sys.stderr)
        return 2
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if args[0] == "--standby":
        run_id = wait_as_standby()
        if run_id is None:
            return 0
        store = Store()
        log_to(store.run_dir(run_id) / artifacts.PROCESS_LOG)
    elif os.environ.get("RNNLAB_RAY_JOB"):
        return work_as_ray_job(int(args[0]))
    else:
        run_id, store = int(args[0]), Store()
    status = run_worker(run_id, store)
    return 0 if status in (DONE, CANCELLED) else 1


def work_as_ray_job(run_id: int) -> int:
    """Train `run_id` as a Ray job on some node: check the class's folder, then log and train.

    Returns:
        0 when the run ended done or cancelled, 1 otherwise, 3 when this node's RNNLAB_HOME is not
        the class's folder (the run is left to the supervisor, which reads the "rnnlab: " line).
    """
    problem = marker_problem(default_home(), os.environ.get("RNNLAB_STORE_ID", ""), socket.gethostname())
    if problem:
        print(WORKER_SAYS + problem, file=sys.stderr, flush=True)
        return 3
    store = Store()
    store.run_dir(run_id).mkdir(parents=True, exist_ok=True)
    log_to(store.run_dir(run_id) / artifacts.PROCESS_LOG)
    status = run_worker(run_id, store, name_machine=True)
    return 0 if status in (DONE, CANCELLED) else 1


if __name__ == "__main__":
    if not os.environ.get("RNNLAB_RAY_JOB"):  # a Ray job's node is the cluster's to schedule
        give_way_to_pages()
    sys.exit(main())
