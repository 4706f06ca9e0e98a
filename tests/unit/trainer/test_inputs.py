"""rnnlab.trainer.inputs and prepare_data: what model.fit sees, against Keras's own utilities.

The reviews are padded in front and cut to their last maxlen tokens exactly as
keras.utils.pad_sequences does with its defaults; the weather windows of the tf.data pipeline are
the windows WeatherData.arrays cuts by hand, in the same order.
"""
import keras
import numpy as np
import pytest

from rnnlab.config import ImdbOptions, RunConfig, TrainingOptions, WeatherOptions
from rnnlab.data import jena
from rnnlab.data.weather import load_weather
from rnnlab.trainer.inputs import padded_reviews, weather_dataset
from rnnlab.trainer.training import prepare_data
from tests.unit.data.test_imdb import write_keras_npz
from tests.unit.data.test_nyc_windows import OPTIONS as NYC_WINDOWS
from tests.unit.data.test_nyc_windows import small_nyc  # noqa: F401 (a fixture)
from tests.unit.data.test_weather import jena_record, jena_text

# Frequency ranks as Keras's imdb.npz stores them; the loader adds the start id 1 and shifts by 3.
TRAIN = [[7] * n for n in (2, 3, 4, 5, 6, 7, 8, 9, 10, 11)]
TRAIN[0] = [3, 4]  # ids 6 and 7 after the shift: the second is outside num_words=7
TEST = [[1, 2, 3, 4, 5, 6]]


@pytest.fixture
def tiny_imdb(data_dir):
    write_keras_npz(data_dir / "imdb.npz", TRAIN, [0, 1] * 5, TEST, [1])
    return data_dir


def imdb_run(maxlen=4, validation_split=0.25):
    return RunConfig(imdb=ImdbOptions(num_words=7, maxlen=maxlen),
                     training=TrainingOptions(validation_split=validation_split))


def test_reviews_are_padded_and_cut_in_front_and_split_like_keras(tiny_imdb):
    data = prepare_data(imdb_run())
    (x_train, y_train), (x_val, y_val), (x_test, y_test) = data.train, data.validation, data.test
    # Keras: split_at = ceil(10 * 0.75) = 8 training reviews, 2 for validation
    assert x_train.shape == (8, 4) and x_val.shape == (2, 4) and x_test.shape == (1, 4)
    assert x_train.dtype == x_val.dtype == x_test.dtype == np.int32
    pool = np.concatenate([x_train, x_val])
    short = pool[[row.tolist().count(0) == 1 for row in pool]][0]
    assert short.tolist() == [0, 1, 6, 2]  # padding in front; id 7 >= num_words became 2
    assert x_test[0].tolist() == [6, 2, 2, 2]  # [1, 4..9] cut to its last 4 tokens
    assert set(np.concatenate([y_train, y_val]).tolist()) == {0, 1}
    assert (data.details["train_examples"], data.details["validation_examples"],
            data.details["test_examples"]) == (8, 2, 1)


def test_padded_reviews_equal_keras_pad_sequences_on_the_loaded_reviews(tiny_imdb):
    """The oracle: Keras's own loader conventions, then pad_sequences with its defaults."""
    from rnnlab.data.imdb import load_imdb

    for maxlen in (1, 5, 12, 15):
        data = prepare_data(imdb_run(maxlen=maxlen, validation_split=0.3))
        loaded = load_imdb(ImdbOptions(num_words=7, maxlen=maxlen), 0.3)
        for padded, reviews in ((data.train[0], loaded.x_train), (data.validation[0], loaded.x_val),
                                (data.test[0], loaded.x_test)):
            expected = keras.utils.pad_sequences([r.tolist() for r in reviews], maxlen=maxlen,
                                                 padding="pre", truncating="pre", dtype="int32")
            np.testing.assert_array_equal(padded, expected)
            assert padded.dtype == np.int32
        lengths = [len(r) for r in loaded.x_train + loaded.x_val]
        assert sorted(lengths) == list(range(3, 13))  # the loader itself pads nothing


def test_padded_reviews_by_hand():
    reviews = [np.array([1, 9, 5]), np.array([1, 4, 6, 7, 8, 5]), np.array([1])]
    assert padded_reviews(reviews, 4).tolist() == [[0, 1, 9, 5], [6, 7, 8, 5], [0, 0, 0, 1]]
    assert padded_reviews([], 4).shape == (0, 4)


# 12 h lookback read every 2 h (6 readings, 12 rows apart), target 3 h (18 rows) after the last.
WEATHER = WeatherOptions(source="jena", lookback_hours=12, step_hours=2, delay_hours=3)


@pytest.fixture
def jena_file(data_dir):
    dates, values = jena_record()
    (data_dir / jena.JENA_CSV).write_text(jena_text(dates, values))


def test_weather_dataset_batches_equal_the_arrays(jena_file):
    data = load_weather(WEATHER, 0.2)
    for split in ("train", "val"):
        x, y = data.arrays(split)
        batches = list(weather_dataset(data, split, batch_size=64).as_numpy_iterator())
        assert batches[0][0].shape == (64, 6, 14) and batches[0][1].shape == (64,)
        np.testing.assert_array_equal(np.concatenate([b[0] for b in batches]), x)
        np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), y)
    # Shuffled: the same windows in another order.
    x, y = data.arrays("val")
    shuffled = list(weather_dataset(data, "val", batch_size=64, shuffle=True,
                                    seed=3).as_numpy_iterator())
    y_shuffled = np.concatenate([b[1] for b in shuffled])
    assert not np.array_equal(y_shuffled, y)
    np.testing.assert_array_equal(np.sort(y_shuffled), np.sort(y))


def test_prepare_data_gives_the_weather_windows_as_datasets(jena_file):
    config = RunConfig(dataset="weather", weather=WEATHER,
                       training=TrainingOptions(batch_size=32, seed=5))
    data = prepare_data(config)
    record = load_weather(WEATHER, config.training.validation_split)
    for dataset, split in ((data.validation[0], "val"), (data.test[0], "test")):
        x, y = record.arrays(split)
        batches = list(dataset.as_numpy_iterator())
        np.testing.assert_array_equal(np.concatenate([b[0] for b in batches]), x)
        np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), y)
    _, y_train = record.arrays("train")
    y_shuffled = np.concatenate([b[1] for b in data.train[0].as_numpy_iterator()])
    assert not np.array_equal(y_shuffled, y_train)  # training windows come shuffled
    np.testing.assert_array_equal(np.sort(y_shuffled), np.sort(y_train))
    assert data.details["validation_examples"] == len(record.window_starts("val"))
    assert data.details["baseline_val_mae"] == pytest.approx(record.baseline_mae("val"))


def test_on_the_new_york_format_fit_reads_the_windows_the_baseline_is_scored_on(small_nyc):
    """The baseline and the model are judged on the same windows: the validation dataset that
    model.fit evaluates holds exactly the windows whose last reading is the baseline's guess."""
    config = RunConfig(dataset="weather", weather=NYC_WINDOWS,
                       training=TrainingOptions(batch_size=16, seed=2))
    data = prepare_data(config)
    batches = list(data.validation[0].as_numpy_iterator())
    x = np.concatenate([b[0] for b in batches])
    y = np.concatenate([b[1] for b in batches])
    assert x.shape == (32, 6, 8)                      # 48 validation hours - a span of 16
    guess = x[:, -1, 0]                               # the temperature at the last reading
    assert data.details["baseline_val_mae"] == pytest.approx(
        float(np.mean(np.abs(y.astype(np.float64) - guess))), rel=1e-6)
