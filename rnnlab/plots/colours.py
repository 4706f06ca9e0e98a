"""One colour per cell on every chart, from the cell registry (rnnlab.cells).

A student who has seen SimpleRNN in red on the race chart should find it red on the gradient
chart and the sweep too, so the charts take a cell's colour from its registry entry, never from
their own list. A chart's lines are labelled with words such as "#4 SimpleRNN" or
"#7 imdb: LSTM(32) > GRU(16)"; `cells_named` finds the cells a label names, as whole words, so
"LSTM" is not found inside the name of another cell that merely contains it. Two runs of one cell
(two LSTM runs on the Runs page) keep the cell's colour and differ by their dash (`line_styles`).

The network with no memory ("#9 weather/nyc-jfk: Dense(32)") is not a cell of the registry, but
it races against the cells, so "Dense" is a name these functions know too, with a colour of its
own: a neutral dark grey, the plain model the coloured cells are measured against.
"""
from __future__ import annotations

import re

from rnnlab.cells import CELLS
from rnnlab.config import FEEDFORWARD

# For lines that name no single cell: colours no cell uses.
OTHER_COLOURS = ("#9467bd", "#8c564b", "#e377c2", "#7f7f7f")
# The Dense network's colour (rnnlab.config.FEEDFORWARD): no cell's, and none of the others.
FEEDFORWARD_COLOUR = "#333333"
# How the second, third, ... line of one colour is drawn (the first is solid).
DASHES = ("solid", "dash", "dot", "dashdot", "longdash")
# Every name a label may carry, and its colour: the registry's cells, then Dense.
NAMED_COLOURS = {**{name: cell.colour for name, cell in CELLS.items()},
                 FEEDFORWARD: FEEDFORWARD_COLOUR}

_CELL_WORD = re.compile(r"\b(" + "|".join(sorted(map(re.escape, NAMED_COLOURS), key=len,
                                                  reverse=True)) + r")\b")


def cells_named(label: str) -> list[str]:
    """The cells of the registry (and Dense) that `label` names, in the order they appear, each
    once.

    >>> cells_named("#7 imdb: LSTM(32) > GRU(16) > LSTM(8)")
    ['LSTM', 'GRU']
    """
    return list(dict.fromkeys(_CELL_WORD.findall(label)))


def colour_for(label: str, index: int) -> str:
    """A line's colour: the colour of the one cell (or Dense) its label names, else one of the
    others.

    Args:
        label: the line's label, e.g. "#4 SimpleRNN(32)".
        index: the line's position on the chart, to tell apart the lines that name no one cell.
    """
    named = cells_named(label)
    if len(named) == 1:
        return NAMED_COLOURS[named[0]]
    return OTHER_COLOURS[index % len(OTHER_COLOURS)]


def line_styles(labels: list[str]) -> list[dict]:
    """Each line's colour and dash: its cell's colour (colour_for), and when several lines share
    a colour (two LSTM runs), a different dash for each after the first, so they stay apart
    without a colour that would say "another cell".

    Returns:
        One plotly line dict per label, {"color": ..., "dash": ...}.
    """
    seen: dict[str, int] = {}
    styles = []
    for index, label in enumerate(labels):
        colour = colour_for(label, index)
        repeat = seen.get(colour, 0)
        seen[colour] = repeat + 1
        styles.append({"color": colour, "dash": DASHES[repeat % len(DASHES)]})
    return styles
