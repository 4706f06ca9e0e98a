"""What a number on a chart means: the scores, the gradient's reach, saturation, the memory task."""
import pytest

from rnnlab.lessons import meanings


@pytest.mark.parametrize("metric, part, dataset, unit, value, expected", [
    ("accuracy", "validation", "imdb", None, 0.86,
     "validation accuracy 0.86: right on 86% of reviews it never trained on"),
    ("accuracy", "training", "memory", None, 0.5,
     "training accuracy 0.50: right on 50% of the training sequences so far this epoch"),
    ("mae", "validation", "weather", "°C", 2.41,
     "validation MAE 2.41 °C: forecasts off by 2.41 °C on average, on windows it never trained "
     "on"),
    ("loss", "training", "weather", "°C", 3.0,
     "training loss = MAE 3.00 °C: forecasts off by 3.00 °C on average, on the training windows "
     "so far this epoch"),
    ("mae", "validation", "weather", "", 0.29,
     "validation MAE 0.29 (normalized): off by 0.29 standard deviations of the target on "
     "average, on windows it never trained on"),
    ("loss", "training", "imdb", None, 0.41,
     "training loss 0.41: its surprise at the true answers on the training reviews so far this "
     "epoch (lower is better; a 50/50 guess scores 0.69)"),
    ("accuracy", "whole epoch", "imdb", None, 0.8,
     "training accuracy 0.80: right on 80% of the training reviews of the whole epoch"),
    ("accuracy", "validation", None, None, 0.7,
     "validation accuracy 0.70: right on 70% of examples it never trained on"),
])
def test_each_score_says_what_its_value_means(metric, part, dataset, unit, value, expected):
    assert meanings.fill(meanings.score_meaning(metric, part, dataset, unit), value) == expected


def test_a_tooltip_and_a_page_say_the_same_words():
    template = meanings.score_meaning("accuracy", "validation", "imdb")
    assert meanings.hover(template) == (
        "validation accuracy %{y:.2f}: right on %{y:.0%} of reviews it never trained on")
    assert meanings.hover(template, "z").startswith("validation accuracy %{z:.2f}")


def test_an_unknown_metric_or_part_is_refused_in_words():
    with pytest.raises(ValueError, match="Unknown metric 'f1'"):
        meanings.score_meaning("f1")
    with pytest.raises(ValueError, match="Unknown part 'test': use 'validation', 'training' or "
                                         "'whole epoch'"):
        meanings.score_meaning("accuracy", "test")


def test_a_weather_score_is_judged_against_the_baseline_by_how_much():
    assert meanings.against_baseline(2.41, 2.70, "°C") == (
        "beats the common-sense baseline (2.70 °C) by 0.29 °C")
    assert meanings.against_baseline(2.90, 2.70, "°C") == (
        "is worse than the common-sense baseline (2.70 °C) by 0.20 °C")
    assert meanings.against_baseline(2.702, 2.70, "°C") == (
        "ties the common-sense baseline (2.70 °C)")
    assert meanings.against_baseline(0.3, 0.35, "") == (
        "beats the common-sense baseline (0.35) by 0.05")
    assert meanings.against_baseline(2.41, None, "°C") == ""


@pytest.mark.parametrize("ratio, words", [
    (3.2, "3.2 times"), (0.25, "0.25"), (0.01, "0.01"), (1e-3, "1e-3"), (2.5e-4, "2.5e-4"),
    (1e-6, "1e-6"), (1.04e-6, "1e-6")])
def test_a_ratio_of_gradients_reads_as_a_short_number(ratio, words):
    assert meanings.share_words(ratio) == words


@pytest.mark.parametrize("ratio, ending", [
    (2.0, "changes its weights as much as the last step"),
    (0.4, "changes its weights nearly as much"),
    (0.05, "still changes its weights, less strongly"),
    (5e-4, "this far back changes its weights only a little"),
    (1e-6, "this far back barely changes its weights"),
])
def test_the_gradients_reach_says_how_much_a_step_still_teaches(ratio, ending):
    sentence = meanings.gradient_reach(ratio)
    assert sentence.startswith(f"the gradient is {meanings.share_words(ratio)} ")
    assert "size at the last step: what the model reads" in sentence
    assert sentence.endswith(ending)


def test_the_last_step_and_a_vanished_gradient_are_said_plainly():
    assert meanings.gradient_reach(1.0) == (
        "the gradient at the last step: the size every other step is compared with")
    assert meanings.gradient_reach(0.0) == (
        "the gradient vanished to exactly 0: what the model reads this far back cannot change "
        "its weights at all")
    assert "size at the strongest step" in meanings.gradient_reach(0.1, "the strongest step")


@pytest.mark.parametrize("shut, wide_open, start", [
    (0.0, 0.8, "mostly wide open"), (0.7, 0.1, "mostly shut"), (0.3, 0.3, "often at either end"),
    (0.05, 0.1, "mostly in between")])
def test_a_units_saturation_is_named(shut, wide_open, start):
    assert meanings.saturation_words(shut, wide_open).startswith(start)


@pytest.mark.parametrize("accuracy, start", [
    (0.52, "no better than guessing (0.5)"), (0.67, "below 0.75: it has not yet learned"),
    (0.76, "about what the recent marked value alone"),
    (0.88, "above 0.75"), (0.99, "near 1")])
def test_a_memory_accuracy_is_placed_among_the_tasks_landmarks(accuracy, start):
    assert meanings.memory_verdict(accuracy).startswith(start)


def test_bits_per_character_say_what_they_cost_and_where_they_lie_against_the_lines():
    assert meanings.fill(meanings.score_meaning("bpc", "validation", "text"), 3.2) == (
        "validation 3.20 bits per character: it needs 3.20 bits on average to be told each next "
        "character of text it never trained on (lower is better; a blind guess among 97 needs "
        "6.60)")
    assert meanings.fill(meanings.score_meaning("loss", "training", "text"), 2.22) == (
        "training loss 2.22: its surprise at each next character of the training text so far "
        "this epoch, in nats (x 1.44 = bits per character; lower is better)")
    # 2^3.2 = 9.2: as unsure as a fair pick among 9 characters.
    assert meanings.bpc_words(3.2) == ("3.20 bits per character: as unsure, on average, as a fair "
                                       "pick among 9 characters (a blind guess picks among all "
                                       "97)")
    assert "among 1 character (" in meanings.bpc_words(0.0)
    assert meanings.against_char_lines(3.5, 4.54, 3.69) == (
        "below the bigram line (3.69) by 0.19: it uses more than the one character before")
    assert meanings.against_char_lines(4.0, 4.54, 3.69).startswith(
        "below the unigram line (4.54) by 0.54, above the bigram line (3.69)")
    assert meanings.against_char_lines(5.0, 4.54, 3.69) == (
        "above the unigram line (4.54): it has not yet learned even how common each character is")
