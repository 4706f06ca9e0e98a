"""Offline, in a real browser: the quick text preset's language model, cut to two epochs on a small
corpus, trains from the Train page and its writing after each epoch appears there, the very text
the worker wrote into samples.json; once it is done, Generate writes in the browser too.
"""
import re
from urllib.parse import urlencode

from playwright.sync_api import expect

from rnnlab.config.presets import PRESETS
from rnnlab.jobs import artifacts, runs
from rnnlab.jobs.store import Store
from rnnlab.network import sampler
from tests.e2e.server import join, open_url, wait_idle


def test_the_train_page_shows_what_the_model_writes_after_each_epoch(server, new_page):
    store = Store(server.home)
    query = {**PRESETS["text-quick"].config.to_query(), "epochs": "2", "corpus_chars": "20000"}
    page = new_page()
    open_url(page, f"{server.url}/train?{urlencode(query)}")
    join(page, "karpathy")
    page.get_by_role("button", name="Train", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("After epoch 2", exact=True)).to_be_visible(timeout=300_000)
    expect(page.get_by_role("button", name="Generate", exact=True)).to_be_visible(
        timeout=60_000)  # the run is done
    (run,) = store.list()
    assert run.status == "done", run.error
    assert run.config.training.epochs == 2 and run.config.text.corpus_chars == 20_000
    samples = runs.samples(run.id, store)
    assert [sample.epoch for sample in samples] == [1, 2]
    prompt = sampler.EPOCH_SAMPLE_PROMPTS["python"]
    blocks = page.get_by_test_id("stCode").all_inner_texts()
    shown = [block for block in blocks if block.startswith(prompt)]
    # The browser shows each sample as written (a block's inner text may drop the trailing
    # newlines and spaces that wrap_lines leaves to the layout).
    assert [text.rstrip() for text in shown] == [(prompt + s.text).rstrip() for s in samples]
    assert [label for label in page.get_by_text(re.compile(r"^After epoch \d+$"))
            .all_inner_texts()] == ["After epoch 1", "After epoch 2"]

    page.get_by_label("Prompt: the text it continues (empty: it starts a new line)").fill(
        "import ")
    page.get_by_label("Characters to write").fill("80")
    page.get_by_label("Characters to write").press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Generate", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("80 characters after the prompt, temperature 0.8, seed 1:")
           ).to_be_visible()
    (written,) = [block for block in page.get_by_test_id("stCode").all_inner_texts()
                  if block.startswith("import ")]
    config, weights = artifacts.read_trained_model(store.run_dir(run.id))
    expected = sampler.generate(config, weights, "import ", 80, 0.8, seed=1)
    assert written.rstrip() == ("import " + expected.text).rstrip()
    assert not server.imports_tensorflow()
