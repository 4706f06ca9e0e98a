"""`streamlit run serve.py` starts the store's supervisor, and its standby loads TensorFlow, before
anyone opens a page (rnnlab.ui.startup): the first Train of a fresh server need not wait for it."""
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
        assert not supervisor_running(home)
        log = (home / "streamlit.log").read_text()
        assert "The supervisor was not started" in log
    finally:
        server.stop()
