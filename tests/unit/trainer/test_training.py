"""The headless trainer on tiny data: scores, history, reproducibility, the weather baseline."""
import dataclasses

import numpy as np
import pytest

from rnnlab.config import (
    ImdbOptions,
    LayerConfig,
    MemoryOptions,
    RunConfig,
    TrainingOptions,
    WeatherOptions,
)
from rnnlab.network.summary import summarize, total_params
from tests.unit.data.test_imdb import write_keras_npz


@pytest.fixture
def tiny_imdb(data_dir):
    """60 training and 20 test reviews where word 5 means positive and word 6 negative."""
    rng = np.random.RandomState(0)

    def reviews(n):
        labels = rng.randint(0, 2, n)
        x = [list(rng.randint(7, 40, rng.randint(3, 12))) + [5 if y else 6] for y in labels]
        return x, labels.tolist()

    write_keras_npz(data_dir / "imdb.npz", *reviews(60), *reviews(20))
    return data_dir


def tiny_config(cell="GRU", seed=3, **training):
    return RunConfig(
        imdb=ImdbOptions(num_words=50, maxlen=12, embedding_dim=4),
        layers=(LayerConfig(cell=cell, units=4),),
        training=TrainingOptions(**{"batch_size": 16, "epochs": 2, "seed": seed, **training}),
    )


def test_imdb_run_reports_scores_history_and_parameters(tiny_imdb):
    from rnnlab.trainer.training import train

    config = tiny_config()
    _, result = train(config)
    assert result["metric"] == "accuracy" and result["epochs_run"] == 2
    assert len(result["history"]["val_accuracy"]) == 2 == len(result["history"]["loss"])
    assert result["best_val_accuracy"] == max(result["history"]["val_accuracy"])
    assert result["final_val_accuracy"] == result["history"]["val_accuracy"][-1]
    assert 0.0 <= result["test_accuracy"] <= 1.0
    assert result["params"] == total_params(summarize(config))
    assert (result["train_examples"], result["validation_examples"], result["test_examples"]) == (48, 12, 20)
    assert result["seconds_per_epoch"] > 0


def test_same_seed_same_run_other_seed_other_run(tiny_imdb):
    from rnnlab.trainer.training import train

    first = train(tiny_config(seed=3))[1]["history"]
    again = train(tiny_config(seed=3))[1]["history"]
    other = train(tiny_config(seed=4))[1]["history"]
    assert first == again
    assert first["loss"] != other["loss"]


def test_early_stopping_stops_when_validation_loss_rises(data_dir):
    from rnnlab.trainer.training import train

    # Word 5 means positive in the 48 training reviews but negative in the 12 validation reviews
    # (the last 20 %), so the better the model learns, the worse its validation loss gets.
    labels = [i % 2 for i in range(60)]
    words = [5 if (y if i < 48 else 1 - y) else 6 for i, y in enumerate(labels)]
    write_keras_npz(data_dir / "imdb.npz", [[8, 9, w] for w in words], labels, [[5]], [1])
    _, result = train(tiny_config(epochs=30, learning_rate=0.01, early_stopping_patience=2))
    assert result["epochs_run"] < 30
    val_loss = result["history"]["val_loss"]
    assert min(val_loss[-2:]) >= min(val_loss[:-2])  # stopped: two epochs without improvement


def test_weather_run_reports_mae_in_degrees_and_the_baseline():
    from rnnlab.trainer.training import train

    config = RunConfig(
        dataset="weather",
        weather=WeatherOptions(source="nyc-jfk", lookback_hours=12, step_hours=2, delay_hours=6),
        layers=(LayerConfig(cell="LSTM", units=4),),
        training=TrainingOptions(batch_size=512, epochs=1),
    )
    _, result = train(config)
    assert result["metric"] == "mae" and result["target_unit"] == "degC"
    assert result["test_mae_degC"] == pytest.approx(result["test_mae"] * result["target_std"])
    assert result["baseline_val_mae_degC"] == pytest.approx(
        result["baseline_val_mae"] * result["target_std"])
    # JFK's hourly temperature has a standard deviation of 10.0 degC over the training years, and
    # the 6-hour-ahead baseline is off by about 2.5 degC
    assert 0.3 < result["baseline_test_mae_degC"] < 6
    assert 8 < result["target_std"] < 12
    assert result["train_examples"] > 4000


def test_loading_first_as_the_worker_does_gives_the_same_weather_run():
    """The worker prepares the data, then trains; the command line trains from the config. The
    training windows' shuffle is seeded when they are loaded, so both draw the same curve."""
    import tensorflow as tf

    from rnnlab.trainer.training import prepare_data, train

    config = RunConfig(
        dataset="weather",
        weather=WeatherOptions(source="nyc-jfk", lookback_hours=12, step_hours=2, delay_hours=6),
        layers=(LayerConfig(cell="GRU", units=4),),
        training=TrainingOptions(batch_size=512, epochs=2, seed=4))
    from_config = train(config)[1]["history"]
    tf.random.set_seed(None)  # a fresh worker process: nothing seeded yet
    data = prepare_data(config)
    assert train(config, data=data)[1]["history"] == from_config


def test_a_dataset_too_small_to_validate_on_is_refused_in_words(data_dir):
    from rnnlab.trainer.training import train

    write_keras_npz(data_dir / "imdb.npz", [[5, 7], [6, 8], [5, 9]], [1, 0, 1], [[5, 7]], [1])
    with pytest.raises(ValueError, match="There is nothing to validate on: 3 training examples "
                                         "with a validation split of 0.2"):
        train(tiny_config())


def memory_run_config(cell="LSTM", length=10, examples=200, **training):
    return RunConfig(dataset="memory",
                     memory=MemoryOptions(sequence_length=length, examples=examples),
                     layers=(LayerConfig(cell=cell, units=4),),
                     training=TrainingOptions(**{"batch_size": 32, "epochs": 2, **training}))


def test_memory_run_reports_accuracy_sizes_and_chance():
    from rnnlab.trainer.training import train

    config = memory_run_config()
    model, result = train(config)
    assert model.input_shape == (None, 10, 2) and model.layers[-1].name == "sum_over_one"
    assert result["dataset"] == "memory" and result["metric"] == "accuracy"
    assert result["epochs_run"] == 2 and len(result["history"]["val_accuracy"]) == 2
    for key in ("best_val_accuracy", "final_val_accuracy", "test_accuracy"):
        assert 0.0 <= result[key] <= 1.0
    assert (result["train_examples"], result["validation_examples"], result["test_examples"]) == (
        160, 40, 40)
    assert result["chance_accuracy"] == 0.5 and result["source"] == "generated"
    assert result["params"] == total_params(summarize(config)) == 4 * (4 * (2 + 4) + 4) + 5
    assert result["seconds_per_epoch"] > 0


def test_a_short_memory_is_learned_and_the_same_seed_repeats_the_run():
    """Five steps are a short lag: a GRU learns to add the two marked values, well past the 0.75
    that remembering only the recent one allows (measured: 0.955 after 6 epochs)."""
    from rnnlab.trainer.training import train

    config = dataclasses.replace(
        memory_run_config(length=5, examples=2000, epochs=6, optimizer="adam", learning_rate=0.01),
        layers=(LayerConfig(cell="GRU", units=16),))
    first = train(config)[1]
    assert first["best_val_accuracy"] > 0.9
    assert train(config)[1]["history"] == first["history"]


def test_a_dense_network_trains_to_a_finite_score_on_the_memory_task():
    from rnnlab.trainer.training import train

    config = dataclasses.replace(memory_run_config(), layers=(
        LayerConfig(cell="Dense", units=8, activation="relu", dropout=0.2),
        LayerConfig(cell="Dense", units=4, activation="relu")))
    model, result = train(config)
    assert model.name == "memory_dense" and model.input_shape == (None, 10, 2)
    assert [(layer.name, layer.output.shape) for layer in model.layers[1:]] == [
        ("flatten", (None, 20)), ("dense_1", (None, 8)), ("dropout_1", (None, 8)),
        ("dense_2", (None, 4)), ("sum_over_one", (None, 1))]
    assert result["cells"] == ["Dense", "Dense"] and result["epochs_run"] == 2
    assert np.isfinite(result["history"]["loss"]).all() and 0 <= result["test_accuracy"] <= 1
    assert result["params"] == total_params(summarize(config)) == (20 * 8 + 8) + (8 * 4 + 4) + 5


def test_a_bag_of_words_trains_to_a_finite_score_on_reviews(tiny_imdb):
    from rnnlab.trainer.training import train

    config = tiny_config(cell="Dense")
    model, result = train(config)
    assert model.name == "imdb_dense" and model.output_shape == (None, 1)
    assert [layer.name for layer in model.layers[1:]] == [
        "embedding", "average_over_words", "dense_1", "sentiment"]
    assert np.isfinite(result["history"]["val_loss"]).all()
    assert 0 <= result["best_val_accuracy"] <= 1
    assert result["params"] == total_params(summarize(config)) == 50 * 4 + (4 * 4 + 4) + 5
