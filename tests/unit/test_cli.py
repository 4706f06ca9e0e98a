"""`python -m rnnlab`: progress lines and a JSON result, exit 2 with a message for bad settings."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from rnnlab.config import RunConfig

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args, env_extra=None, timeout=300):
    import os

    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "rnnlab", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("args, message", [
    (["train", "--units", "0"], "Layer 1 units is 0"),
    (["train", "--layers", "9"], "Number of layers is 9"),
    (["train", "--cell", "Transformer", "--dropout", "1.5"], "Layer 1 dropout is 1.5"),
    (["train", "--maxlen", "0"], "Review length (maxlen) is 0"),
    (["train", "--epochs", "lots"], "The flag --epochs is 'lots', but it must be a whole number"),
    (["summary", "--dataset", "weather", "--lookback-hours", "1440", "--delay-hours", "336",
      "--validation-split", "0.4"], "does not fit"),
    (["train", "--preset", "memory-quick", "--sequence-length", "1"], "Sequence length is 1"),
    (["summary", "--dataset", "memory", "--examples", "100000", "--sequence-length", "1000"],
     "at most 20,000,000"),
])
def test_invalid_settings_exit_2_with_the_message_and_no_traceback(args, message):
    done = run_cli(*args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_bad_config_file_exits_2(tmp_path):
    path = tmp_path / "run.json"
    path.write_text('{"layers": [{"unit": 8}]}')
    done = run_cli("train", "--config", str(path))
    assert done.returncode == 2 and "Unknown setting 'unit' in layer 1" in done.stderr


def test_summary_applies_preset_then_flags_and_needs_no_tensorflow():
    done = run_cli("summary", "--preset", "jena-gru", "--layers", "2", "--units", "8")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("gru_1") and "(None, 240, 8)" in line for line in lines)
    assert any(line.startswith("gru_2") and "(None, 8)" in line for line in lines)
    assert "note: Layer 1 returns its whole sequence" in done.stdout


def test_memory_flags_reach_the_config_and_need_no_tensorflow():
    done = run_cli("summary", "--preset", "memory-quick", "--sequence-length", "120", "--cell",
                   "GRU")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("gru_1") and "(None, 16)" in line and line.endswith("960")
               for line in lines)  # 3 x (16 x (2 + 16) + 2 x 16) = 960
    assert any(line.startswith("sum_over_one") for line in lines)


def test_dense_takes_the_place_of_a_cell_and_drops_what_a_dense_layer_does_not_have():
    done = run_cli("summary", "--dataset", "memory", "--cell", "Dense", "--layers", "2",
                   "--units", "8", "--bidirectional", "--dropout", "0.5")
    assert done.returncode == 0, done.stderr
    table = done.stdout.split("-" * 80)[1]  # between the rules under the header and the total
    names = [line.split()[0] for line in table.strip().splitlines()]
    assert names == ["flatten", "dense_1", "dropout_1", "dense_2", "dropout_2", "sum_over_one"]
    assert any(line.startswith("dense_1") and line.endswith("808") for line in
               done.stdout.splitlines())  # 100 x 8 + 8
    assert "note: A dense network flattens the input" in done.stdout


def test_presets_are_listed_and_valid():
    from rnnlab.config.presets import PRESETS

    done = run_cli("presets")
    assert done.returncode == 0
    for name, preset in PRESETS.items():
        assert name in done.stdout
        assert isinstance(preset.config, RunConfig)
    book = {name: PRESETS[f"imdb-{name.lower()}"].config.layers[0].cell
            for name in ("SimpleRNN", "LSTM", "GRU")}
    assert book == {"SimpleRNN": "SimpleRNN", "LSTM": "LSTM", "GRU": "GRU"}


def test_train_prints_a_line_per_epoch_and_a_final_json_line(tmp_path):
    config = tmp_path / "run.json"
    config.write_text(RunConfig(dataset="weather").to_json())
    done = run_cli("train", "--config", str(config), "--lookback-hours", "12", "--step-hours", "3",
                   "--units", "3", "--epochs", "2", "--batch-size", "1024", "--cell", "SimpleRNN")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0] == "training weather: SimpleRNN(3)"
    assert lines[1].startswith("epoch 1/2  loss ") and "val_mae" in lines[1]
    assert lines[2].startswith("epoch 2/2")
    result = json.loads(lines[-1])
    assert result["epochs_run"] == 2 and result["cells"] == ["SimpleRNN"]
    assert {"best_val_mae", "final_val_mae", "test_mae", "test_mae_degC", "seconds_per_epoch",
            "params", "baseline_test_mae_degC"} <= set(result)


def test_a_damaged_data_file_exits_1_with_the_data_error(tmp_path):
    (tmp_path / "imdb.npz").write_bytes(b"not a zip at all")
    done = run_cli("train", "--epochs", "1", env_extra={"RNNLAB_DATA_DIR": str(tmp_path)})
    assert done.returncode == 1
    assert "imdb.npz is truncated or not Keras's imdb.npz" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_language_model_prints_the_lines_to_beat_and_bits_per_character_each_epoch():
    from rnnlab.config import TextOptions
    from rnnlab.data.char_baselines import bigram_bits, unigram_bits
    from rnnlab.data.text import load_text

    done = run_cli("train", "--preset", "text-quick", "--corpus-chars", "20000",
                   "--window-chars", "40", "--units", "4", "--epochs", "2")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    data = load_text(TextOptions(corpus_chars=20_000, window_chars=40), 0.2)
    unigram = unigram_bits(data.ids["train"], data.ids["val"])
    bigram = bigram_bits(data.ids["train"], data.ids["val"])
    assert lines[:2] == [
        "training text: GRU(4)",
        f"bits per character to beat on the validation text: unigram {unigram:.4f} (letters "
        f"counted), bigram {bigram:.4f} (one character back)"]
    assert lines[2].startswith("epoch 1/2  loss ") and "  bpc " in lines[2] and "val_bpc" in lines[2]
    assert lines[3].startswith("epoch 2/2")
    result = json.loads(lines[-1])
    assert result["metric"] == "bpc" and result["unigram_val_bpc"] == pytest.approx(unigram)
    assert lines[-2].startswith(f"best validation: {result['best_val_bpc']:.2f} bits per "
                                "character: as unsure, on average, as a fair pick among")
