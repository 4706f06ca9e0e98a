"""One step, by hand, in a real browser: a click on a heatmap cell opens it, the arrow keys move t.

The run is trained by the real supervisor on the tiny IMDB of tests/e2e/test_inside.py (its
`server` fixture: a server of this module's own). Every number the test reads off the screen is
held against rnnlab.network.replay, computed here from the run's saved weights.
"""
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from rnnlab.jobs import artifacts
from rnnlab.jobs.store import Store
from rnnlab.lessons import inside
from rnnlab.network import replay
from rnnlab.ui import step_view
from tests.e2e.server import open_url, wait_idle
from tests.e2e.test_inside import TINY_IMDB_LSTM, server  # noqa: F401 (the module's server)
from tests.unit.data.test_imdb import WORD_INDEX
from tests.waiting import wait_for

REVIEW = "the movie was great great great"
GATES = {"input gate": "input_gate", "forget gate": "forget_gate", "output gate": "output_gate"}


def click_heatmap_cell(page, title: str, step: int, unit: int, label: str) -> None:
    """Click the cell (step, unit) of the heatmap whose title begins with `title`, where a
    student would: at its pixel, found with plotly's own axis conversions, once the chart shows
    this input (its step reads `label`) and the hover label there names that step and unit.

    A rerun may still replace a chart after the script has finished (the elements of the run
    reach the page a moment later), so the pointing is tried again until the label shows. A
    click that lands just as plotly redraws the chart is lost, as a student's would be (CI saw
    it once: the view stayed at its first cell); the student clicks again, and so does the test,
    until the step view's heading names the cell: at most three clicks."""
    find = """([title, step, label]) => [...document.querySelectorAll('.js-plotly-plot')]
        .findIndex(p => (p.data || []).some(t => t.type === 'heatmap')
            && p.layout.title.text.includes('>' + title)
            && p.data[1].customdata.some(c => c[2] === step && c[1] === label))"""
    page.wait_for_function(f"(args) => ({find})(args) >= 0", arg=[title, step, label])

    def point() -> dict | None:
        plot = page.locator(".js-plotly-plot").nth(page.evaluate(find, [title, step, label]))
        try:
            plot.scroll_into_view_if_needed(timeout=5_000)
            where = plot.evaluate("""(plot, [step, unit]) => {
                const layout = plot._fullLayout, box = plot.getBoundingClientRect();
                return {x: box.left + layout._size.l + layout.xaxis.d2p(step),
                        y: box.top + layout._size.t + layout.yaxis.d2p(unit)};
            }""", [step, unit], timeout=5_000)
            page.mouse.move(where["x"], where["y"])
            hover = plot.locator(".hoverlayer .hovertext").text_content(timeout=2_000)
        except PlaywrightError:  # the chart was replaced while we pointed: point again
            return None
        return where if f"step {step} ({label}), unit {unit}" in hover else None

    heading = page.get_by_text(f"forward direction, unit {unit}, step {step}:")
    for _ in range(3):
        where = wait_for(point, 60)
        page.mouse.click(where["x"], where["y"])
        wait_idle(page)
        try:
            expect(heading).to_be_visible(timeout=15_000)
            return
        except AssertionError:
            pass  # the click was lost: point and click again


def table_numbers(page) -> dict[str, str]:
    """Each row of the step view's tables: its first cell (the term) -> its number, as shown."""
    rows = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stTable"] tr')]
        .map(row => [...row.children].map(cell => cell.innerText.trim()))""")
    return {row[0]: row[1] for row in rows if len(row) >= 2}


def assert_shows(page, replayed, step: int, unit: int) -> None:
    """The view is at (step, unit) and its gates and h_t are the replay's, to 4 digits."""
    expect(page.get_by_text(f"forward direction, unit {unit}, step {step}:")).to_be_visible()
    thumb = page.get_by_test_id("stSlider").filter(has_text="Step t")
    expect(thumb.get_by_test_id("stSliderThumbValue")).to_have_text(str(step))
    expect(page.get_by_label("Unit", exact=True)).to_have_value(str(unit))
    traces = replayed.layers[0].forward
    expected = {f"{words}: sigmoid of the sum": step_view.number(traces[trace][step, unit])
                for words, trace in GATES.items()}
    shown = {}

    def settled() -> bool:  # a rerun's tables reach the page a moment after its first lines
        shown.update(table_numbers(page))
        return all(shown.get(row) == number for row, number in expected.items())

    try:
        wait_for(settled, 30)
    except AssertionError:
        pass  # the assertion below says which numbers differ
    assert {row: shown.get(row) for row in expected} == expected
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text(
        f"h_t = {step_view.number(traces['hidden'][step, unit])}: unit {unit}'s output at step "
        f"{step}")


def test_a_heatmap_click_opens_the_step_by_hand_and_the_arrow_keys_move_t(server, new_page):
    page = new_page()
    open_url(page, f"{server.url}/inside")  # the app starts the supervisor for this store
    store = Store(server.home)
    run_id = store.submit(TINY_IMDB_LSTM, "ada")
    wait_for(lambda: store.get(run_id).status in ("done", "failed"), 180)
    assert store.get(run_id).status == "done", store.get(run_id).error
    _, weights = artifacts.read_trained_model(store.run_dir(run_id))
    typed = inside.typed_review_input(REVIEW, TINY_IMDB_LSTM, WORD_INDEX)
    replayed = replay.trace(TINY_IMDB_LSTM, weights, typed.sequence)

    open_url(page, f"{server.url}/inside?run={run_id}")
    page.get_by_text("Type your own", exact=True).click()
    wait_idle(page)
    review = page.get_by_label("Your review")
    review.fill(REVIEW)
    review.press("Control+Enter")
    wait_idle(page)
    assert typed.labels[9] == "great"

    click_heatmap_cell(page, "forget gate", 9, 2, "great")
    assert_shows(page, replayed, 9, 2)
    assert page.get_by_label("Follow one unit").input_value() == "2"  # the unit plot follows

    thumb = page.get_by_test_id("stSlider").filter(has_text="Step t").get_by_role("slider")
    thumb.focus()
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert_shows(page, replayed, 10, 2)
    thumb.focus()
    page.keyboard.press("ArrowLeft")
    wait_idle(page)
    thumb.focus()
    page.keyboard.press("ArrowLeft")
    wait_idle(page)
    assert_shows(page, replayed, 8, 2)

    click_heatmap_cell(page, "hidden state", 11, 0, typed.labels[11])  # another chart, another cell
    assert_shows(page, replayed, 11, 0)
    assert not page.get_by_test_id("stException").count()
    assert not server.imports_tensorflow()
