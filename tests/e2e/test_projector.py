"""Every page on a 1024x768 projector, and presenter mode, in a real browser (issue 13).

A store with finished runs (a tiny long-memory race: SimpleRNN, LSTM and GRU, trained by the real
supervisor) lets every page draw all it can. Then, at 1024x768, the page's DOM is asked:

- is any word of a label, metric label, button, tab or table header broken across two lines
  ("Laye r 1", "Unit s"), or cut off at its box's edge ("Download the model (...")?
- does any table, or the page itself, overflow sideways (a column cut at the edge)?
- are the charts' tick labels, drawn by plotly as SVG <text>, at least 14 px and dark?

and presenter mode hides the sidebar, keeps its settings on the next page and draws 18 px ticks.
"""
import dataclasses
import re

import pytest
from playwright.sync_api import expect

from rnnlab.config.presets import PRESETS
from rnnlab.jobs.store import Store
from rnnlab.lessons.race import race_configs
from rnnlab.plots.theme import PRESENTER, SMALLEST_TICK
from tests.e2e.server import Server, open_url, wait_idle
from tests.waiting import wait_for

WIDTH, HEIGHT = 1024, 768

# The words of a text and their boxes: a word drawn as two boxes on two lines is broken. An
# element whose text is wider than its box is cut off (an ellipsis, or hidden overflow).
LAYOUT_PROBLEMS = """() => {
    const problems = [];
    const visible = el => el.getClientRects().length > 0;
    const labels = document.querySelectorAll(
        '[data-testid="stWidgetLabel"] p, [data-testid="stMetricLabel"] p, button p, ' +
        '[role="tab"] p, [data-testid="stMarkdownContainer"] th, [data-testid="stTable"] th, ' +
        '[data-testid="stPageLink"] p');
    for (const el of labels) {
        if (!visible(el)) continue;
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const match of node.data.matchAll(/[^\\s\\-\\/]+/g)) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                if (lines.size > 1)
                    problems.push(`word broken: "${match[0]}" in "${el.innerText}"`);
            }
        }
        // A button's label is cut with an ellipsis by the Markdown box around it.
        const box = el.closest('[data-testid="stMarkdownContainer"]') || el;
        if (box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== 'visible')
            problems.push(`cut off: "${el.innerText}"`);
    }
    for (const chip of document.querySelectorAll('[data-testid="stMultiSelect"] span[title]')) {
        if (visible(chip) && chip.scrollWidth > chip.clientWidth + 1)
            problems.push(`chosen item cut off: "${chip.title}"`);
    }
    for (const grid of document.querySelectorAll('[data-testid="stDataFrame"]')) {
        const scroller = grid.querySelector('.dvn-scroller');
        if (scroller && scroller.scrollWidth > scroller.clientWidth + 1)
            problems.push(
                `table wider than its box: ${scroller.scrollWidth} > ${scroller.clientWidth}`);
    }
    const main = document.querySelector('[data-testid="stMain"]');
    for (const table of document.querySelectorAll('[data-testid="stMain"] table')) {
        const right = table.getBoundingClientRect().right;
        if (visible(table) && right > main.getBoundingClientRect().right + 1)
            problems.push(`table runs off the page at x = ${Math.round(right)}`);
    }
    if (document.documentElement.scrollWidth > window.innerWidth)
        problems.push(`page wider than the window: ${document.documentElement.scrollWidth}`);
    if (main.scrollWidth > main.clientWidth + 1)
        problems.push(`main column scrolls sideways: ${main.scrollWidth} > ${main.clientWidth}`);
    return problems;
}"""


def tick_sizes(page) -> list[tuple[float, str]]:
    """(font size in px, fill colour) of every tick label of every chart drawn on the page."""
    return page.evaluate("""() => [...document.querySelectorAll(
            '.js-plotly-plot .xtick text, .js-plotly-plot .ytick text')]
        .map(t => [parseFloat(getComputedStyle(t).fontSize), getComputedStyle(t).fill])""")


def dark(colour: str) -> bool:
    """Whether a CSS rgb() colour is near-black (each channel below 80 of 255)."""
    return all(int(channel) < 80 for channel in re.findall(r"\d+", colour)[:3])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server whose store holds a finished three-cell race on a tiny long-memory task."""
    root = tmp_path_factory.mktemp("e2e_projector")
    (root / "data").mkdir()
    server = Server(root / "home", root / "data")
    base = PRESETS["memory-quick"].config
    tiny = dataclasses.replace(
        base, layers=tuple(dataclasses.replace(layer, units=4) for layer in base.layers),
        memory=dataclasses.replace(base.memory, sequence_length=10, examples=100),
        training=dataclasses.replace(base.training, epochs=2, batch_size=20))
    store = Store(server.home)
    server.race = store.submit_many(race_configs(tiny), "ada")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def trained(server, browser):
    """The race's run ids once all three have finished (opening a page starts the supervisor)."""
    page = browser.new_page()
    open_url(page, server.url)
    page.close()
    store = Store(server.home)
    wait_for(lambda: all(store.get(i).status not in ("queued", "running") for i in server.race),
             300)
    assert [store.get(i).status for i in server.race] == ["done"] * 3
    return server.race


def projector(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


def pages_to_visit(race: list[int]) -> list[str]:
    ids = ",".join(map(str, race))
    simple, lstm = race[0], race[1]
    return ["", "data", "data?dataset=weather", "data?dataset=memory", "build?layers=4",
            f"train?run={lstm}", f"runs?compare={ids}&run={lstm}",
            f"race?race={ids}", f"gradients?run={simple}", f"inside?run={lstm}", "tune"]


def settle(page) -> None:
    """Wait for the script and for plotly to have drawn every chart on the page."""
    wait_idle(page)
    page.wait_for_timeout(1500)  # the elements of the last script run reach the page
    page.wait_for_function("""() => [...document.querySelectorAll('.js-plotly-plot')]
        .every(plot => plot.querySelector('.main-svg'))""")
    page.wait_for_timeout(500)  # the data grid and fonts settle their widths


def visit_every_page(server, browser, race) -> dict[str, tuple[list[str], list]]:
    """For each page at 1024x768: (its layout problems, the size and colour of its chart ticks)."""
    context, page = projector(browser)
    seen = {}
    for path in pages_to_visit(race):
        open_url(page, f"{server.url}/{path}")
        settle(page)
        assert not page.get_by_test_id("stException").count(), path
        seen[path or "home"] = (page.evaluate(LAYOUT_PROBLEMS), tick_sizes(page))
    context.close()
    return seen


@pytest.fixture(scope="module")
def every_page(server, trained, browser):
    return visit_every_page(server, browser, trained)


def test_no_label_is_broken_or_cut_and_no_page_scrolls_sideways(every_page):
    problems = {path: [p for p in found if not p.startswith("table")]
                for path, (found, _) in every_page.items()}
    assert {path: found for path, found in problems.items() if found} == {}


def test_no_table_is_wider_than_the_page(every_page):
    problems = {path: [p for p in found if p.startswith("table")]
                for path, (found, _) in every_page.items()}
    assert {path: found for path, found in problems.items() if found} == {}


def test_chart_ticks_are_at_least_14_px_and_dark_on_every_page(every_page):
    ticks = [tick for _, page_ticks in every_page.values() for tick in page_ticks]
    assert len(ticks) > 50  # the charts of train, runs, race, gradients and inside were drawn
    small = {path: sorted({size for size, _ in page_ticks if size < SMALLEST_TICK})
             for path, (_, page_ticks) in every_page.items()}
    assert {path: sizes for path, sizes in small.items() if sizes} == {}
    assert all(dark(fill) for _, fill in ticks), {fill for _, fill in ticks}


def test_start_here_is_on_the_first_screen(server, browser):
    context, page = projector(browser)
    open_url(page, server.url)
    link = page.get_by_test_id("stPageLink").filter(has_text="Start here")
    expect(link).to_be_in_viewport()
    box = link.bounding_box()
    assert box["y"] + box["height"] <= HEIGHT
    context.close()


def test_presenter_mode_hides_what_the_link_says_on_every_page(server, trained, browser):
    context, page = projector(browser)
    race = ",".join(map(str, trained))
    open_url(page, f"{server.url}/race?race={race}&present=1&sidebar_hide=1&settings_hide=1"
                   "&intro_hide=1")
    settle(page)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.get_by_test_id("stToolbar")).to_be_hidden()
    expect(page.get_by_text("One click trains the same model three times")).to_have_count(0)
    sizes = [size for size, _ in tick_sizes(page)]
    assert sizes and min(sizes) >= PRESENTER.tick == 18
    # A link to another page keeps the projector's settings, in the link and on the screen.
    page.get_by_role("combobox").first.click()  # the race's picker: the Build page's model,
    page.get_by_text("The model from the Build page").first.click()  # with a link to Build
    wait_idle(page)
    page.get_by_test_id("stPageLink").filter(has_text="Build page").first.click()
    wait_idle(page)
    wait_for(lambda: "/build" in page.evaluate("location.href"), 30)
    wait_idle(page)
    url = page.evaluate("location.href")
    for key in ("present=1", "sidebar_hide=1", "settings_hide=1", "intro_hide=1"):
        assert key in url, url
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.get_by_text("Show the code")).to_have_count(0)
    context.close()


def test_the_sidebar_switch_turns_presenter_mode_on_and_off(server, trained, browser):
    context, page = projector(browser)
    open_url(page, f"{server.url}/train?run={trained[1]}")
    settle(page)
    assert min(size for size, _ in tick_sizes(page)) < PRESENTER.tick
    page.get_by_test_id("stSidebar").get_by_text("Presenter mode").click()
    settle(page)
    wait_for(lambda: "present=1" in page.evaluate("location.href"), 30)
    assert min(size for size, _ in tick_sizes(page)) >= PRESENTER.tick
    expect(page.get_by_test_id("stSidebar")).to_be_visible()  # only sidebar_hide=1 hides it
    context.close()
