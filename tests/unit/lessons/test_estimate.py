"""The estimate before a race or a sweep: measured seconds per epoch, times epochs, run by run."""
import dataclasses

import pytest

from rnnlab.config import LayerConfig, RunConfig
from rnnlab.config.presets import PRESETS
from rnnlab.jobs.store import Run
from rnnlab.lessons.estimate import (
    RUN_OVERHEAD_SECONDS,
    Estimate,
    Measured,
    estimate,
    format_seconds_per_epoch,
    measured_pace,
    pace_key,
    rough_duration,
)
from rnnlab.lessons.race import race_configs
from rnnlab.lessons.sweep import sweep_configs

MEMORY = PRESETS["memory-quick"].config  # length 50, 8,000 examples, 8 epochs
TABLE = (Measured("memory/50/8000", 6400 * 50, {"SimpleRNN": 1.0, "LSTM": 2.0, "GRU": 1.5}),)


def finished(config: RunConfig, seconds_per_epoch: float, run_id: int = 1,
             status: str = "done") -> Run:
    """A run of this server as the store returns it, ended with `status`."""
    return Run(id=run_id, owner="ada", config=config, config_hash=config.fingerprint(),
               status=status, created=0.0, started=0.0, finished=1.0, pid=None, heartbeat=None,
               cancel_requested=None, error=None,
               result={"seconds_per_epoch": seconds_per_epoch}, kind="train", search=None,
               queue_position=None)


def test_a_race_with_nothing_trained_yet_is_timed_from_the_measured_table():
    found = estimate(race_configs(MEMORY), finished=[], measured=TABLE)
    # 8 epochs x (1.0 + 2.0 + 1.5) s, plus each run's overhead, one after another.
    assert found.seconds == pytest.approx(8 * 4.5 + 3 * RUN_OVERHEAD_SECONDS)
    assert (found.runs, found.reused, found.epochs) == (3, 0, 8)
    assert found.seconds_per_epoch == (1.0, 2.0) and not found.from_this_server
    assert found.sentence() == ("Under a minute: 3 runs x 8 epochs at 1 to 2 s per epoch, one "
                                "after another, on this machine.")


def test_this_servers_finished_runs_of_the_same_size_come_first():
    other_seed = dataclasses.replace(MEMORY, training=dataclasses.replace(
        MEMORY.training, seed=99, learning_rate=0.05, epochs=3))   # same pace, other lesson
    runs_here = [finished(race_configs(other_seed)[k], seconds, run_id=k)
                 for k, seconds in enumerate((10.0, 20.0, 30.0))]
    found = estimate(race_configs(MEMORY), runs_here, measured=TABLE)
    assert found.from_this_server and found.seconds_per_epoch == (10.0, 30.0)
    assert found.seconds == pytest.approx(8 * 60 + 3 * RUN_OVERHEAD_SECONDS)
    assert found.sentence() == ("About 8 minutes: 3 runs x 8 epochs at 10 to 30 s per epoch, one "
                                "after another, measured on this server's earlier runs.")


def test_a_run_of_another_size_or_one_that_failed_does_not_count_as_a_measurement():
    bigger = dataclasses.replace(MEMORY, layers=(LayerConfig(cell="LSTM", units=64),))
    failed = finished(MEMORY, 99.0, status="failed")
    assert pace_key(bigger) != pace_key(MEMORY)
    found = estimate([MEMORY], [finished(bigger, 50.0), failed], measured=TABLE)
    assert found.seconds_per_epoch == (2.0, 2.0) and not found.from_this_server


def test_twins_that_already_finished_are_reused_and_cost_nothing():
    racers = race_configs(MEMORY)
    found = estimate(racers, [finished(racers[0], 1.0), finished(racers[1], 2.0, run_id=2)],
                     measured=TABLE)
    assert (found.runs, found.reused) == (1, 2)
    assert found.seconds == pytest.approx(8 * 1.5 + RUN_OVERHEAD_SECONDS)
    assert found.sentence().endswith("2 of the runs were already trained and will be shown at "
                                     "once.")
    everything = estimate(racers, [finished(c, 1.0, run_id=k) for k, c in enumerate(racers)])
    assert everything.seconds == 0 and everything.sentence().startswith("All 3 runs have already")


def test_a_sweep_scales_the_measured_length_by_its_own():
    configs = sweep_configs(MEMORY, [25, 100])
    found = estimate(configs, [], measured=TABLE)
    # Length 25 reads half the steps of the measured 50, length 100 twice as many.
    assert found.seconds_per_epoch == (0.5, 4.0)
    assert found.seconds == pytest.approx(8 * 4.5 * (0.5 + 2.0) + 6 * RUN_OVERHEAD_SECONDS)


def test_two_workers_halve_the_wait_and_a_cell_without_a_figure_takes_the_slowest():
    peephole = dataclasses.replace(MEMORY, layers=(LayerConfig(cell="PeepholeLSTM", units=16),))
    assert measured_pace(peephole, TABLE) == 2.0
    found = estimate(race_configs(MEMORY), [], workers=3, measured=TABLE)
    assert found.seconds == pytest.approx((8 * 4.5 + 3 * RUN_OVERHEAD_SECONDS) / 3)
    assert "3 at a time" in found.sentence()


def test_data_never_measured_gets_no_estimate_rather_than_a_guess():
    jena = PRESETS["jena-gru"].config
    assert measured_pace(jena, TABLE) is None
    assert estimate(race_configs(jena), [], measured=TABLE) is None


def test_the_books_imdb_race_is_estimated_within_a_lesson_on_this_machine():
    """Scaled from imdb-quick's measured pace (120 words) to the book's 500: about 6 minutes, where
    bench/race.py took 4.3 (an estimate that errs long)."""
    found = estimate(race_configs(PRESETS["imdb-lstm"].config), [])
    assert 4 * 60 < found.seconds < 10 * 60 and found.sentence().startswith("About 6 minutes")


def test_memory_quicks_race_fits_a_lesson():
    found = estimate(race_configs(MEMORY), [])
    assert 20 < found.seconds < 90


def test_text_quicks_race_is_timed_from_its_measured_figures_and_scales_with_the_corpus():
    from rnnlab.lessons.estimate import data_key, examples_times_steps

    text = PRESETS["text-quick"].config  # 20 epochs of 240,000 training characters
    assert data_key(text) == "text/python/100/400000"
    assert examples_times_steps(text) == 240_000
    found = estimate(race_configs(text), [])
    assert found.seconds == pytest.approx(20 * (2.0 + 1.8 + 1.5) + 3 * RUN_OVERHEAD_SECONDS)
    assert found.sentence().startswith("About 2 minutes: 3 runs x 20 epochs at 1.5 to 2 s")
    half = dataclasses.replace(text, text=dataclasses.replace(text.text, corpus_chars=200_000))
    assert measured_pace(half) == pytest.approx(0.75)  # the GRU's 1.5 s for half the text


@pytest.mark.parametrize("seconds, words", [
    (59, "Under a minute"), (60, "About 1 minute"), (150, "About 2 minutes"),
    (89 * 60, "About 89 minutes"), (2 * 3600, "About 2.0 hours")])
def test_durations_read_as_people_say_them(seconds, words):
    assert rough_duration(seconds) == words


@pytest.mark.parametrize("seconds, shown", [
    (0.04, "0.04"), (0.87, "0.9"), (1.0, "1"), (1.55, "1.6"), (9.04, "9"), (12.4, "12"),
    (150.2, "150")])
def test_seconds_per_epoch_keep_two_significant_figures_at_most(seconds, shown):
    assert format_seconds_per_epoch(seconds) == shown


def test_a_single_run_trains_alone():
    one = Estimate(runs=1, reused=0, epochs=3, seconds_per_epoch=(9.0, 9.0), seconds=32.0,
                   from_this_server=False)
    assert one.sentence() == "Under a minute: 1 run x 3 epochs at about 9 s per epoch, alone, on " \
                             "this machine."


def test_a_weather_window_scales_within_its_record_only():
    nyc = PRESETS["nyc-quick"].config                    # 72 h of hourly readings, measured
    day = dataclasses.replace(nyc, weather=dataclasses.replace(nyc.weather, lookback_hours=24))
    table = (Measured("weather/nyc-jfk/72/24", 72, {"GRU": 3.0}),)
    assert measured_pace(nyc, table) == 3.0
    assert measured_pace(day, table) == pytest.approx(1.0)       # a third of the steps
    jena = dataclasses.replace(nyc, weather=dataclasses.replace(nyc.weather, source="jena"))
    assert measured_pace(jena, table) is None                     # another record: unknown
