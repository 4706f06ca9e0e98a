"""The app in a real browser against a real server, supervisor and workers (tiny offline data).

One story, as a class would live it: build a 2-layer LSTM, train it and watch the chart grow,
reload mid-run, cancel a second run, compare two finished runs, download a model; a second
browser sees it all; the web server never loaded TensorFlow.
"""
import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from rnnlab.jobs.store import Store
from tests.e2e.server import join, open_url, plot_points, wait_idle
from tests.waiting import wait_for

# The bundled New York record (JFK), windows of 24 hourly readings: a second or two per epoch.
TINY = "dataset=weather&lookback_hours=24&delay_hours=6&batch_size=32"


def click_button(page, name):
    page.get_by_role("button", name=name, exact=True).click()
    wait_idle(page)


def build_two_layer_lstm(page, server):
    open_url(page, f"{server.url}/build?{TINY}")
    join(page, "ada")
    depth = page.get_by_test_id("stSlider").filter(has_text="Recurrent layers").get_by_role("slider")
    depth.press("ArrowRight")  # 1 -> 2 layers
    wait_idle(page)
    expect(depth).to_have_value("2")
    expect(page.get_by_text("lstm_2").first).to_be_visible()


def train_from_the_train_page(page, epochs, seed):
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Train").click()
    wait_idle(page)
    options = page.locator("details", has=page.locator("summary", has_text="Training options"))
    if options.get_attribute("open") is None:  # the expander stays open from the last visit
        page.get_by_text("Training options", exact=True).click()
    for label, value in (("Epochs", epochs), ("Seed", seed)):
        page.get_by_label(label, exact=True).fill(str(value))
        page.get_by_label(label, exact=True).press("Enter")
        # the setting is in the link once the server has taken it (both differ from the defaults)
        page.wait_for_url(re.compile(rf"[?&]{label.lower()}={value}(&|$)"))
        wait_idle(page)
    def watched_run():
        # Ask the browser: `page.url` is only refreshed while Playwright's sync API is inside a
        # call, so a loop of page.url and sleep can miss a URL change for ever.
        found = re.search(r"[?&]run=(\d+)", page.evaluate("location.href"))
        return int(found.group(1)) if found else None

    before = watched_run()
    click_button(page, "Train")
    try:
        run_id = wait_for(lambda: watched_run() != before and watched_run(), 30)  # the new run
    except AssertionError:  # say what the page said instead (a refusal, an error), for the log
        alerts = page.get_by_test_id("stAlert").all_inner_texts()
        raise AssertionError(f"no new run in the URL after clicking Train (before: {before}): "
                             f"{page.evaluate('location.href')}; "
                             f"the page's messages: {alerts}") from None
    # The run's panel follows the URL by a rerun or two: on a loaded CI machine, seconds.
    expect(page.get_by_text(re.compile(rf"Run #{run_id}: weather/nyc-jfk: LSTM\(32\) > "
                                       r"LSTM\(32\)"))).to_be_visible(timeout=30_000)
    return run_id


def test_a_deep_link_on_a_fresh_server_still_gets_the_app_frame(server, new_page):
    """Runs first: no page of this server has been opened yet (see ui.page_header)."""
    page = new_page()
    open_url(page, f"{server.url}/train?owner=grace")
    page.get_by_test_id("stSidebar").get_by_role("button", name="Join the class").click()
    expect(page.get_by_role("textbox", name="Your name")).to_have_value("")  # a link names nobody
    expect(page.get_by_test_id("stSidebarNav").get_by_role("link", name="Runs and compare")
           ).to_be_visible()


def test_a_lesson_in_the_browser(server, new_page):
    store = Store(server.home)
    page = new_page()
    build_two_layer_lstm(page, server)
    first = train_from_the_train_page(page, epochs=12, seed=11)

    # the chart gains points while the run is running
    expect(page.get_by_text(re.compile(r"Epoch \d+ of 12"))).to_be_visible(timeout=90_000)
    before = sum(wait_for(lambda: plot_points(page), 60))
    wait_for(lambda: sum(plot_points(page)) > before, 30)
    assert store.get(first).status == "running"

    # a reload mid-run finds the same run, still running
    page.reload()
    wait_idle(page)
    expect(page.get_by_text(f"Run #{first}:")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Epoch \d+ of 12"))).to_be_visible()
    expect(page.get_by_text("best validation MAE", exact=True)).to_be_visible(timeout=180_000)

    # a second run, cancelled while it trains
    second = train_from_the_train_page(page, epochs=200, seed=12)
    expect(page.get_by_text(re.compile(r"Epoch \d+ of 200"))).to_be_visible(timeout=90_000)
    click_button(page, "Cancel this run")
    expect(page.get_by_text("Cancelled by ada.", exact=True)).to_be_visible(timeout=15_000)
    assert (store.get(second).status, store.get(second).cancelled_by) == ("cancelled", "ada")

    # a third, short run to compare with the first
    third = train_from_the_train_page(page, epochs=2, seed=13)
    expect(page.get_by_text("best validation MAE", exact=True)).to_be_visible(timeout=180_000)

    open_url(page, f"{server.url}/runs?compare={first},{third}&run={first}")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length > 0")
    assert len(plot_points(page)) == 2  # one curve per run
    with page.expect_download() as download:
        page.get_by_role("button", name="Model (.keras)").click()
    path = download.value.path()
    assert download.value.suggested_filename == f"run{first}-model.keras"
    assert path.stat().st_size > 1000 and path.read_bytes()[:2] == b"PK"

    # another browser (a separate context) sees the first one's runs
    other = new_page()
    open_url(other, f"{server.url}/runs?run={first}")
    expect(other.get_by_test_id("stDataFrame")).to_be_visible()
    expect(other.get_by_role("combobox", name="Open run")).to_have_value(
        re.compile(rf"#{first} weather/nyc-jfk"))
    expect(other.get_by_text("best validation MAE", exact=True)).to_be_visible()

    # after every page, the web server still has not loaded TensorFlow
    for name in ("Home", "Data", "Build", "Train", "Runs and compare", "Inside the cell",
                 "Vanishing gradients", "The three-cell race"):
        other.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
        wait_idle(other)
        assert not other.get_by_test_id("stException").count(), name
    assert not server.imports_tensorflow()


def test_the_race_from_the_browser(server, new_page):
    """One click: three runs, one chart with a line per cell, a table that fills when they end."""
    store = Store(server.home)
    page = new_page()
    open_url(page, f"{server.url}/race?{TINY}&layers=1&l1_units=8&epochs=2")
    join(page, "rosa")
    page.get_by_role("combobox").first.click()       # the race opens on a lesson-sized preset
    page.get_by_text("The model from the Build page").first.click()
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"runs x 2 epochs at .* s per epoch"))).to_be_visible()
    click_button(page, "Start the race")
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text(
        re.compile(r"(won:|tied at) .* best validation MAE"), timeout=240_000)
    racers = [int(i) for i in parse_qs(urlparse(page.url).query)["race"][0].split(",")]
    assert [store.get(i).config.layers[0].cell for i in racers] == ["SimpleRNN", "LSTM", "GRU"]
    assert {store.get(i).status for i in racers} == {"done"}
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length > 0")
    names = page.evaluate("document.querySelector('.js-plotly-plot').data.map(t => t.name)")
    # Per cell: the running loss and the validation metric; then the baseline's legend entry.
    assert names[:-1] == [f"#{i} {cell}" for i, cell in zip(racers, ("SimpleRNN", "LSTM", "GRU"))
                          for _ in range(2)]
    assert re.fullmatch(r"common-sense baseline \d+\.\d\d °C", names[-1])
    expect(page.get_by_test_id("stDataFrame")).to_be_visible()
    assert not page.get_by_test_id("stException").count()
