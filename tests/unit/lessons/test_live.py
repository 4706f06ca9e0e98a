"""A run's curves as they grow: series from metric rows, progress and the time left, in numbers."""
import pytest

from rnnlab.jobs.store import MetricRow
from rnnlab.lessons.live import (
    Progress,
    Series,
    epoch_values,
    format_duration,
    progress,
    series,
    time_left,
)


def rows(*specs):
    """MetricRows from (kind, step, epoch, name, value), ids in order as the store gives them."""
    return [MetricRow(i, kind, step, epoch, name, value, 1000.0 + i)
            for i, (kind, step, epoch, name, value) in enumerate(specs, start=1)]


# A run of 10 batches an epoch, two epochs done and the third under way.
RUN = rows(
    ("batch", 4, 1, "loss", 0.90), ("batch", 4, 1, "accuracy", 0.50),
    ("batch", 9, 1, "loss", 0.80), ("batch", 9, 1, "accuracy", 0.55),
    ("epoch", 10, 1, "loss", 0.78), ("epoch", 10, 1, "accuracy", 0.56),
    ("epoch", 10, 1, "val_loss", 0.70), ("epoch", 10, 1, "val_accuracy", 0.60),
    ("batch", 15, 2, "loss", 0.65),
    ("epoch", 20, 2, "loss", 0.60), ("epoch", 20, 2, "val_loss", 0.62),
    ("epoch", 20, 2, "val_accuracy", 0.66),
    ("batch", 25, 3, "loss", 0.55),
)


def test_a_series_picks_one_kind_and_name_in_order():
    assert series(RUN, "batch", "loss") == Series("loss", [4, 9, 15, 25], [1, 1, 2, 3],
                                                  [0.90, 0.80, 0.65, 0.55])
    assert series(RUN, "epoch", "loss") == Series("loss", [10, 20], [1, 2], [0.78, 0.60])
    assert series(RUN, "batch", "val_loss") == Series("val_loss", [], [], [])


def test_epoch_values_are_one_per_finished_epoch_first_epoch_first():
    assert epoch_values(RUN, "val_accuracy") == [0.60, 0.66]
    assert epoch_values(RUN, "accuracy") == [0.56]  # epoch 2 has no training accuracy row
    assert epoch_values(RUN, "mae") == []


def test_progress_counts_batches_against_the_first_epochs_length():
    # 10 batches an epoch x 4 epochs = 40; 25 done in 30 s: 15 more take 30 * 15 / 25 = 18 s
    assert progress(RUN, total_epochs=4, elapsed_seconds=30.0) == Progress(
        epoch=3, epochs_done=2, total_epochs=4, fraction=25 / 40, eta_seconds=pytest.approx(18.0))


def test_before_the_first_epoch_ends_there_is_no_estimate():
    early = RUN[:4]  # batch rows of epoch 1 only: its length is not known yet
    assert progress(early, total_epochs=4, elapsed_seconds=12.0) == Progress(1, 0, 4, 0.0, None)
    assert progress([], total_epochs=5, elapsed_seconds=0.0) == Progress(1, 0, 5, 0.0, None)


def test_a_finished_run_is_whole_with_nothing_left():
    done = RUN[:12]  # ends with epoch 2's rows
    assert progress(done, total_epochs=2, elapsed_seconds=40.0) == Progress(2, 2, 2, 1.0, 0.0)
    # early stopping or a search's extra fits never make it more than whole
    assert progress(RUN, total_epochs=2, elapsed_seconds=50.0).fraction == 1.0


def test_the_epoch_shown_is_the_one_training_or_else_the_last_one_finished():
    between = RUN[:8]  # epoch 1 just ended; no batch of epoch 2 yet
    assert progress(between, total_epochs=3, elapsed_seconds=10.0) == Progress(
        1, 1, 3, pytest.approx(1 / 3), pytest.approx(20.0))


@pytest.mark.parametrize("seconds, words", [
    (0, "0 s"), (59.4, "59 s"), (59.6, "1 min 00 s"), (125, "2 min 05 s"),
    (3599, "59 min 59 s"), (3600, "1 h 00 min"), (7380, "2 h 03 min"), (90061, "25 h 01 min"),
])
def test_durations_read_as_a_person_would_say_them(seconds, words):
    assert format_duration(seconds) == words


def test_the_progress_line_ends_with_the_time_left_or_that_it_is_being_estimated():
    assert time_left(None) == "estimating the time left"
    assert time_left(125.2) == "about 2 min 05 s left"
    assert time_left(18.0) == "about 18 s left"


def test_the_queue_says_next_rather_than_none_ahead():
    from rnnlab.lessons.live import waiting_words

    assert waiting_words(1) == "Waiting: it is next."
    assert waiting_words(2) == "Waiting: 1 run ahead of it."
    assert waiting_words(3) == "Waiting: 2 runs ahead of it."
