"""rnnlab.lessons.inside_datasets: the Inside page's per-dataset answers, samples and filters."""
import math

import numpy as np
import pytest

from rnnlab.cells import sigmoid
from rnnlab.config import ImdbOptions, LayerConfig, MemoryOptions, RunConfig, WeatherOptions
from rnnlab.data import imdb
from rnnlab.data.weather import load_weather
from rnnlab.lessons import inside, inside_datasets
from rnnlab.lessons.inside import StepInput
from rnnlab.lessons.meanings import fill
from tests.unit.data.test_imdb import write_keras_npz


def memory_config(layers, length=4):
    return RunConfig(dataset="memory", layers=layers,
                     memory=MemoryOptions(sequence_length=length, examples=100))


def step_input(length, first_real=0, target=None, description="test review 3 (positive)"):
    return StepInput(sequence=np.zeros(length), labels=[f"t={t}" for t in range(length)],
                     first_real=first_real, target=target, description=description)


def test_the_answer_sentence_names_the_answer_each_run_and_the_truth():
    step = step_input(5, target=1.0)
    assert inside_datasets.answer_sentence("imdb", step, {"#3 LSTM": 0.91234, "#4 GRU": 0.5}) == (
        "**Test review 3 (positive).** P(positive) at the end: #3 LSTM: 0.912, #4 GRU: 0.500; "
        "the true answer is 1.000.")
    typed = step_input(5, description="your review")
    assert inside_datasets.answer_sentence("weather", typed, {"#1 GRU": -0.25}) == (
        "**Your review.** The forecast (normalized units) at the end: #1 GRU: -0.250.")


def test_long_inputs_open_on_their_end_or_the_memory_tasks_start():
    assert inside_datasets.opening_steps("imdb", step_input(200, first_real=80)) is None  # 120 real
    assert inside_datasets.opening_steps("imdb", step_input(200, first_real=79)) == (100, 200)
    assert inside_datasets.opening_steps("weather", step_input(121)) == (21, 121)
    assert inside_datasets.opening_steps("memory", step_input(500)) == (0, 100)
    assert inside_datasets.opening_steps("memory", step_input(120)) is None


def test_prediction_changes_start_from_one_half():
    changes = inside_datasets.prediction_changes([0.6, 0.4, 0.9])
    assert changes == pytest.approx([0.1, -0.2, 0.5])


def test_right_or_wrong_keeps_the_inputs_the_model_got_right_or_wrong():
    numbers, guesses, labels = [3, 5, 7, 9], [0.9, 0.2, 0.6, 0.4], [1, 1, 0, 0]
    assert inside_datasets.right_or_wrong(numbers, guesses, labels, right=True).tolist() == [3, 9]
    assert inside_datasets.right_or_wrong(numbers, guesses, labels, right=False).tolist() == [5, 7]
    assert inside_datasets.right_or_wrong([], [], [], right=True).tolist() == []


def test_every_dataset_has_a_view_with_an_answer_and_a_subject():
    assert set(inside_datasets.VIEWS) == {"imdb", "weather", "memory"}
    assert {name: (v.axis, v.subject) for name, v in inside_datasets.VIEWS.items()} == {
        "imdb": ("P(positive)", "review"), "memory": ("P(marked sum > 1)", "sequence"),
        "weather": ("forecast (normalized)", "window")}


def test_every_view_says_what_a_running_prediction_means():
    filled = {name: fill(view.meaning, 0.23) for name, view in inside_datasets.VIEWS.items()}
    assert filled == {
        "imdb": "P(positive) 0.23: 23% sure the review is positive",
        "memory": "P(marked sum > 1) 0.23: 23% sure the two marked values add up to more than 1",
        "weather": "forecast 0.23: the target in standard deviations from its training mean "
                   "(0 = the mean)"}


def test_the_sample_of_reviews_is_the_first_test_reviews_padded_like_keras(data_dir):
    write_keras_npz(data_dir / "imdb.npz", [[1, 2], [4]], [1, 0], [[2, 3, 4], [2, 3, 5, 1, 1]],
                    [1, 0])
    corpus = imdb.load_corpus()
    config = RunConfig(imdb=ImdbOptions(num_words=20, maxlen=5))
    sample = inside_datasets.test_sample(config, corpus, count=100)  # only 2 test reviews
    expected = [[0] * (5 - len(ids)) + list(ids[-5:]) for ids in corpus.sequences("test")]
    assert sample.tolist() == expected
    assert sorted(map(len, corpus.sequences("test"))) == [4, 6]  # the start id, then the ranks + 3


def test_the_sample_of_memory_sequences_is_the_runs_first_test_sequences():
    config = memory_config((LayerConfig(cell="GRU", units=2),), length=6)
    sample = inside_datasets.test_sample(config, None, count=3)
    np.testing.assert_array_equal(sample, inside.memory_test_set(config)[0][:3])
    assert sample.shape == (3, 6, 2)


def test_the_sample_of_weather_windows_spans_the_test_part():
    options = WeatherOptions(lookback_hours=7, step_hours=1)
    data = load_weather(options, 0.2)
    config = RunConfig(dataset="weather", weather=options)
    sample = inside_datasets.test_sample(config, data, count=5)
    starts = data.window_starts("test")
    assert sample.shape == (5, data.sequence_length, len(data.columns))
    first_rows = starts[0] + np.arange(data.sequence_length) * data.step_rows
    np.testing.assert_array_equal(sample[0], data.values[first_rows])
    last_rows = starts[-1] + np.arange(data.sequence_length) * data.step_rows
    np.testing.assert_array_equal(sample[-1], data.values[last_rows])


ADDING_UNIT = {  # one SimpleRNN unit that sums the marked values (tests/unit/network/test_replay)
    "simplernn_1/simple_rnn_cell/kernel": np.array([[1.0], [-0.5]]),
    "simplernn_1/simple_rnn_cell/recurrent_kernel": np.array([[1.0]]),
    "simplernn_1/simple_rnn_cell/bias": np.zeros(1),
    "sum_over_one/kernel": np.array([[4.0]]), "sum_over_one/bias": np.array([-2.0])}


def test_sequence_guesses_are_the_models_answers_on_the_first_test_sequences():
    config = memory_config((LayerConfig(cell="SimpleRNN", units=1),))
    guesses = inside_datasets.sequence_guesses(config, ADDING_UNIT, 3)
    expected = []
    for sequence in inside.memory_test_set(config)[0][:3]:
        h = 0.0
        for value, marker in sequence:
            h = math.tanh(value - 0.5 * marker + h)
        expected.append(float(sigmoid(4.0 * h - 2.0)))
    assert guesses == pytest.approx(expected, abs=1e-6)


def test_gate_shares_name_each_gate_and_count_shut_and_open_steps():
    """Zero kernels leave each LSTM gate at sigmoid(bias): known shares for every unit."""
    config = memory_config((LayerConfig(cell="LSTM", units=2),))
    bias = np.concatenate([[10, 10], [-10, 0], [0, 0], [3, 0]]).astype(float)  # i, f, g, o
    weights = {"lstm_1/lstm_cell/kernel": np.zeros((2, 8)),
               "lstm_1/lstm_cell/recurrent_kernel": np.zeros((2, 8)),
               "lstm_1/lstm_cell/bias": bias,
               "sum_over_one/kernel": np.ones((2, 1)), "sum_over_one/bias": np.zeros(1)}
    sample = inside_datasets.test_sample(config, None, count=5)
    shares = inside_datasets.gate_shares(config, weights, sample, layer=1)
    assert {gate: (low.tolist(), high.tolist()) for gate, (low, high) in shares.items()} == {
        "input gate i": ([0, 0], [1, 1]), "forget gate f": ([1, 0], [0, 0]),
        "output gate o": ([0, 0], [1, 0])}
    simple = memory_config((LayerConfig(cell="SimpleRNN", units=1),))
    assert inside_datasets.gate_shares(simple, ADDING_UNIT, sample, layer=1) == {}
    with pytest.raises(ValueError, match="Layer 2 does not exist"):
        inside_datasets.gate_shares(config, weights, sample, layer=2)
