"""A class on several machines, in the browser: the app on a Ray head and a PostgreSQL store.

The server gets the two variables a teacher sets (RNNLAB_RAY_ADDRESS, RNNLAB_DATABASE_URL, here a
fresh PostgreSQL schema) and the Ray token (RAY_AUTH_TOKEN, from .ci/services). A student trains
a run from the Train page, watches its curve grow while the run trains as a Ray job, and cancels
it; the store on PostgreSQL holds what the page showed, and the web server never loads TensorFlow.
"""
import os
import re

import pytest
from playwright.sync_api import expect

from rnnlab.jobs.store import Store
from tests.engine.conftest import stop_ray_jobs
from tests.e2e.server import Server, join, open_url, plot_points, wait_idle
from tests.postgres import fresh_database_url
from tests.waiting import wait_for

RAY_ADDRESS = os.environ.get("RNNLAB_TEST_RAY_ADDRESS")
pytestmark = pytest.mark.skipif(not RAY_ADDRESS, reason="RNNLAB_TEST_RAY_ADDRESS is unset: no Ray "
                                "head to submit to (.ci/services starts one)")
# The bundled New York record, windows of 24 hourly readings: a second or two per epoch.
LONG_RUN = "dataset=weather&lookback_hours=24&delay_hours=6&batch_size=32&epochs=300&seed=31"


@pytest.fixture
def cluster_server(tmp_path):
    (tmp_path / "data").mkdir()
    with fresh_database_url() as url:
        server = Server(tmp_path / "home", tmp_path / "data",
                        env={"RNNLAB_DATABASE_URL": url, "RNNLAB_RAY_ADDRESS": RAY_ADDRESS})
        yield server
        server.stop()
        stop_ray_jobs(Store(server.home, database_url=url))  # the head outlives the test


def test_train_watch_and_cancel_a_run_on_ray_with_the_store_on_postgresql(cluster_server, new_page):
    server = cluster_server
    store = Store(server.home, database_url=server.database_url)
    page = new_page()
    open_url(page, f"{server.url}/train?{LONG_RUN}")
    join(page, "ada")
    page.get_by_role("button", name="Train", exact=True).click()
    wait_idle(page)
    run_id = wait_for(lambda: [run.id for run in store.list()], 30)[0]

    # the run trains as a Ray job, and the page draws its live points from PostgreSQL
    expect(page.get_by_text(re.compile(r"Epoch \d+ of 300"))).to_be_visible(timeout=120_000)
    # The run is marked running as it is claimed, and its Ray job recorded once submitted: the
    # page (polling four times a second for its first point) may show the first before the second.
    run = wait_for(lambda: (claimed := store.get(run_id)).job and claimed, 30)
    assert (run.status, run.job) == ("running", f"rnnlab-{store.store_id}-{run_id}")
    before = sum(wait_for(lambda: plot_points(page), 60))
    wait_for(lambda: sum(plot_points(page)) > before, 60)
    rows = store.metrics_since(run_id)  # batch rows: on XLA the first epoch may not have ended
    assert rows, "the page drew points the store does not have"

    # cancel from the page: the run's flag, then the Ray job's stop
    page.get_by_role("button", name="Cancel this run", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("Cancelled by ada.", exact=True)).to_be_visible(timeout=15_000)
    run = store.get(run_id)
    assert (run.status, run.cancelled_by, run.error) == ("cancelled", "ada", None)
    assert not server.imports_tensorflow()
