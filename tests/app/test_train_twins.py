"""Train waits while the same setup is queued or running: three clicks queue one run."""
from tests.app.conftest import imdb_config, open_page


def test_three_quick_clicks_queue_one_run_and_train_waits_for_it(store):
    config = imdb_config(cell="GRU")
    # Three clicks that arrive before the page has greyed the button: three pages loaded while
    # nothing was queued, each clicked once.
    pages = [open_page("train", config.to_query(), person="ada") for _ in range(3)]
    assert not any(page.button(key="train_start").disabled for page in pages)
    for page in pages:
        page.button(key="train_start").click().run()
    (run,) = store.list()
    assert [page.query_params["run"] for page in pages] == [str(run.id)] * 3
    app = pages[-1]
    assert app.query_params["run"] == str(run.id) and not app.exception
    assert app.button(key="train_start").disabled
    assert (f"This setup, seed included, is already queued as run #{run.id} (ada): Train is back "
            "when it ends.") in [c.value for c in app.caption]
    assert "Waiting: it is next. It should start in under a minute." in [i.value for i in app.info]
    assert not app.get("page_link") or all("Watch run" not in link.proto.label
                                           for link in app.get("page_link"))


def test_another_browser_sees_which_run_it_is_with_a_link_to_watch_it(store):
    config = imdb_config(cell="GRU")
    run_id = store.submit(config, "bob")
    store.claim(1)
    other = open_page("train", config.to_query(), person="ada")
    assert other.button(key="train_start").disabled
    assert any(f"already running as run #{run_id} (bob)" in c.value for c in other.caption)
    (link,) = [link for link in other.get("page_link") if "Watch run" in link.proto.label]
    assert f"run={run_id}" in str(link.proto)
    store.finish(run_id, "done", result={"best_val_accuracy": 0.8})
    other.run()
    assert not other.button(key="train_start").disabled       # ended: Train is back
