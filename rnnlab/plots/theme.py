"""Type for the back of the room: the one look every chart of the lab is drawn with.

A lab chart is read from the back of a classroom on a 1024x768 projector as often as at a desk.
Plotly's defaults (12 px text) and Streamlit's chart theme (tick labels of about 12 px in a light
grey) suit a laptop at arm's length, not a student ten metres away, so every figure function in
rnnlab.plots ends with `readable(figure)`:

- tick labels of at least 14 px (15 by default), in near-black ink on white;
- axis titles larger than the ticks, chart titles larger still;
- every other piece of text on the chart (subplot titles, labels on lines) at least as large as
  the ticks, and each axis's margin grown to fit its labels instead of cutting them off;
- the legend under the chart, in rows along the figure's bottom edge: a legend inside the
  plotting area covers the very lines it names (the Inside page's once hid the forget gate).

Presenter mode (rnnlab.ui.presenter) redraws the same figures with `PRESENTER` sizes (18 px
ticks) by calling `readable(figure, PRESENTER)` once more.

Why on the figure and not in a plotly template: Streamlit merges its own chart theme into the
figure's template in the browser, overwriting what a template says about fonts and colours. A
value set on the figure itself (on each axis, the title, the legend) wins over any template, so
that is where this module writes it.
"""
from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

INK = "#1a1a1a"          # text: near-black, the strongest contrast a projector keeps
GRID = "#d9d9d9"         # grid lines: visible, yet lighter than any curve
BACKGROUND = "white"     # also in Streamlit's dark theme: the ink stays readable


@dataclass(frozen=True)
class TypeSizes:
    """Font sizes in pixels for a chart's text, smallest to largest."""

    tick: int          # the numbers and words along an axis
    legend: int        # the names in the legend, and hover labels
    axis_title: int    # what an axis measures, e.g. "validation accuracy (higher is better)"
    title: int         # the chart's own title


ROOM = TypeSizes(tick=15, legend=15, axis_title=17, title=19)
PRESENTER = TypeSizes(tick=18, legend=18, axis_title=20, title=23)
SMALLEST_TICK = 14   # the least a tick label may be, for the tests and the browser check


def readable(figure: go.Figure, sizes: TypeSizes = ROOM) -> go.Figure:
    """Set every text element of `figure` to `sizes`, in dark ink on white; return the figure.

    Applied last by each figure function, so it overrides sizes the function set on its own.
    Calling it again with other sizes (presenter mode) replaces them and scales the chart's
    height by as much as the ticks grew (15 to 18 px: 1.2 times as tall); text that was deliberately
    larger than the ticks (a box's name on the model diagram) keeps its size unless that is now
    smaller than the ticks.

    Args:
        figure: any plotly figure, with or without axes, subplots, colour bars or annotations.
        sizes: ROOM for the page as it is, PRESENTER for the projector.
    Returns:
        The same figure, changed in place.
    """
    # Larger type needs a taller chart, or the labels under the axis (words on a time axis,
    # turned to read) eat the plotting area: the height grows with the ticks.
    drawn_at = figure.layout.xaxis.tickfont.size or ROOM.tick
    if figure.layout.height is not None:
        figure.layout.height = round(figure.layout.height * sizes.tick / drawn_at)
    figure.update_layout(
        font=dict(color=INK, size=sizes.tick),
        title_font=dict(color=INK, size=sizes.title),
        legend_font=dict(color=INK, size=sizes.legend),
        legend_title_font=dict(color=INK, size=sizes.legend),
        # A tooltip of several lines (rnnlab.plots.hover) reads from the left edge, in ink on
        # white: Streamlit's chart theme would otherwise draw it grey, right-aligned when the
        # label sits left of the point.
        hoverlabel=dict(font=dict(size=sizes.legend, color=INK), bgcolor=BACKGROUND,
                        align="left"),
        paper_bgcolor=BACKGROUND, plot_bgcolor=BACKGROUND,
        # The legend lies in rows along the bottom of the whole figure, under the axis labels,
        # where it covers no line; plotly grows the bottom margin to hold it.
        legend=dict(orientation="h", x=0, xanchor="left", yref="container", y=0,
                    yanchor="bottom"))
    axis = dict(tickfont=dict(color=INK, size=sizes.tick), gridcolor=GRID, automargin=True,
                title_font=dict(color=INK, size=sizes.axis_title), zerolinecolor=GRID)
    figure.update_xaxes(**axis)
    figure.update_yaxes(**axis)
    # Between the powers of ten a log axis writes its 2s and 5s at three quarters of the tick
    # size (11 px for 15); numbers written in full ("0.002", "1e-06") keep the full size.
    figure.for_each_xaxis(_full_size_log_labels)
    figure.for_each_yaxis(_full_size_log_labels)
    figure.update_traces(colorbar=dict(tickfont=dict(color=INK, size=sizes.tick)),
                         selector=dict(type="heatmap"))
    for annotation in figure.layout.annotations:
        size = annotation.font.size
        annotation.font.size = max(size or 0, sizes.tick)
        if annotation.font.color is None:
            annotation.font.color = INK
    return figure


def _full_size_log_labels(axis) -> None:
    """On a log axis whose ticks plotly places between the powers of ten, every label a number
    in full, at full size (an axis that ticks only the powers, dtick=1, is left as it is)."""
    if axis.type == "log" and axis.tickvals is None and axis.dtick is None:
        axis.tickformat = "~g"
