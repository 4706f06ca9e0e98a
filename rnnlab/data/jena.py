"""The Jena climate record: reading, checking and caching the book's weather file.

The Max Planck Institute for Biogeochemistry runs a weather station on the roof of its building in
Jena, Germany. Chollet's *Deep Learning with Python* (ch. 6, "Advanced use of recurrent neural
networks") uses its 2009-2016 record: 420,551 rows, one every 10 minutes, each with 14
measurements (pressure, temperature, humidity, wind, ...). The file looks like this:

    "Date Time","p (mbar)","T (degC)","Tpot (K)",...,"wd (deg)"
    01.01.2009 00:10:00,996.52,-8.02,265.40,...,152.30

Where it comes from: `jena_climate_2009_2016.csv` or `jena_climate_2009_2016.csv.zip` in the data
folder (env RNNLAB_DATA_DIR, else datasets/) or in the download folder. This module never
downloads: without the file it raises DataError saying where to put it. The trainer downloads the
zip (13 MB) once from the Keras URL before a Jena run loads it, and the Data page's button does
the same in a child process (both with rnnlab.trainer.downloads).

The Keras zip also holds macOS metadata (`__MACOSX/._jena_climate_2009_2016.csv`), so it is
opened with zipfile and only the CSV member is read.

Parsing 420,551 rows and their dates takes a second or two, so the parsed record is cached as an
.npz in the cache folder, keyed by the file's name, size and modification time; later loads take
a few tens of milliseconds. A damaged file raises DataError naming the file and saying what to do.

Two quirks of the real record are handled the way the book's readers usually do:

- the wind speed columns hold the sensor error value -9999.0 in a few rows; those become 0 m/s;
- a few timestamps are missing or repeated; like the book, the lab treats the rows as evenly
  spaced (10 minutes apart) and keeps them all, so row arithmetic matches the book's.

This module imports no TensorFlow.
"""
from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # for the annotations only
    import pandas as pd
# pandas (0.3 s to import) is imported inside the functions that read the file: the Home page
# imports this module for the file's names before its first paint (rnnlab.data.status).

from rnnlab.config.catalog import JENA_COLUMNS
from rnnlab.data import paths
from rnnlab.data.paths import DataError

JENA_CSV = "jena_climate_2009_2016.csv"
JENA_ZIP = JENA_CSV + ".zip"
JENA_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/" + JENA_ZIP
DATE_COLUMN = "Date Time"
DATE_FORMAT = "%d.%m.%Y %H:%M:%S"   # 01.01.2009 00:10:00, day first
WIND_COLUMNS = ("wv (m/s)", "max. wv (m/s)")
SENSOR_ERROR = -9999.0
# Bump when parsing changes, so stale caches are rebuilt rather than silently reused.
PARSER_VERSION = 1


def where_to_put_it() -> str:
    """The advice every Jena DataError ends with: where a teacher can put the file by hand."""
    return (f"Put {JENA_CSV} or {JENA_ZIP} (from {JENA_ORIGIN}) in the data folder "
            f"{paths.data_dir()} (set RNNLAB_DATA_DIR to use another folder).")


def read_jena() -> pd.DataFrame:
    """The whole Jena record, from the first source available (see the module docstring), cached.

    Returns:
        A DataFrame indexed by a DatetimeIndex named "Date Time", with the 14 JENA_COLUMNS in
        catalog order as float64, temperatures in degrees Celsius.
    Raises:
        DataError: the file is not on this computer, or it is truncated or malformed.
    """
    found = paths.require_file(JENA_CSV, JENA_ZIP, missing=(
        f"The Jena record is not on this computer. {where_to_put_it()}"))
    cached = paths.cache_file("jena", found, PARSER_VERSION)
    frame = paths.read_cache(cached, _read_cache)
    if frame is not None:
        return frame
    frame = parse_jena_file(found)
    paths.save_npz_atomically(cached, times=frame.index.to_numpy(),  # datetime64, unit as parsed
                              values=frame.to_numpy(dtype=np.float64),
                              columns=np.array(frame.columns, dtype=str))
    return frame


def parse_jena_file(path: Path) -> pd.DataFrame:
    """Read and check one Jena CSV, plain or zipped (pandas opens a single-file zip directly).

    Args:
        path: a `.csv`, or a `.csv.zip` holding it (macOS metadata members are skipped).
    Returns:
        The record as read_jena describes it, wind speed sensor errors replaced by 0.
    Raises:
        DataError: the file cannot be read, lacks a column, or holds a value that is not a number
            or a date; the message names the file, the row and what to do.
    """
    import pandas as pd  # deferred: see the module's imports
    damaged = (f"Delete it so it is downloaded again, or replace it with the original file. "
               f"{where_to_put_it()}")
    try:
        if path.suffix == ".zip" or zipfile.is_zipfile(path):
            raw = _read_zipped_csv(path, damaged)
        else:
            raw = pd.read_csv(path)
    except DataError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as err:
        # ValueError covers pandas' ParserError and EmptyDataError and bad bytes
        # (UnicodeDecodeError); the zip errors cover a download cut short.
        raise DataError(f"{path} is truncated or not the Jena climate CSV ({err}). "
                        f"{damaged}") from err
    missing = [name for name in (DATE_COLUMN, *JENA_COLUMNS) if name not in raw.columns]
    if missing:
        raise DataError(f"{path} is not the Jena climate CSV: it has no column "
                        f"{', '.join(repr(m) for m in missing)}. {damaged}")
    if raw.empty:
        raise DataError(f"{path} has a header but no rows. {damaged}")

    # A clean column arrives as float64 straight from the C parser; a stray word turns it into
    # text, and a truncated last line leaves blanks (NaN). Either way, name the first bad line.
    times = pd.to_datetime(raw[DATE_COLUMN], format=DATE_FORMAT, errors="coerce")
    _refuse_bad_rows(path, raw[DATE_COLUMN], times.isna().to_numpy(), damaged,
                     "a date like 01.01.2009 00:10:00")
    values = {}
    for name in JENA_COLUMNS:
        column = pd.to_numeric(raw[name], errors="coerce")
        _refuse_bad_rows(path, raw[name], column.isna().to_numpy(), damaged,
                         f"a number in {name!r}")
        values[name] = column.to_numpy(dtype=np.float64, copy=True)  # ours to edit below
    for name in WIND_COLUMNS:
        # The station logs -9999 when the anemometer fails; a negative speed would poison the
        # training statistics, and calm air (0 m/s) is the usual stand-in for these few rows.
        values[name][values[name] == SENSOR_ERROR] = 0.0
    index = pd.DatetimeIndex(times, name=DATE_COLUMN)
    return pd.DataFrame(values, index=index, columns=list(JENA_COLUMNS))


def _read_zipped_csv(path: Path, damaged: str) -> pd.DataFrame:
    """Read the CSV inside a zip, skipping the macOS metadata the Keras zip also holds.

    The Keras archive has two members, jena_climate_2009_2016.csv and
    __MACOSX/._jena_climate_2009_2016.csv (Finder's resource fork), so pandas' own zip support,
    which wants exactly one member, cannot open it.
    """
    import pandas as pd  # deferred: see the module's imports
    with zipfile.ZipFile(path) as archive:
        csvs = [name for name in archive.namelist()
                if name.endswith(".csv") and not name.startswith("__MACOSX/")
                and not Path(name).name.startswith("._")]
        if not csvs:
            raise DataError(f"{path} holds no CSV file (it has: "
                            f"{', '.join(archive.namelist()) or 'nothing'}). {damaged}")
        # Prefer the expected name; a re-zipped copy may hold it inside a folder.
        csvs.sort(key=lambda name: Path(name).name != JENA_CSV)
        with archive.open(csvs[0]) as member:
            return pd.read_csv(member)


def _refuse_bad_rows(path: Path, text: pd.Series, bad: np.ndarray, damaged: str, expected: str):
    """Raise DataError for the first row whose text did not parse (a truncated or edited file)."""
    if not bad.any():
        return
    row = int(np.argmax(bad))
    line = row + 2  # the header is line 1
    raise DataError(f"{path}, line {line:,}: {text.iloc[row]!r} is not {expected} "
                    f"({int(bad.sum()):,} such rows). The file is truncated or damaged. {damaged}")


# -- the parsed cache -----------------------------------------------------------------------------


def _read_cache(saved) -> pd.DataFrame:
    """The record in an open cache .npz (see paths.read_cache).

    Raises:
        ValueError: the file holds other arrays, other columns, times that are not dates, or
            values that are not one finite float per column and time.
    """
    import pandas as pd  # deferred: see the module's imports
    if sorted(saved.files) != ["columns", "times", "values"]:
        raise ValueError(f"it holds {', '.join(sorted(saved.files)) or 'nothing'}, not columns, "
                         "times, values")
    columns = [str(c) for c in saved["columns"]]
    if tuple(columns) != JENA_COLUMNS:
        raise ValueError("it was written for other columns")
    times, values = saved["times"], saved["values"]
    if times.ndim != 1 or times.dtype.kind != "M":
        raise ValueError("its times are not dates")
    if values.shape != (len(times), len(columns)) or values.dtype != np.float64 \
            or not np.isfinite(values).all():
        raise ValueError("its values are not one number per column and time")
    index = pd.DatetimeIndex(times, name=DATE_COLUMN)
    return pd.DataFrame(values, index=index, columns=columns)
