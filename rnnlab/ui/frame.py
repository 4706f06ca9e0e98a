"""The page frame: what every page shares around its lesson.

Before any page runs, app.py opens the run store with `open_store`, which stops with a message in
words if the store's file cannot be read. A page opens with `page_header` (its title and a few
sentences of what the learner will see) and ends with `show_code` (its own source, in an
expander, so a student can read how it is made). In between come a few shared ways of showing
things: `plain` for a user's string inside Markdown, `text_table` for rows of prose, `metric_row`
for a row of big numbers, `result_metrics` for a finished run's scores (a weather run's judged
against the common-sense baseline), and `nothing_yet` for a page that has nothing to show until
something is trained.
"""
from __future__ import annotations

import base64
import threading
from pathlib import Path

import streamlit as st

from rnnlab.data.explain import escape_markdown
from rnnlab.jobs.schema import StoreError
from rnnlab.jobs.store import Run, Store
from rnnlab.lessons import baseline, chance, text_baselines
from rnnlab.ui import presenter, state

# The browser tab's icon, a recurrence arrow (assets/icon.svg), inline as a data URL. The browser
# fetches nothing for it: a Material page icon is fetched from Google's font server, which an
# offline classroom cannot reach. And Streamlit skips its emoji catalogue, which an emoji icon
# made every server's first page wait for (0.09 s of a 1.5 s cold start; bench/ui.py).
PAGE_ICON = "data:image/svg+xml;base64," + base64.b64encode(
    (Path(__file__).parent / "assets" / "icon.svg").read_bytes()).decode("ascii")


def open_store() -> Store:
    """The run store; or, if its file cannot be read, the reason in words and the page stops.

    app.py calls it before it runs the page, so a store file this lab cannot read (not SQLite, damaged,
    from a newer version) shows every page one message that names the file and what to do,
    instead of an exception box with a traceback on each.

    Returns:
        The store in RNNLAB_HOME (default runs/).
    """
    try:
        return Store()
    except StoreError as err:
        st.error(str(err))
        st.stop()


def page_header(title: str, intro: str) -> None:
    """The first call of every page: its title and a few sentences of what the learner will see.

    It also makes sure the page runs inside app.py's frame. Because the project has a `pages/`
    folder, Streamlit keeps its old routing (run pages/<name>.py on its own) until app.py has
    called st.navigation once in this server process. So a visitor of a fresh server who opens a
    deep link such as /train could get the page without the sidebar and without a supervisor to
    train their runs; and when a class opens links at the same moment, several visitors can be
    routed the old way before the first of them reaches app.py. So app.py marks every run it
    routes (`routed_by_app`), and a page run without that mark turns the old routing off and is
    rerun at once; the rerun goes through app.py, which routes to the same page. (The rerun
    forgets a button's click, so the pages act on clicks in on_click callbacks, which run before
    it: see rnnlab.ui.actions.)
    """
    from streamlit.runtime.pages_manager import PagesManager

    routed, _this_run.routed = getattr(_this_run, "routed", False), False
    if not routed:
        PagesManager.uses_pages_directory = False
        st.rerun()
    st.title(title)
    if not presenter.hidden("intro"):  # ?intro_hide=1: the projector shows the lesson itself
        st.markdown(intro)


# Streamlit runs each session's script in a thread of its own, one run after another: a mark
# app.py leaves on the thread is read (and cleared) by the page it routes to in the same run.
_this_run = threading.local()


def routed_by_app() -> None:
    """app.py's mark on this script run: the page it runs next was routed by st.navigation."""
    _this_run.routed = True


def show_code(path: str) -> None:
    """The "Show the code" expander every page ends with: the page's own source (not with
    ?intro_hide=1)."""
    if presenter.hidden("intro"):
        return
    with st.expander("Show the code"):
        st.code(Path(path).read_text(encoding="utf-8"), language="python")


def nothing_yet(message: str, page: str, label: str, icon: str, source: str) -> None:
    """End a page that has nothing to show yet: say why, link to where to make it, stop.

    Args:
        message: what is missing, in a sentence.
        page, label, icon: the page that makes it (e.g. "pages/train.py") and its link.
        source: the calling page's __file__, for the "Show the code" expander.
    """
    st.info(message)
    st.page_link(page, label=label, icon=icon, query_params=state.page_params())
    show_code(source)
    st.stop()


def plain(text: str) -> str:
    """A user's string (an owner's name, a word typed, a value from a link) made safe for Markdown.

    st.markdown, st.subheader, st.error and the like read Markdown: a name such as
    `![t](http://host/x.png)` would make every viewer's browser fetch that address, and
    `[here](http://...)` would become a link. With every Markdown character escaped the string
    prints exactly as typed.
    """
    return escape_markdown(text)


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


def metric_row(figures: list[tuple[str, str]], per_row: int = 4) -> None:
    """Big numbers, one column each, at most `per_row` to a row: [(label, value as text), ...].

    On a projector's 1024 px beside the sidebar, a column narrower than about 150 px cuts a value
    like "2.05 °C" to "2.0…", so longer lists wrap onto further rows of equal columns.
    """
    for start in range(0, len(figures), per_row):
        chunk = figures[start:start + per_row]
        for column, (label, value) in zip(st.columns(per_row), chunk):
            column.metric(label, value)


# What each execution path (rnnlab.config.execution_path) means, for the caption under a run.
PATH_WORDS = {
    "XLA": "TensorFlow compiled the whole training step, the fastest way measured for this cell "
           "on this machine. ",
    "Keras default": "Keras ran its layers one by one, with deterministic kernels. ",
}


def result_metrics(run: Run) -> None:
    """A finished run's scores as a row of big numbers.

    A weather run's errors are shown in the target's unit beside the common-sense baseline's,
    followed by one sentence saying whether the run beats it (rnnlab.lessons.baseline.verdict);
    a text run's bits per character beside the unigram and bigram lines, and a sentence placing
    it between them (rnnlab.lessons.text_baselines.verdict). A caption names the execution path
    it trained on (XLA or Keras's default).
    """
    result = run.result
    metric = result["metric"]
    scale = baseline.scale_from_result(result)
    lines = text_baselines.from_result(result)
    if lines is not None:
        # "bpc" (bits per character): a longer label is cut off in a column at 1024 px.
        figures = [("best validation bpc", f"{result['best_val_bpc']:.3f}"),
                   ("test bpc", f"{result['test_bpc']:.3f}"),
                   ("unigram / bigram bpc", f"{lines.unigram:.2f} / {lines.bigram:.2f}")]
    elif scale is not None:
        figures = [("best validation MAE", scale.amount(result["best_val_mae"] * scale.factor)),
                   ("test MAE", scale.amount(result["test_mae"] * scale.factor)),
                   ("common-sense baseline", scale.amount(scale.baseline))]
    else:
        figures = [(f"best validation {metric}", f"{result['best_val_' + metric]:.4f}"),
                   (f"test {metric}", f"{result['test_' + metric]:.4f}")]
    figures += [("seconds per epoch", f"{result['seconds_per_epoch']:.1f}"),
                ("parameters", f"{result['params']:,}")]
    if "peak_memory_mb" in result:
        figures.append(("peak memory", f"{result['peak_memory_mb']:,.0f} MB"))
    metric_row(figures, per_row=3)
    if "execution_path" in result:  # runs trained before issue 18 did not record it
        first = ("Its first batch ran uncompiled, so its first point came at once. "
                 if result.get("first_batch_eager") else "")
        st.caption(f"Trained on the {result['execution_path']} path: "
                   f"{PATH_WORDS.get(result['execution_path'], '')}{first}The same settings and "
                   "seed give the same curves on the same path.")
    show_verdict(chance.run_verdict(result, run.config))


def show_verdict(judged: baseline.Verdict | None) -> None:
    """A run's verdict as one sentence: green when it beats its baseline, a warning when it
    stays at chance or loses to its baseline (rnnlab.lessons.chance.run_verdict)."""
    if judged is not None:
        (st.success if judged.beats else st.warning)(judged.sentence)


def stopped_verdict(run: Run, rows) -> None:
    """The verdict on a run stopped before it wrote a result, from its epoch rows: its best
    validation score so far against chance, the common-sense baseline or the unigram line."""
    from rnnlab.ui import loaders  # NumPy and the data readers: not before a page's first paint

    best = chance.best_of_rows(rows, run.config.metric)
    if best is None:
        return
    value, best_epoch, epochs = best
    config = run.config
    if config.metric == "accuracy":
        show_verdict(chance.chance_verdict(value, config.dataset, epochs_run=epochs))
    elif config.dataset == "weather":
        scale = loaders.weather_scale(config)
        if scale is not None and scale.baseline is not None:
            show_verdict(baseline.verdict(
                value * scale.factor, scale.baseline, scale,
                baseline.persistence_guess(config.weather), best_epoch, epochs,
                recurrent=not config.is_feedforward))
    else:
        lines = loaders.char_lines(config)
        if lines is not None:
            show_verdict(text_baselines.verdict(value, lines))
