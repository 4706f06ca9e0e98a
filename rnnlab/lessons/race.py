"""The three-cell race: one model trained with SimpleRNN, with LSTM and with GRU, on equal terms.

Tutorials repeat a table ("GRU has fewer parameters and trains faster; LSTM remembers longer") as
received wisdom. The race measures it: the three runs share the data, the seed, the depth, the
units and every training option; only each layer's cell differs. Because the seed fixes the
random generator and the Embedding is built before the recurrent layers, the three models even
start from the same word vectors. The racers are the registry's cells that race by default
(rnnlab.cells: the book's three); `race_configs` races any other cell on request, and Dense, the
network with no memory (rnnlab.config.FEEDFORWARD), as a lane of its own: what it scores is what
the task gives without recurrence, so the gap to the cells is what recurrence buys. A Dense
racer drops the settings a dense layer does not have (bidirectional, recurrent dropout; the
config turns them off) and keeps everything else.

`race_table` turns the three finished runs into that familiar table, filled with measured
numbers: best validation score, test score, parameters, seconds per epoch, peak memory, and how
much gradient still reached the first step of the input at the end of training. On weather the
scores are in degrees C, and `race_verdicts` says of each racer whether it beat the common-sense
baseline.
"""
from __future__ import annotations

import dataclasses
from typing import Sequence

from rnnlab.cells import CELLS
from rnnlab.config import FEEDFORWARD, RunConfig
from rnnlab.jobs import runs
from rnnlab.jobs.artifacts import DamagedArtifact
from rnnlab.jobs.store import Run, Store
from rnnlab.lessons import baseline

# The cells a race trains unless told otherwise: SimpleRNN, LSTM and GRU, in teaching order.
RACE_CELLS = tuple(name for name, cell in CELLS.items() if cell.races_by_default)
GRADIENT_COLUMN = "gradient at the first step / at the last"


def race_configs(config: RunConfig, cells: Sequence[str] = RACE_CELLS) -> list[RunConfig]:
    """`config` once per cell, every layer switched to that cell.

    Args:
        config: the model to race.
        cells: the racing cells, in the order of the runs (by default RACE_CELLS); "Dense" races
            the network with no memory.
    Returns:
        One config per cell.
    Raises:
        ValueError: a name that is neither a cell of the registry nor Dense
            (rnnlab.config.ConfigError says so).
    """
    return [dataclasses.replace(config, layers=tuple(dataclasses.replace(layer, cell=cell)
                                                     for layer in config.layers))
            for cell in cells]


def same_race(config: RunConfig, other: RunConfig) -> bool:
    """Whether `other` could have raced `config`: the same config once every layer's cell is the
    same. Where either is a Dense network, the settings a dense layer does not have are left out
    of the comparison (by making both Dense)."""
    placeholder = (FEEDFORWARD if config.is_feedforward or other.is_feedforward
                   else RACE_CELLS[0])

    def cells_erased(c: RunConfig) -> RunConfig:
        return dataclasses.replace(c, layers=tuple(dataclasses.replace(layer, cell=placeholder)
                                                   for layer in c.layers))
    return cells_erased(config) == cells_erased(other)


def first_step_gradient(run_id: int, store: Store | None = None) -> float | None:
    """|| dLoss/dx_1 || relative to || dLoss/dx_T || at the run's last gradient record.

    Raises:
        rnnlab.jobs.artifacts.DamagedArtifact: the finished run's gradient records are damaged.
    """
    records = runs.gradient_records(run_id, store)
    if records is None or not len(records.epochs):
        return None
    last = records.norms[-1]
    return float(last[0] / last[-1]) if last[-1] > 0 else None


def race_table(racers: list[Run], store: Store | None = None) -> list[dict]:
    """One row per racer, the scores blank until it has finished.

    A weather race's MAE columns are in the target's unit ("best validation MAE (°C)"), from each
    finished racer's result (rnnlab.lessons.baseline). A racer whose gradient records are damaged
    says so in its status, and its gradient is blank. `column_formats` says how to show each
    number.
    """
    scales = [baseline.scale_from_result(run.result) for run in racers]
    unit = next((f" ({scale.unit})" for scale in scales if scale is not None), "")
    rows = []
    for run, scale in zip(racers, scales):
        result = run.result or {}
        metric = run.config.metric
        status, gradient = run.status, None
        try:
            gradient = first_step_gradient(run.id, store) if result else None
        except DamagedArtifact as err:
            status = f"{run.status}: {err}"
        label = f"MAE{unit}" if metric == "mae" else metric
        factor = scale.factor if scale is not None else 1.0  # weather: into the target's unit
        best, test = (result.get(f"{key}_{metric}") for key in ("best_val", "test"))
        rows.append({
            "cell": run.config.layers[0].cell,
            "run": run.id,
            "status": status,
            f"best validation {label}": best * factor if best is not None else None,
            f"test {label}": test * factor if test is not None else None,
            "parameters": result.get("params"),
            "seconds per epoch": result.get("seconds_per_epoch"),
            "peak memory (MB)": result.get("peak_memory_mb"),
            GRADIENT_COLUMN: gradient,
        })
    return rows


def column_formats(table: list[dict]) -> dict[str, str]:
    """How each number column of a race table reads for people, as printf formats.

    Accuracy to three decimals, an MAE in degrees C to two, seconds to one, memory in whole MB,
    parameters with thousands separators ("localized"), the gradient ratio in powers of ten.
    """
    formats = {"parameters": "localized", "seconds per epoch": "%.1f",
               "peak memory (MB)": "%.0f", GRADIENT_COLUMN: "%.2e"}
    for column in (table[0] if table else {}):
        if "accuracy" in column:
            formats[column] = "%.3f"
        elif "MAE" in column:
            formats[column] = "%.2f"
    return formats


def race_verdicts(racers: list[Run]) -> list[str]:
    """For each finished weather racer, its cell and id ("GRU (#4): ") and the sentence judging it
    against the common-sense baseline (rnnlab.lessons.baseline.run_verdict); nothing for other
    datasets."""
    lines = []
    for run in racers:
        judged = baseline.run_verdict(run.result, run.config)
        if judged is not None:
            lines.append(f"{run.config.layers[0].cell} (#{run.id}): {judged.sentence}")
    return lines
