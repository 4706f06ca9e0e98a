"""The Inside page's input for a language model: passages of its text, labelled by character."""
import numpy as np
import pytest

from rnnlab.config import LayerConfig, RunConfig, TextOptions
from rnnlab.data.text import TextData, encode
from rnnlab.lessons import inside, inside_datasets

VALIDATION = "def f(x):\n    return x\n"  # 23 characters: 5 windows of 4 and a target after


def text_data(window_chars: int = 4) -> TextData:
    return TextData(ids={"train": encode("a" * 30), "val": encode(VALIDATION),
                         "test": encode("b = 1 ; c = 2 ; d = 3\n")},
                    window_chars=window_chars, source="hand-made")


def test_a_passage_is_one_window_of_the_validation_text_labelled_by_its_characters():
    data = text_data()
    assert inside.passage_count(data) == 5
    step = inside.passage_input(data, 2)
    np.testing.assert_array_equal(step.sequence, encode(":\n  "))
    assert step.labels == [":", "⏎", "␣", "␣"]
    assert (step.first_real, step.target) == (0, None)
    assert step.description == ("validation passage 2 (characters 8 to 11 of the validation "
                                "text)")
    assert inside.passage_input(data, 0).labels == ["d", "e", "f", "␣"]
    assert inside.passage_input(data, 1, split="test").description.startswith("test passage 1")
    with pytest.raises(ValueError, match="no passage 5: the text holds 5, numbered 0 to 4"):
        inside.passage_input(data, 5)


def test_characters_that_print_as_nothing_get_a_visible_label():
    assert [inside.character_label(c) for c in "a\n \t("] == ["a", "⏎", "␣", "⇥", "("]


def test_every_text_run_reads_the_same_passages():
    gru = RunConfig(dataset="text", layers=(LayerConfig(cell="GRU", units=4),))
    lstm = RunConfig(dataset="text", text=TextOptions(window_chars=50),
                     layers=(LayerConfig(cell="LSTM", units=8),))
    assert inside.same_input(gru, lstm) and not inside.same_input(gru, RunConfig())


def test_a_passage_is_named_without_an_answer_and_a_long_one_opens_at_its_start():
    step = inside.passage_input(text_data(), 1)
    assert inside_datasets.answer_sentence("text", step, {"#1 GRU": 0.1}) == (
        "**Validation passage 1 (characters 4 to 7 of the validation text).** "
        + inside_datasets.TEXT_READING)
    for length, opening in ((40, None), (41, (0, 40)), (100, (0, 40))):
        step = inside.StepInput(np.zeros(length), ["a"] * length, 0, None, "passage 0")
        assert inside_datasets.opening_steps("text", step) == opening
    assert inside_datasets.TEXT_WINDOW_STEPS == 40


def test_the_saturation_sample_of_a_language_model_is_its_first_test_windows():
    config = RunConfig(dataset="text", layers=(LayerConfig(cell="GRU", units=4),))
    sample = inside_datasets.test_sample(config, text_data(), count=3)
    np.testing.assert_array_equal(sample, encode("b = 1 ; c = ").reshape(3, 4))
