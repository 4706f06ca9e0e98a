"""Inside the cell in a real browser: a run trained by the real supervisor, a review typed by hand.

The data folder holds a tiny IMDB in Keras's format (four reviews a split), so the worker trains
in seconds and the page can encode a typed review with the word index.
"""
import json

import numpy as np
import pytest
from playwright.sync_api import expect

from rnnlab.config import ImdbOptions, LayerConfig, RunConfig, TrainingOptions
from rnnlab.jobs.store import Store
from tests.e2e.server import Server, open_url, wait_idle
from tests.unit.data.test_imdb import WORD_INDEX, write_keras_npz
from tests.waiting import wait_for

TINY_IMDB_LSTM = RunConfig(imdb=ImdbOptions(num_words=20, maxlen=12, embedding_dim=4),
                           layers=(LayerConfig(cell="LSTM", units=4),),
                           training=TrainingOptions(epochs=2, batch_size=2))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e_inside")
    data = root / "data"
    data.mkdir()
    rng = np.random.default_rng(0)  # 40 reviews a split of 3 to 11 ranked words (ranks 1..7)
    reviews = [list(rng.integers(1, 8, size=rng.integers(3, 12))) for _ in range(80)]
    labels = list(rng.integers(0, 2, size=80))
    write_keras_npz(data / "imdb.npz", reviews[:40], labels[:40], reviews[40:], labels[40:])
    (data / "imdb_word_index.json").write_text(json.dumps(WORD_INDEX))
    server = Server(root / "home", data)
    yield server
    server.stop()


def plot_types(page) -> list[list[str]]:
    """The trace types of every plotly chart on the page, e.g. [["scatter"], ["heatmap"]]."""
    return page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')]
        .map(plot => plot.data.map(trace => trace.type || 'scatter'))""")


def test_a_typed_review_shows_the_gates_and_the_running_prediction(server, new_page):
    page = new_page()
    open_url(page, f"{server.url}/inside")  # the app starts the supervisor for this store
    expect(page.get_by_test_id("stAlertContentInfo")).to_contain_text("No finished run yet")
    store = Store(server.home)
    run_id = store.submit(TINY_IMDB_LSTM, "ada")
    wait_for(lambda: store.get(run_id).status in ("done", "failed"), 180)
    assert store.get(run_id).status == "done", store.get(run_id).error

    open_url(page, f"{server.url}/inside?run={run_id}")
    page.get_by_text("Type your own", exact=True).click()
    wait_idle(page)
    review = page.get_by_label("Your review")
    review.fill("the movie was great great great")
    review.press("Control+Enter")
    wait_idle(page)
    expect(page.get_by_text("Your review.", exact=True)).to_be_visible()
    expect(page.get_by_text("What the model would answer if the review ended here").first
           ).to_be_visible()
    # Wait for the drawn heatmaps themselves, not a count of chart elements: during a rerun the
    # count can still include the previous run's charts while the new ones are being drawn (a
    # loaded CI machine once read three charts right after counting eight).
    page.wait_for_function("""() => {
        const plots = [...document.querySelectorAll('.js-plotly-plot')];
        return plots.length >= 8
            && plots.some(plot => (plot.data || []).some(trace => trace.type === 'heatmap'));
    }""")
    wait_idle(page)
    types = plot_types(page)
    assert ["heatmap", "scatter"] in types  # the gate and state heatmaps, each with its click layer
    assert types[0] == ["scatter"]  # the running prediction comes first
    words = page.evaluate("document.querySelector('.js-plotly-plot').data[0].text")
    assert words[-6:] == ["the", "movie", "was", "great", "great", "great"]
    assert not page.get_by_test_id("stException").count()
    assert not server.imports_tensorflow()
