"""What the network actually receives: the Data page's explanations, as small pure functions.

Two lessons hide in the preprocessing, and this module computes both without Keras:

IMDB. A review is a list of word ids (1 = start, 2 = unknown, r + 3 = the word of frequency rank
r). Before it reaches the network two knobs change it:

    num_words:  every id >= num_words becomes 2, so all rarer words look the same ("<unknown>");
    maxlen:     keras.utils.pad_sequences keeps the *last* maxlen ids (truncating="pre") and puts
                zeros in front of shorter reviews (padding="pre").

`review_cut` marks, token by token, which words the vocabulary loses and which the length cut
throws away, and reproduces the padded row exactly as pad_sequences would build it;
`network_input_rows` lists that row as a table of words beside the integer ids the network reads.

Weather. One training example is a window of readings, s rows apart, and a target d rows after
the last reading (see rnnlab.data.weather). `window_points` picks those rows for a chosen start;
`feature_table` and `baseline_scores` summarise a loaded record the way the page shows them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # for the annotations only
    import pandas as pd
# pandas (0.3 s to import) is imported inside the functions that build tables: every page's
# frame imports this module for escape_markdown before its first paint (rnnlab.ui.frame).

from rnnlab.config.catalog import IMDB_OOV_ID, IMDB_START_ID

# Characters Markdown (and Streamlit's :colour[...] and $math$ extensions) would interpret.
_MARKDOWN_SPECIAL = set("\\`*_{}[]()<>#+-.!|:~$")
# Where GitHub-flavoured Markdown starts a link in plain text: after http(s) before ":", after
# www before ".", and at the "@" of an e-mail address.
_AUTOLINK = re.compile(r"(?i)(?<=https)(?=:)|(?<=http)(?=:)|(?<=www)(?=\.)|(?=@)")


# -- IMDB: what num_words and maxlen cut away --------------------------------------------------


@dataclass(frozen=True)
class ReviewCut:
    """One review, token by token, and the row of ids the network receives."""

    ids: np.ndarray          # the review's full-vocabulary ids, start id first
    unknown: np.ndarray      # True where the network sees id 2: a rare word (id >= num_words)
                             # or one that was never in the word index
    cut: np.ndarray          # True where the token lies before the last maxlen: never seen
    padding: int             # zeros put in front of a review shorter than maxlen
    network_ids: np.ndarray  # the padded, cut row of maxlen ids, as pad_sequences builds it

    @property
    def kept(self) -> int:
        """Tokens of the review the network reads."""
        return int((~self.cut).sum())

    @property
    def unknown_seen(self) -> int:
        """Tokens the network reads as <unknown> (outside the vocabulary, not cut)."""
        return int((self.unknown & ~self.cut).sum())


def review_ids(corpus, split: str, index: int) -> np.ndarray:
    """Review `index` of "train" or "test" as full-vocabulary ids, without splitting all 25,000.

    Args:
        corpus: a rnnlab.data.imdb.Corpus.
    Raises:
        ValueError: no review with that number.
    """
    offsets = getattr(corpus, f"{split}_offsets")
    if not 0 <= index < len(offsets) - 1:
        raise ValueError(f"There is no review {index} in the {split} set: the numbers go from 0 "
                         f"to {len(offsets) - 2:,}.")
    return getattr(corpus, f"{split}_tokens")[offsets[index]:offsets[index + 1]]


def review_cut(ids, num_words: int, maxlen: int) -> ReviewCut:
    """Mark what the vocabulary size and the length cut do to one review.

    Args:
        ids: the review as full-vocabulary ids (Corpus.sequences(split)[k], start id first).
        num_words: ids at or above it become the unknown id 2.
        maxlen: the network reads the last maxlen ids; shorter reviews get zeros in front.
    Returns:
        A ReviewCut; its network_ids equal keras.utils.pad_sequences([mapped], maxlen)[0].
    """
    ids = np.asarray(ids, dtype=np.int64)
    mapped = np.where(ids >= num_words, IMDB_OOV_ID, ids)
    unknown = mapped == IMDB_OOV_ID
    dropped = max(0, len(ids) - maxlen)
    cut = np.arange(len(ids)) < dropped
    padding = max(0, maxlen - len(ids))
    network_ids = np.concatenate([np.zeros(padding, dtype=np.int64), mapped[dropped:]])
    return ReviewCut(ids=ids, unknown=unknown, cut=cut, padding=padding, network_ids=network_ids)


def review_text(words: list[str]) -> str:
    """The decoded review as one line of text, without the <start> marker."""
    return " ".join(word for word in words if word != "<start>")


def escape_markdown(text: str) -> str:
    """Text that prints as typed in Markdown: no formatting, no image, no link.

    Every character Markdown would treat as formatting gets a backslash. Web and e-mail
    addresses need more: GitHub-flavoured Markdown turns them into links even in escaped text
    (its autolink literals), so an invisible WORD JOINER (U+2060) goes after "http", "https" and
    "www" and before "@", which keeps them text and looks the same.
    """
    text = _AUTOLINK.sub("\u2060", text)
    return "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in text)


def review_markdown(words: list[str], cut: ReviewCut) -> str:
    """The review as Streamlit Markdown: cut-away tokens grey and struck out, unknown ones orange.

    Args:
        words: the decoded review, one word per id (imdb.decode of cut.ids), "<start>" included.
        cut: review_cut of the same ids.
    Returns:
        Markdown where consecutive tokens of one kind share one span, e.g.
        ":gray[~~\\<start\\> a long~~] film with :orange[**zyzzyva**] in it".
    """
    if len(words) != len(cut.ids):
        raise ValueError(f"{len(words)} words for {len(cut.ids)} ids: decode the same review.")
    kinds = ["cut" if c else "unknown" if u else "seen" for c, u in zip(cut.cut, cut.unknown)]
    spans: list[tuple[str, list[str]]] = []
    for kind, word in zip(kinds, words):
        if spans and spans[-1][0] == kind:
            spans[-1][1].append(word)
        else:
            spans.append((kind, [word]))
    parts = []
    for kind, group in spans:
        text = " ".join(escape_markdown(word) for word in group)
        parts.append({"cut": f":gray[~~{text}~~]", "unknown": f":orange[**{text}**]",
                      "seen": text}[kind])
    return " ".join(parts)


def describe_cut(cut: ReviewCut, num_words: int, maxlen: int) -> str:
    """One or two sentences saying what happened to this review, for under the marked text."""
    total = len(cut.ids)
    sentences = [f"This review has **{total:,} tokens** (the start marker included)."]
    if cut.cut.any():
        sentences.append(
            f"It is longer than maxlen = {maxlen:,}, so its first **{int(cut.cut.sum()):,} "
            f"tokens are cut off** (grey, struck through): the network only sees the last "
            f"{maxlen:,} tokens.")
    else:
        sentences.append(f"It fits in maxlen = {maxlen:,}, so the network sees all of it, after "
                         f"{cut.padding:,} padding zeros in front.")
    sentences.append(
        f"**{cut.unknown_seen:,} of the tokens it sees are outside the vocabulary** (orange): "
        f"with num_words = {num_words:,} only the {max(0, num_words - 3):,} most frequent words "
        "keep their own id, every other word becomes the same id 2, <unknown>.")
    return " ".join(sentences)


def network_input_rows(words: list[str], cut: ReviewCut, count: int = 40) -> list[dict[str, str]]:
    """The start of the row the network reads, one token per row: its position, word and id.

    The network never sees a word, only the integer at each of the maxlen positions: 0 for
    padding, 1 for the start marker, 2 for every word outside the vocabulary, and the word's
    frequency rank + 3 for the others. Padding (all zeros) and the cut-off start of a long review
    are summarised in one row each, so the table always reaches the review's words.

    Args:
        words: the decoded review, one word per id (imdb.decode of cut.ids), "<start>" included.
        cut: review_cut of the same ids.
        count: how many of the review's tokens the table lists; one last row counts the rest.
    Returns:
        Rows of {"position", "word", "id the network reads", "why"}, e.g.
        {"position": "381", "word": "<start>", "id the network reads": "1",
         "why": "the start marker"}. Positions count from 1 to maxlen.
    """
    if len(words) != len(cut.ids):
        raise ValueError(f"{len(words)} words for {len(cut.ids)} ids: decode the same review.")
    rows = []
    dropped = int(cut.cut.sum())
    if dropped:
        rows.append({"position": "not read", "word": f"the first {dropped:,} tokens",
                     "id the network reads": "-", "why": "cut off: the review is longer than "
                     "maxlen, and the network reads only its last maxlen tokens"})
    if cut.padding:
        rows.append({"position": "1" if cut.padding == 1 else f"1 to {cut.padding:,}",
                     "word": "(padding)", "id the network reads": "0",
                     "why": "zeros in front: the review is shorter than maxlen"})
    kept = range(dropped, len(cut.ids))
    for token in kept[:count]:
        network_id = int(cut.network_ids[cut.padding + token - dropped])
        if network_id == IMDB_START_ID:
            why = "the start marker"
        elif cut.unknown[token]:
            why = (f"outside the vocabulary (its own id would be {int(cut.ids[token]):,}): every "
                   "such word is 2" if cut.ids[token] != IMDB_OOV_ID else "not in the word index")
        else:
            why = ""
        rows.append({"position": f"{cut.padding + token - dropped + 1:,}", "word": words[token],
                     "id the network reads": f"{network_id:,}", "why": why})
    if len(kept) > count:
        rest = len(kept) - count
        rows.append({"position": f"{cut.padding + count + 1:,} to {len(cut.network_ids):,}",
                     "word": f"{rest:,} more tokens", "id the network reads": "...", "why": ""})
    return rows


# -- Weather: one example window ---------------------------------------------------------------


@dataclass(frozen=True)
class WindowPoints:
    """The rows one training example is made of, and their times and values."""

    reading_rows: np.ndarray   # the rows the network reads, oldest first
    target_row: int            # the row whose target value it must predict
    reading_times: np.ndarray
    reading_values: np.ndarray
    target_time: np.datetime64
    target_value: float


def window_points(times, values, start: int, sequence_length: int, step_rows: int,
                  delay_rows: int) -> WindowPoints:
    """The readings and the target of the window that starts at row `start`.

    Readings: start, start + s, ..., start + (L - 1) s; target: the last reading + d.

    Args:
        times, values: the whole record's times and the target column (any unit).
        start: the window's first row.
        sequence_length: L, readings per window.
        step_rows: s, rows between two readings.
        delay_rows: d, rows from the last reading to the target.
    Raises:
        ValueError: the window starts before the record or its target lies past the end.
    """
    rows = np.asarray(start + np.arange(sequence_length) * step_rows, dtype=np.int64)
    target = int(rows[-1] + delay_rows)
    if start < 0 or target >= len(values):
        raise ValueError(f"A window starting at row {start:,} needs rows up to {target:,}, but "
                         f"the record has rows 0 to {len(values) - 1:,}.")
    times, values = np.asarray(times), np.asarray(values)
    return WindowPoints(reading_rows=rows, target_row=target, reading_times=times[rows],
                        reading_values=values[rows], target_time=times[target],
                        target_value=float(values[target]))


def window_time_range(data) -> tuple[datetime, datetime, datetime]:
    """When an example window may start: (earliest, latest, a default in mid-training).

    The latest start leaves room for the window's readings and its target before the record ends.

    Args:
        data: a rnnlab.data.weather.WeatherData.
    """
    import pandas as pd  # deferred: see the module's imports
    times = pd.DatetimeIndex(data.times)
    last_start = len(times) - 1 - data.span_rows
    first, end = data.bounds["train"]
    middle = min(max(0, (first + end) // 2), last_start)
    return (times[0].to_pydatetime(), times[last_start].to_pydatetime(),
            times[middle].to_pydatetime())


def window_at(data, values, when) -> WindowPoints:
    """The example window whose first reading is the row nearest to the time `when`.

    Args:
        data: a rnnlab.data.weather.WeatherData (for the times and the window arithmetic).
        values: the target column in the unit to show (data.denormalize_target of it).
        when: a datetime; times past the last possible start give the last window.
    """
    import pandas as pd  # deferred: see the module's imports
    times = pd.DatetimeIndex(data.times)
    last_start = len(times) - 1 - data.span_rows
    # Nearest, not searchsorted: the Jena record has a few repeated or missing timestamps.
    start = min(int(np.abs(times - pd.Timestamp(when)).argmin()), last_start)
    return window_points(data.times, values, start, data.sequence_length, data.step_rows,
                         data.delay_rows)


def split_spans(data) -> list[tuple[str, np.datetime64, np.datetime64]]:
    """(name, first time, last time) of the training, validation and test parts of the record."""
    names = {"train": "training", "val": "validation", "test": "test"}
    return [(names[split], data.times[first], data.times[end - 1])
            for split, (first, end) in data.bounds.items()]


def feature_table(data) -> pd.DataFrame:
    """Each feature's mean, std, min and max over the training rows, as measured (not normalized).

    The mean and std are the very numbers every column was normalized with; they come from the
    training rows only, so nothing about the validation or test period leaks into training.

    Args:
        data: a rnnlab.data.weather.WeatherData.
    """
    import pandas as pd  # deferred: see the module's imports
    first, end = data.bounds["train"]
    raw = data.values[first:end].astype(np.float64) * data.std + data.mean
    return pd.DataFrame({"feature": list(data.columns), "mean": np.asarray(data.mean, float),
                         "std": np.asarray(data.std, float), "min": raw.min(axis=0),
                         "max": raw.max(axis=0)})


def baseline_scores(data) -> dict[str, tuple[float, float]]:
    """The common-sense baseline's MAE on validation and test: (normalized, in the target's unit).

    Args:
        data: a rnnlab.data.weather.WeatherData.
    """
    scores = {}
    for split, name in (("val", "validation"), ("test", "test")):
        normalized = data.baseline_mae(split)
        scores[name] = (normalized, data.to_target_units(normalized))
    return scores


def unit_label(unit: str) -> str:
    """How a unit from a column name reads on screen: "degC" -> "°C"."""
    return {"degC": "°C", "deg": "°"}.get(unit, unit)
