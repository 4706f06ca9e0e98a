"""The exported notebook, executed in a fresh kernel, draws the lab's validation curve.

For one tiny run of each dataset the lab trains the config (rnnlab.trainer.training.train), then
nbclient runs the notebook rnnlab.network.notebook writes for it, top to bottom, in a new Python
kernel that has never imported rnnlab, on the same data files. The notebook's last cell prints
its history as JSON; every epoch's validation loss and score must equal the lab's.
"""
import json

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from rnnlab.config import (
    ImdbOptions,
    LayerConfig,
    MemoryOptions,
    RunConfig,
    TextOptions,
    TrainingOptions,
    WeatherOptions,
)
from rnnlab.network.notebook import notebook_for
from tests.unit.data.test_imdb import write_keras_npz

RELATIVE_TOLERANCE = 1e-5


def executed_history(config: RunConfig, data_dir, folder, result: dict) -> dict:
    """Run the notebook for the run (`config`, `result`) in a fresh kernel; return what its last
    cell printed."""
    text = nbformat.writes(notebook_for(config, run_id=7, result=result, data_dir=str(data_dir)))
    notebook = nbformat.reads(text, as_version=4)
    NotebookClient(notebook, timeout=240, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    last = notebook.cells[-1]
    printed = "".join(output.get("text", "") for output in last.outputs
                      if output.output_type == "stream")
    return json.loads(printed)


def assert_same_validation(config, data_dir, folder):
    from rnnlab.trainer.training import train

    _, result = train(config)
    home = executed_history(config, data_dir, folder, result)
    metric = config.metric
    assert len(home["history"][f"val_{metric}"]) == config.training.epochs
    for key in ("val_loss", f"val_{metric}", "loss"):
        np.testing.assert_allclose(home["history"][key], result["history"][key],
                                   rtol=RELATIVE_TOLERANCE, err_msg=key)
    np.testing.assert_allclose(home["test"][metric], result[f"test_{metric}"],
                               rtol=RELATIVE_TOLERANCE)
    return result, home


def test_an_imdb_run_taken_home_gives_the_same_curve(data_dir, tmp_path):
    rng = np.random.RandomState(0)

    def reviews(count):
        labels = rng.randint(0, 2, count)
        return [list(rng.randint(7, 40, rng.randint(3, 12))) + [5 if y else 6]
                for y in labels], labels.tolist()

    write_keras_npz(data_dir / "imdb.npz", *reviews(60), *reviews(20))
    config = RunConfig(
        imdb=ImdbOptions(num_words=30, maxlen=10, embedding_dim=4, train_subset=50),
        layers=(LayerConfig(cell="LSTM", units=4, dropout=0.2),
                LayerConfig(cell="GRU", units=3, bidirectional=True)),
        training=TrainingOptions(batch_size=16, epochs=2, seed=5, optimizer="adam",
                                 learning_rate=0.01))
    assert_same_validation(config, data_dir, tmp_path)


def test_a_weather_run_taken_home_gives_the_same_curve_and_baseline(data_dir, tmp_path):
    config = RunConfig(
        dataset="weather",
        weather=WeatherOptions(source="nyc-jfk", lookback_hours=12, step_hours=2, delay_hours=6),
        layers=(LayerConfig(cell="SimpleRNN", units=4),),
        training=TrainingOptions(batch_size=512, epochs=2, seed=2, early_stopping_patience=3))
    assert_same_validation(config, data_dir, tmp_path)


def test_a_memory_run_taken_home_gives_the_same_curve(data_dir, tmp_path):
    config = RunConfig(
        dataset="memory", memory=MemoryOptions(sequence_length=8, examples=200),
        layers=(LayerConfig(cell="PeepholeLSTM", units=4, recurrent_dropout=0.1),),
        training=TrainingOptions(batch_size=32, epochs=2, seed=9))
    assert_same_validation(config, data_dir, tmp_path)


def test_a_language_model_run_taken_home_gives_the_same_curve(data_dir, tmp_path):
    """The standard library's text, read and cut into windows by the notebook's own cells: the
    lab's curve in bits per character, epoch for epoch."""
    config = RunConfig(
        dataset="text", text=TextOptions(window_chars=20, corpus_chars=10_000,
                                         char_embedding_dim=4),
        layers=(LayerConfig(cell="GRU", units=8),),
        training=TrainingOptions(batch_size=32, epochs=2, seed=4, optimizer="adam",
                                 learning_rate=0.01))
    _, home = assert_same_validation(config, data_dir, tmp_path)
    history = home["history"]  # bits per character: the cross-entropy in bits
    np.testing.assert_allclose(np.array(history["val_loss"]) / np.log(2), history["val_bpc"],
                               rtol=1e-5)
