"""The shaded words over a review: each word's hover says what it did to the answer."""
import re

from rnnlab.lessons.inside import shaded_words_html


def titles(markup: str) -> list[str]:
    return re.findall(r'title="([^"]*)"', markup)


def test_each_word_says_how_far_it_moved_the_answer_and_which_way():
    markup = shaded_words_html(["a", "great", "<film>"], [0.0, 0.034, -0.25], diverging=True,
                               answer="P(positive)")
    assert titles(markup) == [
        "+0.000: “a” moved P(positive) up by 0.000",
        "+0.034: “great” moved P(positive) up by 0.034",
        "-0.250: “&lt;film&gt;” moved P(positive) down by 0.250"]
    assert "rgba(214,39,40,1.00)" in markup and "&lt;film&gt;</span>" in markup


def test_without_an_answer_the_hover_is_the_number_alone():
    assert titles(shaded_words_html(["kept"], [0.9], diverging=False)) == ["+0.900"]
