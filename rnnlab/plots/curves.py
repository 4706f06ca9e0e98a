"""Training curves: one run live, or several runs side by side.

What the curves mean, in the words the charts use:
- "training, epoch so far": the running mean of the loss (or metric) over the batches of the
  current epoch, as Keras reports it while it trains. It restarts every epoch, so it saws up and
  down; it is not the loss of the latest batch.
- "training (whole epoch)" and "validation": one point per epoch. Validation is measured on
  examples the network never trains on; when it stops improving while training keeps improving,
  the network has started to memorise (overfit).

A weather run trains on normalized values and is scored by its mean absolute error (its loss is
that same MAE). Given the run's Scale (rnnlab.lessons.baseline) the charts draw both in the
target's unit (degrees C), with the common-sense baseline as a line from the first epoch on; an
axis title says the unit, or that the values stayed normalized because the record could not be
read.

A language model (text) is scored in bits per character: its charts carry the unigram and bigram
models' lines (rnnlab.lessons.text_baselines), and a validation point's hover says where it lies
against them.

Hovering a point says what its value means (rnnlab.lessons.meanings: "validation accuracy 0.86:
right on 86% of reviews it never trained on"), a weather run's validation error against the
baseline too.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from rnnlab.jobs.store import MetricRow
from rnnlab.lessons.baseline import Scale
from rnnlab.lessons.live import epoch_values, series
from rnnlab.lessons.meanings import against_baseline, against_char_lines, hover, score_meaning
from rnnlab.lessons.text_baselines import CharBaselines
from rnnlab.plots.colours import line_styles
from rnnlab.plots.hover import tooltip, wrap
from rnnlab.plots.theme import readable

METRIC_LABELS = {
    "accuracy": "accuracy (higher is better)",
    "mae": "mean absolute error, normalized (lower is better)",
    "loss": "loss (lower is better)",
    "bpc": "bits per character (lower is better)",
}
TRAIN_COLOUR, VALIDATION_COLOUR = "#1f77b4", "#d62728"
# Greys and a brown: none is a cell's colour (rnnlab.plots.colours), so a reference line is
# never read as a run (the second was GRU's green, drawn right beside the GRU's curve).
REFERENCE_COLOURS = ("#555555", "#8c564b", "#999999")


@dataclass(frozen=True)
class Reference:
    """A horizontal line to compare against: the book's figure, the common-sense baseline, chance."""

    label: str
    value: float


def metric_label(name: str, scale: Scale | None = None) -> str:
    """What a chart calls a metric, with its unit: "MAE (°C, lower is better)" for a weather
    run's MAE or loss (the same error) in its scale, "accuracy (higher is better)" otherwise."""
    if scale is not None and name in ("mae", "loss"):
        return f"{'loss = ' if name == 'loss' else ''}MAE ({scale.unit_words}, lower is better)"
    return METRIC_LABELS.get(name, name)


def references_for(dataset: str, scales: Sequence[Scale | None] = (),
                   lines: Sequence[CharBaselines | None] = ()) -> list[Reference]:
    """The lines worth drawing on a metric chart.

    Args:
        dataset: the runs' dataset.
        scales: for weather, the drawn runs' scales; each known baseline that reads differently
            is a line (runs on the same record and window share one).
        lines: for text, the drawn runs' unigram and bigram lines; drawn when the runs share
            them (the same corpus and split), else none, since each run has its own.
    """
    if dataset == "text":
        known = {line for line in lines if line is not None}
        return ([Reference(label, value) for label, value in known.pop().labels()]
                if len(known) == 1 else [])
    if dataset == "imdb":
        return [Reference("book: SimpleRNN 0.85", 0.85), Reference("book: LSTM 0.89", 0.89)]
    if dataset == "memory":  # half the sums are above 1: guessing scores 0.5 (rnnlab.data.synthetic)
        return [Reference("chance 0.5", 0.5),
                Reference("0.75: only the recent marked value remembered", 0.75)]
    baselines: dict[str, float] = {}  # one line per baseline as it reads: equal labels, one line
    for scale in scales:
        if scale is not None and scale.baseline is not None:
            baselines.setdefault(scale.baseline_label, scale.baseline)
    return [Reference(label, value) for label, value in baselines.items()]


def in_scale(values: list[float], scale: Scale | None) -> list[float]:
    """A curve's values in the run's scale (the target's unit); unchanged without a scale."""
    return scale.convert(values) if scale is not None else values


def add_references(figure: go.Figure, references: list[Reference], **where) -> None:
    """Draw each reference as a dotted horizontal line, named in the legend; `where` picks a
    subplot. A label on the line itself would sit on the very curves that are judged against it
    (a good run's validation curve runs along its baseline), where nobody can read it."""
    for colour, ref in zip(REFERENCE_COLOURS, references):
        line = dict(color=colour, dash="dot", width=3)
        figure.add_hline(y=ref.value, line=line, **where)
        # A line that draws nothing, for the legend entry (shapes have none of their own).
        figure.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=line, name=ref.label,
                                    hoverinfo="skip", legendgroup=ref.label), **where)


def scored(values: list[float], scale: Scale | None,
           lines: CharBaselines | None = None) -> list[str]:
    """Each validation error against the baseline, in words, for a hover's %{text} (a weather
    run whose scale knows its baseline; a text run's bits per character against its `lines`);
    empty words otherwise."""
    if lines is not None:
        return [wrap(against_char_lines(value, lines.unigram, lines.bigram)) for value in values]
    baseline = scale.baseline if scale is not None else None
    unit = scale.unit if scale is not None else ""
    return [wrap(against_baseline(value, baseline, unit)) for value in values]


def training_curves(rows: list[MetricRow], metric: str, references: list[Reference] = (),
                    scale: Scale | None = None, dataset: str | None = None,
                    lines: CharBaselines | None = None) -> go.Figure:
    """Loss (left) and the metric (right) of one run against batches trained.

    Args:
        rows: the run's metric rows.
        metric: its metric ("accuracy" or "mae").
        references: lines to draw on the metric's side.
        scale: a weather run's Scale: loss and MAE are drawn in its unit.
        dataset: the run's dataset, to name its examples in the hover ("reviews"); a metric
            "mae" means weather and "bpc" text when it is not given.
        lines: a text run's unigram and bigram lines: each validation point's hover says where
            its bits per character lie against them.
    """
    dataset = dataset or {"mae": "weather", "bpc": "text"}.get(metric)
    unit = scale.unit if scale is not None else None

    def meaning(name: str, part: str) -> str:
        return hover(score_meaning(name, part, dataset, unit))

    labels = (metric_label("loss", scale), metric_label(metric, scale))
    figure = make_subplots(rows=1, cols=2, horizontal_spacing=0.14, subplot_titles=labels)
    for col, name in ((1, "loss"), (2, metric)):
        first = col == 1
        running = series(rows, "batch", name)
        whole = series(rows, "epoch", name)
        validation = series(rows, "epoch", f"val_{name}")
        figure.add_trace(go.Scatter(
            x=running.steps, y=in_scale(running.values, scale), mode="lines",
            name="training, epoch so far", line=dict(color=TRAIN_COLOUR, width=1.5),
            opacity=0.45, legendgroup="running", showlegend=first, customdata=running.epochs,
            hovertemplate=tooltip("batch %{x}, epoch %{customdata}", meaning(name, "training"))),
            row=1, col=col)
        figure.add_trace(go.Scatter(
            x=whole.steps, y=in_scale(whole.values, scale), mode="lines+markers",
            name="training (whole epoch)", line=dict(color=TRAIN_COLOUR, width=3),
            marker=dict(size=10), legendgroup="train", showlegend=first, customdata=whole.epochs,
            hovertemplate=tooltip("end of epoch %{customdata}", meaning(name, "whole epoch"))),
            row=1, col=col)
        figure.add_trace(go.Scatter(
            x=validation.steps, y=in_scale(validation.values, scale), mode="lines+markers",
            name="validation", line=dict(color=VALIDATION_COLOUR, width=3),
            marker=dict(size=10, symbol="diamond"), legendgroup="val", showlegend=first,
            customdata=validation.epochs,
            text=scored(in_scale(validation.values, scale), scale, lines if col == 2 else None),
            hovertemplate=tooltip("end of epoch %{customdata}", meaning(name, "validation"),
                                  "%{text}" if judged(scale, lines if col == 2 else None)
                                  else "")), row=1, col=col)
        figure.update_xaxes(title_text="batches trained", row=1, col=col)
        if scale is not None:
            figure.update_yaxes(title_text=f"MAE ({scale.unit_words})", row=1, col=col)
    add_references(figure, list(references), row=1, col=2)
    figure.update_yaxes(rangemode="nonnegative", row=1, col=1)  # a loss is never below 0
    if not rows:  # a run that has started: its axes come before its first point
        note_first_point(figure)
    figure.update_layout(height=470, margin=dict(t=60, b=20, l=50, r=20), hovermode="closest")
    return readable(figure)


def note_first_point(figure: go.Figure) -> None:
    """Say on the empty loss chart (the left one) when its first point will come."""
    figure.add_annotation(text="The first point comes<br>after the first batch.",
                          xref="x domain", yref="y domain", x=0.5, y=0.5, showarrow=False,
                          bgcolor="white")


def judged(scale: Scale | None, lines: CharBaselines | None) -> bool:
    """Whether a validation point's hover says where it lies against a baseline (scored)."""
    return lines is not None or (scale is not None and scale.baseline is not None)


@dataclass(frozen=True)
class RunCurves:
    """What the comparison chart needs of one run."""

    label: str
    rows: list[MetricRow]
    scale: Scale | None = None   # a weather run's: its curves are drawn in the target's unit
    lines: CharBaselines | None = None  # a text run's unigram and bigram lines


def compare_curves(runs: list[RunCurves], metric: str,
                   references: list[Reference] = (), dataset: str | None = None) -> go.Figure:
    """The validation metric per epoch of several runs on one chart.

    A run whose label names one cell is drawn in that cell's colour (rnnlab.plots.colours), as on
    every page; runs of the same cell differ by their dash. A weather run is drawn in its own
    scale. `dataset` names the examples in the hover ("reviews"); a metric "mae" means weather
    and "bpc" text.
    """
    dataset = dataset or {"mae": "weather", "bpc": "text"}.get(metric)
    figure = go.Figure()
    for run, style in zip(runs, line_styles([run.label for run in runs])):
        values = in_scale(epoch_values(run.rows, f"val_{metric}"), run.scale)
        figure.add_trace(go.Scatter(
            x=list(range(1, len(values) + 1)), y=values, mode="lines+markers", name=run.label,
            line=dict(width=3, **style), marker=dict(size=9, color=style["color"]),
            text=scored(values, run.scale, run.lines),
            hovertemplate=tooltip(f"{run.label}: epoch %{{x}}", hover(score_meaning(
                metric, "validation", dataset, run.scale.unit if run.scale else None)),
                "%{text}" if judged(run.scale, run.lines) else "")))
    add_references(figure, list(references))
    figure.update_layout(
        height=520, margin=dict(t=40, b=20, l=60, r=20),
        xaxis=dict(title="epoch", dtick=1),
        yaxis=dict(title=f"validation {shared_label(metric, [run.scale for run in runs])}"))
    return readable(figure)


def shared_label(metric: str, scales: Sequence[Scale | None]) -> str:
    """The metric's label on an axis several runs share: in their unit when they all have the
    same one, else saying that each run is drawn in its own ("MAE (each run in its own unit:
    %, °C, lower is better)")."""
    units = sorted({scale.unit_words for scale in scales if scale is not None})
    if len(units) <= 1:
        return metric_label(metric, next((s for s in scales if s is not None), None))
    return f"MAE (each run in its own unit: {', '.join(units)}, lower is better)"
