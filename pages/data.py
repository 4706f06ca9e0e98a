"""Data: the reviews, the weather record, the long-memory task and the language model's text."""
from datetime import timedelta

import streamlit as st

from rnnlab.config.catalog import IMDB_LONGEST_REVIEW, IMDB_MAX_NUM_WORDS, WEATHER_SOURCES
from rnnlab.data import explain, imdb
from rnnlab.data.jena import where_to_put_it as jena_where
from rnnlab.data.paths import DataError
from rnnlab.data.status import dataset_status
from rnnlab.lessons import datasets, inside
from rnnlab.plots import data as plots
from rnnlab.ui import (frame, imdb_panels, loaders, pickers, presenter, state, text_panels,
                       weather_panels, widgets)

frame.page_header("Data", (
    "Before a network learns anything, its data is cut to shape. Read **IMDB movie reviews** and "
    "see what the vocabulary size (`num_words`) and the review length (`maxlen`) throw away; "
    "watch the **weather record** become examples: a window of past readings and the temperature "
    "to predict; generate the **long-memory task**, where the answer needs a value from the "
    "start of a long sequence; or read the **text** a language model learns to write, one "
    "character at a time. The tab you pick is the dataset the Build and Train pages use, "
    "and every setting here goes into the page's link."))
config = state.current_config()
TABS = {"imdb": "IMDB movie reviews", "weather": "Weather", "memory": "Long-memory task",
        "text": "Text"}


def imdb_lesson() -> None:
    """Reviews as text and as ids, and what num_words and maxlen cut away."""
    left, right = st.columns(2)
    widgets.setting(left.number_input, "Vocabulary size (num_words)", config, "imdb.num_words",
                    "data_num_words", min_value=4, max_value=IMDB_MAX_NUM_WORDS, step=1000,
                    help="Word ids below num_words keep their own id; rarer words all become "
                         "id 2.")
    widgets.setting(right.number_input, "Review length (maxlen)", config, "imdb.maxlen",
                    "data_maxlen", min_value=1, max_value=IMDB_LONGEST_REVIEW, step=50,
                    help="The network reads the last maxlen tokens; shorter reviews get zeros "
                         "in front.")
    widgets.setting_error("The data settings")
    num_words, maxlen = config.imdb.num_words, config.imdb.maxlen
    try:
        corpus, word_index = loaders.imdb_reviews()
    except DataError as err:
        st.error(str(err))
        st.info("To get it, copy the files named above into the data folder and reload this "
                "page, or download Keras's imdb.npz (17 MB) and word index once with the button.")
        loaders.offer_download("imdb", "Download IMDB now")
        return
    split, index = pickers.pick_review(corpus)
    ids = explain.review_ids(corpus, split, index)
    words = imdb.decode(ids, word_index)
    positive = corpus.labels(split)[index] == 1
    st.markdown(f"#### Review {index:,} of the {split} set: label "
                f"{':green[**positive (1)**]' if positive else ':red[**negative (0)**]'}")
    st.caption("Decoded from its word ids: lowercase, without punctuation, as the word "
               "index stores it.")
    with st.container(height=220, border=True):
        st.markdown(explain.escape_markdown(explain.review_text(words)))
    cut = explain.review_cut(ids, num_words, maxlen)
    imdb_panels.show_network_input(words, cut, num_words, maxlen)
    presenter.chart(plots.length_histogram(datasets.review_lengths(corpus), maxlen),
                    key="data_length_histogram")


def weather_lesson() -> None:
    """The record, one example window drawn on it, the baseline to beat and the features."""
    widgets.setting(st.selectbox, "Record", config, "weather.source", "data_source",
                    options=list(WEATHER_SOURCES), format_func=lambda s: WEATHER_SOURCES[s].title)
    for column, (field, label, high) in zip(st.columns(3), (
            ("lookback_hours", "Lookback (hours)", 24 * 60), ("step_hours", "Step (hours)", 24),
            ("delay_hours", "Delay (hours)", 24 * 14))):
        widgets.setting(column.number_input, label, config, f"weather.{field}", f"data_{field}",
                        min_value=1, max_value=high)
    widgets.setting_error("The data settings")
    options = config.weather
    st.caption(datasets.window_words(options))
    if {s.name: s.state for s in dataset_status()}.get(options.source) == "download":  # Jena
        st.info("The Jena record is not on this computer yet. It is a 13 MB download, made once; "
                f"or put the file there yourself: {jena_where()}")
        loaders.offer_download("jena", "Download Jena now")
        return
    try:
        data = loaders.weather_record(options, config.training.validation_split)
    except (DataError, ValueError) as err:
        st.error(str(err))
        return
    temperature, unit = datasets.target_in_unit(data)
    earliest, latest, default = explain.window_time_range(data)
    chosen = st.session_state.get("data_window_start", default)  # kept unless out of range
    st.session_state["data_window_start"] = chosen if earliest <= chosen <= latest else default
    when = st.slider("The example window's first reading", min_value=earliest,
                     max_value=latest, step=timedelta(hours=1), format="D MMM YYYY, HH:mm",
                     key="data_window_start")
    points = explain.window_at(data, temperature, when)
    presenter.chart(plots.weather_window(
        data.times, temperature, points.reading_times, points.reading_values,
        points.target_time, points.target_value, unit, options.step_hours,
        options.delay_hours), key="data_weather_window")
    presenter.chart(plots.series_overview(data.times, temperature, unit, points.reading_times[0],
                                          points.target_time, explain.split_spans(data)),
                    key="data_series_overview")

    st.subheader("The common-sense baseline")
    st.markdown(datasets.baseline_words(options))
    frame.metric_row(datasets.baseline_figures(data), 2)  # a part a row: fits 1024 px

    st.subheader("The features")
    st.markdown(datasets.normalization_words(config.training.validation_split))
    table = explain.feature_table(data).round(2)
    st.dataframe(table, hide_index=True, height=35 * (len(table) + 1) + 3)  # every row
    weather_panels.show_cleaning(options.source)
    weather_panels.show_lesson_path(options.source)


def memory_lesson() -> None:
    """The generated task: a few sequences, what the answer depends on, and the set sizes."""
    left, right = st.columns(2)
    widgets.setting(left.number_input, "Sequence length (steps)", config,
                    "memory.sequence_length", "data_sequence_length", min_value=2,
                    max_value=1000, step=10,
                    help="How many steps the network reads: the marked value near the start "
                         "must be remembered through all the others.")
    widgets.setting(right.number_input, "Examples (training + validation)", config,
                    "memory.examples", "data_examples", min_value=100, max_value=100_000,
                    step=500,
                    help="How many sequences are generated to learn from; the validation split "
                         "of them is held out, and a test set of the same size is generated on "
                         "top.")
    widgets.setting_error("The data settings")
    st.markdown(datasets.memory_task_words(config.memory.sequence_length))
    x, y = inside.memory_test_set(config)
    presenter.chart(plots.memory_examples(x, y), key="data_memory_examples")
    frame.metric_row(datasets.memory_figures(config.memory, config.training.validation_split), 3)
    st.caption(f"The first test sequences of a run with seed {config.training.seed}, as the "
               "Inside-the-cell page replays them. Training, validation and test sequences come "
               "from separate random streams, so no sequence is in two sets.")


# Only the open tab runs (the tabs track their state), so the weather lesson never waits for the
# reviews; the open tab is the config's dataset, a setting like any other.
tabs = widgets.setting(
    st.tabs, list(TABS.values()), config, widgets.labelled("dataset", TABS), "data_dataset")
for tab, lesson in zip(tabs, (imdb_lesson, weather_lesson, memory_lesson,
                              lambda: text_panels.text_lesson(config))):
    if tab.open:
        with tab:
            lesson()

frame.show_code(__file__)
