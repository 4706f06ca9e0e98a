"""rnnlab.lessons.datasets: the figures the Data page shows of each dataset."""
import numpy as np

from rnnlab.config import MemoryOptions, WeatherOptions
from rnnlab.data import imdb, synthetic
from rnnlab.data.weather import load_series, load_weather
from rnnlab.lessons import datasets
from tests.unit.data.test_imdb import write_keras_npz


def test_review_lengths_are_every_review_in_tokens_training_set_first(data_dir):
    write_keras_npz(data_dir / "imdb.npz", [[1, 2], [4], [5, 6, 7]], [1, 0, 1], [[2, 3, 4, 5]], [1])
    corpus = imdb.load_corpus()
    lengths = datasets.review_lengths(corpus)
    assert sorted(lengths[:3].tolist()) == [2, 3, 4]  # the start id, then the words
    assert lengths[3:].tolist() == [5]


def test_the_target_in_its_unit_is_the_recorded_temperature():
    data = load_weather(WeatherOptions(lookback_hours=24), 0.2)
    values, unit = datasets.target_in_unit(data)
    assert unit == "°C"
    recorded = load_series("nyc-jfk")["T (degC)"].to_numpy()
    assert len(values) == len(recorded)
    np.testing.assert_allclose(values, recorded, atol=1e-4)  # float32 normalized, then undone


def test_the_baseline_figures_give_each_part_in_degrees_and_normalized():
    data = load_weather(WeatherOptions(lookback_hours=24), 0.2)
    figures = datasets.baseline_figures(data)
    validation = data.baseline_mae("val")
    test = data.baseline_mae("test")
    assert figures == [
        ("validation MAE in °C", f"{data.to_target_units(validation):.2f} °C"),
        ("validation, normalized", f"{validation:.3f}"),
        ("test MAE in °C", f"{data.to_target_units(test):.2f} °C"),
        ("test, normalized", f"{test:.3f}")]
    assert 0 < validation < 1  # tomorrow's temperature is not today's, but close


def test_memory_figures_count_the_sets_and_name_the_two_accuracies_to_beat():
    assert datasets.memory_figures(MemoryOptions(examples=4000), 0.2) == [
        ("training sequences", "3,200"), ("validation sequences", "800"),
        ("test sequences", "800"), ("accuracy by guessing", "0.5"),
        ("recent value only", "0.75")]
    sizes = dict(datasets.memory_figures(MemoryOptions(examples=1000), 0.25))
    assert (sizes["training sequences"], sizes["validation sequences"]) == ("750", "250")


def test_the_memory_task_words_follow_the_sequence_length():
    words = datasets.memory_task_words(80)
    start = synthetic.start_steps(80)
    assert "**80 steps**" in words and f"one among the first {start} (the start)" in words
    assert "after reading step 79" in words
    assert f"through at least {80 - start} steps of other values" in words
    assert "guessing scores **0.5**" in words and "can reach **0.75**" in words


def test_the_weather_sentences_carry_the_window_and_the_split():
    options = WeatherOptions(lookback_hours=72, step_hours=2, delay_hours=6)
    assert datasets.window_words(options).endswith(
        "The network reads a reading every 2 h over the last 72 h and predicts the temperature "
        "6 h after the last one.")
    assert "temperature 6 h from now equals the temperature now" in datasets.baseline_words(options)
    assert "(the first 70% of the record)" in datasets.normalization_words(0.15)


def test_the_baseline_words_follow_the_delay_and_the_step():
    six = datasets.baseline_words(WeatherOptions(delay_hours=6, step_hours=1))
    assert six.startswith("Guess that the temperature 6 h from now equals the temperature now, "
                          "the window's last reading (the network reads one every hour;")
    assert "tomorrow" not in six
    day = datasets.baseline_words(WeatherOptions(delay_hours=24, step_hours=3))
    assert "the temperature tomorrow at this hour (24 h from now) equals" in day
    assert "reads one every 3 h;" in day
    assert "in 2 days at this hour (48 h from now)" in datasets.baseline_words(
        WeatherOptions(delay_hours=48))


def small_text():
    from rnnlab.config import TextOptions
    from rnnlab.data.text import load_text

    options = TextOptions(corpus_chars=10_000, window_chars=20)
    return options, load_text(options, 0.2)


def test_the_corpus_sentence_names_the_files_the_python_version_and_the_split():
    import platform

    from rnnlab.data.text import python_source_files

    options, data = small_text()
    words = datasets.corpus_words(options, data)
    first = python_source_files()[0].name
    assert f"Python {platform.python_version()}" in words and first in words
    assert data.source in words
    assert "The first **10,000 characters** are split in order" in words
    assert "6,000 for training, then 2,000 for validation and 2,000 for the test" in words
    assert datasets.text_figures(data) == [
        ("training windows", "299"), ("validation windows", "99"), ("test windows", "99"),
        ("characters per window", "20"), ("vocabulary (ids)", "97")]


def test_the_vocabulary_table_counts_every_id_and_shows_the_invisible_characters():
    from rnnlab.data.text import decode

    _, data = small_text()
    table = datasets.vocabulary_table(data)
    assert len(table) == 97 and sorted(table["id"]) == list(range(97))
    text = decode(np.concatenate([data.ids[s] for s in ("train", "val", "test")]))
    assert table["count"].sum() == len(text) == 10_000
    by_character = dict(zip(table["character"], table["count"]))
    assert by_character["␣"] == text.count(" ") and by_character["⏎"] == text.count("\n")
    assert by_character["e"] == text.count("e")
    assert list(table["count"]) == sorted(table["count"], reverse=True)  # most frequent first
    assert abs(table["share"].sum() - 1) < 1e-9


def test_a_window_and_its_target_are_the_same_text_one_character_apart():
    from rnnlab.data.text import decode

    _, data = small_text()
    reads, predicts = datasets.window_pair(data, "train", 3)
    raw = decode(data.ids["train"][60:81])
    assert reads == datasets.shown(raw[:20]) and predicts == datasets.shown(raw[1:21])
    assert datasets.shown("a b\nc") == "a␣b⏎c"
    assert datasets.window_lines("abcde", "bcdef", width=3) == (
        "reads        abc\nmust predict bcd\n\nreads        de\nmust predict ef")


def test_the_lines_sentence_gives_both_counting_models_and_what_they_mean():
    from rnnlab.lessons.text_baselines import CharBaselines

    words = datasets.char_baseline_words(CharBaselines(4.54, 3.69))
    assert "needs **4.54** bits per character (a pick among 23)" in words
    assert "needs **3.69** (a pick among 13)" in words
    assert "a blind guess among the 97 ids needs 6.60" in words
