"""The sequence-length sweep: the three-cell race on the long-memory task, at several lengths.

The vanishing gradient predicts a shape, not a single number: as the lag between the clue and
the answer grows, a SimpleRNN should lose the clue before the gated cells do. The sweep measures
that shape. It takes one long-memory model (by default the "memory-quick" preset), and for every
chosen sequence length trains it once with each cell (rnnlab.lessons.race.race_configs), everything else
equal. The result is one line per cell: best validation accuracy against sequence length.

A sweep is nothing but runs in the store: which runs belong to it is decided by their configs
(`same_sweep`), so a reload, a second browser or a restarted server draws the same chart, and a
sweep point someone already trained is reused, not retrained (rnnlab.jobs.runs.submit_batch).
"""
from __future__ import annotations

import dataclasses

from rnnlab.cells import CELLS
from rnnlab.config import RunConfig
from rnnlab.config.presets import PRESETS
from rnnlab.jobs.store import Run
from rnnlab.lessons.race import RACE_CELLS, race_configs

# The presets a sweep can start from: those on the long-memory task (rnnlab.config.presets).
SWEEP_PRESETS = tuple(name for name, preset in PRESETS.items()
                      if preset.config.dataset == "memory")
DEFAULT_LENGTHS = (10, 20, 50, 100)
LENGTH_CHOICES = (5, 10, 20, 30, 50, 75, 100, 150, 200)
MAX_LENGTHS = 6  # 18 runs: a lesson's worth of waiting on two cores


def sweep_configs(config: RunConfig, lengths) -> list[RunConfig]:
    """The runs of a sweep: `config` at every length in `lengths`, once per cell.

    Args:
        config: a long-memory model (dataset "memory"); its sequence length and cells are replaced.
        lengths: the sequence lengths to measure, e.g. (10, 20, 50, 100).
    Returns:
        len(lengths) x 3 configs, shortest length first, cells in the order SimpleRNN, LSTM, GRU.
    Raises:
        ValueError: the model is not a long-memory model, no length or too many were chosen, or
            a length is not allowed for the task (rnnlab.config.ConfigError says why).
    """
    if config.dataset != "memory":
        raise ValueError("The sweep trains on the long-memory task: pick it on the Data page, or "
                         "start from the memory-quick preset.")
    lengths = sorted(set(int(length) for length in lengths))
    if not lengths:
        raise ValueError("Choose at least one sequence length to sweep.")
    if len(lengths) > MAX_LENGTHS:
        raise ValueError(f"Choose at most {MAX_LENGTHS} sequence lengths: each one trains three "
                         f"runs, and {3 * len(lengths)} runs would take too long for a lesson.")
    return [race_config for length in lengths
            for race_config in race_configs(with_length(config, length))]


def with_length(config: RunConfig, length: int) -> RunConfig:
    """`config` with the long-memory task's sequence length set to `length`."""
    return dataclasses.replace(config, memory=dataclasses.replace(config.memory,
                                                                  sequence_length=length))


def _skeleton(config: RunConfig) -> RunConfig:
    """What a sweep keeps fixed: the config with the length and the cells set to placeholders."""
    layers = tuple(dataclasses.replace(layer, cell=RACE_CELLS[0]) for layer in config.layers)
    return dataclasses.replace(with_length(config, 2), layers=layers)


def same_sweep(config: RunConfig, other: RunConfig) -> bool:
    """Whether `other` is a point of the sweep of `config`: a long-memory run that differs from
    it at most in the sequence length and the cell (the same for all its layers). A Dense run
    is no point of a sweep: the sweep trains the cells."""
    if config.dataset != "memory" or other.dataset != "memory" or other.is_feedforward:
        return False
    if len({layer.cell for layer in other.layers}) != 1:
        return False
    return _skeleton(config) == _skeleton(other)


def sweep_runs(config: RunConfig, candidates: list[Run]) -> list[Run]:
    """The runs among `candidates` that are points of the sweep of `config`."""
    return [run for run in candidates if same_sweep(config, run.config)]


def sweep_points(members: list[Run]) -> dict[str, list[tuple[int, float]]]:
    """Best validation accuracy by sequence length, per cell, from the finished sweep runs.

    Returns:
        cell -> [(sequence length, best validation accuracy)], lengths ascending, cells in the
        registry's order (those with a finished run only). Where a point was trained more than
        once, the newest run counts.
    """
    best: dict[tuple[str, int], tuple[float, float]] = {}
    for run in members:
        score = (run.result or {}).get("best_val_accuracy")
        if run.status != "done" or score is None:
            continue
        key = (run.config.layers[0].cell, run.config.memory.sequence_length)
        if key not in best or run.created > best[key][0]:
            best[key] = (run.created, float(score))
    return {cell: sorted((length, score) for (c, length), (_, score) in best.items() if c == cell)
            for cell in CELLS if any(c == cell for c, _ in best)}
