"""Train a batch of runs through the real engine, as the app does, for the benches that race or
sweep (race.py, sweep.py, weather_lesson.py).

`submit_to_new_store` queues the configs in a temporary run store, which starts a real supervisor
that trains them one after the other in worker processes. `wait_then_stop` waits for every run to
end, then stops that supervisor: left alone it would idle ten minutes with its standby worker
(TensorFlow loaded, 1.3 GB) beside whatever the bench or the machine runs next, such as
race.py's plain-Keras timings after the race. The store itself is kept, so its runs can be
opened in the app afterwards (RNNLAB_HOME=<store> make app).
"""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from rnnlab.config import RunConfig
from rnnlab.jobs import runs
from rnnlab.jobs.store import TERMINAL, Store
from rnnlab.jobs.supervisor import stop_supervisor

POLL_SECONDS = 5


def submit_to_new_store(configs: list[RunConfig], prefix: str) -> tuple[Store, list[int]]:
    """Queue `configs`, in order, in a new temporary store whose folder name starts with `prefix`.

    Returns:
        The store (its workers find it through RNNLAB_HOME, set here) and the run ids in order.
    """
    home = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["RNNLAB_HOME"] = str(home)
    store = Store(home)
    return store, [s.run_id for s in runs.submit_batch(configs, "bench", store=store)]


def wait_then_stop(store: Store, ids: list[int]) -> float:
    """Wait until every run in `ids` has ended (done, failed, ...), then stop the supervisor.

    Returns:
        Minutes from the call to the last run's end, to within POLL_SECONDS.
    """
    start = time.monotonic()
    while any(store.get(run_id).status not in TERMINAL for run_id in ids):
        time.sleep(POLL_SECONDS)
    minutes = (time.monotonic() - start) / 60
    stop_supervisor(store.home)
    return minutes
