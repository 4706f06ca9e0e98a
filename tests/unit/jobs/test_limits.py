"""The rate limit: one person's requests per minute, counted in the store, refused in words that
say when to try again; others are not affected, and a request that is refused is not counted."""
import pytest

from rnnlab.config import RunConfig, TrainingOptions
from rnnlab.jobs import limits, runs
from rnnlab.jobs.store import LimitError, Store

pytestmark = pytest.mark.usefixtures("store_backend")  # each test on SQLite and PostgreSQL


def config(seed=1):
    return RunConfig(training=TrainingOptions(seed=seed))


def test_a_person_may_ask_rate_limit_times_a_minute_then_is_told_when_to_try_again(
        tmp_path, monkeypatch):
    store = Store(tmp_path)
    clock = [1000.0]
    monkeypatch.setattr("rnnlab.jobs.store.time.time", lambda: clock[0])
    for seed in range(3):
        store.submit(config(seed), "Ada", rate_limit=3)
        clock[0] += 10
    with pytest.raises(LimitError, match=r"ADA has asked for 3 runs or searches in the last "
                                         r"minute, the most one person may \(3 a minute\)\. "
                                         r"Try again in 30 seconds\."):
        store.submit(config(9), "ADA", rate_limit=3)  # the same person, typed another way
    store.submit(config(9), "Bob", rate_limit=3)  # another person is not affected
    clock[0] = 1000.0 + limits.RATE_WINDOW + 0.5  # the first request has left the minute
    store.submit(config(10), "Ada", rate_limit=3)
    assert len(store.list(owner="Ada")) == 4


def test_a_race_is_one_request_and_the_rate_comes_from_the_environment(tmp_path, monkeypatch):
    store = Store(tmp_path)
    monkeypatch.setattr(runs, "ensure_supervisor", lambda store: None)
    monkeypatch.setenv("RNNLAB_SUBMIT_RATE", "2")
    monkeypatch.setenv("RNNLAB_OWNER_LIMIT", "20")
    assert limits.submission_rate() == 2
    runs.submit_batch([config(1), config(2), config(3)], "Ada", store=store)
    runs.submit(config(4), "Ada", store=store)
    with pytest.raises(LimitError, match="2 a minute"):
        runs.submit(config(5), "Ada", store=store)
    assert len(store.list()) == 4
