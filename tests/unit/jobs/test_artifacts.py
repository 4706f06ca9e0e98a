"""A run's folder: every file written by rnnlab.jobs.artifacts reads back as it was written, a
half-written gradients file reads as "not yet", and a folder that cannot be opened says why."""
import csv
import json

import numpy as np
import pytest

from rnnlab.config import LayerConfig, RunConfig, TrainingOptions
from rnnlab.config.search import SearchConfig
from rnnlab.jobs import artifacts
from rnnlab.jobs.artifacts import GradientRecords

CONFIG = RunConfig(layers=(LayerConfig(cell="GRU", units=4),), training=TrainingOptions(seed=3))
WEIGHTS = {"gru_1/gru_cell/kernel": np.arange(12, dtype=np.float32).reshape(1, 12),
           "gru_1/gru_cell/bias": np.full((2, 12), 0.5, dtype=np.float32),
           "dense/kernel": np.ones((4, 1), dtype=np.float32)}
RECORDS = GradientRecords(epochs=np.array([0, 1, 3]),
                          norms=np.array([[0.1, 0.2, 0.4], [0.05, 0.1, 0.3], [0.0, 0.02, 0.2]]),
                          seconds=np.array([0.012, 0.010, 0.011]))


def test_config_and_search_read_back_equal(tmp_path):
    search = SearchConfig(base=CONFIG, max_trials=4)
    artifacts.write_config(tmp_path, CONFIG)
    artifacts.write_search(tmp_path, search)
    assert RunConfig.from_json((tmp_path / "config.json").read_text()) == CONFIG
    assert SearchConfig.from_json((tmp_path / "search.json").read_text()) == search


def test_summary_result_and_log_are_kept_as_written(tmp_path):
    artifacts.write_summary(tmp_path, "Model: \"functional\"\nTotal params: 1,233 (4.82 KB)\n")
    artifacts.write_result(tmp_path, {"best_val_accuracy": 0.875, "epochs_run": 2})
    artifacts.write_log(tmp_path, "Traceback (most recent call last):\n  ValueError: é\n")
    assert (tmp_path / "summary.txt").read_text() == (
        "Model: \"functional\"\nTotal params: 1,233 (4.82 KB)\n")
    assert json.loads((tmp_path / "result.json").read_text()) == {"best_val_accuracy": 0.875,
                                                                  "epochs_run": 2}
    assert (tmp_path / "worker.log").read_text(encoding="utf-8").endswith("ValueError: é\n")
    assert artifacts.model_path(tmp_path) == tmp_path / "model.keras"


def test_history_has_a_column_for_every_value_any_epoch_had(tmp_path):
    artifacts.write_history(tmp_path, [])
    assert not (tmp_path / "history.csv").exists()  # no finished epoch, no file
    artifacts.write_history(tmp_path, [
        {"epoch": 1, "loss": 0.69, "seconds": 2.5},
        {"epoch": 2, "loss": 0.51, "val_loss": 0.55, "seconds": 2.25}])
    with open(tmp_path / "history.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["epoch", "loss", "seconds", "val_loss"]
    assert rows == [{"epoch": "1", "loss": "0.69", "seconds": "2.5", "val_loss": ""},
                    {"epoch": "2", "loss": "0.51", "seconds": "2.25", "val_loss": "0.55"}]


def test_weights_and_config_read_back_as_the_trained_model(tmp_path):
    artifacts.write_config(tmp_path, CONFIG)
    artifacts.write_weights(tmp_path, WEIGHTS)
    config, weights = artifacts.read_trained_model(tmp_path)
    assert config == CONFIG
    assert sorted(weights) == sorted(WEIGHTS)  # Keras's weight paths, slashes and all
    for path, array in WEIGHTS.items():
        np.testing.assert_array_equal(weights[path], array)
        assert weights[path].dtype == np.float32


def test_gradient_records_read_back_and_are_none_before_the_first(tmp_path):
    assert artifacts.read_gradients(tmp_path) is None
    artifacts.write_gradients(tmp_path, RECORDS)
    saved = artifacts.read_gradients(tmp_path)
    for name in ("epochs", "norms", "seconds"):
        np.testing.assert_array_equal(getattr(saved, name), getattr(RECORDS, name))


def test_gradients_are_replaced_whole_while_the_run_trains(tmp_path):
    artifacts.write_gradients(tmp_path, GradientRecords(RECORDS.epochs[:1], RECORDS.norms[:1],
                                                        RECORDS.seconds[:1]))
    artifacts.write_gradients(tmp_path, RECORDS)
    assert artifacts.read_gradients(tmp_path).epochs.tolist() == [0, 1, 3]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["gradients.npz"]  # no leftovers


def test_a_half_written_gradients_file_reads_as_not_there_yet_while_the_run_trains(tmp_path):
    artifacts.write_gradients(tmp_path, RECORDS)
    whole = (tmp_path / "gradients.npz").read_bytes()
    for cut in (0, 10, len(whole) // 2, len(whole) - 1):
        (tmp_path / "gradients.npz").write_bytes(whole[:cut])
        assert artifacts.read_gradients(tmp_path, still_writing=True) is None, cut
        with pytest.raises(artifacts.DamagedArtifact, match="gradient records are damaged"):
            artifacts.read_gradients(tmp_path)  # the run has ended: it will never be whole
    np.savez(tmp_path / "gradients.npz", epochs=RECORDS.epochs)  # an older layout: no norms
    assert artifacts.read_gradients(tmp_path, still_writing=True) is None


def test_existing_lists_the_training_files_there_in_the_runs_pages_order(tmp_path):
    assert artifacts.existing(tmp_path) == {}
    artifacts.write_result(tmp_path, {})
    artifacts.write_config(tmp_path, CONFIG)
    artifacts.write_log(tmp_path, "not a training file")
    artifacts.write_gradients(tmp_path, RECORDS)
    assert artifacts.existing(tmp_path) == {name: tmp_path / name for name in
                                            ("config.json", "result.json", "gradients.npz")}
    assert list(artifacts.existing(tmp_path)) == ["config.json", "result.json", "gradients.npz"]
    assert artifacts.TRAINING_FILES == ("config.json", "summary.txt", "model.keras", "weights.npz",
                                        "history.csv", "result.json", "gradients.npz")


def test_a_folder_without_a_config_says_so_in_words(tmp_path):
    (tmp_path / "7").mkdir()
    artifacts.write_weights(tmp_path / "7", WEIGHTS)
    with pytest.raises(artifacts.DamagedArtifact) as caught:
        artifacts.read_trained_model(tmp_path / "7")
    assert str(caught.value) == "Run #7's config is missing: retrain it or delete it."


def test_a_run_without_weights_has_not_finished(tmp_path):
    artifacts.write_config(tmp_path, CONFIG)
    with pytest.raises(ValueError) as caught:
        artifacts.read_trained_model(tmp_path)
    assert str(caught.value) == ("This run has no saved weights: it has not finished, or it "
                                 "stopped before saving. Pick a finished run.")


def test_damaged_weights_are_named_in_words_without_a_path(tmp_path):
    folder = tmp_path / "12"
    folder.mkdir()
    artifacts.write_config(folder, CONFIG)
    (folder / "weights.npz").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(artifacts.DamagedArtifact) as caught:
        artifacts.read_trained_model(folder)
    assert str(caught.value) == "Run #12's saved weights are damaged: retrain it or delete it."
    assert isinstance(caught.value, ValueError)


def test_samples_read_back_in_order_and_a_damaged_file_is_named(tmp_path):
    folder = tmp_path / "7"
    folder.mkdir()
    assert artifacts.read_samples(folder) == []  # none yet, or not a text run
    written = [artifacts.Sample(1, "e  t_ se\n"), artifacts.Sample(2, 'def f(x):\n    "é"')]
    artifacts.write_samples(folder, written)
    assert artifacts.read_samples(folder) == written
    assert json.loads((folder / "samples.json").read_text()) == [
        {"epoch": 1, "text": "e  t_ se\n"}, {"epoch": 2, "text": 'def f(x):\n    "é"'}]
    assert [p.name for p in folder.iterdir()] == ["samples.json"]  # no temporary file left
    for damaged in (b'[{"epoch": 1, "text": "ab"', b'{"epoch": 1}', b'[{"epoch": "1", "text": ""}]',
                    b'[{"epoch": 1, "text": 5}]', b"\xff\xfe"):
        (folder / "samples.json").write_bytes(damaged)
        assert artifacts.read_samples(folder, still_writing=True) == []
        with pytest.raises(artifacts.DamagedArtifact,
                           match="Run #7's samples of writing are damaged"):
            artifacts.read_samples(folder)


def test_a_preparation_note_reads_back_until_cleared_and_a_bad_one_reads_as_none(tmp_path):
    assert artifacts.read_preparing(tmp_path) is None  # no preparation under way
    artifacts.write_preparing(tmp_path, 0.25, "Tokenizing: 12,500 reviews done")
    assert artifacts.read_preparing(tmp_path) == (0.25, "Tokenizing: 12,500 reviews done")
    assert [p.name for p in tmp_path.iterdir()] == ["preparing.json"]  # no partial file left
    (tmp_path / "preparing.json").write_text('{"fraction": ')  # cut short: only a progress note
    assert artifacts.read_preparing(tmp_path) is None
    artifacts.clear_preparing(tmp_path)
    artifacts.clear_preparing(tmp_path)  # clearing twice is fine: the worker always clears
    assert artifacts.read_preparing(tmp_path) is None and list(tmp_path.iterdir()) == []
