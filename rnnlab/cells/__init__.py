"""The cell registry: every recurrent cell the lab knows, one module per cell, one place per cell.

A cell's module (simple_rnn.py, lstm.py, gru.py, ...) teaches its equations and defines one
`Cell` (rnnlab.cells.cell): its names, its NumPy step with the labels of its gates and states,
its parameter formula, its Keras layer and the code that builds it, its colour. `CELLS` lists
them in teaching order, and everything else reads them from there: the config's allowed cells,
the Build page's menu and summary, the generated code, the trainer's layers, the replay of a
trained model's gates, the race and the charts.

Adding a cell is one new module and one line in `CELLS`; the tests that iterate the registry then
hold the new cell against Keras (parameter counts, replayed gates, generated code). Dense, the
network with no memory that races against the cells, is not a cell and not in this registry (it
has no step, gates or states): see rnnlab.config.options.FEEDFORWARD.

This package imports NumPy only, never Keras or TensorFlow: the web process reads it.
"""
from __future__ import annotations

from rnnlab.cells import gru, lstm, peephole_lstm, simple_rnn
from rnnlab.cells.cell import Cell
from rnnlab.cells.maths import ACTIVATIONS, sigmoid

__all__ = ["ACTIVATIONS", "CELLS", "Cell", "sigmoid"]

# Every cell, in teaching order, by name.
CELLS: dict[str, Cell] = {cell.name: cell for cell in (
    simple_rnn.CELL,
    lstm.CELL,
    gru.CELL,
    peephole_lstm.CELL,
)}
