"""Streamlit helpers shared by the pages: the only rnnlab module that imports streamlit.

Where state lives. The run store is the truth about runs; the URL is the truth about what this
browser tab is looking at: the config being built (`RunConfig.to_query()` keys), the owner's name
(`owner`) and the run being watched (`run`). Streamlit clears query parameters when the user
switches pages, so each page calls `current_config()` / `owner()`, which re-write them into the
URL from a small per-tab carrier in st.session_state. A reload or a shared link therefore
reopens the same view, and nothing else of value sits in the session.
"""
from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import streamlit as st

from rnnlab import PROJECT_ROOT
from rnnlab.config import ConfigError, RunConfig, WeatherOptions
from rnnlab.config.search import QUERY_PREFIX, SearchConfig, allowed_objectives
from rnnlab.data import paths as _paths
from rnnlab.data.paths import DataError
from rnnlab.jobs import artifacts, runs
from rnnlab.jobs.store import MetricRow

# URL keys that are not part of a RunConfig (and the Tune page's tune_... search settings).
OWNER_KEY, RUN_KEY, SEARCH_KEY = "owner", "run", "search"
VIEW_KEYS = (OWNER_KEY, RUN_KEY, "compare", "race", SEARCH_KEY)
_CONFIG_CARRIER = "ui_config_query"
_OWNER_CARRIER = "ui_owner"
_SEARCH_CARRIER = "ui_search_query"


def _is_view_key(key: str) -> bool:
    return key in VIEW_KEYS or key.startswith(QUERY_PREFIX)


def page_header(title: str, intro: str) -> None:
    """The first call of every page: its title and a few sentences of what the learner will see.

    It also makes sure the page runs inside app.py's frame. Because the project has a `pages/`
    folder, Streamlit keeps its old routing (run pages/<name>.py on its own) until app.py has
    called st.navigation once in this server process. So the first visitor of a fresh server who
    opens a deep link such as /train would get the page without the sidebar and without a
    supervisor to train their runs. Such a run is detected here and rerun at once; the rerun goes
    through app.py, which routes to the same page. (The rerun forgets a button's click, so the
    pages act on clicks in on_click callbacks, which run before it.)
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
    st.title(title)
    st.markdown(intro)


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


def current_config() -> RunConfig:
    """The config this tab works on: from the URL, else the last page's, else the textbook default.

    A link with settings that are not allowed shows the reasons and falls back to the default.
    """
    from_url = _config_part(st.query_params.to_dict())
    query = from_url or st.session_state.get(_CONFIG_CARRIER, {})
    try:
        config = RunConfig.from_query(query)
    except ConfigError as err:
        st.error(f"Some settings in this link are not allowed, so the defaults are shown.\n\n{err}")
        config = RunConfig()
    remember_config(config)
    return config


def remember_config(config: RunConfig) -> None:
    """Make `config` the tab's config: in the URL (shareable) and in the carrier (page switches)."""
    query = config.to_query()
    st.session_state[_CONFIG_CARRIER] = query
    _write_url(query, drop_config=True)


# -- the Tune page's search settings --
# They live in the URL as tune_... keys beside the base model's config keys, and follow the same
# rules as config settings: the URL decides what a widget shows, a change is validated in the
# widget's callback, a refused one springs back and is explained by setting_error().


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
    try:
        search = SearchConfig.from_query(query, base)
    except ConfigError as err:
        st.error(f"Some search settings in this link are not allowed, so the defaults are "
                 f"shown.\n\n{err}")
        search = SearchConfig(base)
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


def search_setting(widget, label: str, search: SearchConfig, field: str, key: str, **kwargs):
    """A widget bound to one setting of the search or of its space (e.g. "units_min").

    Lists from a multiselect become tuples; fractions are rounded to 4 places.
    """
    in_space = hasattr(search.space, field)
    value = getattr(search.space if in_space else search, field)
    shown = list(value) if isinstance(value, tuple) else value
    if st.session_state.get(key) != shown:
        st.session_state[key] = shown

    def apply() -> None:
        new = st.session_state[key]
        if isinstance(new, list):
            new = tuple(new)
        elif isinstance(new, float):
            new = round(new, 4)
        latest = latest_search()
        try:
            if in_space:
                changed = dataclasses.replace(latest, space=dataclasses.replace(
                    latest.space, **{field: new}))
            else:
                changed = dataclasses.replace(latest, **{field: new})
            remember_search(changed)
        except ConfigError as err:
            st.session_state[_SETTING_ERROR] = str(err)

    return widget(label, key=key, on_change=apply, **kwargs)


def owner() -> str:
    """The sidebar's "Your name" box, kept in the URL so a reload keeps it. Call once per run."""
    if _OWNER_CARRIER not in st.session_state:
        st.session_state[_OWNER_CARRIER] = st.query_params.get(OWNER_KEY, "")
    name = st.sidebar.text_input(
        "Your name", key=_OWNER_CARRIER, max_chars=40, placeholder="e.g. Ada",
        help="Your runs are labelled with this name. It stays in the page's link, so a reload "
             "or a bookmark keeps it.").strip()
    _write_url({OWNER_KEY: name} if name else {})
    return name


def owner_name() -> str:
    """The name typed in the sidebar, or "anonymous"."""
    return (st.session_state.get(_OWNER_CARRIER) or "").strip() or "anonymous"


_SETTING_ERROR = "ui_setting_error"


def setting(widget, label: str, config: RunConfig, section: str, field: str, key: str, **kwargs):
    """A widget bound to one config setting, e.g. setting(st.number_input, "Epochs", config,
    "training", "epochs", key="train_epochs", min_value=1).

    The config (from the URL) decides what the widget shows, so a shared link or a preset wins;
    a change goes through RunConfig's validation in the widget's callback and, if allowed,
    becomes the tab's config. A refused value is explained by `setting_error()`.
    """
    value = getattr(getattr(config, section), field)
    if st.session_state.get(key) != value:
        st.session_state[key] = value

    def apply() -> None:
        latest = latest_config()
        part = dataclasses.replace(getattr(latest, section), **{field: st.session_state[key]})
        try:
            remember_config(dataclasses.replace(latest, **{section: part}))
        except ConfigError as err:
            st.session_state[_SETTING_ERROR] = str(err)

    return widget(label, key=key, on_change=apply, **kwargs)


def latest_config() -> RunConfig:
    """The tab's config as it is now, for widget callbacks.

    A callback must not use the config of the run that drew its widget: when a student changes
    two settings quickly, the second change can arrive before the page has redrawn after the
    first, and that old config would undo the first change.
    """
    return RunConfig.from_query(st.session_state.get(_CONFIG_CARRIER, {}))


def setting_error() -> None:
    """Show (once) why the last setting change was refused."""
    message = st.session_state.pop(_SETTING_ERROR, None)
    if message:
        st.error(message)


def run_rows(run_id: int) -> list[MetricRow]:
    """All of a run's metric rows, fetching only those newer than the ones this tab already has."""
    rows = st.session_state.setdefault(f"ui_rows_{run_id}", [])
    rows.extend(runs.curves(run_id, since=rows[-1].id if rows else 0))
    return rows


def result_metrics(result: dict) -> None:
    """A finished run's scores as a row of big numbers."""
    metric = result["metric"]
    figures = [(f"best validation {metric}", f"{result['best_val_' + metric]:.4f}"),
               (f"test {metric}", f"{result['test_' + metric]:.4f}"),
               ("seconds per epoch", f"{result['seconds_per_epoch']:.1f}"),
               ("parameters", f"{result['params']:,}")]
    if "peak_memory_mb" in result:
        figures.append(("peak memory", f"{result['peak_memory_mb']:,.0f} MB"))
    for column, (label, value) in zip(st.columns(len(figures)), figures):
        column.metric(label, value)


def watched_run() -> int | None:
    """The run id in the URL (?run=12), if any."""
    value = st.query_params.get(RUN_KEY, "")
    return int(value) if value.isdigit() else None


def watched_search() -> int | None:
    """The search id in the URL (?search=7), if any."""
    value = st.query_params.get(SEARCH_KEY, "")
    return int(value) if value.isdigit() else None


def watch_run(run_id: int | None) -> None:
    if run_id is None:
        if RUN_KEY in st.query_params:
            del st.query_params[RUN_KEY]
    else:
        _write_url({RUN_KEY: str(run_id)})


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


def queue_batch(make_configs, error_key: str, watch_key: str | None = None) -> None:
    """A button's on_click that queues a batch of runs (a race, a sweep) for this tab's owner.

    Args:
        make_configs: called with no arguments, returns the RunConfigs to queue as one request.
        error_key: where the reason goes, in words, if the batch is refused (the owner's limit,
            or configs that cannot be built); the page shows it with show_refusal(error_key).
        watch_key: where the new runs' ids go ("3,4,5"), for settle_url to put in the link.
    """
    try:
        submissions = runs.submit_batch(make_configs(), owner_name())
    except ValueError as err:  # rnnlab.jobs.store.LimitError is one
        st.session_state[error_key] = str(err)
        return
    if watch_key is not None:
        st.session_state[watch_key] = ",".join(str(s.run_id) for s in submissions)


def show_refusal(error_key: str) -> None:
    """Show, once, the reason a button's callback left under `error_key` (see queue_batch)."""
    if error_key in st.session_state:
        st.error(st.session_state.pop(error_key))


def url_ids(key: str) -> list[int]:
    """A list of run ids kept in the URL as "3,5,8" (e.g. the runs being compared)."""
    return [int(part) for part in st.query_params.get(key, "").split(",") if part.isdigit()]


def set_url_ids(key: str, ids: list[int]) -> None:
    if ids:
        _write_url({key: ",".join(map(str, ids))})
    elif key in st.query_params:
        del st.query_params[key]


def owner_params() -> dict[str, str]:
    """The owner's name as a URL parameter, to carry on links to other pages (empty if unnamed)."""
    name = (st.session_state.get(_OWNER_CARRIER) or "").strip()
    return {OWNER_KEY: name} if name else {}


def page_params() -> dict[str, str]:
    """The URL parameters to carry when linking to another page (config, owner)."""
    return {**st.session_state.get(_CONFIG_CARRIER, {}), **owner_params()}


def text_table(rows: list[dict[str, str]]) -> None:
    """Show rows of prose as a markdown table, whose cells wrap (st.dataframe cuts long text off)."""
    if not rows:
        return
    columns = list(rows[0])

    def cell(value) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(row[c]) for c in columns) + " |" for row in rows]
    st.markdown("\n".join(lines))


def nothing_yet(message: str, page: str, label: str, icon: str, source: str) -> None:
    """End a page that has nothing to show yet: say why, link to where to make it, stop.

    Args:
        message: what is missing, in a sentence.
        page, label, icon: the page that makes it (e.g. "pages/train.py") and its link.
        source: the calling page's __file__, for the "Show the code" expander.
    """
    st.info(message)
    st.page_link(page, label=label, icon=icon, query_params=page_params())
    show_code(source)
    st.stop()


def show_code(path: str) -> None:
    """The "Show the code" expander every page ends with: the page's own source."""
    with st.expander("Show the code"):
        st.code(Path(path).read_text(encoding="utf-8"), language="python")


# -- Data page loaders -----------------------------------------------------------------------------
# The Data page reads whole datasets; these keep one read-only copy per server (st.cache_resource),
# keyed by the file read and its size and modification time, so a file a teacher adds or replaces
# is picked up. They never download: a download imports Keras (and with it TensorFlow), which the
# web process must not do, so download_dataset() runs it in a separate Python process.

_DOWNLOADS = {
    "imdb": "from rnnlab.data import imdb; imdb.load_corpus(); imdb.load_word_index()",
    "jena": "from rnnlab.data.jena import read_jena; read_jena()",
}


def _stamp(path: Path) -> str:
    stat = path.stat()
    return f"{path}-{stat.st_size}-{stat.st_mtime_ns}"


def imdb_reviews():
    """The IMDB Corpus and word index, read once per server (the first read tokenizes for ~10 s).

    Returns:
        (rnnlab.data.imdb.Corpus, word index dict).
    Raises:
        DataError: the reviews or the word index are not in the data folder (nothing is
            downloaded here; see download_dataset), or a file is damaged.
    """
    from rnnlab.data.imdb import WHERE_TO_PUT_IT

    reviews = _paths.find_file("imdb.npz", "aclImdb", "aclImdb*.tar.gz")
    index = _paths.find_file("imdb_word_index.json")
    missing = [name for name, found in (("the reviews (imdb.npz or aclImdb)", reviews),
                                        ("the word index (imdb_word_index.json)", index))
               if found is None]
    if missing:
        raise DataError(f"The IMDB data is not on this computer: {' and '.join(missing)} "
                        f"not found in {_paths.data_dir()}. {WHERE_TO_PUT_IT}")
    return _imdb_reviews(_stamp(reviews), _stamp(index))


@st.cache_resource(max_entries=2, show_spinner="Reading the IMDB reviews (the very first time "
                                                "tokenizes 50,000 reviews, about 10 seconds)...")
def _imdb_reviews(reviews_stamp: str, index_stamp: str):
    from rnnlab.data import imdb

    return imdb.load_corpus(), imdb.load_word_index()


def weather_record(options: WeatherOptions, validation_split: float):
    """load_weather(options, validation_split), read once per server and setting.

    Raises:
        DataError: the Jena file is missing (nothing is downloaded here) or damaged.
        ValueError: the window does not fit in a part of the record.
    """
    from rnnlab.data.jena import JENA_CSV, JENA_ZIP, where_to_put_it

    stamp = "bundled"
    if options.source == "jena":
        found = _paths.find_file(JENA_CSV, JENA_ZIP)
        if found is None:
            raise DataError(f"The Jena record is not on this computer. {where_to_put_it()}")
        stamp = _stamp(found)
    return _weather_record(options, validation_split, stamp)


@st.cache_resource(max_entries=4, show_spinner="Reading the weather record...")
def _weather_record(options: WeatherOptions, validation_split: float, stamp: str):
    from rnnlab.data.weather import load_weather

    return load_weather(options, validation_split)


def run_model(run_id: int):
    """(RunConfig, weights) of a finished run, read once per server and weights file.

    Raises:
        ValueError: the run has no saved weights (it has not finished, or it failed).
    """
    weights = runs.artifacts(run_id).get("weights.npz")
    if weights is None:
        raise ValueError(f"Run #{run_id} has no saved weights: pick a finished run.")
    return _run_model(str(weights.parent), _stamp(weights))


@st.cache_resource(max_entries=8, show_spinner=False)
def _run_model(folder: str, stamp: str):
    return artifacts.read_trained_model(Path(folder))


def download_dataset(name: str) -> None:
    """Download "imdb" or "jena" into the download folder, in a separate Python process.

    keras.utils.get_file does the download and imports TensorFlow, so it runs in a child process
    and the web process stays free of it (rule 1 of the design). The child also builds the
    processed cache, so the page's next read is quick.

    Raises:
        DataError: the download failed (no network, server refused); the message says what to do.
    """
    script = ("import sys\nfrom rnnlab.data.paths import DataError\ntry:\n"
              f"    {_DOWNLOADS[name]}\nexcept DataError as err:\n"
              "    print(err, file=sys.stderr)\n    sys.exit(1)\n")
    try:
        done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT,
                              capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired as err:
        raise DataError(f"The {name} download took more than 15 minutes and was stopped. "
                        "Check the network, or put the files in the data folder by hand.") from err
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        raise DataError(lines[-1] if lines else f"The {name} download failed.")


# -- Build page widgets --
# The Build page binds its widgets to parts of the config that are not section fields (the
# dataset, the depth, each layer's settings). As with `setting`, the config from the URL decides
# what every widget shows, so a shared link or a page switch wins, and a change goes through
# RunConfig's validation in the widget's callback; a refused change is explained by
# `setting_error()` and the widget springs back to the config's value.


def config_widget(widget, label: str, value, key: str, change, **kwargs):
    """A widget that shows `value` and, when changed, makes `change(new_value)` the tab's config.

    Args:
        widget: a Streamlit widget function, e.g. st.selectbox or a column's .slider.
        value: the config's current value for this widget.
        key: the widget key, named after the page (e.g. "build_depth").
        change: (the tab's latest config, new widget value) -> the new RunConfig (may raise
            ConfigError).
    """
    if st.session_state.get(key) != value:
        st.session_state[key] = value

    def apply() -> None:
        try:
            remember_config(change(latest_config(), st.session_state[key]))
        except ConfigError as err:
            st.session_state[_SETTING_ERROR] = str(err)

    return widget(label, key=key, on_change=apply, **kwargs)


def with_layer(config: RunConfig, index: int, **changes) -> RunConfig:
    """`config` with recurrent layer `index` (1 = bottom) changed, e.g. with_layer(c, 2, units=64).

    Fractions are rounded to 4 places: a slider's 0.30000000000000004 becomes 0.3 in the link.
    """
    changes = {k: round(v, 4) if isinstance(v, float) else v for k, v in changes.items()}
    layers = list(config.layers)
    layers[index - 1] = dataclasses.replace(layers[index - 1], **changes)
    return dataclasses.replace(config, layers=tuple(layers))


def with_depth(config: RunConfig, depth: int) -> RunConfig:
    """`config` with `depth` recurrent layers.

    A new layer starts as a copy of the layer below it. Whatever the depth, the top layer keeps
    the top's return_sequences choice, so going from 1 to 2 layers and back gives the same model.
    """
    top = config.layers[-1]
    layers = list(config.layers[:depth])
    while len(layers) < depth:
        layers.append(layers[-1])
    layers[-1] = dataclasses.replace(layers[-1], return_sequences=top.return_sequences)
    return dataclasses.replace(config, layers=tuple(layers))


def layer_setting(widget, label: str, config: RunConfig, index: int, field: str, **kwargs):
    """A widget bound to one setting of recurrent layer `index`, keyed build_l{index}_{field}."""
    return config_widget(widget, label, getattr(config.layers[index - 1], field),
                         f"build_l{index}_{field}",
                         lambda latest, value: with_layer(latest, index, **{field: value}),
                         **kwargs)
