"""Tooltip lines: wrapped as they will read, placeholders whole, the trace's name beside them."""
import re

from rnnlab.plots.hover import PLACEHOLDER, WIDTH, tooltip, wrap


def read_as(template: str) -> str:
    """The template as a reader sees it, each placeholder a 4-character number."""
    return PLACEHOLDER.sub("0.93", template)


def test_a_long_sentence_breaks_at_spaces_into_lines_no_longer_than_the_width():
    sentence = ("hidden state %{y:.2f}: what this unit outputs at this step, read by the next "
                "layer or the head")
    rows = wrap(sentence).split("<br>")
    assert rows == ["hidden state %{y:.2f}: what this unit outputs at this step,",
                    "read by the next layer or the head"]
    assert all(len(read_as(row)) <= WIDTH for row in rows)
    assert " ".join(rows) == sentence


def test_lines_are_measured_as_they_read_not_as_they_are_written():
    # 59 characters written, 53 as read: one line, although the template is over the width.
    sentence = "mean forget gate %{y:.2f}: keeps %{y:.0%} of the old cell state"
    assert len(sentence) > WIDTH and wrap(sentence) == sentence


def test_a_placeholder_is_never_split_and_empty_parts_are_left_out():
    template = tooltip("step %{x} (%{text})", "", "x " * 40 + "%{customdata[1]}", name="#3 GRU")
    assert template.endswith("<extra>#3 GRU</extra>")
    assert "%{customdata[1]}" in template and template.count("<br>") == 2
    assert re.findall(r"%\{[^}]*\}", template) == ["%{x}", "%{text}", "%{customdata[1]}"]
    assert tooltip("a").endswith("<extra></extra>")


def test_a_short_last_word_joins_the_line_before_instead_of_standing_alone():
    sentence = "output gate %{y:.2f}: shows %{y:.0%} of the squashed cell state in h"
    assert wrap(sentence) == sentence  # not "... cell state in<br>h"
    long = "word " * 11 + "end"        # 59 characters: "end" is one short word, it joins too
    assert "<br>" not in wrap(long)
    assert wrap("word " * 11 + "ending") == "word " * 10 + "word<br>ending"
