"""The Tune page in a real browser, against a real server, supervisor and worker: start a tiny
search, watch the trial table fill, open the best trial on the Build page."""
import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from rnnlab.config import RunConfig
from rnnlab.jobs.store import Store
from tests.e2e.server import join, open_url, wait_idle
from tests.waiting import wait_for

# The generated long-memory task, tiny: a trial of one epoch takes a few seconds.
TINY = ("dataset=memory&sequence_length=10&examples=200&batch_size=32&l1_cell=GRU&l1_units=4"
        "&tune_units_min=2&tune_units_max=8&tune_units_step=2&tune_epochs=1")


def query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def table_rows(page) -> int:
    """Rows of the trial table (st.dataframe's grid counts its header row too)."""
    grid = page.locator("[data-testid='stDataFrame'] [role='grid']")
    return int(grid.first.get_attribute("aria-rowcount")) - 1 if grid.count() else 0


def test_a_tiny_search_fills_its_table_and_opens_the_best_trial_on_build(server, new_page):
    store = Store(server.home)
    page = new_page()
    open_url(page, f"{server.url}/tune?{TINY}")
    join(page, "ada")
    trials = page.get_by_label("Trials", exact=True)
    trials.fill("3")
    trials.press("Enter")
    page.wait_for_url(re.compile(r"[?&]tune_max_trials=3(&|$)"))  # the server took the setting
    wait_idle(page)
    expect(page.get_by_text("at most 3 trials, 3 epochs of training in all")).to_be_visible()

    page.get_by_role("button", name="Start the search", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]search=\d+(&|$)"))
    search_id = int(query(page)["search"])
    run = store.get(search_id)
    assert run.kind == "search" and run.search.max_trials == 3 and run.owner == "ada"

    # the table fills trial by trial while the search runs, without a reload
    seen = {wait_for(lambda: table_rows(page), 120)}
    while "Finished: 3 trials" not in page.inner_text("body"):
        seen.add(table_rows(page))
        page.wait_for_timeout(200)
    expect(page.get_by_text(re.compile(r"Finished: 3 trials in \d+ s"))).to_be_visible()
    # The page reruns once more when the search ends (polling stops), redrawing the table: wait
    # for the redrawn grid rather than read it mid-render.
    wait_idle(page)
    assert wait_for(lambda: table_rows(page) == 3, 30)
    assert len(seen) >= 2  # it grew in view
    assert [t.status for t in store.trials(search_id)] == ["completed"] * 3

    best = max(store.trials(search_id), key=lambda t: -t.score)  # val_loss: the lowest
    best_config = run.search.trial_config(best.hyperparameters)
    expect(page.get_by_text(f"Best so far: trial {best.number}")).to_be_visible()
    # The page draws one such link, but the search's end reruns the whole page, and for a moment
    # the panel's previous drawing can still be on screen beside the new one (CI once found two
    # links here, with the same address). Wait for the page to settle on one.
    train_this = page.get_by_role("link", name="Train this: open it on the Build page")
    expect(train_this).to_have_count(1)
    train_this.click()
    page.wait_for_url(re.compile(r"/build\?"))
    wait_idle(page)
    expect(page.get_by_role("heading", name="Build", exact=True)).to_be_visible()
    assert RunConfig.from_query(query(page)) == best_config
    assert "owner" not in query(page)  # a link carries the model, never the person
    expect(page.get_by_test_id("stSidebar").get_by_text("You are ada.")).to_be_visible()
    expect(page.get_by_role("link", name="Train this model")).to_be_visible()
    assert not server.imports_tensorflow()  # the search trained in a worker, not in the server
