"""The sequence-length sweep: its runs, which stored runs belong to it, its points and its chart."""
import dataclasses

import pytest

from rnnlab.config import LayerConfig, MemoryOptions, RunConfig, TrainingOptions
from rnnlab.config.presets import PRESETS
from rnnlab.jobs.store import Store
from rnnlab.lessons import sweep
from rnnlab.plots.gradients import sweep_chart

BASE = PRESETS["memory-quick"].config


def test_one_run_per_cell_and_length_with_everything_else_equal():
    configs = sweep.sweep_configs(BASE, [50, 10, 20, 10])
    assert [(c.memory.sequence_length, c.layers[0].cell) for c in configs] == [
        (10, "SimpleRNN"), (10, "LSTM"), (10, "GRU"), (20, "SimpleRNN"), (20, "LSTM"), (20, "GRU"),
        (50, "SimpleRNN"), (50, "LSTM"), (50, "GRU")]
    assert {c.training for c in configs} == {BASE.training}
    assert {c.memory.examples for c in configs} == {BASE.memory.examples}
    assert {c.layers[0].units for c in configs} == {16}
    assert all(sweep.same_sweep(BASE, c) for c in configs)


@pytest.mark.parametrize("config, lengths, words", [
    (RunConfig(), [10], "trains on the long-memory task"),
    (BASE, [], "at least one sequence length"),
    (BASE, [5, 10, 20, 30, 50, 75, 100], "at most 6 sequence lengths"),
    (BASE, [1], "Sequence length is 1"),
])
def test_a_sweep_that_cannot_run_says_why(config, lengths, words):
    with pytest.raises(ValueError, match=words):
        sweep.sweep_configs(config, lengths)


def test_a_run_belongs_to_the_sweep_when_only_its_length_and_cell_differ():
    assert sweep.same_sweep(BASE, sweep.with_length(BASE, 100))
    assert sweep.same_sweep(BASE, dataclasses.replace(BASE, layers=(LayerConfig(cell="GRU",
                                                                                units=16),)))
    other_seed = dataclasses.replace(BASE, training=dataclasses.replace(BASE.training, seed=2))
    more_units = dataclasses.replace(BASE, layers=(LayerConfig(cell="LSTM", units=32),))
    fewer_examples = dataclasses.replace(BASE, memory=MemoryOptions(50, examples=1000))
    mixed = dataclasses.replace(BASE, layers=(
        LayerConfig(cell="GRU", units=16, return_sequences=True), LayerConfig(cell="LSTM", units=16)))
    for config in (other_seed, more_units, fewer_examples, mixed, RunConfig()):
        assert not sweep.same_sweep(BASE, config)


def test_a_dense_run_is_no_point_of_a_sweep_and_a_dense_model_sweeps_the_cells():
    dense = dataclasses.replace(BASE, layers=(LayerConfig(cell="Dense", units=16),))
    assert not sweep.same_sweep(BASE, dense)
    configs = sweep.sweep_configs(dense, [10])
    assert [c.layers[0].cell for c in configs] == ["SimpleRNN", "LSTM", "GRU"]
    assert all(sweep.same_sweep(dense, c) and sweep.same_sweep(BASE, c) for c in configs)


def finished(store, config, best, status="done"):
    run_id = store.submit(config, "ada")
    store.claim(100)
    store.finish(run_id, status, result={"best_val_accuracy": best} if status == "done" else None)
    return run_id


def test_points_are_the_finished_runs_best_accuracy_newest_first(tmp_path):
    store = Store(tmp_path)
    configs = sweep.sweep_configs(BASE, [10, 50])
    for config, best in zip(configs, [0.99, 0.98, 0.97, 0.52, 0.93, 0.96]):
        finished(store, config, best)
    finished(store, configs[5], 0.91)                  # a retrained point: the newest counts
    finished(store, configs[0], None, status="failed")  # not a point
    finished(store, dataclasses.replace(configs[0], training=TrainingOptions(seed=9)), 0.1)
    members = sweep.sweep_runs(BASE, store.list())
    assert len(members) == 8
    assert sweep.sweep_points(members) == {"SimpleRNN": [(10, 0.99), (50, 0.52)],
                                           "LSTM": [(10, 0.98), (50, 0.93)],
                                           "GRU": [(10, 0.97), (50, 0.91)]}


def test_the_chart_draws_a_line_per_cell_with_the_two_landmarks():
    figure = sweep_chart({"SimpleRNN": [(50, 0.52), (10, 0.99)], "GRU": [(10, 0.97), (50, 0.96)]})
    assert [trace.name for trace in figure.data] == ["SimpleRNN", "GRU"]
    assert list(figure.data[0].x) == [10, 50] and list(figure.data[0].y) == [0.99, 0.52]
    assert [shape.y0 for shape in figure.layout.shapes] == [0.5, 0.75]
    assert "only the recent marked value" in figure.layout.annotations[1].text
    assert figure.layout.xaxis.type == "log" and list(figure.layout.xaxis.tickvals) == [10, 50]
    assert figure.layout.title.text.startswith("Who still remembers the start?")
