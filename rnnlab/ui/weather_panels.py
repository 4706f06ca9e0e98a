"""The Data page's weather panels: how the New York record was cleaned, and the lesson's path.

The path is the book's weather lesson (rnnlab.config.weather_lesson) as one link per step, each
opening the Train page on that step's preset, so a class can walk it from the baseline on.
"""
from __future__ import annotations

import streamlit as st

from rnnlab.config.catalog import nyc_stations
from rnnlab.config.presets import PRESETS
from rnnlab.config.weather_lesson import RECORDS, STEPS, preset_name
from rnnlab.data.paths import DataError
from rnnlab.lessons.cleaning import cleaning_table, cleaning_words
from rnnlab.ui import frame, loaders


def show_cleaning(source: str) -> None:
    """What cleaning changed, per station, for a New York source (nothing for Jena)."""
    stations = nyc_stations(source)
    if not stations:
        return
    try:
        reports = loaders.nyc_cleaning(stations)
    except DataError as err:
        st.error(str(err))
        return
    with st.expander("How the New York record was cleaned", expanded=False):
        st.markdown(cleaning_words(reports))
        frame.text_table(cleaning_table(reports))


def show_lesson_path(source: str) -> None:
    """The five models of the book's lesson on this record (or on JFK when it has no path)."""
    record = source if source in RECORDS else "nyc-jfk"
    name, window, _ = RECORDS[record]
    st.subheader("The book's weather lesson, step by step")
    st.markdown(
        "**Step 0** is the common-sense baseline above: no training, and the score every network "
        f"must beat. Then train each model below in turn on the {name} record and compare them "
        f"on the Runs page. The steps read {window.lookback_hours} h windows, so their baseline "
        "differs a little from the one above if your lookback does; every chart draws the "
        "baseline of its own windows, and each result says whether it beat it.")
    for number, step in enumerate(STEPS, start=1):
        preset = PRESETS[preset_name(record, step)]
        with st.container(border=True):
            st.page_link("pages/train.py", label=f"Step {number}: {step.title}",
                         icon=":material/play_circle:",
                         query_params={**preset.config.to_query()})
            st.caption(f"{step.lesson} ({preset.config.label()}, up to {step.epochs} epochs)")
