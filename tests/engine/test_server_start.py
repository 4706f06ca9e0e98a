"""`streamlit run serve.py` starts the store's supervisor, and its standby loads TensorFlow, before
anyone opens a page (rnnlab.ui.startup): the first Train of a fresh server need not wait for it."""
import os
import urllib.request

from rnnlab.jobs.priority import BACKGROUND_NICENESS
from rnnlab.jobs.supervisor import standbys_ready, supervisor_running
from tests.e2e.server import Server
from tests.waiting import wait_for


def test_the_server_starts_the_supervisor_and_a_loaded_standby_before_any_page_view(tmp_path):
    (tmp_path / "data").mkdir()
    server = Server(tmp_path / "home", tmp_path / "data")  # waits for /_stcore/health only
    try:
        assert wait_for(lambda: supervisor_running(server.home), 30)
        ready = wait_for(lambda: standbys_ready(server.home), 120)
        assert len(ready) == 1
        assert not server.imports_tensorflow()  # the standby is a process of its own
        supervisor = int((server.home / "supervisor.lock").read_text())
        for pid in (ready[0], supervisor):  # both second to the pages
            assert os.getpriority(os.PRIO_PROCESS, pid) == BACKGROUND_NICENESS
    finally:
        server.stop()
    assert not supervisor_running(server.home)


def test_a_store_that_cannot_be_read_starts_no_supervisor_and_the_server_still_serves(tmp_path):
    (tmp_path / "data").mkdir()
    home = tmp_path / "home"
    home.mkdir()
    (home / "lab.sqlite").write_bytes(b"not a database at all" * 100)
    server = Server(home, tmp_path / "data")
    try:
        log = home / "streamlit.log"
        assert wait_for(lambda: "The supervisor was not started" in log.read_text(), 30)
        assert not supervisor_running(home)  # and none will be: the start-up thread has ended
        assert urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=10).status == 200
    finally:
        server.stop()
