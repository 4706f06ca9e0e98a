"""The Build page's panels: the model summary as a table, and the shape of the task, drawn.

The summary's rows come from rnnlab.network.summary (worked out without TensorFlow); the table
writes each count with its formula, numbers filled in, and says what each layer does. The shape of
the task (rnnlab.lessons.task_shapes) names where the answers come out, many-to-one,
many-to-many or one-to-many, in a sentence beside its unrolled diagram
(rnnlab.plots.task_shape).

Both diagrams are made once per setting and shared by every tab (`model_figure`,
`shape_figure`, st.cache_resource as in rnnlab.ui.loaders): building one validates each of its
dozens of shapes and labels through plotly's graph objects, 0.06-0.09 s of the page's script,
the same figure every time for the same setting. A shared figure is never changed:
presenter.chart enlarges a copy.
"""
from __future__ import annotations

import dataclasses

import plotly.graph_objects as go
import streamlit as st

from rnnlab.config import RunConfig
from rnnlab.lessons.task_shapes import task_shapes
from rnnlab.network.summary import SummaryRow
from rnnlab.plots.model import model_diagram
from rnnlab.plots.task_shape import SHAPES, task_shape_diagram
from rnnlab.ui import frame, presenter


def table_row(row: SummaryRow) -> dict[str, str]:
    """One summary row in the words of the table: numbers filled in, then the formula."""
    numbers, _, symbols = row.formula.partition("  [")
    count = f"**{row.params:,}**" + ("" if numbers == str(row.params) else f" = {numbers}")
    if row.recurrent:
        sequence = len(row.output_shape) == 3
        row = dataclasses.replace(row, note="; ".join(filter(None, [
            "returns h_t at every timestep" if sequence else "returns only its last state h_T",
            row.note])))
    return {"layer (type)": f"{row.name} ({row.kind})", "output shape": str(row.output_shape),
            "parameters": count.replace(" x ", " × "),
            "formula": symbols.rstrip("]").replace(" x ", " × "), "what it does": row.note}


def summary_table(rows: list[SummaryRow]) -> None:
    """The summary rows as a table of prose, bottom layer first."""
    frame.text_table([table_row(row) for row in rows])


def task_shape(config: RunConfig) -> None:
    """The shape of the config's task: a sentence and an unrolled diagram per shape, side by
    side (the language model has two: many-to-many while it trains, one-to-many as it writes)."""
    st.subheader("The shape of the task")
    shapes = task_shapes(config)
    if len(shapes) == 1:  # one shape: its diagram beside its sentence
        ((shape, sentence),) = shapes
        left, right = st.columns(2, vertical_alignment="center")
        with left:
            presenter.chart(shape_figure(shape), config={"displayModeBar": False},
                            key=f"build_shape_{shape}")
        right.markdown(sentence)
        return
    for column, (shape, sentence) in zip(st.columns(len(shapes)), shapes):
        with column:  # the diagrams first, so that they line up whatever the sentences' lengths
            presenter.chart(shape_figure(shape), config={"displayModeBar": False},
                            key=f"build_shape_{shape}")
            st.markdown(sentence)


@st.cache_resource(max_entries=64, show_spinner=False)
def model_figure(config: RunConfig) -> go.Figure:
    """model_diagram(config), made once per model for the whole server: to read, never change."""
    return model_diagram(config)


@st.cache_resource(max_entries=len(SHAPES), show_spinner=False)
def shape_figure(shape: str) -> go.Figure:
    """task_shape_diagram(shape), made once for the whole server: to read, never change."""
    return task_shape_diagram(shape)
