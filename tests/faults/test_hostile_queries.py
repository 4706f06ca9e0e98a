"""Hostile links: every page, every URL parameter it reads, each set to strings an attacker or a
clumsy paste would put there.

A link is typed by a person or pasted from anywhere, and a page opened from it is seen by whoever
opens it. So whatever a parameter holds, the page must run to its end: no exception box, no
traceback, no server path (the store's folder, the Python installation), and no piece of the link
read as Markdown (an image that makes the browser fetch an address, a link, a script tag).

The strings (HOSTILE): numbers Python reads but a person did not mean (superscript, Arabic-Indic
and full-width digits, 1_6, 1e3), numbers too large for SQLite or for Python's int(), signs and
zero, NaN and inf, broken and enormous comma lists, path pieces, markup, a NUL, blanks, 100,000
characters, and repeated keys (a list: the URL carries the key once per item).

Each page is opened from one store holding runs in every state, a finished search and gradient
records, with one parameter at a time set to one string (the config's keys, and on Tune the
search's tune_ keys, all at once: a config reports every bad key).

Every string against every page would be 24 cases x 34 strings = 816 page loads, a quarter of an
hour of CI, and most of them would repeat one another: a page never looks at a link's value
itself, it hands it to one reader per key (rnnlab.ui.state: parse_whole_number for run= and
search=, parse_id_list for compare= and race=, RunConfig.from_query for the config,
SearchConfig.from_query for the tune_ keys; the sidebar drops owner= unread), and from there on
only the reader's outcome decides the page's path: a number of a stored run, a number of none, no
number, a list, a refusal whose message is shown escaped. So the tests are split in two:

- `test_every_hostile_value_is_read_or_refused_in_plain_words` hands EVERY string to every reader,
  exactly as the page does (`read_link`), in milliseconds: each is read to a value in range or
  refused with a ValueError whose message, escaped as the page shows it, holds no Markdown, no
  traceback and no server path.
- `test_hostile_values_never_break_a_page` opens each page once per class of strings for its key:
  the class is the reader's outcome, whether the URL carries a list (a repeated key), whether the
  string carries Markdown, whether it is longer than any line a person types, and whether it holds
  an unprintable character (NUL, a zero-width space, a right-to-left override). The first string of
  each class stands for the others (`representatives`); a new string with a new outcome gets its
  own page load without anyone choosing it.
"""
import sys

import numpy as np
import pytest

from rnnlab.config import RunConfig
from rnnlab.config.numbers import MAX_WHOLE, parse_id_list, parse_whole_number
from rnnlab.config.search import QUERY_PREFIX, SearchConfig, allowed_objectives
from rnnlab.data.explain import escape_markdown
from rnnlab.jobs import artifacts
from rnnlab.jobs.store import Store
from tests.app.conftest import as_read, open_page, seed_every_state

HOSTILE = [
    "²", "٣", "１２", "9" * 25, "9" * 5000, "-1", "0", "1e3", "NaN", "inf", "1,²", ",,,",
    "1," * 1000, "../../etc/passwd", "<script>alert(1)</script>", "![t](http://127.0.0.1:9/x.png)",
    "[link](http://127.0.0.1:9/)", "%00", "\x00", "   ", "x" * 100_000, "1_6", "+1", "0x10",
    "1.5", "9223372036854775808", "9223372036854775807", ":red[**loud**]", "$\\frac{1}{0}$",
    "' OR 1=1 --", "Bob\u200b", "\u202egnp.x", ["1", "²"], ["²", "1"],
]
# What each page reads from its URL besides the config: ids, and the owner (which the sidebar
# drops unread on every page: a link carries nobody). The config's keys are set all at once (the config reports every bad key), and
# so are the search's tune_ keys on Tune.
VIEW_KEYS = {
    "home": ["owner"], "data": ["owner"], "build": ["owner"], "train": ["owner", "run"],
    "runs": ["owner", "run", "compare"], "inside": ["owner", "run"],
    "gradients": ["owner", "race"], "race": ["owner", "race"], "tune": ["owner", "search"],
}
CONFIG_KEYS = ("dataset", "layers", "l1_cell", "l1_units", "l1_activation", "epochs",
               "learning_rate", "maxlen", "mask_padding", "sequence_length", "lookback_hours")
SEARCH_KEYS = ("tune_tuner", "tune_depths", "tune_units_max", "tune_learning_rates",
               "tune_objective", "tune_max_trials")
READS_CONFIG = ["data", "build", "train", "inside", "gradients", "race", "tune"]
CASES = ([(page, (key,)) for page, keys in VIEW_KEYS.items() for key in keys]
         + [(page, CONFIG_KEYS) for page in READS_CONFIG] + [("tune", SEARCH_KEYS)])
MARKUP = ("![t](", "[link](", "<script>", ":red[", "$\\frac")


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    """One store for the whole module: runs in every state, a search, gradient records."""
    root = tmp_path_factory.mktemp("hostile")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RNNLAB_HOME", str(root / "home"))
        patch.setenv("RNNLAB_DATA_DIR", str(root / "data"))
        patch.setenv("RNNLAB_CACHE_DIR", str(root / "cache"))
        (root / "data").mkdir()
        patch.setattr("rnnlab.jobs.supervisor.ensure_supervisor", lambda store: None)
        patch.setattr("rnnlab.jobs.runs.ensure_supervisor", lambda store: None)
        store = Store()
        ids = seed_every_state(store)
        for name in ("done", "done_gru"):
            artifacts.write_gradients(store.run_dir(ids[name]), artifacts.GradientRecords(
                np.array([0, 3]), np.full((2, 100), 0.1), np.array([0.01, 0.01])))
        search = store.submit_search(SearchConfig(RunConfig()), "ada")
        store.claim(10)
        store.finish(search, "done", result={"seconds": 12.0})
        yield store


def _walk(node):
    """Every element under `node` (AppTest's tree of what the page drew), depth first."""
    for child in getattr(node, "children", {}).values():
        if getattr(child, "proto", None) is not None:
            yield child
        yield from _walk(child)


def markdown_bodies(app) -> list[str]:
    """The bodies Streamlit renders as Markdown: text, titles, captions, alerts, subheaders."""
    elements = [*app.markdown, *app.caption, *app.title, *app.header, *app.subheader,
                *app.error, *app.warning, *app.info, *app.success]
    return [element.value for element in elements]


# What a page says after a refused number or list ("Showing the newest run instead."); the
# readers below add the one the pages use, since the message shown is the error and this.
INSTEAD = "It is ignored."
# A string this long is no line a person types: it is kept apart from the short ones.
LONG = 1_000


def case_name(keys: tuple) -> str:
    """How a test's id names `keys`: "config", "tune_keys", or the one key."""
    return {CONFIG_KEYS: "config", SEARCH_KEYS: "tune_keys"}.get(keys, keys[0])


def link_text(value) -> str:
    """The string a page's reader gets for `value`: a repeated key's last item, as
    st.query_params.get and to_dict hand it."""
    return value[-1] if isinstance(value, list) else value


def read_link(keys: tuple, text: str, store: Store) -> tuple[str, str | None]:
    """What the page's reader of `keys` makes of `text`, as rnnlab.ui.state reads it.

    Returns:
        (outcome, message): the outcome in words ("a stored run", "refused", ...), and for a
        refusal the message as the page shows it (escaped Markdown), else None.
    """
    if keys == ("owner",):
        return "dropped unread", None
    try:
        if keys == CONFIG_KEYS:
            RunConfig.from_query(dict.fromkeys(keys, text))
            return "settings read", None
        if keys == SEARCH_KEYS:
            query = dict.fromkeys(keys, text)
            if text not in allowed_objectives(RunConfig()):  # current_search drops it
                del query[QUERY_PREFIX + "objective"]
            SearchConfig.from_query(query, RunConfig())
            return "search settings read", None
        stored = {run.id for run in store.list()}
        if keys in (("run",), ("search",)):
            if not text.strip():
                return "blank", None
            number = parse_whole_number(text, f"the link's {keys[0]} number", low=1)
            assert 1 <= number <= MAX_WHOLE
            return ("a stored run" if number in stored else "a number of no run"), None
        ids = parse_id_list(text, f"the link's run numbers ({keys[0]}=)")
        assert len(ids) <= 50 and all(1 <= number <= MAX_WHOLE for number in ids)
        return ("no ids" if not ids else "stored runs" if set(ids) <= stored
                else "a number of no run"), None
    except ValueError as err:  # a ConfigError is one too
        return "refused", escape_markdown(f"{err} {INSTEAD}")


def value_class(keys: tuple, value, store: Store) -> tuple:
    """The class of `value` at `keys`: what can make a page take another path (see the top)."""
    text = link_text(value)
    return (read_link(keys, text, store)[0], isinstance(value, list),
            any(markup in text for markup in MARKUP), len(text) > LONG, text.isprintable())


def representatives(keys: tuple, store: Store) -> list:
    """The first string of HOSTILE in each class at `keys`, in HOSTILE's order."""
    chosen = {}
    for value in HOSTILE:
        chosen.setdefault(value_class(keys, value, store), value)
    return list(chosen.values())


@pytest.mark.parametrize("keys", sorted({keys for _, keys in CASES}), ids=case_name)
def test_every_hostile_value_is_read_or_refused_in_plain_words(keys, hostile_store):
    server_paths = [str(hostile_store.home), sys.prefix, sys.base_prefix]
    for value in HOSTILE:
        for text in (value if isinstance(value, list) else [value]):
            outcome, message = read_link(keys, text, hostile_store)
            label = f"{keys[0]}={text[:40]!r}"
            if outcome != "refused":
                assert message is None, label
                continue
            assert "Traceback" not in message, label
            assert not any(path in message for path in server_paths), (label, message[:300])
            assert not any(markup in message for markup in MARKUP), (label, message[:300])
            assert len(message) < 3_000, (label, len(message))


@pytest.mark.parametrize("page,keys", CASES,
                         ids=[f"{page}-{case_name(keys)}" for page, keys in CASES])
def test_hostile_values_never_break_a_page(page, keys, hostile_store):
    server_paths = [str(hostile_store.home), sys.prefix, sys.base_prefix]
    for value in representatives(keys, hostile_store):
        app = open_page(page, dict.fromkeys(keys, value))
        label = f"{page}?{keys[0]}={str(value)[:40]!r}"
        assert not app.exception, (label, [e.message[:300] for e in app.exception])
        for text in (str(element.proto) for element in _walk(app._tree)):
            assert "Traceback" not in text, label
            assert not any(path in text for path in server_paths), (label, text[:300])
        for body in markdown_bodies(app):
            assert not any(markup in body for markup in MARKUP), (label, body[:300])


def test_a_bad_run_number_is_ignored_with_a_warning_in_words(hostile_store):
    app = open_page("runs", {"run": "²"})
    assert not app.exception
    assert [as_read(w.value) for w in app.warning] == [
        "The link's run number is '²', but it must be a whole number written with the digits "
        "0-9. Showing the newest run instead."]
    assert app.selectbox(key="runs_open").value == hostile_store.list(kind="train")[0].id
    assert "run" not in app.query_params or app.query_params["run"] != "²"


def test_a_race_list_too_long_is_ignored_whole(hostile_store):
    app = open_page("race", {"race": "1," * 1000})
    assert not app.exception and not app.dataframe
    assert "holds 1,000 items, but at most 50 are allowed" in as_read(app.warning[0].value)


# -- the one reader of numbers typed by a person (rnnlab.config.numbers) -------------------------


@pytest.mark.parametrize("text", [
    "²", "٣", "１２", "1_6", "1e3", "1.5", "NaN", "inf", "0x10", "+1", "", "   ", "\x00", "%00",
    "1\u00a0", "9" * 41, "9" * 5000, "x" * 100_000, "../../etc/passwd", "<script>",
])
def test_only_ascii_digits_are_a_whole_number(text):
    with pytest.raises(ValueError, match="must be a whole number written with the digits 0-9"):
        parse_whole_number(text, "the link's run number")


def test_whole_numbers_are_bounded_and_said_in_words():
    assert parse_whole_number(" 12\t", "the run") == 12
    assert parse_whole_number(str(MAX_WHOLE), "the run") == MAX_WHOLE
    with pytest.raises(ValueError) as refused:
        parse_whole_number("9" * 25, "the link's run number", low=1)
    assert str(refused.value) == (
        "The link's run number is 9,999,999,999,999,999,999,999,999, but it must be a whole "
        "number from 1 to 9,223,372,036,854,775,807.")
    with pytest.raises(ValueError, match=r"is '9{39}\.\.\., but it must be a whole number"):
        parse_whole_number("9" * 5000, "the run")


def test_id_lists_skip_blanks_drop_repeats_and_have_a_ceiling():
    assert parse_id_list("3, 5,,3,8,", "the race") == [3, 5, 8]
    assert parse_id_list(",,,", "the race") == []
    with pytest.raises(ValueError, match="An item of the race is '²'"):
        parse_id_list("1,²", "the race")
    with pytest.raises(ValueError, match="holds 51 items, but at most 50 are allowed"):
        parse_id_list(",".join(map(str, range(1, 52))), "the race")
    with pytest.raises(ValueError, match="far longer than a list of at most 50 numbers"):
        parse_id_list("1" * 100_000, "the race")
