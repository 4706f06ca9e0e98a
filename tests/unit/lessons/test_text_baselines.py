"""The language model's reference lines on the pages: from a result, counted from the text, and
a run's bits per character judged against them."""
import pytest

from rnnlab.config import TextOptions
from rnnlab.data.char_baselines import bigram_bits, unigram_bits
from rnnlab.data.text import load_text
from rnnlab.lessons import text_baselines
from rnnlab.lessons.text_baselines import CharBaselines


def test_the_lines_come_from_a_text_result_and_nothing_else():
    assert text_baselines.from_result({"unigram_val_bpc": 4.5, "bigram_val_bpc": 3.7}) == \
        CharBaselines(4.5, 3.7)
    assert text_baselines.from_result({"best_val_mae": 0.3}) is None
    assert text_baselines.from_result(None) is None


def test_counted_lines_equal_the_trainers_on_the_same_validation_text():
    data = load_text(TextOptions(corpus_chars=10_000, window_chars=20), 0.2)
    lines = text_baselines.from_text(data)
    assert lines == CharBaselines(unigram_bits(data.ids["train"], data.ids["val"]),
                                  bigram_bits(data.ids["train"], data.ids["val"]))
    assert 0 < lines.bigram < lines.unigram < 6.61  # order helps; counting beats a blind guess
    assert [label for label, _ in lines.labels()] == [
        f"unigram model {lines.unigram:.2f}: letters counted",
        f"bigram model {lines.bigram:.2f}: one character back"]


@pytest.mark.parametrize("bpc, beats, ending", [
    (3.5, True, "below the bigram line (3.69) by 0.19: it uses more than the one character "
                "before."),
    (4.0, True, "it has learned some order, less than one character of memory gives."),
    (4.6, False, "it has not yet learned even how common each character is. Train it for more "
                 "epochs, or faster: adam with a learning rate of 0.01."),
])
def test_a_run_is_judged_against_both_lines(bpc, beats, ending):
    judged = text_baselines.verdict(bpc, CharBaselines(4.54, 3.69))
    assert judged.beats is beats and judged.sentence.endswith(ending)
    assert judged.sentence.startswith(f"{bpc:.2f} bits per character: as unsure")


def test_a_finished_run_without_lines_or_score_has_no_verdict():
    assert text_baselines.run_verdict({"best_val_bpc": 3.5}) is None
    assert text_baselines.run_verdict({"unigram_val_bpc": 4.5, "bigram_val_bpc": 3.7}) is None
    assert text_baselines.run_verdict({"unigram_val_bpc": 4.5, "bigram_val_bpc": 3.7,
                                       "best_val_bpc": 3.5}).beats
