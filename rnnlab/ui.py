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

import streamlit as st

from rnnlab import runs
from rnnlab.config import ConfigError, RunConfig
from rnnlab.store import MetricRow

# URL keys that are not part of a RunConfig.
OWNER_KEY, RUN_KEY = "owner", "run"
VIEW_KEYS = (OWNER_KEY, RUN_KEY, "compare")
_CONFIG_CARRIER = "ui_config_query"
_OWNER_CARRIER = "ui_owner"


def page_header(title: str, intro: str) -> None:
    """The first call of every page: its title and a few sentences of what the learner will see.

    It also makes sure the page runs inside app.py's frame. Because the project has a `pages/`
    folder, Streamlit keeps its old routing (run pages/<name>.py on its own) until app.py has
    called st.navigation once in this server process. So the first visitor of a fresh server who
    opens a deep link such as /train would get the page without the sidebar and without a
    supervisor to train their runs. Such a run is detected here and rerun at once; the rerun goes
    through app.py, which routes to the same page.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
    st.title(title)
    st.markdown(intro)


def _config_part(params: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in params.items() if k not in VIEW_KEYS}


def _write_url(updates: dict[str, str], drop_config: bool = False) -> None:
    """Merge `updates` into the URL (replacing all config keys when drop_config), only if it changes."""
    current = st.query_params.to_dict()
    merged = {k: v for k, v in current.items() if not (drop_config and k not in VIEW_KEYS)}
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
        part = dataclasses.replace(getattr(config, section), **{field: st.session_state[key]})
        try:
            remember_config(dataclasses.replace(config, **{section: part}))
        except ConfigError as err:
            st.session_state[_SETTING_ERROR] = str(err)

    return widget(label, key=key, on_change=apply, **kwargs)


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


def watch_run(run_id: int | None) -> None:
    if run_id is None:
        if RUN_KEY in st.query_params:
            del st.query_params[RUN_KEY]
    else:
        _write_url({RUN_KEY: str(run_id)})


def url_ids(key: str) -> list[int]:
    """A list of run ids kept in the URL as "3,5,8" (e.g. the runs being compared)."""
    return [int(part) for part in st.query_params.get(key, "").split(",") if part.isdigit()]


def set_url_ids(key: str, ids: list[int]) -> None:
    if ids:
        _write_url({key: ",".join(map(str, ids))})
    elif key in st.query_params:
        del st.query_params[key]


def page_params() -> dict[str, str]:
    """The URL parameters to carry when linking to another page (config, owner)."""
    params = dict(st.session_state.get(_CONFIG_CARRIER, {}))
    if st.session_state.get(_OWNER_CARRIER):
        params[OWNER_KEY] = st.session_state[_OWNER_CARRIER]
    return params


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


def show_code(path: str) -> None:
    """The "Show the code" expander every page ends with: the page's own source."""
    from pathlib import Path

    with st.expander("Show the code"):
        st.code(Path(path).read_text(encoding="utf-8"), language="python")
