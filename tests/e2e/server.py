"""Start a real `streamlit run serve.py` (the lab's app) and drive Debian's Chromium: shared by
e2e tests and bench/ui.py.

The server gets a private store (RNNLAB_HOME) and the data folder it is given; it starts a real
supervisor as it starts (rnnlab.ui.startup). Playwright drives /usr/bin/chromium, never a
downloaded browser, with flags that keep it off the network.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run serve.py` on a free loopback port, in its own process group."""

    def __init__(self, home: Path, data: Path, owner_limit: int = 10,
                 env: dict[str, str] | None = None, app: Path | None = None,
                 port: int | None = None):
        """Start the server; `env` adds to (or overrides) its environment, e.g.
        RNNLAB_TEACHER_SECRET for a class with a teacher. `app`: another one-file app to serve
        instead of the lab's (bench/ui.py's trivial one), run from its own folder, so it reads the
        .streamlit/config.toml put beside it. `port`: a free one unless given."""
        home.mkdir(parents=True, exist_ok=True)
        self.home, self.port = home, port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "RNNLAB_HOME": str(home), "RNNLAB_DATA_DIR": str(data),
               "RNNLAB_OWNER_LIMIT": str(owner_limit), "TF_CPP_MIN_LOG_LEVEL": "3", **(env or {})}
        self.database_url = env.get("RNNLAB_DATABASE_URL")  # None: the SQLite file in `home`
        self.log = open(home / "streamlit.log", "wb")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(app or "serve.py"),
             "--server.headless", "true", "--server.port", str(self.port),
             "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=app.parent if app else ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"the Streamlit server did not become healthy; see {self.log.name}")

    def imports_tensorflow(self) -> bool:
        """Whether the web server process has TensorFlow's native library loaded."""
        maps = Path(f"/proc/{self.process.pid}/maps").read_text()
        return "tensorflow" in maps

    def stop(self) -> None:
        """Kill the workers (each leads its own process group), the supervisor and the server."""
        from rnnlab.jobs.schema import StoreError
        from rnnlab.jobs.store import Store

        try:
            running = Store(self.home, database_url=self.database_url).list(status="running")
        except StoreError:  # a store file a test damaged on purpose holds no run to stop
            running = []
        for run in running:
            if run.pid:
                try:
                    os.killpg(run.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        stop_every_supervisor(self.home)  # the server starts it, in a session of its own
        self.log.close()


def supervisor_processes(home: Path) -> list[int]:
    """The pids of the live processes started as `home`'s supervisor, whether or not they have
    taken its lock yet (read from /proc)."""
    pids = []
    for process in Path("/proc").iterdir():
        try:
            arguments = (process / "cmdline").read_bytes().split(b"\0")
        except OSError:  # not a process, or one that has just gone
            continue
        if b"rnnlab.jobs.supervisor" in arguments and str(home).encode() in arguments:
            pids.append(int(process.name))
    return pids


def stop_every_supervisor(home: Path, timeout: float = 30) -> None:
    """Stop every supervisor launched for the store in `home`, also one still starting.

    A server (or an app under AppTest) launches it, sometimes twice: app.py and the start-up
    thread race, and the loser exits when it finds the lock taken. Stopped within seconds of its
    launch (bench/ui.py's cold starts), one may not hold the lock yet, or take it once the first
    has gone; `stop_supervisor` alone would miss it, and it would load a standby and idle ten
    minutes beside the next tests.
    """
    from rnnlab.jobs.supervisor import stop_supervisor, supervisor_running

    deadline = time.monotonic() + timeout
    while supervisor_processes(home) and time.monotonic() < deadline:
        if supervisor_running(home):
            stop_supervisor(home)
        else:  # still starting
            time.sleep(0.05)


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)


def wait_idle(page) -> None:
    """Wait until the page's script has finished running."""
    page.wait_for_selector(APP_IDLE)


def open_url(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


def join(page, name: str) -> None:
    """Join the class in the sidebar under `name`, as a student does, and wait until the sidebar
    says who they are."""
    from playwright.sync_api import expect

    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("button", name="Join the class").click()
    # The popover opens over the page, outside the sidebar's part of the document.
    page.get_by_role("textbox", name="Your name").fill(name)
    page.get_by_role("button", name="Join", exact=True).click()
    wait_idle(page)
    expect(sidebar.get_by_text(f"You are {name}")).to_be_visible()
    # The page's script writes the signed cookie as the sidebar is drawn; a reload or a new tab
    # a moment later than that finds the person again (rnnlab.ui.identity).
    from tests.waiting import wait_for

    wait_for(lambda: any(c["name"] == "rnnlab_person" for c in page.context.cookies()), 10)


def plot_points(page, index: int = 0) -> list[int]:
    """How many points each curve of the index-th plotly chart on the page has right now.

    A reference line's legend entry (a trace at x = [null], see rnnlab.plots.curves
    add_references) draws nothing and is not a curve.
    """
    return page.evaluate(
        """(index) => {
            const plots = document.querySelectorAll('.js-plotly-plot');
            if (plots.length <= index) return [];
            const curves = plots[index].data.filter(
                trace => !(trace.x && trace.x.length === 1 && trace.x[0] === null));
            return curves.map(trace => (trace.x || []).length);
        }""", index)
