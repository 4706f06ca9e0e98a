"""The browser tests' server (tests/e2e/server.py) leaves nothing running once stopped."""
import time

from rnnlab.jobs.supervisor import supervisor_running
from tests.e2e.server import Server, supervisor_processes


def test_a_server_stopped_while_its_supervisor_starts_leaves_no_supervisor(tmp_path):
    """bench/ui.py stops each server seconds after its start, when the supervisor it launched may
    not hold its lock yet. Left running, that supervisor would load a standby (TensorFlow) and
    idle for ten minutes beside the next measurements and tests."""
    (tmp_path / "data").mkdir()
    server = Server(tmp_path / "home", tmp_path / "data")
    deadline = time.monotonic() + 30
    while not supervisor_processes(server.home) and time.monotonic() < deadline:
        time.sleep(0.01)  # the start-up thread launches it once the first page's modules are in
    started = supervisor_processes(server.home)
    # A supervisor writes its pid into the lock file once it holds the lock.
    no_holder_yet = not (server.home / "supervisor.lock").read_text().strip()
    server.stop()
    assert started and no_holder_yet  # stopped while it was still on its way to its lock
    assert supervisor_processes(server.home) == []
    time.sleep(2)  # long enough for a supervisor still importing to have reached its lock
    assert supervisor_processes(server.home) == []
    assert not supervisor_running(server.home)
