"""When a queued run should start: the queue played out as the supervisor will go."""
import dataclasses

import pytest

from rnnlab.config import LayerConfig, RunConfig
from rnnlab.config.presets import PRESETS
from rnnlab.jobs.store import Run
from rnnlab.lessons.estimate import RUN_OVERHEAD_SECONDS, Measured
from rnnlab.lessons.live import waiting_words
from rnnlab.lessons.queue_wait import start_waits

MEMORY = PRESETS["memory-quick"].config  # length 50, 8,000 examples, 8 epochs
TABLE = (Measured("memory/50/8000", 6400 * 50, {"SimpleRNN": 1.0, "LSTM": 2.0, "GRU": 1.5}),)
NOW = 1000.0
# 8 epochs at the table's seconds per epoch, and the run's overhead.
SIMPLE, LONG = 8 * 1.0 + RUN_OVERHEAD_SECONDS, 8 * 2.0 + RUN_OVERHEAD_SECONDS


def cell(name: str) -> RunConfig:
    return dataclasses.replace(MEMORY, layers=(LayerConfig(cell=name, units=32),))


def job(run_id: int, status: str, config: RunConfig = MEMORY, started: float | None = None,
        position: int | None = None, kind: str = "train", result: dict | None = None) -> Run:
    """A run of the server as the store lists it."""
    return Run(id=run_id, owner="ada", config=config, config_hash=config.fingerprint(),
               status=status, created=0.0, started=started, finished=None, pid=None,
               heartbeat=None, cancel_requested=None, error=None, result=result, kind=kind,
               search=None, queue_position=position)


def test_each_queued_run_starts_when_the_ones_before_it_have_ended():
    running = job(1, "running", cell("LSTM"), started=NOW - 6)  # ends LONG - 6 s from now
    queue = [job(2, "queued", cell("SimpleRNN"), position=1),
             job(3, "queued", cell("GRU"), position=2)]
    waits = start_waits([*queue, running], workers=1, now=NOW, measured=TABLE)
    assert waits == pytest.approx({2: LONG - 6, 3: LONG - 6 + SIMPLE})


def test_the_queue_is_taken_in_its_order_not_the_listings():
    queue = [job(5, "queued", cell("LSTM"), position=2), job(4, "queued", position=1)]
    waits = start_waits(queue, workers=1, now=NOW, measured=TABLE)
    memory_quick = 8 * TABLE[0].seconds_per_epoch[MEMORY.layers[0].cell] + RUN_OVERHEAD_SECONDS
    assert waits == pytest.approx({4: 0.0, 5: memory_quick})


def test_two_workers_start_the_first_two_at_once_and_the_third_at_the_first_end():
    queue = [job(1, "queued", cell("LSTM"), position=1),
             job(2, "queued", cell("SimpleRNN"), position=2),
             job(3, "queued", cell("GRU"), position=3)]
    waits = start_waits(queue, workers=2, now=NOW, measured=TABLE)
    assert waits == pytest.approx({1: 0.0, 2: 0.0, 3: SIMPLE})


def test_a_run_past_its_expected_end_may_end_any_moment():
    running = job(1, "running", cell("LSTM"), started=NOW - 10 * LONG)
    waits = start_waits([running, job(2, "queued", position=1)], 1, NOW, measured=TABLE)
    assert waits == {2: 0.0}


def test_this_servers_finished_runs_of_the_same_size_give_the_pace():
    done = job(1, "done", cell("LSTM"), started=0.0, result={"seconds_per_epoch": 30.0})
    running = job(2, "running", cell("LSTM"), started=NOW)
    waits = start_waits([done, running, job(3, "queued", position=1)], 1, NOW, measured=TABLE)
    assert waits == pytest.approx({3: 8 * 30.0 + RUN_OVERHEAD_SECONDS})


def test_no_figure_for_a_run_behind_a_search_or_data_never_measured():
    search = job(1, "running", started=NOW, kind="search")  # its trials are decided as it goes
    queue = [job(2, "queued", cell("SimpleRNN"), position=1),
             job(3, "queued", cell("GRU"), position=2)]
    assert start_waits([search, *queue], workers=1, now=NOW, measured=TABLE) == {}
    # With a second worker the queue goes on beside the search.
    assert start_waits([search, *queue], workers=2, now=NOW, measured=TABLE) == pytest.approx(
        {2: 0.0, 3: SIMPLE})
    unmeasured = PRESETS["imdb-quick"].config  # TABLE has no IMDB figure
    queue = [job(4, "queued", unmeasured, position=1), job(5, "queued", position=2)]
    assert start_waits(queue, workers=1, now=NOW, measured=TABLE) == {4: 0.0}


def test_the_words_say_the_wait_as_people_say_it():
    assert waiting_words(1, 0.0) == "Waiting: it is next. It should start in under a minute."
    assert waiting_words(3, 200.0) == (
        "Waiting: 2 runs ahead of it. It should start in about 3 minutes.")
    assert waiting_words(2, None) == "Waiting: 1 run ahead of it."
