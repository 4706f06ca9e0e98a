"""How the app feels: cold start, page render times, Train to the first point, metric lag.

Four figures, measured in Debian's Chromium against a real `streamlit run app.py` with a private
store (targets from issues 9 and 18, on a 2-core machine), each printed beside the load average:

1. cold start: from launching the server to the Home page rendered in the browser (< 2 s on a
   quiet machine, and at most 1.2 times a trivial one-page app's: a temporary `st.title("Hello")`
   app served with the same flags and .streamlit/config.toml). The trivial app, the lab without its
   standby worker (RNNLAB_STANDBY=0) and the lab with it are started in turn, several times, so
   a busy moment weighs on all three alike; the standby imports TensorFlow in those same seconds
   (at a lower CPU priority, rnnlab.jobs.priority), and the two lab figures show what that costs;
2. page render: from clicking a page in the sidebar to that page's script finished, each page
   several times, median and worst (< 0.5 s), once the standby has loaded;
3. Train to first point: from clicking Train on the Train page (the generated long-memory task,
   small) to the live chart's first point in the browser; "cold" is the first run of a server
   just started (< 5 s), "warm" a later one with the standby loaded (< 2 s). Where the time goes
   is printed from the store: claim, the first metric row, and the browser;
4. metric lag: a run is marked running in the store and the Train page watches it; the bench
   writes one batch row at a time and measures until the chart in the browser has the new point
   (< 2 s; the page polls about once a second).

The lab's sources are compiled to bytecode first (compileall), as any start after a server's
first start finds them: without it, where PYTHONDONTWRITEBYTECODE is set, every start of the lab
would compile its modules again (0.2 s), which a trivial app has not got to pay.

Moments on the screen are taken by the page itself, at every animation frame (SHOWN_WATCH, and
wait_for_function's "raf" polling), not by Playwright's locator.wait_for: that one looks again
after 0, 20, 50, 100 and 100 ms and then only every 500 ms, so a page drawn 0.3 s after the
bench began waiting was timed up to half a second late, and a slower page more often than a
faster one (10 cold starts of each, one run: ratio 1.25 that way, 1.22 from the page's own clock).

    python bench/ui.py [--repeats 5] [--cold-starts 8] [--trains 3]
"""
from __future__ import annotations

import argparse
import compileall
import dataclasses
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnnlab.config import MemoryOptions, RunConfig, TrainingOptions  # noqa: E402
from rnnlab.jobs.store import Store  # noqa: E402
from rnnlab.jobs.supervisor import standbys_ready  # noqa: E402
from tests.e2e.server import (  # noqa: E402
    APP_IDLE, ROOT, Server, join, launch_chromium, open_url, plot_points)

# The trivial app: Streamlit's own floor, served with the lab's .streamlit/config.toml.
TRIVIAL_APP = 'import streamlit as st\n\nst.title("Hello")\n'
# A run small enough that its first batch is all that is timed: the generated long-memory task
# (no data to fetch), a few hundred short sequences, one small LSTM layer.
FIRST_POINT_CONFIG = RunConfig(dataset="memory",
                               memory=MemoryOptions(sequence_length=20, examples=512),
                               training=TrainingOptions(epochs=1, batch_size=32))

PAGES = ["Data", "Build", "Train", "Runs and compare", "Inside the cell", "Vanishing gradients",
         "The three-cell race", "Tune", "Home"]


# Run in the page before its own scripts: the wall-clock time (ms) at which a level-1 heading
# reading `heading` was first visible, checked at every animation frame from the start.
SHOWN_WATCH = """(heading => {
  const check = () => {
    const shown = [...document.querySelectorAll('h1')].some(
      h => h.textContent.trim() === heading && h.checkVisibility());
    if (shown) { window.rnnlabShownAt = Date.now(); } else { requestAnimationFrame(check); }
  };
  requestAnimationFrame(check);
})(%s);"""
# True once a heading reading `heading` is visible and the page's script has finished.
DRAWN = """heading => [...document.querySelectorAll('h1, h2, h3')].some(
    h => h.textContent.trim() === heading && h.checkVisibility())
  && document.querySelector(%s) !== null""" % json.dumps(APP_IDLE)


def load() -> str:
    """The machine's load average over the last minute, to print beside a figure."""
    return f"load {os.getloadavg()[0]:.2f}"


def trivial_app(root: Path) -> Path:
    """A one-page `st.title("Hello")` app in a folder of its own, beside a copy of the lab's
    .streamlit/config.toml, so both servers start with the same settings."""
    folder = root / "trivial"
    (folder / ".streamlit").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / ".streamlit" / "config.toml", folder / ".streamlit" / "config.toml")
    (folder / "hello.py").write_text(TRIVIAL_APP)
    return folder / "hello.py"


def cold_start(browser, home: Path, data: Path, standby: bool, app: Path | None = None,
               heading: str = "RNN Lab") -> tuple[Server, float]:
    """Launch a server, open it in a new tab, and time until `heading` is on the screen, by the
    page's own clock (SHOWN_WATCH)."""
    server = Server(home, data, app=app, env={"RNNLAB_STANDBY": "1" if standby else "0"})
    launched = time.time() - (time.perf_counter() - server.started)  # the launch, wall clock
    page = browser.new_page()
    page.add_init_script(SHOWN_WATCH % json.dumps(heading))
    open_url(page, server.url)
    page.wait_for_function("() => window.rnnlabShownAt !== undefined")
    seconds = page.evaluate("window.rnnlabShownAt") / 1000 - launched
    page.close()
    return server, seconds


def wait_for_standby(home: Path, timeout: float = 120, after: int = 0) -> None:
    """Wait until the server's supervisor has a standby worker with TensorFlow loaded (one more
    than the `after` that had loaded before)."""
    deadline = time.monotonic() + timeout
    while len(standbys_ready(home)) <= after:
        if time.monotonic() > deadline:
            raise SystemExit(f"no standby reported ready within {timeout:.0f} s")
        time.sleep(0.1)


def wait_until_idle(home: Path, timeout: float = 300) -> None:
    """Wait until no run of the store is queued or running."""
    deadline, store = time.monotonic() + timeout, Store(home)
    while store.list(status=("queued", "running")):
        if time.monotonic() > deadline:
            raise SystemExit(f"runs still active after {timeout:.0f} s")
        time.sleep(0.2)


def page_render_times(browser, server: Server, repeats: int) -> dict[str, list[float]]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    open_url(page, server.url)
    times: dict[str, list[float]] = {name: [] for name in PAGES}
    for _ in range(repeats):
        for name in PAGES:
            start = time.perf_counter()
            page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
            page.wait_for_function(DRAWN, arg="RNN Lab" if name == "Home" else name,
                                   polling="raf")
            times[name].append(time.perf_counter() - start)
    page.close()
    return times


def first_point(page, server: Server, seed: int) -> dict[str, float]:
    """Click Train on a small run and time until the live chart has its first point.

    Returns when the click came (`clicked`, seconds after the server's launch), then seconds
    from the click to: the run in the store (`queued`), claimed by a worker (`started`), its
    first metric row written (`first row`), and that point on the screen (`on screen`); the
    store's times are wall-clock seconds, so they are compared with time.time.
    """
    config = dataclasses.replace(FIRST_POINT_CONFIG, training=dataclasses.replace(
        FIRST_POINT_CONFIG.training, seed=seed))
    open_url(page, f"{server.url}/train?{urlencode(config.to_query())}")
    clicked_wall, clicked = time.time(), time.perf_counter()
    page.get_by_role("button", name="Train", exact=True).click()
    page.wait_for_function("""() => [...document.querySelectorAll('.js-plotly-plot')].some(
        plot => (plot.data || []).some(
            trace => (trace.x || []).length > 0 && trace.x[0] !== null))""", timeout=120_000)
    on_screen = time.perf_counter() - clicked
    store = Store(server.home)
    run = max(store.list(), key=lambda r: r.id)
    rows = store.metrics_since(run.id)
    return {"clicked": clicked - server.started, "queued": run.created - clicked_wall,
            "started": run.started - clicked_wall,
            "first row": rows[0].time - clicked_wall, "on screen": on_screen}


def train_to_first_point(browser, root: Path, data: Path, trains: int) -> dict[str, list[dict]]:
    """`trains` fresh servers: on each, the first run right after the start ("cold"), then, once
    the standby has loaded TensorFlow, a second one ("warm")."""
    times: dict[str, list[dict]] = {"cold": [], "warm": []}
    for attempt in range(trains):
        server = Server(root / f"train-{attempt}", data)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            open_url(page, f"{server.url}/train")
            join(page, "Bench")
            times["cold"].append({**first_point(page, server, seed=attempt),
                                  "load": os.getloadavg()[0]})
            loaded = len(standbys_ready(server.home))
            wait_until_idle(server.home)  # the one worker slot is free again,
            wait_for_standby(server.home, after=loaded)  # and a new standby has loaded
            times["warm"].append({**first_point(page, server, seed=100 + attempt),
                                  "load": os.getloadavg()[0]})
            page.close()
        finally:
            server.stop()
    return times


def metric_lag(browser, server: Server, repeats: int) -> list[float]:
    store = Store(server.home)
    run_id = store.submit(RunConfig(), "bench")
    store.claim(max_running=1)
    store.beat(run_id)
    store.add_metrics(run_id, [("batch", 1, 1, "loss", 0.7)])
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    open_url(page, f"{server.url}/train?run={run_id}")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length > 0")
    lags = []
    for step in range(2, repeats + 2):
        before = plot_points(page)[0]
        store.beat(run_id)  # keep the supervisor from judging the run abandoned
        written = time.perf_counter()
        store.add_metrics(run_id, [("batch", step, 1, "loss", 0.7 / step)])
        # A chart being replaced has no points for a moment: that is not the new point yet.
        while (plot_points(page) or [before])[0] <= before:
            if time.perf_counter() - written > 30:
                raise SystemExit(f"the chart did not show row {step} within 30 s; the run is "
                                 f"{store.get(run_id).status}")
            time.sleep(0.01)
        lags.append(time.perf_counter() - written)
        time.sleep(0.37)  # land at different points of the page's one-second polling cycle
    page.close()
    store.finish(run_id, "cancelled")
    return lags


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cold-starts", type=int, default=8,
                        help="per app (the trivial one, the lab without and with its standby)")
    parser.add_argument("--trains", type=int, default=3, help="servers for Train to first point")
    parser.add_argument("--only", choices=("cold", "train", "pages"),
                        help="only cold starts, Train to first point, or page renders and lag")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    for source in ("rnnlab", "pages", "app.py", "serve.py"):
        (compileall.compile_dir if (ROOT / source).is_dir() else compileall.compile_file)(
            str(ROOT / source), quiet=1)
    root = Path(tempfile.mkdtemp(prefix="rnnlab-ui-bench-"))
    data = root / "data"
    data.mkdir()
    hello = trivial_app(root)
    kinds = {"trivial": ("the trivial app", hello, "Hello", False),
             "lab-": ("the lab, no standby", None, "RNN Lab", False),
             "lab+": ("the lab, with standby", None, "RNN Lab", True)}
    colds: dict[str, list[tuple[float, float]]] = {kind: [] for kind in kinds}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            if args.only in (None, "cold"):
                for attempt in range(args.cold_starts):
                    for kind, (_, app, heading, standby) in kinds.items():
                        server, seconds = cold_start(browser, root / f"home-{attempt}-{kind}", data,
                                                     standby, app, heading)
                        colds[kind].append((seconds, os.getloadavg()[0]))
                        server.stop()
            if args.only in (None, "train"):
                firsts = train_to_first_point(browser, root, data, args.trains)
            if args.only in (None, "pages"):
                server = Server(root / "home-pages", data)
                try:  # measured once the standby has loaded, as a class would see it
                    wait_for_standby(server.home)
                    renders = page_render_times(browser, server, args.repeats)
                    lags = metric_lag(browser, server, max(10, args.repeats))
                finally:
                    server.stop()
        finally:
            browser.close()

    if args.only in (None, "cold"):
        print("cold start, server launch to the first page rendered, median / worst of "
              f"{args.cold_starts} (target: < 2 s, lab / trivial <= 1.2):")
        medians = {}
        for kind, (label, *_) in kinds.items():
            seconds = [s for s, _ in colds[kind]]
            medians[kind] = statistics.median(seconds)
            print(f"  {label:<24}{medians[kind]:.2f} / {max(seconds):.2f} s   "
                  f"({', '.join(f'{s:.2f} at load {at:.2f}' for s, at in colds[kind])})")
        for kind in ("lab-", "lab+"):
            print(f"  ratio {kinds[kind][0]} / trivial: {medians[kind] / medians['trivial']:.2f}")
    if args.only in (None, "train"):
        print("Train clicked -> first point in the browser (targets: cold < 5 s, warm < 2 s); "
              "seconds after the click:")
        for kind in ("cold", "warm"):
            for n, timing in enumerate(firsts[kind]):
                print(f"  {kind} {n + 1}: " + ", ".join(
                    f"{k} {v:.2f}" if k != "load" else f"load {v:.2f}" for k, v in timing.items()))
            print(f"  {kind} median on screen: "
                  f"{statistics.median(t['on screen'] for t in firsts[kind]):.2f} s")
    if args.only in (None, "pages"):
        print(f"page render, sidebar click to script finished (median / worst of {args.repeats}; "
              f"target < 0.5 s), {load()}:")
        for name, seconds in renders.items():
            print(f"  {name:<21}{statistics.median(seconds):.3f} / {max(seconds):.3f} s")
        print("metric row written -> point in the browser chart: "
              f"median {statistics.median(lags):.2f} s, "
              f"worst {max(lags):.2f} s over {len(lags)} rows  (target < 2 s), {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
