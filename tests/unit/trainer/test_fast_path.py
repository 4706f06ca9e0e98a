"""The execution path: each cell on its fastest measured path, said truthfully, reproducible on it.

The reproducibility checks train in fresh Python processes: op determinism, once on, stays on for
the process (and then Keras refuses XLA), so a pytest process that trained a search earlier could
not show the XLA path.
"""
import json
import subprocess
import sys

from rnnlab.config import LayerConfig, MemoryOptions, RunConfig, TrainingOptions
from rnnlab.config.execution_path import FASTEST_ON_CPU, KERAS_DEFAULT, XLA, ExecutionPath, choose_path


def memory_config(*cells: str) -> RunConfig:
    layers = tuple(LayerConfig(cell=cell, units=8, return_sequences=i < len(cells) - 1)
                   for i, cell in enumerate(cells))
    return RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=10, examples=300),
                     layers=layers, training=TrainingOptions(batch_size=32, epochs=2))


def test_each_book_cell_takes_its_measured_path_and_a_mixed_stack_the_common_one():
    for cell in ("SimpleRNN", "LSTM", "GRU"):
        assert choose_path(memory_config(cell)) == FASTEST_ON_CPU[cell]
    # A cell nobody measured yet (the peephole LSTM) keeps Keras's default, and drags its stack
    # with it: one process trains on one path.
    assert "PeepholeLSTM" not in FASTEST_ON_CPU
    assert choose_path(memory_config("PeepholeLSTM")) == KERAS_DEFAULT
    assert choose_path(memory_config("GRU", "PeepholeLSTM")) == KERAS_DEFAULT
    assert choose_path(memory_config("GRU", "LSTM")) == XLA
    # No GPU measurement yet: a GPU keeps Keras's default (cuDNN for LSTM and GRU).
    assert choose_path(memory_config("GRU"), gpu=True) == KERAS_DEFAULT


def test_the_paths_are_named_for_a_person():
    assert XLA.label == "XLA"
    assert KERAS_DEFAULT.label == "Keras default"
    assert ExecutionPath(xla=False, op_determinism=False).label == "Keras default, no op determinism"


TRAIN_IN_A_FRESH_PROCESS = """
import json, sys
import tensorflow as tf
from rnnlab.config import RunConfig
from rnnlab.trainer.models import keras_summary_text
from rnnlab.trainer.training import train

if sys.argv[2] == "deterministic-first":  # as after an earlier run on Keras's default path
    tf.config.experimental.enable_op_determinism()
model, result = train(RunConfig.from_json(sys.argv[1]))
print(json.dumps({"summary": keras_summary_text(model), "history": result["history"],
                  "path": result["execution_path"]}))
"""


def train_in_fresh_process(config: RunConfig, how: str) -> dict:
    out = subprocess.run([sys.executable, "-c", TRAIN_IN_A_FRESH_PROCESS, config.to_json(),
                          how], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_same_config_and_seed_give_the_same_curves_on_the_xla_path_and_the_same_model():
    config = memory_config("GRU")
    first, second = (train_in_fresh_process(config, "fresh") for _ in range(2))
    assert first["path"] == second["path"] == "XLA"
    assert first["history"] == second["history"]  # to the last bit
    # The same process told to keep deterministic kernels first cannot take XLA; the run's
    # details say so, and the model is the same model: same summary, nearly the same curves.
    default = train_in_fresh_process(config, "deterministic-first")
    assert default["path"] == "Keras default"
    assert default["summary"] == first["summary"]
    assert default["history"] != first["history"]
    for name, values in first["history"].items():
        assert abs(default["history"][name][0] - values[0]) < 0.02, name
