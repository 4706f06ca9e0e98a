"""How the New York record was cleaned, counted, for the Data page (rnnlab.data.nyc does the work).

A student should see that real data is never fed to a network as it comes: what changed, and how
much of it. One row per station, and a paragraph that says what each column of the table means.
Nothing here imports TensorFlow or Streamlit.
"""
from __future__ import annotations

from rnnlab.data.nyc import DROPPED_COLUMNS, CleaningReport

PRESSURE = "p (hPa)"
WIND_DIRECTION = "wd (deg)"


def cleaning_table(reports: list[CleaningReport]) -> list[dict[str, str]]:
    """One row per station: reports read, hours missing from the index (interpolated),
    impossible values removed (then interpolated), pressure and wind direction values filled.

    Args:
        reports: rnnlab.data.nyc.read_stations's reports, one per station.
    Returns:
        Rows of plain text, ready for a table.
    """
    rows = []
    for report in reports:
        removed = {name: count for name, count in report.removed.items() if count}
        # Short headers: the table must fit a projector's 1024 px beside the sidebar.
        rows.append({
            "station": report.station,
            "reports": f"{report.rows_read:,}",
            "hours missing": f"{report.missing_hours:,}",
            "impossible values": ", ".join(
                f"{count} in {name}" for name, count in removed.items()) or "none",
            "pressure gaps": f"{report.filled[PRESSURE]:,}",
            "wind direction gaps": f"{report.filled[WIND_DIRECTION]:,}",
        })
    return rows


def cleaning_words(reports: list[CleaningReport]) -> str:
    """What was done to the file before the network sees it, in a paragraph with the counts."""
    first, last = reports[0].first_hour, reports[0].last_hour
    missing = sum(report.missing_hours for report in reports)
    removed = sum(sum(report.removed.values()) for report in reports)
    where = "; ".join(f"{count} in {name} at {report.station}" for report in reports
                      for name, count in report.removed.items() if count)
    return (
        "The airports report once an hour in US units; before a network sees them: "
        "**SI units** (°C from °F, m/s from mph, mm from inches, km from miles; pressure in hPa); "
        f"**UTC time** (from {first:%d %b %Y %H:%M} to {last:%d %b %Y %H:%M}), so the clock "
        "changes in spring and autumn neither repeat nor skip an hour; a **complete hourly "
        f"index** of {reports[0].hours:,} hours, where {missing:,} missing "
        f"hour{'s are' if missing != 1 else ' is'} filled (over {len(reports)} "
        f"station{'s' * (len(reports) != 1)}) by straight lines between their "
        f"neighbours; **{removed:,} impossible value{'s' * (removed != 1)} removed** and filled "
        f"the same way{f' ({where})' if where else ''}; the **gust column dropped** "
        f"({', '.join(DROPPED_COLUMNS)}: reported only when there are gusts, so 80 % empty); and "
        "**pressure gaps filled** (a tenth of the readings are missing). Wind direction is filled "
        "as a compass vector, so between 350° and 10° lies 0°, not 180°.")
