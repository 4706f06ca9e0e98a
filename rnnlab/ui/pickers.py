"""Picking one input to look at: a review on the Data page, or the input the Inside-the-cell
page opens a run on, dataset by dataset.

On the Data page `pick_review` chooses one review of the training or test set, by number or at
random. On the Inside page each dataset has its own widgets: a test review (found by a word, or sorted into those the model
got right and wrong) or a review the student types; a test window of the weather record; a test
sequence of the long-memory task; a passage of a language model's validation text (a window of
its length, by number or the next one along). Whatever the widgets, a picker returns the same thing: a
function from a run's config to the rnnlab.lessons.inside.StepInput that run reads. The page
calls it once per run it shows, so two runs side by side read the same review, window or
sequence, each cut to its own vocabulary and length.
"""
from __future__ import annotations

import random
from typing import Callable

import streamlit as st

from rnnlab.config import RunConfig
from rnnlab.data import explain
from rnnlab.lessons import inside, inside_datasets
from rnnlab.lessons.inside import StepInput
from rnnlab.ui import loaders

MakeInput = Callable[[RunConfig], StepInput]
WHICH = ["all", "the model got right", "the model got wrong"]


def pick_input(config: RunConfig, run_id: int, created: float) -> MakeInput | None:
    """Draw the widgets that pick an input of the run's dataset.

    Args:
        config: the run's config (its dataset decides the widgets).
        run_id, created: the run, whose guesses sort test inputs into right and wrong.
    Returns:
        A function making the picked input for a run's config, or None if nothing matches
        (a warning says why).
    Raises:
        DataError: the dataset's files are not on this computer, or damaged.
        ValueError: the word searched for is not in the IMDB word index; a validation text
            shorter than one window.
    """
    return PICKERS[config.dataset](config, run_id, created)


def _right_or_wrong(numbers, labels, which: str, guesses: Callable[[], object]):
    """`numbers` filtered by the "Show" radio; `guesses` is only asked when it filters."""
    if which == WHICH[0]:
        return numbers
    return inside_datasets.right_or_wrong(numbers, guesses(), labels, right=which == WHICH[1])


def _review(config: RunConfig, run_id: int, created: float) -> MakeInput | None:
    """A review from the test set or typed."""
    corpus, word_index = loaders.imdb_reviews()
    if st.radio("Input", ["A test review", "Type your own"], horizontal=True,
                key="inside_source") == "Type your own":
        text = st.text_area("Your review", key="inside_text", height=100,
                            value="This movie was not good. The plot was boring, but the actors "
                                  "were wonderful and the ending was great.")
        return lambda run_config: inside.typed_review_input(text, run_config, word_index)
    word_box, which_box = st.columns(2)
    word = word_box.text_input("Test reviews containing the word", key="inside_word",
                               placeholder="e.g. boring")
    which = which_box.radio("Show", WHICH, horizontal=True, key="inside_which")
    numbers = inside.reviews_with_word(corpus, "test", word, word_index)

    def guesses():
        with st.spinner(f"Asking the model about {len(numbers)} reviews..."):
            return loaders.review_guesses(run_id, created, tuple(int(k) for k in numbers))

    numbers = _right_or_wrong(numbers, corpus.labels("test")[numbers], which, guesses)
    if not len(numbers):
        st.warning("No test review matches: try another word, or show all.")
        return None
    number = int(st.selectbox(f"Test review ({len(numbers)} found)", numbers,
                              key="inside_review"))
    label = int(corpus.labels("test")[number])
    ids = explain.review_ids(corpus, "test", number)
    name = f"test review {number} ({'positive' if label else 'negative'})"
    return lambda run_config: inside.review_input(ids, run_config, word_index, name, label)


def _window(config: RunConfig, run_id: int, created: float) -> MakeInput:
    """A test window of the weather record (side-by-side runs share the window options)."""
    data = loaders.weather_record(config.weather, config.training.validation_split)
    starts = data.window_starts("test")
    number = st.slider("Test window", 0, len(starts) - 1, key="inside_window_number")
    return lambda run_config: inside.weather_input(data, int(starts[number]))


def _sequence(config: RunConfig, run_id: int, created: float) -> MakeInput | None:
    """One of the first 200 test sequences of the long-memory task (side-by-side runs read the
    same sequence)."""
    labels = inside.memory_test_set(config)[1][:200]
    which = st.radio("Show", WHICH, horizontal=True, key="inside_which")
    numbers = _right_or_wrong(list(range(len(labels))), labels, which,
                              lambda: loaders.sequence_guesses(run_id, created, len(labels)))
    if not len(numbers):
        st.warning("No test sequence matches: show all instead.")
        return None
    number = int(st.selectbox(f"Test sequence ({len(numbers)} of the first 200)", numbers,
                              key="inside_sequence"))
    return lambda run_config: inside.memory_input(config, number)


PASSAGE_KEY = "inside_passage"


def _passage(config: RunConfig, run_id: int, created: float) -> MakeInput:
    """A passage of the validation text, window_chars long: every model reads the same
    characters (side-by-side runs read this run's passage)."""
    data = loaders.text_corpus(config.text, config.training.validation_split)
    count = inside.passage_count(data)
    if count == 0:
        raise ValueError("The validation text is shorter than one window: ask for more "
                         "characters of the corpus, or shorter windows.")
    st.session_state[PASSAGE_KEY] = min(st.session_state.get(PASSAGE_KEY, 0), count - 1)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    number = left.number_input(f"Passage of the validation text (0 to {count - 1:,}, "
                               f"{data.window_chars} characters each)", min_value=0,
                               max_value=count - 1, key=PASSAGE_KEY)
    right.button("Next passage", key="inside_next_passage", width="stretch",
                 on_click=lambda: st.session_state.update(
                     {PASSAGE_KEY: (st.session_state[PASSAGE_KEY] + 1) % count}))
    return lambda run_config: inside.passage_input(data, int(number))


def passage_number() -> int:
    """The passage the picker shows (0 before it has been drawn)."""
    return int(st.session_state.get(PASSAGE_KEY, 0))


PICKERS = {"imdb": _review, "weather": _window, "memory": _sequence, "text": _passage}


def pick_review(corpus) -> tuple[str, int]:
    """The Data page's review: a set (train or test) and a review number, typed or drawn at random.

    Args:
        corpus: a rnnlab.data.imdb.Corpus.
    Returns:
        (split, review number).
    """
    split = st.radio("Reviews from", ["train", "test"], horizontal=True,
                     key="data_review_split", format_func=lambda s: f"the {s} set")
    count = len(corpus.labels(split))
    index_key = "data_review_index"
    st.session_state[index_key] = min(st.session_state.get(index_key, 0), count - 1)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    index = left.number_input(f"Review number (0 to {count - 1:,})", min_value=0,
                              max_value=count - 1, key=index_key)
    right.button("Random review", key="data_review_random", width="stretch",
                 on_click=lambda: st.session_state.update({index_key: random.randrange(count)}))
    return split, int(index)
