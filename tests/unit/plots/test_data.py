"""Data page plots: traces, axis titles, the maxlen line, the share of long reviews, window points."""
import numpy as np
import pandas as pd
import pytest

from rnnlab.plots import data as plots


def traces(figure):
    return {trace.name: trace for trace in figure.data}


def test_share_longer_counts_reviews_strictly_longer_than_maxlen():
    assert plots.share_longer([10, 20, 30, 40], 20) == 0.5   # 30 and 40; 20 fits exactly
    assert plots.share_longer([10, 20], 100) == 0.0
    assert plots.share_longer([], 5) == 0.0


def test_length_histogram_splits_at_maxlen_and_counts_every_review():
    lengths = np.array([5, 12, 24, 25, 26, 49, 60, 130])
    figure = plots.length_histogram(lengths, maxlen=25, bin_width=10)
    kept, longer = figure.data
    assert kept.name.startswith("fit in maxlen") and "(50.0%)" in kept.name
    assert longer.name.startswith("longer than maxlen") and "(50.0%)" in longer.name
    assert sum(kept.y) == 4 and sum(longer.y) == 4     # 5, 12, 24, 25 fit; 26, 49, 60, 130 don't
    # maxlen is a bin edge: every kept bar ends at or before it, every long bar starts after it.
    assert max(np.asarray(kept.x) + np.asarray(kept.width) / 2) == 25
    assert min(np.asarray(longer.x) - np.asarray(longer.width) / 2) == 25
    assert "50.0% of the 8 reviews are longer than maxlen = 25" in figure.layout.title.text
    (line,) = figure.layout.shapes
    assert line.x0 == line.x1 == 25
    assert figure.layout.annotations[0].text == "maxlen = 25"
    assert figure.layout.xaxis.title.text == "review length (tokens, start marker included)"
    assert figure.layout.yaxis.title.text == "number of reviews"
    assert "reviews of" in kept.hovertemplate


def test_length_histogram_bars_cover_the_reviews_exactly():
    rng = np.random.default_rng(0)
    lengths = rng.integers(2, 900, size=1000)
    figure = plots.length_histogram(lengths, maxlen=333)
    kept, longer = figure.data
    assert sum(kept.y) == (lengths <= 333).sum() and sum(longer.y) == (lengths > 333).sum()


def test_downsample_keeps_at_most_max_points():
    times = np.arange(10_000)
    shown_times, shown_values, stride = plots.downsample(times, times * 2.0, max_points=3000)
    assert stride == 4 and len(shown_times) == 2500 and shown_values[1] == 8.0
    assert plots.downsample(times[:50], times[:50], 5000)[2] == 1


def hourly(n=500):
    times = pd.date_range("2010-01-01", periods=n, freq="h").to_numpy()
    values = np.sin(np.arange(n) / 5.0) * 10
    return times, values


def test_weather_window_draws_the_readings_and_the_target_at_their_exact_times():
    times, values = hourly()
    rows = np.arange(100, 148, 4)          # 12 readings, one every 4 h
    target = rows[-1] + 24                 # 24 h after the last reading
    figure = plots.weather_window(times, values, times[rows], values[rows], times[target],
                                  values[target], "°C", step_hours=4, delay_hours=24)
    by_name = traces(figure)
    reads = next(t for name, t in by_name.items() if name.startswith("what the network reads"))
    assert "12 readings, one every 4 h" in reads.name
    assert np.array_equal(np.asarray(reads.x, dtype="datetime64[ns]"), times[rows])
    assert np.allclose(reads.y, values[rows])
    goal = next(t for name, t in by_name.items() if name.startswith("what it must predict"))
    assert "24 h after the last reading" in goal.name
    assert np.asarray(goal.x, dtype="datetime64[ns]")[0] == times[target]
    assert goal.y[0] == pytest.approx(values[target])
    guess = next(t for name, t in by_name.items() if name.startswith("common-sense guess"))
    assert list(guess.y) == [values[rows[-1]]] * 2
    assert f"off by {abs(values[target] - values[rows[-1]]):.1f} °C" in guess.name
    # The record is drawn only around the window, at full resolution (every hourly reading).
    record = by_name["the record (every reading)"]
    drawn = np.asarray(record.x, dtype="datetime64[ns]")
    assert drawn[0] <= times[rows[0]] and drawn[-1] >= times[target] and len(drawn) < len(times)
    assert np.all(np.diff(drawn) == np.timedelta64(1, "h"))
    lookback, delay = figure.layout.shapes
    assert pd.Timestamp(lookback.x0) == pd.Timestamp(times[rows[0]])
    assert pd.Timestamp(delay.x1) == pd.Timestamp(times[target])
    assert [a.text for a in figure.layout.annotations] == ["lookback: 48 h", "delay: 24 h"]
    assert figure.layout.yaxis.title.text == "temperature (°C)"
    assert figure.layout.xaxis.title.text == "date and time"


def test_series_overview_thins_long_records_and_marks_parts_and_window():
    times = pd.date_range("2009-01-01", periods=42_000, freq="10min").to_numpy()
    values = np.linspace(-5, 25, len(times))
    parts = [("training", times[0], times[25_199]), ("validation", times[25_200], times[33_599]),
             ("test", times[33_600], times[-1])]
    figure = plots.series_overview(times, values, "°C", times[30_000], times[30_500], parts,
                                   max_points=5000)
    (line,) = figure.data
    assert len(line.x) <= 5000 and "one reading in 9" in line.name
    assert [a.text for a in figure.layout.annotations] == ["training", "validation", "test",
                                                           "example window"]
    window = figure.layout.shapes[-1]
    assert pd.Timestamp(window.x0) == pd.Timestamp(times[30_000])
    assert figure.layout.yaxis.title.text == "temperature (°C)"
    assert figure.layout.xaxis.title.text == "date"


def test_memory_examples_draw_the_marked_values_apart_from_the_others():
    values = np.array([[0.9, 0.2, 0.4, 0.3], [0.1, 0.5, 0.2, 0.3], [0.6, 0.0, 0.7, 0.0],
                       [0.2, 0.3, 0.3, 0.3], [0.9, 0.1, 0.1, 0.1]])
    markers = np.array([[1, 0, 1, 0], [1, 0, 0, 1], [1, 0, 1, 0], [1, 0, 0, 1], [1, 0, 1, 0]])
    sequences = np.stack([values, markers], axis=-1)
    labels = np.array([1, 0, 1, 0, 1])  # 0.9 + 0.4 > 1, 0.1 + 0.3 < 1, 0.6 + 0.7 > 1, ...
    figure = plots.memory_examples(sequences, labels)
    assert len(figure.data) == 8  # four rows (max_shown), two traces each
    others, marked = figure.data[0], figure.data[1]
    assert list(others.x) == [0, 1, 2, 3] and list(others.y) == pytest.approx([0.9, 0.2, 0.4, 0.3])
    assert others.name == "a value at every step: not marked, a distraction"
    assert list(marked.x) == [0, 2] and list(marked.y) == pytest.approx([0.9, 0.4])
    assert marked.name == "the two marked values: their sum is more than 1, the answer is 1"
    assert "add up to 1.30" in marked.hovertemplate
    assert marked.marker.color == plots.ANSWER_COLOURS[1] and marked.marker.size > others.marker.size
    assert list(figure.data[3].x) == [0, 3]
    assert figure.data[3].name == "the two marked values: their sum is not more than 1, the answer is 0"
    assert figure.data[3].marker.color == plots.ANSWER_COLOURS[0]
    # Each answer and the other values appear once in the legend.
    assert [t.name for t in figure.data if t.showlegend] == [
        others.name, marked.name, figure.data[3].name]
    assert figure.layout.yaxis.title.text == "answer 1" and figure.layout.yaxis2.title.text == "answer 0"
    assert figure.layout.xaxis4.title.text.startswith("step t")
    assert figure.layout.title.text.startswith("4 sequences of 4 steps: only the two starred values")

