"""Where a browser tab's state lives: the URL, and a small carrier in the session for page switches.

The run store is the truth about runs; the URL is the truth about what this tab is looking at:

    the config being built     RunConfig.to_query() keys        ?dataset=weather&units_1=64
    the search being set up    SearchConfig.to_query() keys     ?tune_units_max=128
    what is being watched      run, search, race, compare       ?run=12, ?race=3,4,5

A reload or a shared link therefore reopens the same view. Who is looking is not in the URL: a
link is shared, a person is not (rnnlab.ui.identity keeps them in a signed cookie). A link is typed by a person or pasted from anywhere, so everything read from it is data,
never trusted: ids go through rnnlab.config.numbers (ASCII digits, bounded; a bad one is ignored
with a warning in words), and every
message that repeats a piece of the link is shown with its Markdown escaped, so a name such as
`![t](http://host/x.png)` prints as typed instead of making the browser fetch an image.

One wrinkle: Streamlit clears the query parameters when the user switches pages. So the
config and the search also sit in a per-tab carrier in st.session_state, and each page
calls `current_config()` / `current_search()`, which read the URL (else the carrier)
and write the value back into both.

Widget callbacks read `latest_config()` / `latest_search()` (the carrier), never the config the
page drew: see latest_config for why.
"""
from __future__ import annotations

import streamlit as st

from rnnlab.config import ConfigError, RunConfig
from rnnlab.config.numbers import parse_id_list, parse_whole_number
from rnnlab.config.search import QUERY_PREFIX, SearchConfig, allowed_objectives
from rnnlab.data.explain import escape_markdown
from rnnlab.jobs import runs
from rnnlab.ui import presenter

# URL keys that are not part of a RunConfig (besides the Tune page's tune_... search settings).
RUN_KEY, SEARCH_KEY = "run", "search"
VIEW_KEYS = (RUN_KEY, "compare", "race", SEARCH_KEY, *presenter.URL_KEYS)
_CONFIG_CARRIER = "ui_config_query"
_SEARCH_CARRIER = "ui_search_query"


def _is_view_key(key: str) -> bool:
    return key in VIEW_KEYS or key.startswith(QUERY_PREFIX)


def _config_part(params: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in params.items() if not _is_view_key(k)}


def _write_url(updates: dict[str, str], drop_config: bool = False,
               drop_search: bool = False) -> None:
    """Merge `updates` into the URL, only if it changes. drop_config replaces all config keys,
    drop_search all tune_ keys."""
    current = st.query_params.to_dict()
    merged = {k: v for k, v in current.items()
              if not (drop_config and not _is_view_key(k))
              and not (drop_search and k.startswith(QUERY_PREFIX))}
    merged.update(updates)
    if merged != current:
        st.query_params.from_dict(merged)


# -- the config being built ---------------------------------------------------------------------


def current_config() -> RunConfig:
    """The config this tab works on: from the URL, else the last page's, else the textbook default.

    A link with settings that are not allowed shows the reasons and falls back to the default.
    """
    query = _config_part(st.query_params.to_dict()) or st.session_state.get(_CONFIG_CARRIER, {})
    config = _read_or_default(query, RunConfig.from_query, RunConfig, "settings")
    remember_config(config)
    return config


def _read_or_default(query: dict[str, str], read, default, what: str):
    """`read(query)`, or, when the link holds `what` that are not allowed, `default()` after
    showing the reasons."""
    try:
        return read(query)
    except ConfigError as err:
        st.error(f"Some {what} in this link are not allowed, so the defaults are shown.\n\n"
                 + escape_markdown(str(err)))
        return default()


def remember_config(config: RunConfig) -> None:
    """Make `config` the tab's config: in the URL (shareable) and in the carrier (page switches)."""
    query = config.to_query()
    st.session_state[_CONFIG_CARRIER] = query
    _write_url(query, drop_config=True)


def latest_config() -> RunConfig:
    """The tab's config as it is now, for widget callbacks.

    A callback must not use the config of the run that drew its widget: when a student changes
    two settings quickly, the second change can arrive before the page has redrawn after the
    first, and that old config would undo the first change.
    """
    return RunConfig.from_query(st.session_state.get(_CONFIG_CARRIER, {}))


# -- the Tune page's search ---------------------------------------------------------------------
# Its settings live in the URL as tune_... keys beside the base model's config keys, and follow
# the same rules as the config's.


def open_watched_search() -> None:
    """A link that names only a search (?search=7) opens on that search's own model and space,
    so the form above its trials describes it; a link with settings keeps its settings."""
    search_id = watched_search()
    if search_id is None or _config_part(st.query_params.to_dict()) or any(
            key.startswith(QUERY_PREFIX) for key in st.query_params):
        return
    try:
        search = runs.status(search_id).search
    except KeyError:
        return
    if search is not None:
        remember_config(search.base)
        remember_search(search)


def current_search(base: RunConfig) -> SearchConfig:
    """The search this tab works on around `base`: from the URL, else the tab's last, else defaults.

    An objective the base model's task does not have (val_accuracy after switching to weather)
    falls back to val_loss; other settings that are not allowed show the reasons and fall back to
    the defaults.
    """
    params = st.query_params.to_dict()
    from_url = {k: v for k, v in params.items() if k.startswith(QUERY_PREFIX)}
    query = from_url or st.session_state.get(_SEARCH_CARRIER, {})
    objective = QUERY_PREFIX + "objective"
    if query.get(objective, "val_loss") not in allowed_objectives(base):
        query = {k: v for k, v in query.items() if k != objective}
    search = _read_or_default(query, lambda settings: SearchConfig.from_query(settings, base),
                              lambda: SearchConfig(base), "search settings")
    remember_search(search)
    return search


def remember_search(search: SearchConfig) -> None:
    """Make `search` the tab's search: its tune_ keys in the URL and in the carrier."""
    query = search.to_query()
    st.session_state[_SEARCH_CARRIER] = query
    _write_url(query, drop_search=True)


def latest_search() -> SearchConfig:
    """The tab's search as it is now, for widget callbacks (see latest_config)."""
    return SearchConfig.from_query(st.session_state.get(_SEARCH_CARRIER, {}), latest_config())


def page_params() -> dict[str, str]:
    """The URL parameters to carry when linking to another page: the config and the presenter
    settings (never a person)."""
    return {**st.session_state.get(_CONFIG_CARRIER, {}), **presenter.link_params()}


# -- what is being watched ----------------------------------------------------------------------


def _refuse(key: str, err: ValueError, instead: str) -> None:
    """Say in words why the link's `key` is ignored and what the page does instead, and take
    the key out of the URL so the warning is not repeated on every rerun."""
    st.warning(escape_markdown(f"{err} {instead}"))
    del st.query_params[key]


def _url_number(key: str, what: str, instead: str) -> int | None:
    """The id at `key` in the URL, or None when it is missing, blank or not an id (warned)."""
    text = st.query_params.get(key, "")
    if not text.strip():
        return None
    try:
        return parse_whole_number(text, what, low=1)
    except ValueError as err:
        _refuse(key, err, instead)
        return None


def watched_run(instead: str = "No run is shown.") -> int | None:
    """The run id in the URL (?run=12), if any.

    Args:
        instead: what the page does when the link's run number is not a number, in a sentence
            ("Showing the newest run instead."); it follows the warning that says why.
    """
    return _url_number(RUN_KEY, "the link's run number", instead)


def watched_search() -> int | None:
    """The search id in the URL (?search=7), if any."""
    return _url_number(SEARCH_KEY, "the link's search number", "No search is shown.")


def watch_run(run_id: int | None) -> None:
    """Put `run_id` in the URL as the run being watched, or take the watched run out (None)."""
    if run_id is None:
        if RUN_KEY in st.query_params:
            del st.query_params[RUN_KEY]
    else:
        _write_url({RUN_KEY: str(run_id)})


def url_ids(key: str, instead: str = "They are ignored.") -> list[int]:
    """A list of run ids kept in the URL as "3,5,8" (e.g. the runs being compared).

    A list that is not one (a letter, a superscript digit, thousands of items) is ignored whole,
    with a warning in words that ends with `instead`.
    """
    try:
        return parse_id_list(st.query_params.get(key, ""), f"the link's run numbers ({key}=)")
    except ValueError as err:
        _refuse(key, err, instead)
        return []


def set_url_ids(key: str, ids: list[int]) -> None:
    """Keep `ids` in the URL at `key` as "3,5,8", or take the key out when there are none."""
    if ids:
        _write_url({key: ",".join(map(str, ids))})
    elif key in st.query_params:
        del st.query_params[key]


def settle_url(pending_key: str, key: str) -> None:
    """Write into the URL at `key` the value a callback left in st.session_state[pending_key].

    A button's callback only leaves the value (e.g. the new run's id); the page body writes it,
    because a URL change made in a callback, or in a script run that a newer rerun (a polling
    fragment) cut short, can miss the browser. So the value stays pending and is written again on
    every run until a run starts with it already in the browser's URL.
    """
    pending = st.session_state.get(pending_key)
    if pending is None:
        return
    if st.query_params.get(key) == pending:
        del st.session_state[pending_key]
    else:
        _write_url({key: pending})
