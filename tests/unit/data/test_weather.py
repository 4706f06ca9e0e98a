"""Weather data: reading the Jena and New York records, windows, splits, normalization, baseline.

No test touches the network. Jena files are generated here in the real format (quoted header,
day-first dates, two decimals, the Keras zip with its macOS metadata member), a few days long.
"""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from rnnlab.config import WeatherOptions
from rnnlab.config.catalog import JENA_COLUMNS, STATION_COLUMNS
from rnnlab.data import jena
from rnnlab.data.paths import DataError
from rnnlab.data.weather import SPLITS, load_series, load_weather

T = JENA_COLUMNS.index("T (degC)")
ROWS_PER_DAY = 144  # one row every 10 minutes


# -- generated Jena files -------------------------------------------------------------------------


def jena_record(days: int = 10, seed: int = 0) -> tuple[list[str], np.ndarray]:
    """Dates and values of a plausible Jena record: a daily temperature sine plus noise."""
    rows = days * ROWS_PER_DAY
    rng = np.random.default_rng(seed)
    times = pd.date_range("2009-01-01 00:10:00", periods=rows, freq="10min")
    hours = np.arange(rows) / 6
    temperature = 5 + 6 * np.sin(2 * np.pi * (hours - 9) / 24) + rng.normal(0, 0.3, rows)
    base = np.array([990, 0, 273, 0, 80, 9, 7, 2, 4.5, 7, 1270, 2, 3.5, 180], dtype=float)
    spread = np.array([3, 0, 1, 2, 8, 1, 1, 1, 0.5, 1, 10, 1, 1, 90], dtype=float)
    values = base + spread * rng.normal(size=(rows, len(JENA_COLUMNS)))
    values[:, T] = temperature
    values[:, JENA_COLUMNS.index("Tpot (K)")] = temperature + 273.15
    # Round through the two-decimal text the file holds, so expected values equal parsed ones.
    values = np.array([[float(f"{v:.2f}") for v in row] for row in values])
    return [f"{t:%d.%m.%Y %H:%M:%S}" for t in times], values


def jena_text(dates, values, columns=JENA_COLUMNS, line_end: str = "\n") -> str:
    """The CSV text exactly as the real file writes it: quoted header, unquoted rows."""
    header = ",".join(f'"{name}"' for name in ("Date Time", *columns))
    lines = [f"{date}," + ",".join(f"{v:.2f}" for v in row) for date, row in zip(dates, values)]
    return line_end.join([header, *lines])  # like the real file, no newline at the end


def write_zip(path: Path, text: str, macos_metadata: bool = True) -> Path:
    """A zip like the Keras one: the CSV, plus Finder's AppleDouble file under __MACOSX/."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(jena.JENA_CSV, text)
        if macos_metadata:
            apple_double = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        "
            archive.writestr(f"__MACOSX/._{jena.JENA_CSV}", apple_double)
    return path


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """Empty data, cache and download folders, pointed to by the lab's environment variables."""
    dirs = SimpleNamespace(data=tmp_path / "data", cache=tmp_path / "cache",
                           downloads=tmp_path / "downloads")
    dirs.data.mkdir()
    monkeypatch.setenv("RNNLAB_DATA_DIR", str(dirs.data))
    monkeypatch.setenv("RNNLAB_CACHE_DIR", str(dirs.cache))
    monkeypatch.setenv("RNNLAB_DOWNLOAD_DIR", str(dirs.downloads))
    return dirs


@pytest.fixture
def record(folders):
    """A 10-day record written as the plain CSV; returns its dates and values."""
    dates, values = jena_record()
    (folders.data / jena.JENA_CSV).write_text(jena_text(dates, values))
    return SimpleNamespace(dates=dates, values=values, folders=folders)


# -- reading the Jena file ------------------------------------------------------------------------


def test_csv_loads_with_the_14_columns_in_order_and_dates(record):
    frame = load_series("jena")
    assert list(frame.columns) == list(JENA_COLUMNS)
    assert isinstance(frame.index, pd.DatetimeIndex)
    assert frame.index[0] == pd.Timestamp("2009-01-01 00:10:00")
    assert frame.index[-1] - frame.index[0] == pd.Timedelta(minutes=10) * (len(frame) - 1)
    assert (frame.dtypes == np.float64).all()
    np.testing.assert_array_equal(frame.to_numpy(), record.values)


@pytest.mark.parametrize("macos_metadata", [True, False])
def test_zip_loads_like_the_csv(folders, macos_metadata):
    dates, values = jena_record(days=3)
    write_zip(folders.data / jena.JENA_ZIP, jena_text(dates, values, line_end="\r\n"),
              macos_metadata)
    frame = load_series("jena")
    assert list(frame.columns) == list(JENA_COLUMNS)
    np.testing.assert_array_equal(frame.to_numpy(), values)


def test_sensor_error_wind_speeds_become_zero(folders):
    dates, values = jena_record(days=1)
    wind, gust = JENA_COLUMNS.index("wv (m/s)"), JENA_COLUMNS.index("max. wv (m/s)")
    values[3, wind] = values[5, gust] = -9999.0
    (folders.data / jena.JENA_CSV).write_text(jena_text(dates, values))
    frame = load_series("jena")
    assert frame.iloc[3, wind] == 0.0 and frame.iloc[5, gust] == 0.0
    assert frame.iloc[4, wind] == values[4, wind]        # other rows untouched
    assert frame.iloc[3, T] == values[3, T]              # other columns untouched


def test_missing_column_raises_data_error_naming_file_and_column(folders):
    dates, values = jena_record(days=1)
    path = folders.data / jena.JENA_CSV
    path.write_text(jena_text(dates, values[:, :-1], columns=JENA_COLUMNS[:-1]))
    with pytest.raises(DataError, match="wd \\(deg\\)") as caught:
        load_series("jena")
    assert str(path) in str(caught.value)


def test_truncated_zip_raises_data_error_saying_what_to_do(folders):
    dates, values = jena_record(days=3)
    path = write_zip(folders.data / jena.JENA_ZIP, jena_text(dates, values))
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(DataError, match="Delete it so it is downloaded again") as caught:
        load_series("jena")
    assert str(path) in str(caught.value)


def test_garbage_file_raises_data_error_naming_it(folders):
    path = folders.data / jena.JENA_CSV
    path.write_bytes(np.random.default_rng(1).bytes(5000))
    with pytest.raises(DataError) as caught:
        load_series("jena")
    assert str(path) in str(caught.value)


def test_unparsable_value_is_reported_with_its_line(folders):
    dates, values = jena_record(days=1)
    text = jena_text(dates, values).splitlines()
    text[11] = text[11].replace(f"{values[10, T]:.2f}", "abc", 1)  # data row 10 is line 12
    path = folders.data / jena.JENA_CSV
    path.write_text("\n".join(text))
    with pytest.raises(DataError, match="line 12: 'abc' is not a number in 'T \\(degC\\)'"):
        load_series("jena")


def test_csv_cut_mid_line_raises_data_error(folders):
    dates, values = jena_record(days=1)
    text = jena_text(dates, values)
    path = folders.data / jena.JENA_CSV
    path.write_text(text[: text.rindex(",", 0, len(text) - 30) + 1])  # stops after a comma
    with pytest.raises(DataError, match=f"line {len(dates) + 1}") as caught:
        load_series("jena")
    assert str(path) in str(caught.value)


def test_second_load_comes_from_the_cache(record, monkeypatch):
    """Parsing the 420,551 rows takes a second or two, the cache a fraction (bench/caches.py
    measures both); here: the second load reads the cache once and parses nothing."""
    cache_reads = []
    read_cache = jena._read_cache
    monkeypatch.setattr(jena, "_read_cache",
                        lambda saved: cache_reads.append(saved) or read_cache(saved))
    first = load_series("jena")
    assert cache_reads == []
    [cached] = record.folders.cache.glob("jena-*.npz")

    def no_parsing(*args, **kwargs):
        raise AssertionError("the second load parsed the CSV again")

    monkeypatch.setattr(pd, "read_csv", no_parsing)
    second = load_series("jena")
    assert len(cache_reads) == 1 and cached.exists()
    pd.testing.assert_frame_equal(first, second)


def test_a_changed_file_is_parsed_again(record):
    load_series("jena")
    path = record.folders.data / jena.JENA_CSV
    dates, values = jena_record(days=2, seed=5)
    path.write_text(jena_text(dates, values))
    np.testing.assert_array_equal(load_series("jena").to_numpy(), values)


def test_without_a_file_the_error_says_where_to_put_it_and_nothing_is_fetched(folders):
    """Downloading is the trainer's (tests/unit/trainer/test_downloads.py): the loader only reads."""
    with pytest.raises(DataError) as caught:
        load_series("jena")
    message = str(caught.value)
    assert message == f"The Jena record is not on this computer. {jena.where_to_put_it()}"
    assert jena.JENA_CSV in message and jena.JENA_ORIGIN in message
    assert str(folders.data) in message and "RNNLAB_DATA_DIR" in message
    assert not folders.downloads.exists()


# -- the New York record (the bundled default) -----------------------------------------------------


def test_the_default_source_is_jfk_hourly_in_si_units_and_utc():
    frame = load_series("nyc-jfk")
    assert frame.shape == (8730, 8)
    assert list(frame.columns) == list(STATION_COLUMNS)
    assert frame.index[0] == pd.Timestamp("2013-01-01 06:00") and frame.index.freq is None
    assert (np.diff(frame.index.to_numpy()) == np.timedelta64(1, "h")).all()
    # The file's first JFK report: 39.02 F, 10.35702 mph, 1012.3 mbar at 06:00 UTC.
    assert frame["T (degC)"].iloc[0] == pytest.approx((39.02 - 32) * 5 / 9)
    assert not frame.isna().any().any()


def test_all_three_stations_put_jfk_first_and_prefix_the_neighbours():
    frame = load_series("nyc-all")
    assert frame.shape == (8730, 24)
    assert list(frame.columns[:8]) == list(STATION_COLUMNS)
    assert list(frame.columns[8:10]) == ["EWR T (degC)", "EWR Tdew (degC)"]
    assert frame.columns[-1] == "LGA visib (km)"
    np.testing.assert_array_equal(frame["T (degC)"], load_series("nyc-jfk")["T (degC)"])


def test_jfk_defaults_give_the_expected_windows_and_a_book_like_baseline():
    data = load_weather(WeatherOptions(), 0.2)       # 240 h lookback, step 1 h, 24 h ahead
    held_out = int(8730 * 0.2)                        # 1746 rows each for validation and test
    span = 239 + 24
    assert (data.sequence_length, data.num_features, data.span_rows) == (240, 8, span)
    assert len(data.window_starts("train")) == 8730 - 2 * held_out - span
    assert len(data.window_starts("val")) == len(data.window_starts("test")) == held_out - span
    # Persistence 24 h ahead misses by about 2-4 degC, like the book's 2.57 at Jena (measured:
    # 2.22 on the validation part, August to October, 3.83 on the test part, late autumn).
    assert data.to_target_units(data.baseline_mae("val")) == pytest.approx(2.22, abs=0.01)
    assert data.to_target_units(data.baseline_mae("test")) == pytest.approx(3.83, abs=0.01)


def test_unknown_source_and_split_are_value_errors():
    with pytest.raises(ValueError, match="unknown"):
        load_series("mars")
    with pytest.raises(ValueError, match="Split 'validation' is unknown"):
        load_weather(WeatherOptions(), 0.2).window_starts("validation")


# -- windows, splits, normalization ---------------------------------------------------------------

# 12 h lookback read every 2 h (6 readings, 12 rows apart), target 3 h (18 rows) after the last.
OPTIONS = WeatherOptions(source="jena", lookback_hours=12, step_hours=2, delay_hours=3)


def normalized_by_hand(values: np.ndarray, split: float = 0.2) -> tuple[np.ndarray, int]:
    train_end = len(values) - 2 * int(len(values) * split)
    train = values[:train_end]
    return (values - train.mean(axis=0)) / train.std(axis=0), train_end


def test_window_arithmetic_follows_the_hours(record):
    data = load_weather(OPTIONS, 0.2)
    assert (data.step_rows, data.sequence_length, data.delay_rows) == (12, 6, 18)
    assert data.span_rows == 5 * 12 + 18


def test_arrays_equal_a_manual_slicing_of_the_normalized_record(record):
    data = load_weather(OPTIONS, 0.2)
    z, _ = normalized_by_hand(record.values)
    np.testing.assert_allclose(data.values, z, rtol=1e-5, atol=1e-5)
    for split in SPLITS:
        x, y = data.arrays(split)
        starts = data.window_starts(split)
        assert x.shape == (len(starts), 6, 14) and y.shape == (len(starts),)
        for k in (0, 7, len(starts) - 1):
            i = starts[k]
            np.testing.assert_allclose(x[k], z[[i, i + 12, i + 24, i + 36, i + 48, i + 60]],
                                       atol=1e-5)
            assert y[k] == pytest.approx(z[i + 60 + 18, T], abs=1e-5)
            # Back in degrees C, the target is the reading the file holds.
            assert data.denormalize_target(y[k]) == pytest.approx(record.values[i + 78, T],
                                                                  abs=1e-4)


def test_targets_lie_exactly_delay_after_the_last_reading(record):
    data = load_weather(OPTIONS, 0.2)
    times = pd.DatetimeIndex(data.times)
    for i in data.window_starts("val")[::50]:
        last, target = i + (data.sequence_length - 1) * data.step_rows, i + data.span_rows
        assert times[last] - times[i] == pd.Timedelta(hours=10)   # 6 readings, 2 h apart
        assert times[target] - times[last] == pd.Timedelta(hours=3)


def test_windows_never_cross_a_split_boundary(record):
    data = load_weather(OPTIONS, 0.2)
    rows, held_out = len(record.values), int(len(record.values) * 0.2)
    edges = {"train": (0, rows - 2 * held_out), "val": (rows - 2 * held_out, rows - held_out),
             "test": (rows - held_out, rows)}
    for split, (first, end) in edges.items():
        starts = data.window_starts(split)
        # Every window that fits is used, and the last one's target is the split's last row.
        assert starts[0] == first and starts[-1] + data.span_rows == end - 1
        assert len(starts) == end - first - data.span_rows


def test_normalization_uses_training_rows_only(record, monkeypatch, tmp_path):
    data = load_weather(OPTIONS, 0.2)
    _, train_end = normalized_by_hand(record.values)
    np.testing.assert_allclose(data.mean, record.values[:train_end].mean(axis=0))
    np.testing.assert_allclose(data.std, record.values[:train_end].std(axis=0))

    def reload_with(row: int) -> object:
        values = record.values.copy()
        values[row, T] += 40
        folder = tmp_path / f"changed-{row}"
        folder.mkdir()
        (folder / jena.JENA_CSV).write_text(jena_text(record.dates, values))
        monkeypatch.setenv("RNNLAB_DATA_DIR", str(folder))
        return load_weather(OPTIONS, 0.2)

    in_test = reload_with(len(record.values) - 5)
    np.testing.assert_array_equal(in_test.mean, data.mean)
    np.testing.assert_array_equal(in_test.std, data.std)
    in_train = reload_with(5)
    assert in_train.mean[T] != data.mean[T] and in_train.std[T] != data.std[T]


# -- baseline and units ---------------------------------------------------------------------------


def test_baseline_mae_equals_a_plain_loop_and_converts_with_the_training_std(record):
    data = load_weather(OPTIONS, 0.2)
    for split in SPLITS:
        errors = []
        for i in data.window_starts(split):
            last_reading = data.values[i + 60, T]
            errors.append(abs(float(data.values[i + 78, T]) - float(last_reading)))
        assert data.baseline_mae(split) == pytest.approx(sum(errors) / len(errors), rel=1e-6)
    _, train_end = normalized_by_hand(record.values)
    train_std = record.values[:train_end, T].std()
    assert data.to_target_units(0.29) == pytest.approx(0.29 * train_std)
    assert data.target_unit == "degC"
    # A persistence forecast on a daily sine 3 h ahead is off by a few degrees, not by 0 or 20.
    assert 0.5 < data.to_target_units(data.baseline_mae("val")) < 6


def test_other_targets_keep_their_own_unit(record):
    data = load_weather(WeatherOptions(source="jena", lookback_hours=12, step_hours=2,
                                       delay_hours=3, target="rh (%)"), 0.2)
    assert data.target_unit == "%" and data.target_index == JENA_COLUMNS.index("rh (%)")
    assert data.to_target_units(1.0) == pytest.approx(data.std[data.target_index])


# -- what a student can get wrong -----------------------------------------------------------------


def test_a_lookback_too_long_for_validation_says_what_to_shorten(record):
    # 10 days: validation and test hold 48 h each, training 144 h.
    options = WeatherOptions(source="jena", lookback_hours=48, step_hours=1, delay_hours=3)
    with pytest.raises(ValueError, match="does not fit in the validation part") as caught:
        load_weather(options, 0.2)
    assert "Shorten the lookback or the delay" in str(caught.value)


def test_a_lookback_too_long_for_training_says_so(record):
    options = WeatherOptions(source="jena", lookback_hours=200, step_hours=1, delay_hours=3)
    with pytest.raises(ValueError, match="does not fit in the training part"):
        load_weather(options, 0.2)


def test_importing_the_module_does_not_import_tensorflow():
    code = ("import sys, rnnlab.data.weather, rnnlab.data.jena; "
            "print('tensorflow' in sys.modules or 'keras' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[3], env={**os.environ})
    assert result.stdout.strip() == "False", result.stderr
