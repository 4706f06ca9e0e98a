"""The Data page's account of how the New York record was cleaned: counts in a table and in words."""
import pandas as pd

from rnnlab.config.catalog import STATION_COLUMNS
from rnnlab.data.nyc import CleaningReport
from rnnlab.lessons.cleaning import cleaning_table, cleaning_words


def report(station, missing, removed=None, pressure=10, direction=3):
    counts = dict.fromkeys(STATION_COLUMNS, 0)
    return CleaningReport(
        station=station, rows_read=100 - missing, hours=100, missing_hours=missing,
        removed={**counts, **(removed or {})},
        filled={**counts, "p (hPa)": pressure, "wd (deg)": direction},
        first_hour=pd.Timestamp("2013-01-01 06:00", tz="UTC"),
        last_hour=pd.Timestamp("2013-01-05 09:00", tz="UTC"))


def test_one_row_per_station_with_its_counts():
    rows = cleaning_table([report("JFK", 4), report("EWR", 7, {"wv (m/s)": 2}, 12, 5)])
    assert rows == [
        {"station": "JFK", "reports": "96", "hours missing": "4", "impossible values": "none",
         "pressure gaps": "10", "wind direction gaps": "3"},
        {"station": "EWR", "reports": "93", "hours missing": "7",
         "impossible values": "2 in wv (m/s)", "pressure gaps": "12", "wind direction gaps": "5"}]


def test_the_words_count_what_was_done_and_name_where():
    words = cleaning_words([report("JFK", 4), report("EWR", 7, {"wv (m/s)": 2})])
    assert "from 01 Jan 2013 06:00 to 05 Jan 2013 09:00" in words
    assert "index** of 100 hours, where 11 missing hours are filled (over 2 stations)" in words
    assert "**2 impossible values removed** and filled the same way (2 in wv (m/s) at EWR)" in words


def test_one_clean_station_reads_in_the_singular_with_nothing_removed():
    words = cleaning_words([report("LGA", 1)])
    assert "where 1 missing hour is filled (over 1 station) by" in words
    assert "**0 impossible values removed** and filled the same way; the" in words
