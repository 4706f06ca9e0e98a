"""The Runs page keeps up with the class: its table and the opened run's status redraw while runs
train, and thirty tabs share one read of every run per interval (rnnlab.ui.runs_live).

run_every never fires under AppTest, so `ticking` stands in for the timer: a live panel declared
with one draws, then, in the same script run, draws again as its first tick would, after the
test's `between` steps (what changed in the store meanwhile).
"""
import re

import pytest

import rnnlab.jobs.runs
from rnnlab.config.presets import PRESETS
from rnnlab.ui import polling
from rnnlab.ui.runs_live import RUNS_IDLE_SECONDS, RUNS_POLL_SECONDS
from tests.app.conftest import imdb_config, open_page

RESULT = {"metric": "accuracy", "best_val_accuracy": 0.8125, "test_accuracy": 0.8,
          "seconds_per_epoch": 1.0, "params": 10}


@pytest.fixture
def between() -> list:
    """Steps to take before the next tick of any live panel, each once, in order."""
    return []


@pytest.fixture
def ticking(monkeypatch, between) -> list[float | None]:
    """Live panels that tick once after their first draw; returns each panel's timer."""
    declared = []

    def fragment(body=None, *, run_every=None, **kwargs):
        def declare(body):
            def panel():
                declared.append(run_every)
                body()
                if run_every is not None:
                    if between:
                        between.pop(0)()
                    body()  # the timer's first tick
            return panel
        return declare(body) if body else declare  # @st.fragment or @st.fragment(run_every=...)

    monkeypatch.setattr(polling.st, "fragment", fragment)
    return declared


@pytest.fixture
def clock(monkeypatch) -> list[float]:
    """The time polling.shared_read reads, standing still unless a test moves it."""
    now = [5000.0]
    monkeypatch.setattr(polling, "monotonic", lambda: now[0])
    return now


@pytest.fixture
def reads(monkeypatch) -> list[int]:
    """Each read of every run (rnnlab.jobs.runs.runs): how many runs it returned."""
    made = []
    real = rnnlab.jobs.runs.runs

    def counted(*args, **kwargs):
        made.append(len(answer := real(*args, **kwargs)))
        return answer

    monkeypatch.setattr(rnnlab.jobs.runs, "runs", counted)
    return made


def statuses(app) -> dict[int, str]:
    return app.dataframe[0].value.set_index("run")["status"].to_dict()


def test_a_run_that_ends_shows_in_the_table_and_the_page_then_stops_polling(store, ticking,
                                                                           between, clock):
    run_id = store.submit(imdb_config(), "ada")
    store.claim(1)
    between.append(lambda: store.finish(run_id, "done", result=RESULT))
    app = open_page("runs", {"run": str(run_id)})
    assert not app.exception
    # The table polled while the run trained; its tick found it done, so the page ran again and
    # now shows the result: the table only looks now and then for new runs, the status not at all.
    assert ticking == [RUNS_POLL_SECONDS, RUNS_IDLE_SECONDS, None]
    assert statuses(app) == {run_id: "done"}
    assert app.dataframe[0].value.set_index("run").loc[run_id, "best validation"] == 0.8125
    assert [(m.label, m.value) for m in app.metric][:1] == [("best validation accuracy", "0.8125")]
    assert any(m.value.startswith("**Status:** done") for m in app.markdown)


def test_a_room_with_nothing_running_sees_the_first_run_queued(store, ticking, between, clock):
    """The teacher opens the Runs page before the class starts: the table looks again every
    RUNS_IDLE_SECONDS, and a run queued meanwhile brings it back to polling, with the page."""
    app = open_page("runs")
    assert "There are no runs yet. Start one on the Train page." in [i.value for i in app.info]
    between.append(lambda: store.submit(imdb_config(), "ada"))
    ticking.clear()
    clock[0] += RUNS_IDLE_SECONDS  # the next tick comes in a later slice of time
    app.run()
    assert not app.exception
    (run,) = store.list()
    assert ticking[:2] == [RUNS_IDLE_SECONDS, RUNS_POLL_SECONDS]  # idle, then polling again
    assert statuses(app) == {run.id: "queued"}
    assert "Waiting: it is next. It should start in under a minute." in [i.value for i in app.info]


def test_the_opened_run_says_where_it_stands_while_it_trains(store, ticking, between, clock):
    run_id = store.submit(imdb_config(), "ada")
    queued = store.submit(imdb_config(seed=2), "bob")
    store.claim(1)
    app = open_page("runs", {"run": str(queued)})
    assert "Waiting: it is next. It should start in under a minute." in [i.value for i in app.info]
    app = open_page("runs", {"run": str(run_id)})
    assert app.get("progress")[0].proto.text == "Epoch 1 of 3 · estimating the time left"
    assert statuses(app) == {run_id: "running", queued: "queued"}


def test_a_run_queued_behind_the_books_lstm_says_in_minutes_when_it_should_start(store):
    """The book's LSTM takes minutes on two cores (rnnlab.lessons.estimate's measured figures):
    whoever queued behind it reads how long, not only that it is next."""
    store.submit(PRESETS["imdb-lstm"].config, "ada")
    store.claim(1)
    queued = store.submit(imdb_config(), "bob")
    app = open_page("runs", {"run": str(queued)})
    (words,) = [i.value for i in app.info if i.value.startswith("Waiting")]
    assert re.fullmatch(r"Waiting: it is next\. It should start in about \d+ minutes\.", words)


def test_thirty_tabs_read_every_run_once_per_interval(store, ticking, clock, reads, monkeypatch):
    """Each tab's page reads the runs itself; the table's ticks share one read per
    RUNS_POLL_SECONDS; without sharing (RNNLAB_LIVE_SHARE=0), every tick reads."""
    for seed in range(3):
        store.submit(imdb_config(seed=seed), "ada")
    store.claim(1)
    tabs = [open_page("runs") for _ in range(30)]
    assert not any(tab.exception for tab in tabs)
    # Per tab: the home page reads nothing, the runs page once; the ticks, once for all thirty.
    assert len(reads) == 30 + 1 and set(reads) == {3}
    reads.clear()
    monkeypatch.setenv("RNNLAB_LIVE_SHARE", "0")
    for _ in range(2):
        open_page("runs")
    assert len(reads) == 2 * 2
