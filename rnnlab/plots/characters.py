"""One unit's value under the text it read: each character coloured by the unit, as in Karpathy,
Johnson and Fei-Fei, "Visualizing and understanding recurrent networks" (2015).

The passage is laid out as it reads, one row per line (a long line wraps at `WIDTH` characters),
and each character sits on a cell coloured by the unit's value just after reading it: red above
0, blue below, white near 0. A unit that tracks quotes turns a quoted stretch one colour; one that
counts along the line fades from left to right. Hovering a character says the value, what it
means, and the feature the unit was scored against.

Pure functions: arrays in, plotly Figure out; no Streamlit, no TensorFlow.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rnnlab.lessons.inside import character_label
from rnnlab.lessons.unit_finder import lines_of
from rnnlab.plots.hover import tooltip
from rnnlab.plots.theme import readable

WIDTH = 64       # characters in a row: readable at 1024 px wide, like a line of code
ROW_HEIGHT = 30  # pixels per row of text


def coloured_text(text: str, values, title: str, meaning: str, feature_name: str,
                  feature) -> go.Figure:
    """The characters of `text` on cells coloured by a unit's value after reading each.

    Args:
        text: T characters.
        values: T numbers, the unit's value after each character.
        title: what is shown, e.g. "Unit 7 of layer 1 (hidden state h)".
        meaning: what one value means, as a hover template with %{z} for the value, e.g.
            "hidden state %{z:.2f}: what this unit outputs at this step".
        feature_name, feature: the feature the unit was scored against and its T values.
    Returns:
        A Figure with one Heatmap: z is (rows, WIDTH) values (empty past a row's end), each
        cell's text its character (a newline as "⏎"), customdata [the character's label,
        its position in the passage, the feature's value as text].
    Raises:
        ValueError: values or feature do not hold one number per character.
    """
    rows, grid = lines_of(text, values, WIDTH)
    _, feature_grid = lines_of(text, feature, WIDTH)
    shown = np.full(grid.shape, "", dtype=object)
    where = np.full(grid.shape, -1, dtype=object)
    position = 0
    for row, row_text in enumerate(rows):
        for column, character in enumerate(row_text):
            shown[row, column] = "⏎" if character == "\n" else character
            where[row, column] = position
            position += 1
    finite = np.asarray(values, dtype=float)
    bound = float(np.abs(finite[np.isfinite(finite)]).max(initial=0.0)) or 1.0
    customdata = np.stack([
        np.vectorize(lambda c: character_label(c) if c else "", otypes=[object])(shown), where,
        np.vectorize(lambda v: "" if np.isnan(v) else f"{v:g}", otypes=[object])(feature_grid)],
        axis=-1)
    figure = go.Figure(go.Heatmap(
        # No text colour: plotly picks dark or light ink for each cell's colour.
        z=grid, x=np.arange(WIDTH), y=np.arange(len(rows)), text=shown, texttemplate="%{text}", textfont=dict(family="monospace", size=14),
        colorscale="RdBu_r", zmin=-bound, zmax=bound, zmid=0.0, ygap=3,
        colorbar=dict(thickness=14, nticks=3), customdata=customdata,
        hoverongaps=False,
        hovertemplate=tooltip("“%{customdata[0]}” (character %{customdata[1]} of the passage)",
                              meaning, f"{feature_name} here: %{{customdata[2]}}")))
    figure.update_layout(title=title, height=90 + ROW_HEIGHT * max(len(rows), 3),
                         margin=dict(t=50, b=10, l=10, r=10), plot_bgcolor="white")
    figure.update_xaxes(visible=False, range=[-0.5, WIDTH - 0.5])
    figure.update_yaxes(visible=False, autorange="reversed")
    return readable(figure)
