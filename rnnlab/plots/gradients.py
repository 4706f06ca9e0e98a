"""The vanishing gradient, the three-cell race and the sequence-length sweep, as figures.

- `gradient_through_time`: || dLoss/dx_t || against the distance from the end of the sequence
  (0 = the last step, the one nearest the loss), on a log scale, one line per run. A gradient that
  fell below what float32 can hold is exactly 0 and has no place on a log axis, so those steps are
  drawn as crosses on the chart's floor and named in the legend.
- `race_curves`: the training loss of each run as it trains (the running mean of the epoch, per
  batch) next to its validation metric per epoch, one colour per cell (rnnlab.plots.colours);
  weather racers in degrees C, with the common-sense baseline drawn from the first epoch.
- `sweep_chart`: best validation accuracy against sequence length, one line per cell, with the
  long-memory task's two landmarks: chance (0.5) and "only the recent value" (0.75).

Every point's hover says what its value means (rnnlab.lessons.meanings): how much of the last
step's gradient still reaches a step and what that does to learning, what a score means on
examples the network never trained on (in degrees C against the baseline for weather), where a
sweep point stands against the long-memory task's landmarks.

Pure functions: arrays in, plotly Figure out; no Streamlit, no TensorFlow.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from rnnlab.lessons.live import epoch_values, series
from rnnlab.lessons.meanings import gradient_reach, hover, memory_verdict, score_meaning
from rnnlab.plots.colours import colour_for, line_styles
from rnnlab.plots.curves import (Reference, RunCurves, add_references, in_scale, judged,
                                 note_first_point, scored, shared_label)
from rnnlab.plots.hover import tooltip, wrap
from rnnlab.plots.theme import readable


@dataclass(frozen=True)
class GradientLine:
    """One run's gradient through time at one record."""

    label: str            # e.g. "#4 SimpleRNN(32)"
    norms: np.ndarray     # (T,) mean || dLoss/dx_t ||, t = 0 the first step


def gradient_through_time(lines: list[GradientLine], when: str) -> go.Figure:
    """Gradient size against the distance from the end, log scale, one line per run.

    Args:
        lines: the runs to draw.
        when: what the record is, for the title ("before training", "after epoch 5").
    Returns:
        A Figure: per run a line over the steps with a gradient above 0 and, if any step's
        gradient vanished below float32's range, a marker trace "... below float32" on the floor.
    """
    figure = go.Figure()
    positive = [line.norms[line.norms > 0] for line in lines]
    low = min((float(p.min()) for p in positive if p.size), default=1e-8)
    floor = low / 10
    for line, style in zip(lines, line_styles([line.label for line in lines])):
        norms = np.asarray(line.norms, dtype=float)
        distance = np.arange(len(norms))[::-1]  # step t is T-1-t steps before the end
        colour = style["color"]
        shown = norms > 0
        # Each step's gradient as a share of the last step's (the one nearest the loss), in
        # words; the strongest step stands in when the last step's gradient is 0 itself.
        last = norms[-1] if len(norms) and norms[-1] > 0 else norms.max(initial=0.0)
        reference = "the last step" if len(norms) and norms[-1] > 0 else "the strongest step"
        reach = [wrap(gradient_reach(norm / last if last > 0 else 0.0, reference))
                 for norm in norms[shown]]
        figure.add_trace(go.Scatter(
            x=distance[shown], y=norms[shown], mode="lines+markers", name=line.label,
            line=dict(width=3, **style), marker=dict(size=5), customdata=reach,
            hovertemplate=tooltip(f"{line.label}: %{{x}} steps before the end",
                                  "gradient size %{y:.3g}", "%{customdata}")))
        if (~shown).any():
            figure.add_trace(go.Scatter(
                x=distance[~shown], y=np.full((~shown).sum(), floor), mode="markers",
                name=f"{line.label}: below float32 (exactly 0)",
                marker=dict(color=colour, symbol="x", size=9),
                hovertemplate=tooltip(f"{line.label}: %{{x}} steps before the end",
                                      "gradient size below what float32 can hold",
                                      gradient_reach(0.0))))
    figure.update_layout(
        title=f"How much of the error reaches each step, {when}", height=480,
        margin=dict(t=60, b=60, l=80, r=20), hovermode="closest")
    figure.update_xaxes(title_text="steps before the end of the sequence (0 = the last step)")
    figure.update_yaxes(type="log", title_text="gradient size || dLoss / dx_t ||")
    top = max((float(p.max()) for p in positive if p.size), default=1.0)
    if top / floor >= 100:  # two decades or more: label the powers of ten alone, as 10^-6
        figure.update_yaxes(dtick=1, exponentformat="power")
    return readable(figure)


def race_curves(curves: list[RunCurves], metric: str, references: list[Reference] = (),
                chance: float | None = None, dataset: str | None = None,
                epochs: int | None = None) -> go.Figure:
    """Each racer's training loss as it trains (left) and its validation metric per epoch (right).

    Args:
        curves: the racers; a weather racer's scale puts its loss and MAE in the target's unit.
        metric: the racers' metric.
        references: lines to draw on the validation side (the baseline for weather).
        chance: a classification's accuracy by guessing, drawn as a line too unless a reference
            already marks it (the long-memory task's "chance 0.5").
        dataset: the racers' dataset, for the hover's words ("right on 86% of reviews it never
            trained on"); a metric "mae" means weather and "bpc" text when it is not given.
        epochs: the race's length: its epoch axis spans it from the start, so the class sees
            how far the race goes and the curves grow into a fixed frame (an axis with no point
            yet would run from epoch -1 to 6, and rescale at every epoch after).
    """
    dataset = dataset or {"mae": "weather", "bpc": "text"}.get(metric)
    if chance is not None and all(abs(ref.value - chance) > 1e-9 for ref in references):
        references = [Reference(f"chance {chance:g}", chance), *references]
    scales = [run.scale for run in curves]
    figure = make_subplots(rows=1, cols=2, horizontal_spacing=0.14, subplot_titles=(
        # On two lines each: side by side at 1024 px, one-line titles run into each other.
        f"training {shared_label('loss', scales)},<br>running mean of the epoch",
        f"validation<br>{shared_label(metric, scales)}"))
    for run, style in zip(curves, line_styles([run.label for run in curves])):
        unit = run.scale.unit if run.scale is not None else None
        running = series(run.rows, "batch", "loss")
        figure.add_trace(go.Scatter(
            x=running.steps, y=in_scale(running.values, run.scale), mode="lines", name=run.label,
            legendgroup=run.label, line=dict(width=2, **style), customdata=running.epochs,
            hovertemplate=tooltip(f"{run.label}: batch %{{x}}, epoch %{{customdata}}",
                                  hover(score_meaning("loss", "training", dataset, unit)))),
            row=1, col=1)
        values = in_scale(epoch_values(run.rows, f"val_{metric}"), run.scale)
        figure.add_trace(go.Scatter(
            x=list(range(1, len(values) + 1)), y=values, mode="lines+markers", name=run.label,
            legendgroup=run.label, showlegend=False, line=dict(width=3, **style),
            marker=dict(size=9), text=scored(values, run.scale, run.lines),
            hovertemplate=tooltip(f"{run.label}: epoch %{{x}}",
                                  hover(score_meaning(metric, "validation", dataset, unit)),
                                  "%{text}" if judged(run.scale, run.lines) else "")),
            row=1, col=2)
    add_references(figure, list(references), row=1, col=2)
    figure.update_xaxes(title_text="batches trained", row=1, col=1)
    figure.update_xaxes(title_text="epoch", dtick=1, row=1, col=2)
    if epochs:
        figure.update_xaxes(range=[0.5, epochs + 0.5], row=1, col=2)
    if not any(run.rows for run in curves):  # the race has started: axes before its first point
        note_first_point(figure)
    figure.update_layout(height=460, margin=dict(t=85, b=50, l=60, r=20))
    return readable(figure)


def sweep_chart(points: dict[str, list[tuple[int, float]]], metric: str = "accuracy") -> go.Figure:
    """Best validation score against sequence length, one line per cell.

    Args:
        points: cell -> [(sequence length, best validation score)], any order.
        metric: the score (the long-memory task's accuracy); for accuracy the hover also says
            where a point stands against the task's landmarks (chance 0.5, 0.75).
    """
    figure = go.Figure()
    meaning = "best " + hover(score_meaning(metric, "validation", "memory"))
    for index, (cell, pairs) in enumerate(points.items()):
        pairs = sorted(pairs)
        verdicts = [wrap(memory_verdict(score)) if metric == "accuracy" else ""
                    for _, score in pairs]
        figure.add_trace(go.Scatter(
            x=[length for length, _ in pairs], y=[score for _, score in pairs],
            mode="lines+markers", name=cell, line=dict(color=colour_for(cell, index), width=3),
            marker=dict(size=10), customdata=verdicts,
            hovertemplate=tooltip(f"{cell}, sequence length %{{x}}", meaning, "%{customdata}")))
    if metric == "accuracy":
        figure.add_hline(y=0.5, line_dash="dot", line_color="#555555",
                         annotation_text="chance: 0.5", annotation_position="bottom right")
        figure.add_hline(y=0.75, line_dash="dash", line_color="#999999",
                         annotation_text="0.75: only the recent marked value remembered",
                         annotation_position="top right")
        figure.update_yaxes(range=[0.4, 1.02])
    figure.update_layout(
        # Two lines: at a 1024 px projector one line was cut off at "sequence len".
        title="Who still remembers the start?<br>Best validation accuracy by sequence length",
        height=460, margin=dict(t=80, b=60, l=70, r=20))
    lengths = sorted({length for pairs in points.values() for length, _ in pairs})
    figure.update_xaxes(title_text="sequence length (steps the first marked value must be kept)",
                        type="log", tickvals=lengths, ticktext=[str(n) for n in lengths])
    figure.update_yaxes(title_text=f"best validation {metric}")
    return readable(figure)
