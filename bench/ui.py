"""How the app feels: cold start, page render times, and how fast a new metric row shows up.

Three figures, measured in Debian's Chromium against a real `streamlit run app.py` with a private
store (targets from the app issue, on a 2-core machine):

1. cold start: from launching the server to the Home page rendered in the browser (< 3 s),
   several times each with and without the supervisor's standby worker (RNNLAB_STANDBY=0), in
   turn: the standby imports TensorFlow in those same seconds, and this shows what that costs;
2. page render: from clicking a page in the sidebar to that page's script finished, each page
   several times, median and worst (< 0.5 s), once the standby has loaded;
3. metric lag: a run is marked running in the store and the Train page watches it; the bench
   writes one batch row at a time and measures until the chart in the browser has the new point
   (< 2 s; the page polls about once a second).

    python bench/ui.py [--repeats 5]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnnlab.config import RunConfig  # noqa: E402
from rnnlab.jobs.store import Store  # noqa: E402
from rnnlab.jobs.supervisor import standbys_ready  # noqa: E402
from tests.e2e.server import Server, launch_chromium, open_url, plot_points, wait_idle  # noqa: E402

PAGES = ["Data", "Build", "Train", "Runs and compare", "Inside the cell", "Vanishing gradients",
         "The three-cell race", "Tune", "Home"]


def cold_start(browser, home: Path, data: Path, standby: bool) -> tuple[Server, float]:
    os.environ["RNNLAB_STANDBY"] = "1" if standby else "0"  # the server's supervisor inherits it
    server = Server(home, data)
    page = browser.new_page()
    open_url(page, server.url)
    page.get_by_role("heading", name="RNN Lab").wait_for()
    seconds = time.perf_counter() - server.started
    page.close()
    return server, seconds


def wait_for_standby(home: Path, timeout: float = 120) -> None:
    """Wait until the server's supervisor has a standby worker with TensorFlow loaded."""
    deadline = time.monotonic() + timeout
    while not standbys_ready(home):
        if time.monotonic() > deadline:
            raise SystemExit(f"no standby reported ready within {timeout:.0f} s")
        time.sleep(0.1)


def page_render_times(browser, server: Server, repeats: int) -> dict[str, list[float]]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    open_url(page, server.url)
    times: dict[str, list[float]] = {name: [] for name in PAGES}
    for _ in range(repeats):
        for name in PAGES:
            start = time.perf_counter()
            page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
            page.get_by_role("heading", name="RNN Lab" if name == "Home" else name).first.wait_for()
            wait_idle(page)
            times[name].append(time.perf_counter() - start)
    page.close()
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
        while plot_points(page)[0] <= before:
            time.sleep(0.01)
        lags.append(time.perf_counter() - written)
        time.sleep(0.37)  # land at different points of the page's one-second polling cycle
    page.close()
    store.finish(run_id, "cancelled")
    return lags


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cold-starts", type=int, default=3, help="per setting (standby on, off)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    root = Path(tempfile.mkdtemp(prefix="rnnlab-ui-bench-"))
    data = root / "data"
    data.mkdir()
    colds: dict[bool, list[float]] = {True: [], False: []}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for attempt in range(args.cold_starts):
            for standby in (False, True):
                server, seconds = cold_start(browser, root / f"home-{attempt}-{standby}", data, standby)
                colds[standby].append(seconds)
                if attempt < args.cold_starts - 1 or not standby:
                    server.stop()
        try:  # the last server kept its standby: measure once it has loaded, as a class would see it
            wait_for_standby(server.home)
            renders = page_render_times(browser, server, args.repeats)
            lags = metric_lag(browser, server, max(10, args.repeats))
        finally:
            server.stop()
            browser.close()

    print("cold start, server launch to Home rendered (target < 3 s), median / worst of "
          f"{args.cold_starts}:")
    for standby, label in ((False, "without the standby"), (True, "with the standby")):
        print(f"  {label:<21}{statistics.median(colds[standby]):.2f} / {max(colds[standby]):.2f} s"
              f"   ({', '.join(f'{s:.2f}' for s in colds[standby])})")
    print("page render, sidebar click to script finished (median / worst of "
          f"{args.repeats}; target < 0.5 s):")
    for name, seconds in renders.items():
        print(f"  {name:<21}{statistics.median(seconds):.3f} / {max(seconds):.3f} s")
    print(f"metric row written -> point in the browser chart: median {statistics.median(lags):.2f} s, "
          f"worst {max(lags):.2f} s over {len(lags)} rows  (target < 2 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
