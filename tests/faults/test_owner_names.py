"""Owner names are data, not markup, and one person has one quota however they type their name.

The library side (rnnlab.jobs.owners through the store): names are cleaned and cut before they are
stored, the per-owner limit counts by the case-folded key, a batch has a ceiling. The page side
(a person joins under the name; a link's ?owner= is nobody):
a name such as `![t](http://127.0.0.1:9/x.png)` is shown as those characters on every page that
shows owners, never as an image the browser would fetch or a link (tests/e2e/test_hostile_names.py
checks the browser's requests).
"""
import pytest

from rnnlab.cells import CELLS
from rnnlab.config import RunConfig, TrainingOptions
from rnnlab.config.search import SearchConfig
from rnnlab.data.explain import escape_markdown
from rnnlab.jobs import owners, runs
from rnnlab.jobs.store import LimitError, Store
from rnnlab.lessons import sweep
from rnnlab.lessons.race import RACE_CELLS
from tests.app.conftest import imdb_config, open_page, seed_every_state
from tests.app.conftest import store  # noqa: F401  (the pages' private store, autouse)

IMAGE = "![t](http://127.0.0.1:9/x.png)"
LINK = "[here](http://127.0.0.1:9/)"


def config(seed: int) -> RunConfig:
    return RunConfig(training=TrainingOptions(seed=seed))


# -- the library: one name, one key, one quota ----------------------------------------------------


@pytest.mark.parametrize("typed,shown", [
    ("  Bob  ", "Bob"), ("Ｂｏｂ", "Bob"), ("Bo\u200bb", "Bob"), ("\ufeffBob\u200d", "Bob"),
    ("Ada\tLovelace\n\n", "Ada Lovelace"), ("Ada \u00a0 Lovelace", "Ada Lovelace"),
    ("Bo\x00b\x1b[31m", "Bob[31m"), ("", "anonymous"), ("\u200b \u200b", "anonymous"),
    ("x" * 1_000_000, "x" * 40), (IMAGE, IMAGE),
])
def test_display_names_are_cleaned_and_cut(typed, shown):
    assert owners.display_name(typed) == shown


def test_names_typed_differently_share_one_key():
    keys = {owners.owner_key(name) for name in
            ("Bob", "BOB", "bob", "Bo\u200bb", "Ｂｏｂ", "B\u043eb", " bob ")}  # \u043e: Cyrillic о
    assert keys == {"bob"}
    assert owners.owner_key("Rob") != "bob"


def test_bob_and_his_spellings_share_one_quota(tmp_path):
    store = Store(tmp_path)
    for seed, name in enumerate(("Bob", "BOB", "bo\u200bb")):
        store.submit(config(seed), name, owner_limit=3)
    for seed, name in enumerate(("bob", "B\u043eb", "Ｂｏｂ", "Bob\u200b"), start=10):
        with pytest.raises(LimitError, match="already has 3 runs queued or running"):
            store.submit(config(seed), name, owner_limit=3)
    store.submit(config(20), "Rob", owner_limit=3)  # another person has a quota of their own
    assert [r.owner for r in store.list()] == ["Rob", "bob", "BOB", "Bob"]  # the display names


def test_the_library_cuts_a_huge_name(tmp_path):
    store = Store(tmp_path)
    run_id = store.submit(config(1), "x" * 1_000_000)
    search_id = store.submit_search(SearchConfig(config(2)), "\u200b" * 1_000_000)
    assert store.get(run_id).owner == "x" * owners.MAX_NAME_CHARS
    assert store.get(search_id).owner == "anonymous"


def test_a_batch_larger_than_the_ceiling_is_refused_in_words(tmp_path):
    store = Store(tmp_path)
    with pytest.raises(LimitError) as refused:
        runs.submit_batch([config(seed) for seed in range(25)], "ada", store=store)
    assert str(refused.value) == ("25 runs at once are more than one request may queue (18). "
                                  "Queue fewer.")
    assert store.list() == []
    assert len(store.submit_many([config(seed) for seed in range(18)], "ada")) == 18


def test_the_ceiling_holds_the_largest_sweep_and_race():
    assert sweep.MAX_LENGTHS * len(RACE_CELLS) <= owners.MAX_BATCH
    assert len(CELLS) <= owners.MAX_BATCH


# -- the pages: a name is shown as typed -----------------------------------------------------------


def markdown_bodies(app) -> list[str]:
    """The bodies Streamlit renders as Markdown: text, titles, captions, alerts, subheaders."""
    elements = [*app.markdown, *app.caption, *app.title, *app.subheader, *app.error,
                *app.warning, *app.info, *app.success]
    return [element.value for element in elements]


def assert_no_markup(app) -> None:
    """No body Streamlit reads as Markdown holds an image or a link the name carried, unescaped."""
    assert not app.exception, app.exception
    for body in markdown_bodies(app):
        assert "![t](" not in body and "[here](" not in body, body


@pytest.fixture
def named(store):  # noqa: F811  (the imported fixture)
    """Runs in every state, the finished ones owned by an image and a link, and a search."""
    ids = seed_every_state(store)
    with store.connect(write=True) as conn:  # names as an old store may hold them
        conn.execute("UPDATE runs SET owner = ? WHERE id = ?", (IMAGE, ids["done"]))
        conn.execute("UPDATE runs SET owner = ? WHERE id = ?", (LINK, ids["done_gru"]))
        conn.execute("UPDATE runs SET owner = ? WHERE id = ?", (IMAGE, ids["running"]))
    ids["search"] = store.submit_search(SearchConfig(RunConfig()), IMAGE)
    return ids


@pytest.mark.parametrize("page,param", [
    ("home", None), ("data", None), ("build", None), ("train", "done"), ("train", "running"),
    ("runs", "done"), ("inside", "done"), ("gradients", None), ("race", None), ("tune", "search"),
])
def test_names_are_plain_text_on_every_page(named, page, param, data_dir):
    params = {}
    if param is not None:
        params[{"tune": "search"}.get(page, "run")] = str(named[param])
    if page == "race":
        params["race"] = f"{named['done']},{named['done_gru']}"
    app = open_page(page, params, person=IMAGE)
    assert_no_markup(app)
    assert f"You are **{escape_markdown(IMAGE)}**." in [m.value for m in app.sidebar.markdown]


def test_the_watched_runs_heading_shows_the_name_escaped(named):
    for page, key, run in (("train", "run", "done"), ("tune", "search", "search")):
        app = open_page(page, {key: str(named[run])})
        (heading,) = [h.value for h in app.subheader if f"#{named[run]}" in h.value]
        assert heading.endswith(f"({escape_markdown(IMAGE)})")


def test_runs_page_lists_names_as_data(named):
    app = open_page("runs", {"run": str(named["done"]), "compare": str(named["done_gru"])})
    assert_no_markup(app)
    assert {IMAGE, LINK} <= set(app.dataframe[0].value["owner"])
    options = app.selectbox(key="runs_open").options  # a widget's options are plain text
    assert f"#{named['done']} imdb: LSTM(16) ({IMAGE})" in options
    assert f"#{named['done_gru']} imdb: GRU(16) ({LINK})" in options


def test_a_refusal_that_names_the_owner_is_plain_text(store):  # noqa: F811
    for seed in range(3):
        store.submit(imdb_config(seed=seed), IMAGE, owner_limit=3)
    app = open_page("train", imdb_config(seed=9).to_query(), person=IMAGE)
    app.button(key="train_start").click().run()
    assert_no_markup(app)
    assert app.error[0].value.startswith(escape_markdown(IMAGE) + " already has 3 runs")


def test_a_huge_name_is_cut_when_joining_and_a_name_in_the_link_is_nobody(store):  # noqa: F811
    app = open_page("train", person="Bo\u200bb " + "x" * 100_000)
    assert not app.exception
    assert f"You are **Bob {'x' * 36}**." in [m.value for m in app.sidebar.markdown]
    app.button(key="train_start").click().run()
    assert store.list()[0].owner == "Bob " + "x" * 36
    linked = open_page("train", {"owner": "Bob " + "x" * 100_000})
    assert not linked.exception and linked.text_input(key="identity_name").value == ""
