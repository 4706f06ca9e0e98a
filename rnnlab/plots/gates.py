"""Inside the cell: what the gates and states do at every timestep of one input.

Every figure here puts time on the x axis, labelled with what the network read at that step (the
word, or the reading's time), so a student can point at a word and see what the cell did there:

- `trace_heatmap`: one trace (a gate, the cell state, the hidden state) as a time x unit heatmap.
  Gates are sigmoids, so their colour scale is fixed from 0 to 1 and the title says what 1 means
  ("forget gate: 1 = keep the old cell state"); states are centred on 0.
- `mean_strip`: the mean over units of each gate at every timestep, one thin line per gate, to
  read under the words.
- `running_prediction`: what the model would answer if the input ended at step t (probability of
  "positive" for a review, the forecast for a weather window).
- `unit_traces`: every trace of one chosen unit over time (the drill-down).
- `saturation_scatter`: per unit, how often a gate is nearly shut (< 0.1) against how often it is
  nearly wide open (> 0.9), over a sample of inputs. Saturated gates act like switches.

Hovering a point says what its value means, in the cell registry's words (`Cell.meanings`:
"forget gate 0.93: keeps 93% of the old cell state"), the running prediction in its dataset's
(rnnlab.lessons.inside_datasets.VIEWS), and a saturation dot how its unit behaves
(rnnlab.lessons.meanings); rnnlab.plots.hover keeps the lines short.

Pure functions: arrays in, plotly Figure out; no Streamlit, no TensorFlow.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from rnnlab.cells import CELLS
from rnnlab.lessons.meanings import hover, saturation_words
from rnnlab.plots.hover import tooltip, wrap
from rnnlab.plots.theme import INK, readable

GATE_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e")
POSITIVE_COLOUR, NEGATIVE_COLOUR = "#2ca02c", "#d62728"


def _time_axis(figure: go.Figure, labels: Sequence[str], first_step: int) -> None:
    """Label the time axis with what was read at each step; thin the labels when there are many.

    Words and times are slanted to fit; single characters (a passage of text) stand upright,
    to be read as a line of text.
    """
    steps = np.arange(first_step, first_step + len(labels))
    every = max(1, int(np.ceil(len(labels) / 60)))
    characters = all(len(str(label)) <= 1 for label in labels)
    figure.update_xaxes(tickmode="array", tickvals=steps[::every],
                        ticktext=[str(label) for label in labels][::every],
                        tickangle=0 if characters else -60,
                        title_text="", range=[steps[0] - 0.5, steps[-1] + 0.5]
                        if len(steps) else None)


def is_gate(description: str) -> bool:
    """Whether a trace is a gate (a sigmoid between 0 and 1), from its description."""
    return "gate" in description.lower()


def trace_heatmap(values: np.ndarray, labels: Sequence[str], title: str, first_step: int = 0,
                  gate: bool = True, cell: str | None = None,
                  trace: str | None = None) -> go.Figure:
    """One trace over time and units: x = the steps (labelled), y = the units.

    A heatmap takes no clicks in Streamlit (st.plotly_chart's selection has no points for a
    Heatmap: streamlit issues 8760 and 15042), so an invisible marker sits on every cell: it
    carries the hover (the value, and what it means in words) and receives the click, whose
    point's x is the step and y the unit.

    Args:
        values: (T, U) array, the trace for the steps shown.
        labels: T strings, what the network read at each step (words or times).
        title: what the trace is and what its values mean, e.g. "forget gate (1 = keep)".
        first_step: the index of the first step shown (for hover text when windowing).
        gate: gates get a fixed 0..1 scale; states a scale centred on 0.
        cell, trace: the cell's registry name and the trace's name ("forget_gate"): the hover
            then says what the value means (rnnlab.cells.Cell.hover_meaning); else the value.
    Returns:
        A Figure with a Heatmap trace whose z is values transposed (units x steps), then a
        Scatter of invisible markers, one per cell, whose customdata is [value, label, step].
    """
    values = np.asarray(values, dtype=float)
    steps = np.arange(first_step, first_step + values.shape[0])
    units = np.arange(values.shape[1])
    if gate:
        scale = dict(zmin=0.0, zmax=1.0, colorscale="Viridis")
    else:
        bound = float(np.abs(values[np.isfinite(values)]).max(initial=0.0)) or 1.0
        scale = dict(zmin=-bound, zmax=bound, zmid=0.0, colorscale="RdBu_r")
    text = np.broadcast_to(np.asarray([str(label) for label in labels], dtype=object),
                           (values.shape[1], values.shape[0]))
    meaning = (CELLS[cell].hover_meaning(trace, "customdata[0]") if cell and trace
               else "%{customdata[0]:.3f}")
    figure = go.Figure(go.Heatmap(
        z=values.T, x=steps, y=units, colorbar=dict(thickness=14, nticks=3), hoverinfo="skip",
        **scale))
    grid_steps, grid_units = np.meshgrid(steps, units)  # (U, T), like z
    figure.add_trace(go.Scatter(
        x=grid_steps.ravel(), y=grid_units.ravel(), mode="markers", showlegend=False,
        marker=dict(symbol="square", size=8, color="rgba(0,0,0,0)"),
        # A hover label takes its trace's colour, here none: give it a white box and dark ink.
        hoverlabel=dict(bgcolor="white", bordercolor="#444444", font=dict(color=INK)),
        # Four decimals are more than the hover shows, and keep the page light on long inputs.
        customdata=np.stack([np.round(values.T.ravel(), 4).astype(object), text.ravel(),
                             grid_steps.ravel().astype(object)], axis=-1),
        hovertemplate=tooltip("step %{customdata[2]} (%{customdata[1]}), unit %{y}", meaning,
                              "click: see this step by hand, below the charts")))
    figure.update_layout(title=title, height=max(260, 150 + 9 * values.shape[1]),
                         margin=dict(t=50, b=20, l=60, r=10), hovermode="closest",
                         clickmode="event+select")
    figure.update_yaxes(title_text="unit", autorange="reversed")
    _time_axis(figure, labels, first_step)
    return readable(figure)


def mean_strip(traces: dict[str, np.ndarray], labels: Sequence[str],
               first_step: int = 0, *, cell: str) -> go.Figure:
    """The mean over units of each gate at every step, one line per gate, on a 0..1 axis.

    Args:
        traces: the cell's trace name (e.g. "forget_gate") -> (T, U) array, gates only.
        labels: T strings read at each step.
        cell: the layer's cell (rnnlab.cells): it names each gate and says what a value means.
    Returns:
        A Figure with one line per gate; its hover says the step, the word and what the mean
        means ("mean forget gate 0.91: keeps 91% of the old cell state").
    """
    figure = go.Figure()
    steps = np.arange(first_step, first_step + len(labels))
    for colour, (trace, values) in zip(GATE_COLOURS, traces.items()):
        units = np.asarray(values).shape[1]
        figure.add_trace(go.Scatter(
            x=steps, y=np.asarray(values).mean(axis=1), mode="lines",
            name=CELLS[cell].traces[trace], line=dict(color=colour, width=2.5), text=list(labels),
            # The step's number travels as customdata: the time axis names its ticks with the
            # words read, and plotly's %{x} would show that word, not the step.
            customdata=steps,
            hovertemplate=tooltip(f"at “%{{text}}” (step %{{customdata}}), mean over {units} "
                                  "units", "mean " + CELLS[cell].hover_meaning(trace, "y"))))
    # The legend sits under the chart (rnnlab.plots.theme), one row per gate: the chart grows
    # by those rows, so the lines keep their height.
    figure.update_layout(title="Each gate's mean over the units", height=300 + 28 * len(traces),
                         margin=dict(t=50, b=20, l=60, r=10))
    figure.update_yaxes(range=[0, 1], title_text="mean gate value")
    _time_axis(figure, labels, first_step)
    return readable(figure)


def running_prediction(values: Sequence[float], labels: Sequence[str], task: str,
                       first_step: int = 0, names: Sequence[str] = ("",),
                       extra: Sequence[Sequence[float]] = (), answer: str | None = None,
                       subject: str | None = None, meaning: str | None = None) -> go.Figure:
    """The model's answer if the input ended at each step; several runs can share the chart.

    Args:
        values: T numbers: a probability for task "binary", a forecast for "regression".
        labels: T strings read at each step.
        task: "binary" or "regression" (decides the axis and the 0.5 line).
        names: a legend name per line (the first for `values`, the rest for `extra`).
        extra: more lines of T values each (the same input through other runs).
        answer: what the values are, for the axis; default "P(positive)" for "binary",
            "forecast (normalized)" otherwise (e.g. "P(marked sum > 1)").
        subject: what the input is, for the title; default "review" for "binary", "window"
            otherwise (e.g. "sequence").
        meaning: what one value means, for the hover, as a template with {value} and {percent}
            (rnnlab.lessons.meanings), e.g. "P(positive) {value}: {percent} sure the review is
            positive" (rnnlab.lessons.inside_datasets.VIEWS); a default from `task` otherwise.
    """
    figure = go.Figure()
    steps = np.arange(first_step, first_step + len(labels))
    binary = task == "binary"
    so_far = f"{answer} so far" if answer else "P(positive) so far" if binary else "forecast so far"
    answer = answer or ("P(positive)" if binary else "forecast (normalized)")
    subject = subject or ("review" if binary else "window")
    meaning = meaning or (f"{answer} {{value}}: {{percent}} sure the answer is yes" if binary
                          else "forecast {value}: in standard deviations from the training mean")
    for i, line in enumerate([values, *extra]):
        name = names[i] if i < len(names) else f"run {i + 1}"
        figure.add_trace(go.Scatter(
            x=steps, y=np.asarray(line, dtype=float), mode="lines+markers",
            name=name or so_far, marker=dict(size=4),
            line=dict(width=3), text=list(labels), customdata=steps,
            hovertemplate=tooltip("after “%{text}” (step %{customdata})", hover(meaning),
                                  name=name)))
    if binary:
        figure.add_hline(y=0.5, line_dash="dot", line_color="#555555",
                         annotation_text="0.5: undecided", annotation_position="bottom right")
        figure.update_yaxes(range=[0, 1], title_text=answer)
        title = f"What the model would answer if the {subject} ended here"
    else:
        figure.update_yaxes(title_text=answer)
        title = f"What the model would forecast if the {subject} ended here"
    figure.update_layout(title=title, height=340 + (28 * (1 + len(extra)) if extra else 0),
                         margin=dict(t=50, b=20, l=60, r=10), showlegend=bool(extra))
    _time_axis(figure, labels, first_step)
    return readable(figure)


def unit_traces(traces: dict[str, np.ndarray], unit: int, labels: Sequence[str],
                first_step: int = 0, *, cell: str) -> go.Figure:
    """Every trace of one unit over time: gates on 0..1, states as they are.

    Args:
        traces: the cell's trace name (e.g. "cell_state") -> (T, U) array.
        unit: the unit to follow.
        cell: the layer's cell (rnnlab.cells): it names each trace, says which are gates and
            what a value of each means (the hover).
    """
    figure = go.Figure()
    steps = np.arange(first_step, first_step + len(labels))
    chosen = CELLS[cell]
    for colour, (trace, values) in zip(GATE_COLOURS * 2, traces.items()):
        figure.add_trace(go.Scatter(
            x=steps, y=np.asarray(values)[:, unit], mode="lines", name=chosen.traces[trace],
            text=list(labels), customdata=steps,
            line=dict(color=colour, width=2.5, dash=None if trace in chosen.gates else "dash"),
            hovertemplate=tooltip(f"unit {unit} at “%{{text}}” (step %{{customdata}})",
                                  chosen.hover_meaning(trace, "y"))))
    figure.update_layout(title=f"Unit {unit}, step by step (solid: gates, dashed: states)",
                         height=340 + 28 * len(traces), margin=dict(t=50, b=20, l=60, r=10))
    _time_axis(figure, labels, first_step)
    return readable(figure)


def saturation_scatter(groups: dict[str, tuple[np.ndarray, np.ndarray]],
                       sample_size: int) -> go.Figure:
    """Per unit: the share of steps a gate is nearly shut against the share it is nearly open.

    Args:
        groups: a legend name (e.g. "run 3 LSTM: forget gate") -> (share below 0.1, share above
            0.9), each a (U,) array of fractions between 0 and 1.
        sample_size: how many inputs the fractions were measured over (for the title).
    Returns:
        A Figure with one marker trace per group on 0..1 axes; the corners are labelled.
    """
    figure = go.Figure()
    for colour, (name, (low, high)) in zip(GATE_COLOURS * 4, groups.items()):
        figure.add_trace(go.Scatter(
            x=np.asarray(low), y=np.asarray(high), mode="markers", name=name,
            marker=dict(size=11, color=colour, opacity=0.75, line=dict(width=1, color="white")),
            customdata=[[unit, wrap(saturation_words(shut, wide_open))]
                        for unit, (shut, wide_open) in enumerate(zip(low, high))],
            hovertemplate=tooltip(f"{name}, unit %{{customdata[0]}}",
                                  "nearly shut (< 0.1) on %{x:.0%} of steps,",
                                  "nearly wide open (> 0.9) on %{y:.0%}:", "%{customdata[1]}")))
    figure.add_shape(type="line", x0=1, y0=0, x1=0, y1=1, line=dict(dash="dot", color="#999999"))
    for x, y, text, anchor in ((0.02, 0.02, "in between: a soft mix", "left"),
                               (0.98, 0.02, "mostly shut", "right"),
                               (0.02, 0.95, "mostly open", "left")):
        figure.add_annotation(x=x, y=y, text=text, showarrow=False, xanchor=anchor,
                              font=dict(color="#444444"))
    figure.update_layout(
        title=f"Gate saturation per unit, over {sample_size} inputs (each dot is a unit)",
        height=480 + 28 * len(groups), margin=dict(t=50, b=20, l=70, r=10))
    figure.update_xaxes(range=[-0.02, 1.02], tickformat=".0%",
                        title_text="share of steps nearly shut (gate < 0.1)")
    figure.update_yaxes(range=[-0.02, 1.02], tickformat=".0%",
                        title_text="share of steps nearly open (gate > 0.9)")
    return readable(figure)
