"""The Data page's text tab: the language model's corpus, vocabulary, windows and lines to beat.

A character-level language model reads a window of characters and, at every step, predicts the
one that comes next (many-to-many). The tab shows where the text comes from and how it is split
(rnnlab.lessons.datasets.corpus_words), the 97 ids and how often each occurs (the unigram model
knows exactly that), one window beside its target, the same window shifted by one character,
and the unigram and bigram models' bits per character on the validation text
(rnnlab.lessons.text_baselines), the lines every text run's curves are drawn against.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from rnnlab.config import TEXT_CORPORA, RunConfig
from rnnlab.data.paths import DataError
from rnnlab.lessons import datasets, text_baselines
from rnnlab.plots import data as plots
from rnnlab.ui import frame, loaders, presenter, widgets

CORPUS_NAMES = {"python": "Python's standard library (offline)", "imdb": "IMDB review text"}
SHOWN_STEPS = 8  # steps of the window in the step-by-step table: fits a 1024 px projector


def text_lesson(config: RunConfig) -> None:
    """The text tab: corpus settings, where the text comes from, its vocabulary, one window and
    its target, and the counting models' bits per character."""
    widgets.setting(st.radio, "Corpus", config, "text.corpus", "data_corpus",
                    options=list(TEXT_CORPORA), format_func=CORPUS_NAMES.get, horizontal=True,
                    help="The Python source is on every computer that runs the lab; the review "
                         "text needs the Stanford aclImdb folder or tarball in the data folder.")
    left, right = st.columns(2)
    widgets.setting(left.number_input, "Corpus size (characters)", config, "text.corpus_chars",
                    "data_corpus_chars", min_value=10_000, max_value=5_000_000, step=50_000,
                    help="Only the first this many characters are read: training, then "
                         "validation, then test text.")
    widgets.setting(right.number_input, "Window (characters)", config, "text.window_chars",
                    "data_window_chars", min_value=2, max_value=1000, step=10,
                    help="How many characters the network reads in one example, predicting the "
                         "next character after each of them.")
    widgets.setting_error("The data settings")
    try:
        data = loaders.text_corpus(config.text, config.training.validation_split)
    except DataError as err:
        st.error(str(err))
        return
    st.markdown(datasets.corpus_words(config.text, data))
    frame.metric_row(datasets.text_figures(data), 3)

    st.subheader("The vocabulary: 97 ids")
    table = datasets.vocabulary_table(data)
    presenter.chart(plots.character_frequencies(table["character"], table["share"]),
                    key="data_character_frequencies")
    st.caption("Every character becomes an id: the newline (⏎), the 95 printable ASCII "
               "characters (␣ is the space), and one id for any other character (�). The table "
               "has all 97, most frequent first.")
    st.dataframe(table, hide_index=True, height=280, column_config={
        "share": st.column_config.NumberColumn("share", format="percent")})

    st.subheader("One window, and what it must predict")
    show_window(data)

    st.subheader("The lines to beat")
    lines = text_baselines.from_text(data)
    st.markdown(datasets.char_baseline_words(lines))
    frame.metric_row([("unigram model (validation)", f"{lines.unigram:.2f} bpc"),
                      ("bigram model (validation)", f"{lines.bigram:.2f} bpc")], 2)


def show_window(data) -> None:
    """A training window beside its target: the many-to-many task, step by step."""
    count = len(data.windows("train")[0])
    key = "data_text_window"  # kept within the windows when a smaller corpus has fewer
    st.session_state[key] = min(st.session_state.get(key, 0), count - 1)
    index = st.number_input(f"Training window (0 to {count - 1:,})", min_value=0,
                            max_value=count - 1, key=key)
    reads, predicts = datasets.window_pair(data, "train", int(index))
    st.markdown("At every step the network reads one character and is asked for the next: the "
                "target is the same text shifted by one character, so one window is "
                f"**{data.window_chars} answers**, not one (many-to-many).")
    steps = pd.DataFrame({"step": [f"t={t}" for t in range(SHOWN_STEPS)],
                          "reads": list(reads[:SHOWN_STEPS]),
                          "must predict": list(predicts[:SHOWN_STEPS])}).set_index("step").T
    st.dataframe(steps)
    st.code(datasets.window_lines(reads, predicts), language=None)
