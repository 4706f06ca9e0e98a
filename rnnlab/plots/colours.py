"""One colour per cell on every chart, from the cell registry (rnnlab.cells).

A student who has seen SimpleRNN in red on the race chart should find it red on the gradient
chart and the sweep too, so the charts take a cell's colour from its registry entry, never from
their own list. A chart's lines are labelled with words such as "#4 SimpleRNN" or
"#7 imdb: LSTM(32) > GRU(16)"; `cells_named` finds the cells a label names, as whole words, so
"LSTM" is not found inside the name of another cell that merely contains it.
"""
from __future__ import annotations

import re

from rnnlab.cells import CELLS

# For lines that name no single cell: colours no cell uses.
OTHER_COLOURS = ("#9467bd", "#8c564b", "#e377c2", "#7f7f7f")

_CELL_WORD = re.compile(r"\b(" + "|".join(sorted(map(re.escape, CELLS), key=len, reverse=True))
                        + r")\b")


def cells_named(label: str) -> list[str]:
    """The registry's cells that `label` names, in the order they appear, each once.

    >>> cells_named("#7 imdb: LSTM(32) > GRU(16) > LSTM(8)")
    ['LSTM', 'GRU']
    """
    return list(dict.fromkeys(_CELL_WORD.findall(label)))


def colour_for(label: str, index: int) -> str:
    """A line's colour: the colour of the one cell its label names, else one of the others.

    Args:
        label: the line's label, e.g. "#4 SimpleRNN(32)".
        index: the line's position on the chart, to tell apart the lines that name no one cell.
    """
    named = cells_named(label)
    if len(named) == 1:
        return CELLS[named[0]].colour
    return OTHER_COLOURS[index % len(OTHER_COLOURS)]


def colours_by_cell(labels: list[str]) -> list[str] | None:
    """Cell colours for lines that differ by cell: each label names one cell, and no two the same.

    Returns:
        One colour per label, or None when the cell does not tell the lines apart (then the
        chart's own colour sequence should).
    """
    named = [cells_named(label) for label in labels]
    if any(len(cells) != 1 for cells in named) or len({cells[0] for cells in named}) < len(named):
        return None
    return [CELLS[cells[0]].colour for cells in named]
