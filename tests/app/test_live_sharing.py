"""A class watching one run or one race: the Train and race pages draw their chart once for every
tab (polling.shared), and a live panel asks the store only what its draw needs.

Each AppTest is one tab with a session of its own, in this one process, as thirty browsers are
on one server; run_every never fires under AppTest, so a tab's redraw is app.run().
"""
import base64
import json
import time

import pytest
from streamlit.testing.v1 import AppTest

import rnnlab.plots.curves
import rnnlab.plots.gradients
from rnnlab.jobs.store import Store
from rnnlab.plots.theme import PRESENTER
from rnnlab.ui import polling
from tests.app.conftest import add_curves, imdb_config, open_page
from tests.app.test_writing import running_text_run


def counted_builds(monkeypatch, module, name: str, size) -> list[int]:
    """Wrap the chart builder module.name so each build records size(its first argument)."""
    builds = []
    build = getattr(module, name)

    def counted(first, *args, **kwargs):
        builds.append(size(first))
        return build(first, *args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return builds


@pytest.fixture
def drawn(monkeypatch) -> list[int]:
    """The training-curve charts built in this process: one entry (its rows) per build."""
    return counted_builds(monkeypatch, rnnlab.plots.curves, "training_curves", len)


@pytest.fixture
def race_drawn(monkeypatch) -> list[int]:
    """The race charts built in this process: one entry (its racers' rows, in all) per build."""
    return counted_builds(monkeypatch, rnnlab.plots.gradients, "race_curves",
                          lambda curves: sum(len(c.rows) for c in curves))


@pytest.fixture
def clock(monkeypatch) -> list[float]:
    """The time polling.shared reads, standing still until a test moves it (clock[0] += ...)."""
    now = [1000.0]
    monkeypatch.setattr(polling, "monotonic", lambda: now[0])
    return now


def loss_points(app) -> int:
    """Points of the chart's first curve (the training loss; on the race page, the first
    racer's), as the browser receives them."""
    x = json.loads(app.get("plotly_chart")[0].proto.spec)["data"][0]["x"]
    if isinstance(x, dict):  # a typed array: bytes / item size
        return len(base64.b64decode(x["bdata"])) // int(x["dtype"][-1])
    return len(x)


def running_race(store) -> list[int]:
    """Three racers, the first training with a point (as running_run's run)."""
    ids = [store.submit(imdb_config(cell=cell), "ada") for cell in ("SimpleRNN", "LSTM", "GRU")]
    store.claim(1)
    add_curves(store, ids[0], "accuracy", 1)  # four batches
    return ids


def running_run(store) -> int:
    run_id = store.submit(imdb_config(), "ada")
    store.claim(1)
    add_curves(store, run_id, "accuracy", 1)  # four batches
    return run_id


@pytest.mark.parametrize("page, pace", [("train", 1.0), ("race", 2.0)])
def test_two_tabs_share_one_chart_and_see_a_new_row_within_share_seconds(
        page, pace, store, clock, timers, request):
    """Two tabs on one running run (Train) or one race whose first racer trains (the race page,
    which polls at half the pace: three runs' curves and a table to redraw)."""
    if page == "train":
        run_id, drawn = running_run(store), request.getfixturevalue("drawn")
        link = {"run": str(run_id)}
    else:
        race, drawn = running_race(store), request.getfixturevalue("race_drawn")
        run_id, link = race[0], {"race": ",".join(map(str, race))}
    first = open_page(page, link)
    second = open_page(page, link)
    assert not first.exception and not second.exception
    assert loss_points(first) == loss_points(second) == 4
    assert drawn == [4 * 2 + 5]  # one build for both tabs, of the 8 batch rows and 5 epoch rows
    # The chart's panel is declared first; on the race page, after the estimate's (ui.batches).
    assert timers[1 if page == "race" else 0] == pace

    store.add_metrics(run_id, [("batch", 5, 2, "loss", 0.3), ("batch", 5, 2, "accuracy", 0.8)])
    first.run()
    assert loss_points(first) == 4  # the same slice of time: the shared chart, not yet redrawn
    clock[0] += polling.SHARE_SECONDS
    first.run()
    second.run()
    assert loss_points(first) == loss_points(second) == 5
    assert drawn == [13, 15]  # one new chart, with the two new rows


def test_without_sharing_each_tab_draws_its_own(store, drawn, clock, monkeypatch):
    monkeypatch.setenv("RNNLAB_LIVE_SHARE", "0")
    run_id = running_run(store)
    first = open_page("train", {"run": str(run_id)})
    second = open_page("train", {"run": str(run_id)})
    assert loss_points(first) == loss_points(second) == 4
    assert len(drawn) == 2


def test_a_run_that_ends_is_drawn_again_at_once(store, drawn, clock):
    run_id = running_run(store)
    app = open_page("train", {"run": str(run_id)})
    store.finish(run_id, "done", result={"metric": "accuracy", "best_val_accuracy": 0.8,
                                         "test_accuracy": 0.8, "seconds_per_epoch": 1.0,
                                         "params": 10})
    app.run()
    assert len(drawn) == 2  # the same rows, but a finished run: its key changed


PROJECTOR = """
import plotly.graph_objects as go
import streamlit as st
from rnnlab.ui import presenter

presenter.apply()
shared = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))
presenter.chart(shared)
st.write(f"shared ticks: {shared.layout.xaxis.tickfont.size}")
"""


def test_the_projector_enlarges_a_copy_and_leaves_the_shared_chart_as_it_was():
    app = AppTest.from_string(PROJECTOR)
    app.query_params["present"] = "1"
    app.run()
    layout = json.loads(app.get("plotly_chart")[0].proto.spec)["layout"]
    assert layout["xaxis"]["tickfont"]["size"] == PRESENTER.tick
    assert app.markdown[0].value == "shared ticks: None"


def queued_seconds_ago(store, run_id: int, seconds: float) -> None:
    """Move the run's time of queueing `seconds` into the past."""
    with store.connect(write=True) as conn:
        conn.execute("UPDATE runs SET created = ? WHERE id = ?", (time.time() - seconds, run_id))


def test_a_tab_waiting_for_the_first_point_polls_four_times_faster_then_slows_down(
        store, timers):
    """Each declaration of the Train page's panel, with its timer: a quarter second while the run
    is just queued (a free worker takes it within half a second) and once a worker has it, while
    it has no point; then a second again (a full rerun declares each new pace)."""
    run_id = store.submit(imdb_config(), "ada")
    app = open_page("train", {"run": str(run_id)})
    assert timers == [polling.FIRST_POINT_SECONDS]  # just queued: the first point is coming
    store.claim(1)
    app.run()  # a worker has it, and no point yet: the same pace
    assert timers[-1] == polling.FIRST_POINT_SECONDS
    add_curves(store, run_id, "accuracy", 1)
    app.run()  # the point is there: the usual pace
    assert timers[-1] == 1.0
    assert not app.exception and app.get("plotly_chart")


def test_a_run_queued_behind_others_is_polled_at_the_usual_pace_until_a_worker_takes_it(
        store, timers):
    """A class's thirty runs queued behind one worker are not asked about four times a second
    each, for minutes: past JUST_QUEUED_SECONDS a queued run's panel slows down, and hurries
    again once a worker takes the run."""
    ahead = store.submit(imdb_config(seed=1), "bea")
    run_id = store.submit(imdb_config(), "ada")
    app = open_page("train", {"run": str(run_id)})
    assert timers == [polling.FIRST_POINT_SECONDS]
    queued_seconds_ago(store, run_id, polling.JUST_QUEUED_SECONDS + 1)
    app.run()  # it has waited long enough to be waiting behind others: the usual pace
    assert timers[-1] == 1.0
    assert store.claim(1).id == ahead
    store.finish(ahead, "done")
    assert store.claim(1).id == run_id
    app.run()  # a worker has it: the faster pace again, until its first point
    assert timers[-1] == polling.FIRST_POINT_SECONDS and not app.exception


def test_a_started_run_shows_empty_axes_and_its_first_point_at_the_next_redraw(store, clock):
    """The axes come before the first point (the browser loads its charting code while the worker
    starts), and a tab's first row is drawn at once: not hidden behind the empty axes that
    polling.shared keeps for the rest of their slice of time."""
    run_id = store.submit(imdb_config(), "ada")
    store.claim(1)
    app = open_page("train", {"run": str(run_id)})
    assert not app.exception and loss_points(app) == 0
    add_curves(store, run_id, "accuracy", 1)
    app.run()  # the same slice of time (the clock stands still)
    assert loss_points(app) == 4
    queued = store.submit(imdb_config(seed=7), "ada")  # not started: no axes yet
    assert not open_page("train", {"run": str(queued)}).get("plotly_chart")


PANEL = """
from rnnlab.ui import polling

polling.live_panel(lambda: {active}, {active}, first_point_of={run_id})
"""


@pytest.fixture
def asked(monkeypatch) -> list[str]:
    """What the panel asks the store for through rnnlab.jobs.runs, in order."""
    names = []
    for name in ("status", "curves"):
        real = getattr(polling.runs, name)

        def recorded(*args, _name=name, _real=real, **kwargs):
            names.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(polling.runs, name, recorded)
    return names


def test_around_its_draw_a_panel_asks_the_store_only_for_a_new_tabs_rows(store, asked, timers):
    """Whether anything is still active comes from draw (PANEL's says so without a read), and
    whether the first point has come, from the rows the tab holds: the only read is the page's,
    fetching this new tab's rows as it declares the panel. A redraw of the fragment alone makes
    none."""
    run_id = store.submit(imdb_config(), "ada")
    store.claim(1)
    add_curves(store, run_id, "accuracy", 1)
    app = AppTest.from_string(PANEL.format(active=True, run_id=run_id))
    app.run()
    assert not app.exception
    assert asked == ["curves"] and timers == [1.0]  # it has its first point: the usual pace
    asked.clear()
    app.run()
    assert asked == ["curves"]  # only rows newer than the held ones; none here


ENDED = """
import streamlit as st
from rnnlab.jobs import runs
from rnnlab.ui import polling

first_run = "declared" not in st.session_state  # the page still thinks the run is going
st.session_state["declared"] = True
polling.live_panel(lambda: runs.status({run_id}).active, first_run)
"""


def test_a_panel_whose_draw_finds_the_run_ended_stops_polling(store, timers):
    """draw's answer differs from the page's (the run ended in between): the page runs again and
    declares the panel without a timer."""
    run_id = store.submit(imdb_config(), "ada")
    store.claim(1)
    store.finish(run_id, "done", result={"metric": "accuracy", "best_val_accuracy": 0.8,
                                         "test_accuracy": 0.8, "seconds_per_epoch": 1.0,
                                         "params": 10})
    app = AppTest.from_string(ENDED.format(run_id=run_id))
    app.run()
    assert not app.exception
    assert timers == [1.0, None]  # polling at first; once draw said "ended", without a timer


def test_a_read_of_the_whole_store_is_made_once_per_interval_for_every_tab(store, clock,
                                                                         monkeypatch, tmp_path):
    """polling.shared_read (the race's estimate polls through it): one read per slice of time
    and run store, whoever asks; a new slice or another store reads again."""
    reads = []

    def read():
        reads.append(clock[0])
        return len(reads)

    assert [polling.shared_read("estimate", 5.0, read) for tab in range(30)] == [1] * 30
    clock[0] += 4.0
    assert polling.shared_read("estimate", 5.0, read) == 1      # the same slice
    assert polling.shared_read("other", 5.0, read) == 2         # something else read
    assert polling.shared_read("estimate", 2.0, read) == 3      # at another pace
    clock[0] += 1.0
    assert polling.shared_read("estimate", 5.0, read) == 4      # the next slice
    monkeypatch.setenv("RNNLAB_HOME", str(tmp_path / "another"))
    assert polling.shared_read("estimate", 5.0, read) == 5      # another store
    monkeypatch.setenv("RNNLAB_LIVE_SHARE", "0")
    assert [polling.shared_read("estimate", 5.0, read) for tab in range(2)] == [6, 7]


def test_a_sweep_s_panels_find_its_runs_in_one_read_per_slice_for_every_tab(store, clock,
                                                                           monkeypatch):
    """The sweep's chart and its question look for its runs among every training run every two
    seconds in every tab (a class's store holds hundreds): polling.shared_runs reads them once per
    SHARE_SECONDS for all of them."""
    run_id = running_run(store)
    reads, every_run = [], polling.runs.runs

    def read(*args, **kwargs):
        reads.append(clock[0])
        return every_run(*args, **kwargs)

    monkeypatch.setattr(polling.runs, "runs", read)
    tabs = [polling.shared_runs(Store()) for tab in range(30)]
    assert len(reads) == 1 and [r.id for r in tabs[0]] == [run_id]
    store.submit(imdb_config(seed=2), "bob")
    clock[0] += polling.SHARE_SECONDS
    assert len(polling.shared_runs()) == 2 and len(reads) == 2


def counted_per_draw(monkeypatch, counted: list, panel: str = "") -> list[int]:
    """Wrap every live panel's draw (those of the function named `panel` only, if given) so that
    each draw records how much `counted` grew while it ran; returns those records."""
    per_draw, live_panel = [], polling.live_panel

    def counting_panel(draw, *args, **kwargs):
        def counted_draw() -> bool:
            before = len(counted)
            still_active = draw()
            if draw.__qualname__.startswith(panel):
                per_draw.append(len(counted) - before)
            return still_active
        live_panel(counted_draw, *args, **kwargs)

    monkeypatch.setattr(polling, "live_panel", counting_panel)
    return per_draw


@pytest.mark.parametrize("page, text", [("train", False), ("train", True), ("race", False),
                                        ("runs", False)])
def test_each_redraw_of_a_live_panel_opens_the_store_at_most_once(page, text, store,
                                                                   monkeypatch):
    """Thirty tabs redraw a training run every second or two. Opening a Store checks the
    database's schema (a connection of its own), so a redraw opens one and hands it to every read
    it makes: the runs' status, their new rows, the chart's rows, a language model's samples
    (`text`), the class's answers to the race's question (the Runs page's table uses the page's
    read, then one shared by every tab)."""
    ids = (running_race(store) if page == "race"
           else [running_text_run(store) if text else running_run(store)])
    params = {"race": ",".join(map(str, ids))} if page == "race" else {"run": str(ids[0])}
    opened, open_store = [], Store.__init__

    def counted(self, *args, **kwargs):
        opened.append(self)
        open_store(self, *args, **kwargs)

    monkeypatch.setattr(Store, "__init__", counted)
    per_draw = counted_per_draw(monkeypatch, opened)
    app = open_page(page, params)
    add_curves(store, ids[0], "accuracy", 2, start=0.6)  # a tab's redraw: new rows to fetch
    app.run()
    assert not app.exception
    assert app.get("progress")  # the run, drawn training
    assert ("#### What it writes after each epoch" in [m.value for m in app.markdown]) == text
    assert per_draw and max(per_draw) == 1, per_draw


def test_a_race_s_racers_are_read_once_per_slice_of_time_for_every_tab(store, clock,
                                                                        monkeypatch):
    """A race's two panels (its chart and its question) ask for its racers every two seconds in
    every tab: polling.shared_statuses reads them once per SHARE_SECONDS for all of them."""
    ids = running_race(store)
    reads, statuses = [], polling.runs.statuses

    def read(*args, **kwargs):
        reads.append(args[0])
        return statuses(*args, **kwargs)

    monkeypatch.setattr(polling.runs, "statuses", read)
    tabs = [polling.shared_statuses(ids, Store()) for tab in range(30)]
    assert reads == [ids] and all(racers is tabs[0] for racers in tabs)
    assert [r.status for r in tabs[0]] == ["running", "queued", "queued"]
    store.finish(ids[0], "cancelled")
    assert polling.shared_statuses(ids)[0].status == "running"  # the same slice
    clock[0] += polling.SHARE_SECONDS
    assert polling.shared_statuses(ids)[0].status == "cancelled" and len(reads) == 2
    store.delete(ids[0])
    clock[0] += polling.SHARE_SECONDS
    with pytest.raises(KeyError, match=f"There is no run {ids[0]}"):
        polling.shared_statuses(ids)


def test_a_redraw_of_the_race_s_question_reads_the_store_twice(store, monkeypatch):
    """The question's panel reads the racers (shared, above) and where the question stands for
    this student (their answer, the class's, closed, revealed: predictions.standing), one
    connection each. It made six here (seven for a student who joined): a read per racer, then
    one per fact."""
    ids = running_race(store)
    reads, connect = [], Store.connect

    def counted_connect(self, *args, **kwargs):
        reads.append(args)
        return connect(self, *args, **kwargs)

    monkeypatch.setattr(Store, "connect", counted_connect)
    per_draw = counted_per_draw(monkeypatch, reads, panel="race_prediction")
    app = open_page("race", {"race": ",".join(map(str, ids))})
    assert not app.exception
    assert app.get("radio")  # the question, open: the race is on
    assert per_draw == [2]
