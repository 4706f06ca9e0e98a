"""A class watching one run: 30 sessions on the Train page, the server's CPU and each one's lag.

A lesson's favourite moment is the whole class watching the teacher's run train on the Train
page. Each open page is a Streamlit session whose live panel (rnnlab.ui.polling) reruns every
second, so the web server's work grows with the class. This bench starts a real
`streamlit run app.py` with a private store (RNNLAB_HOME), puts one run in it as running (as
bench/ui.py's metric lag does: the bench claims it itself and beats its heartbeat, so no worker
trains), and connects `--sessions` watchers to `/train?run=ID`. It then writes that run's metric
rows as a training run writes them (a batch row of loss and accuracy `--rows-per-second` times a
second, the reporter's most) for `--seconds`, and prints:

- the web server process's CPU use, in cores (CPU seconds / wall seconds over the watch
  window), on its own and with its children (the supervisor; no standby worker: RNNLAB_STANDBY=0);
- the lag from a metric row written to that point in each session's chart: median, 95th
  percentile and worst over every (row, session) pair;
- how many chart updates each session got a second (the panel asks for one) and the server's
  CPU per update, which says how many cores a class of 30 needs at one update a second even
  when a busy machine keeps the server from getting them;
- the load average beside them (two shared cores: the figures are only comparable with one
  another measured in the same run).

When the server cannot finish a session's redraw within the polling interval, the browser's
next timer tick asks for a new one, which stops the one in progress (Streamlit reruns a
fragment rather than queueing it), so an overloaded server delivers far fewer than one update
a second: watch the updates-per-second figure before reading the lag.

Targets (issue 18): lag under 2 s, the server under one core.

A watcher is not a browser: 30 Chromium pages would not fit on two cores beside the server. It
speaks Streamlit's own protocol, as the browser's JavaScript does: a WebSocket to
`/_stcore/stream` (subprotocol "streamlit"; no XSRF token is needed to open a session, only to
read Streamlit's own login cookie, which the lab does not use), a `rerun_script` BackMsg with the
page's name and query string, and, when the server sends an `auto_rerun` ForwardMsg for the live
panel's fragment, the same `rerun_script` with that fragment's id on the same timer the browser
keeps (`setInterval`). It decodes each ForwardMsg, finds the plotly chart's spec JSON in the
deltas and counts the points of its first curve (the training loss), as tests/e2e/server.py's
`plot_points` does in a browser; a point counts as on screen when its ForwardMsg arrives. With
`--browser`, one real Chromium page watches too and its lag is printed beside the watchers', to
check that they see what a browser sees (rows are then written at the browser's pace: the next
one once it shows the last, or after 3 s).

`--no-share` turns off the live panel's sharing between sessions (RNNLAB_LIVE_SHARE=0, see
rnnlab.ui.polling), so `--compare` measures both, alternately, in one run.

    python bench/classroom.py [--sessions 30] [--seconds 30] [--compare] [--browser]
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil  # noqa: E402
import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from rnnlab.config import RunConfig  # noqa: E402
from rnnlab.jobs.store import Store  # noqa: E402
from tests.e2e.server import Server  # noqa: E402

HISTORY_STEPS = 150  # batches already trained when the class looks: the chart is not empty


def curve_points(spec: str) -> int:
    """Points in the first curve of a plotly chart's spec JSON (the training loss).

    Plotly writes a NumPy array as a typed array ({"dtype": "f8", "bdata": base64}), a list as a
    JSON list; a reference line's legend entry (x = [null]) is no curve.
    """
    for trace in json.loads(spec).get("data", []):
        x = trace.get("x") or []
        if isinstance(x, dict):  # a typed array: its length is bytes / item size
            return len(base64.b64decode(x["bdata"])) // int(x["dtype"][-1])
        if x != [None]:
            return len(x)
    return 0


@dataclass
class Watcher:
    """One session on the Train page, speaking Streamlit's protocol: what it saw and when."""

    url: str
    query: str
    page: str = "train"
    page_hash: str = ""
    seen: list[tuple[float, int]] = field(default_factory=list)  # (arrival time, chart points)
    timers: dict[str, asyncio.Task] = field(default_factory=dict)

    def rerun(self, fragment: str = "") -> bytes:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query
        if self.page_hash:  # the browser names the page by its hash once the server has said it
            state.page_script_hash = self.page_hash
        else:
            state.page_name = self.page
        if fragment:
            state.fragment_id, state.is_auto_rerun = fragment, True
        return message.SerializeToString()

    async def watch(self, stop: asyncio.Event) -> None:
        async with websockets.connect(self.url, subprotocols=["streamlit"], max_size=None,
                                      compression=None) as socket:
            await socket.send(self.rerun())
            reader = asyncio.create_task(self._read(socket))
            await stop.wait()
            for timer in self.timers.values():
                timer.cancel()
            reader.cancel()

    async def _read(self, socket) -> None:
        async for data in socket:
            arrived = time.perf_counter()
            message = ForwardMsg()
            message.ParseFromString(data)
            kind = message.WhichOneof("type")
            if kind == "navigation":  # st.navigation's page, as the browser's state keeps it
                self.page_hash = message.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = message.page_info_changed.query_string
            elif kind == "auto_rerun":  # the browser's setInterval for a polling fragment
                rerun = message.auto_rerun
                if rerun.fragment_id not in self.timers:
                    self.timers[rerun.fragment_id] = asyncio.create_task(
                        self._every(socket, rerun.interval, rerun.fragment_id))
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                if element.WhichOneof("type") == "plotly_chart":
                    self.seen.append((arrived, curve_points(element.plotly_chart.spec)))

    async def _every(self, socket, interval: float, fragment: str) -> None:
        while True:
            await asyncio.sleep(interval)
            await socket.send(self.rerun(fragment))

    def first_seeing(self, points: int) -> float | None:
        return next((t for t, n in self.seen if n >= points), None)


class Class:
    """`sessions` watchers in one asyncio loop, on a thread of their own."""

    def __init__(self, server: Server, run_id: int, sessions: int):
        url = f"ws://127.0.0.1:{server.port}/_stcore/stream"
        self.watchers = [Watcher(url, f"run={run_id}") for _ in range(sessions)]
        self.loop = asyncio.new_event_loop()
        self.stop = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.stop = asyncio.Event()

        async def everyone():
            tasks = []
            for watcher in self.watchers:  # a class arrives over a few seconds, not at once
                tasks.append(asyncio.create_task(watcher.watch(self.stop)))
                await asyncio.sleep(0.1)
            await asyncio.gather(*tasks, return_exceptions=True)

        self.loop.run_until_complete(everyone())

    def wait_all_see(self, points: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while any(w.first_seeing(points) is None for w in self.watchers):
            if time.monotonic() > deadline:
                missing = sum(w.first_seeing(points) is None for w in self.watchers)
                raise SystemExit(f"{missing} sessions never showed the chart with {points} points")
            time.sleep(0.1)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(10)


def write_row(store: Store, run_id: int, step: int) -> None:
    """One batch's rows, as rnnlab.trainer.reporting writes them (loss and accuracy)."""
    store.beat(run_id)  # the supervisor's watchdog would end a silent run
    loss = 0.7 * 50 / (50 + step)
    store.add_metrics(run_id, [("batch", step, 1, "loss", loss),
                               ("batch", step, 1, "accuracy", 1 - loss)])


def cpu_seconds(process: psutil.Process, children: bool) -> float:
    def used(p: psutil.Process) -> float:
        times = p.cpu_times()
        return times.user + times.system

    total = used(process)
    if children:
        for child in process.children(recursive=True):
            try:
                total += used(child)
            except psutil.NoSuchProcess:
                pass
    return total


@dataclass
class Figures:
    label: str
    lags: list[float]
    server_cores: float
    with_children: float
    bench_cores: float
    load: tuple[float, float, float]
    missed: int
    browser_lags: list[float]
    update_rate: float  # charts each session received per second
    cpu_per_update: float  # server CPU seconds per chart sent

    def print(self) -> None:
        lags = sorted(self.lags)
        p95 = lags[min(len(lags) - 1, int(0.95 * len(lags)))]
        print(f"{self.label}:")
        print(f"  lag, metric row written -> point in a session's chart: median "
              f"{statistics.median(lags):.2f} s, 95th percentile {p95:.2f} s, worst {lags[-1]:.2f} s"
              f"  ({len(lags)} row x session pairs, {self.missed} never seen; target < 2 s)")
        if self.browser_lags:
            print(f"  the same in one real Chromium page: median "
                  f"{statistics.median(self.browser_lags):.2f} s, worst {max(self.browser_lags):.2f} s "
                  f"({len(self.browser_lags)} rows)")
        print(f"  web server CPU: {self.server_cores:.2f} cores (the streamlit process alone), "
              f"{self.with_children:.2f} with its children (supervisor); target < 1 core")
        print(f"  each session got {self.update_rate:.2f} chart updates a second (the panel asks for "
              f"1); the server spent {1000 * self.cpu_per_update:.0f} ms of CPU per update, so a "
              f"class of 30 at one a second needs {30 * self.cpu_per_update:.2f} cores")
        print(f"  the bench's own watchers used {self.bench_cores:.2f} cores beside it")
        print(f"  load average during the window: {self.load[0]:.2f} {self.load[1]:.2f} "
              f"{self.load[2]:.2f} (two cores)")


def watch_once(root: Path, label: str, share: bool, args) -> Figures:
    home = root / label
    store = Store(home)
    run_id = store.submit(RunConfig(), "bench")
    store.claim(max_running=1)  # running, but nobody trains it: the bench writes its rows
    for step in range(1, HISTORY_STEPS + 1):
        write_row(store, run_id, step)
    store.add_metrics(run_id, [("epoch", HISTORY_STEPS // 2, 1, name, value) for name, value in
                               (("loss", 0.6), ("accuracy", 0.7), ("val_loss", 0.62),
                                ("val_accuracy", 0.68))])
    env = {"RNNLAB_STANDBY": "0", "RNNLAB_LIVE_SHARE": "1" if share else "0"}
    server = Server(home, root / "data", env=env, port=args.port)
    browser_lags: list[float] = []
    try:
        watchers = Class(server, run_id, args.sessions)
        step = HISTORY_STEPS
        watchers.wait_all_see(step)
        page = open_browser(server, run_id) if args.browser else None
        process, bench = psutil.Process(server.process.pid), psutil.Process()
        started = time.perf_counter()
        cpu_alone, cpu_all, cpu_bench = (cpu_seconds(process, False), cpu_seconds(process, True),
                                         cpu_seconds(bench, False))
        written: dict[int, float] = {}
        gap = 1 / args.rows_per_second
        while time.perf_counter() - started < args.seconds:
            step += 1
            write_row(store, run_id, step)
            written[step] = time.perf_counter()
            if page is not None:
                browser_lags.extend(browser_sees(page, step, written[step], gap))
            else:
                time.sleep(max(0.0, written[step] + gap - time.perf_counter()))
        ended = time.perf_counter()
        elapsed = ended - started
        server_cores = (cpu_seconds(process, False) - cpu_alone) / elapsed
        with_children = (cpu_seconds(process, True) - cpu_all) / elapsed
        bench_cores = (cpu_seconds(bench, False) - cpu_bench) / elapsed
        load = os.getloadavg()
        time.sleep(5)  # the last rows' polls
        watchers.close()
        if page is not None:
            page.context.browser.close()
            page.playwright.stop()
    finally:
        store.finish(run_id, "cancelled")
        server.stop()
    lags, missed = [], 0
    for step, at in written.items():
        for watcher in watchers.watchers:
            seen = watcher.first_seeing(step)
            if seen is None:
                missed += 1
            else:
                lags.append(seen - at)
    updates = sum(started <= t <= ended for w in watchers.watchers for t, _ in w.seen)
    return Figures(label, lags, server_cores, with_children, bench_cores, load, missed,
                   browser_lags, updates / elapsed / args.sessions,
                   server_cores * elapsed / max(1, updates))


def open_browser(server: Server, run_id: int):
    """One real Chromium page on the same run (tests/e2e/server.py's helpers)."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.server import launch_chromium, open_url

    playwright = sync_playwright().start()
    page = launch_chromium(playwright).new_page(viewport={"width": 1400, "height": 1000})
    page.playwright = playwright
    open_url(page, f"{server.url}/train?run={run_id}")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length > 0")
    return page


def browser_sees(page, step: int, written: float, gap: float) -> list[float]:
    """The browser's lag for this row, if it shows it before the next row is due."""
    from tests.e2e.server import plot_points

    while time.perf_counter() < written + max(gap, 3.0):
        points = plot_points(page)
        if points and points[0] >= step:
            lag = time.perf_counter() - written
            time.sleep(max(0.0, written + gap - time.perf_counter()))
            return [lag]
        time.sleep(0.02)
    return []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=30, help="the watch window")
    parser.add_argument("--rows-per-second", type=float, default=4.0)
    parser.add_argument("--port", type=int, default=8620)
    parser.add_argument("--no-share", action="store_true",
                        help="each session reads and draws for itself (RNNLAB_LIVE_SHARE=0)")
    parser.add_argument("--compare", action="store_true",
                        help="measure without and with sharing, alternately (--rounds times)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--browser", action="store_true",
                        help="one real Chromium page watches too (needs /usr/bin/chromium)")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="rnnlab-classroom-"))
    (root / "data").mkdir()
    settings = [False, True] if args.compare else [not args.no_share]
    print(f"{args.sessions} sessions on /train?run=ID, a batch row every "
          f"{1 / args.rows_per_second:.2f} s for {args.seconds:.0f} s, {HISTORY_STEPS} batches "
          f"already drawn; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for round_ in range(args.rounds):
        for share in settings:
            label = f"{'shared' if share else 'per session'}-{round_ + 1}"
            watch_once(root, label, share, args).print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
