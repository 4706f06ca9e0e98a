"""Every chart on the Inside, Gradients and race pages (and the Train and Runs pages' curves)
explains its values when hovered.

The pages' figure functions are found by reading the pages (and the rnnlab.ui modules they use)
with `ast`, so a chart added to one of these pages is checked the day it is drawn. Each chart is
drawn from small inputs, and every trace a pointer can hover must say more than the bare number:
its hover, filled in for its first point as plotly would, must show the value and at least
`MEANING_WORDS` words besides the trace's own name, on lines that fit a 1024 px screen.
"""
import re
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

from rnnlab.cells import CELLS
from rnnlab.jobs.store import MetricRow
from rnnlab.lessons.baseline import Scale
from rnnlab.lessons.inside_datasets import VIEWS
from rnnlab.lessons.predictions import race_question, sweep_question, tally
from rnnlab.lessons.text_baselines import CharBaselines
from rnnlab.plots import characters, curves, gates, gradients, predictions
from tests.import_graph import attribute_uses, imports, sources
from tests.unit.plots.test_theme import figure_functions

ROOT = Path(__file__).resolve().parents[3]
PAGES = ("pages.inside", "pages.gradients", "pages.race", "pages.train", "pages.runs")
MEANING_WORDS = 6   # "step 3 (great): 0.912" has 1; "forget gate 0.93: keeps 93% of the old
#                     cell state" has 8 besides its number
LONGEST_LINE = 62   # characters of a filled-in hover line

LABELS = ["the", "movie", "was", "boring"]
ROWS = [MetricRow(i, kind, step, 1, name, value, 0.0) for i, (kind, step, name, value) in
        enumerate([("batch", 2, "loss", 0.7), ("batch", 2, "accuracy", 0.5),
                   ("batch", 2, "mae", 0.4), ("epoch", 4, "loss", 0.6),
                   ("epoch", 4, "accuracy", 0.6), ("epoch", 4, "mae", 0.35),
                   ("epoch", 4, "val_loss", 0.65), ("epoch", 4, "val_accuracy", 0.55),
                   ("epoch", 4, "val_mae", 0.3)], start=1)]
TEXT_ROWS = [MetricRow(i, kind, step, 1, name, value, 0.0) for i, (kind, step, name, value) in
             enumerate([("batch", 2, "loss", 2.9), ("batch", 2, "bpc", 4.2),
                        ("epoch", 4, "loss", 2.6), ("epoch", 4, "bpc", 3.8),
                        ("epoch", 4, "val_loss", 2.5), ("epoch", 4, "val_bpc", 3.6)], start=1)]
CELSIUS = Scale(8.0, "°C", 2.7)
TEXT_LINES = CharBaselines(4.54, 3.69)


def gate_charts(cell: str) -> list:
    """The Inside page's per-layer charts for one cell, as the page draws them."""
    traces = {name: np.full((4, 3), 0.8) for name in CELLS[cell].traces}
    drawn = [gates.unit_traces(traces, 1, LABELS, cell=cell)]
    if CELLS[cell].gates:
        drawn.append(gates.mean_strip({g: traces[g] for g in CELLS[cell].gates}, LABELS,
                                      cell=cell))
    return drawn


# Each figure function the three pages draw -> the figures it draws for them (every case whose
# hover differs: each cell, each dataset, weather with and without its scale).
CHARTS = {
    "gates.mean_strip": lambda: [f for cell in CELLS for f in gate_charts(cell)[1:]],
    "gates.unit_traces": lambda: [gate_charts(cell)[0] for cell in CELLS],
    "gates.trace_heatmap": lambda: [
        gates.trace_heatmap(np.full((4, 3), 0.8), LABELS, CELLS[cell].traces[trace], 2,
                            gate=trace in CELLS[cell].gates, cell=cell, trace=trace)
        for cell in CELLS for trace in CELLS[cell].traces],
    "characters.coloured_text": lambda: [
        characters.coloured_text('x = "a(b)"\n', np.linspace(-1, 1, 11), "Unit 3",
                                 CELLS[cell].hover_meaning(state, "z"), "inside quotes",
                                 np.zeros(11))
        for cell in CELLS for state in ("hidden", "cell_state") if state in CELLS[cell].traces],
    "gates.running_prediction": lambda: [
        gates.running_prediction([0.5, 0.6, 0.4, 0.23], LABELS, "binary", names=["#1", "#2"],
                                 extra=[[0.5, 0.5, 0.5, 0.5]], answer=view.axis,
                                 subject=view.subject, meaning=view.meaning)
        for view in VIEWS.values()],
    "gates.saturation_scatter": lambda: [gates.saturation_scatter(
        {"#1 forget gate": (np.array([0.1, 0.6]), np.array([0.7, 0.1]))}, 100)],
    "gradients.gradient_through_time": lambda: [gradients.gradient_through_time(
        [gradients.GradientLine("#1 SimpleRNN", np.array([0.0, 1e-6, 1e-3, 1e-1])),
         gradients.GradientLine("#2 LSTM", np.array([0.02, 0.03, 0.05]))], "after epoch 2")],
    "gradients.sweep_chart": lambda: [gradients.sweep_chart(
        {"SimpleRNN": [(10, 0.9), (50, 0.5)], "GRU": [(10, 0.95), (50, 0.9)]})],
    "gradients.race_curves": lambda: [
        gradients.race_curves([curves.RunCurves("#1 SimpleRNN", ROWS)], "accuracy",
                              curves.references_for("imdb"), 0.5, "imdb"),
        gradients.race_curves([curves.RunCurves("#2 GRU", ROWS, CELSIUS)], "mae",
                              curves.references_for("weather", [CELSIUS]), None, "weather"),
        gradients.race_curves([curves.RunCurves("#3 LSTM", ROWS, Scale(1.0, "", None))], "mae",
                              dataset="weather"),
        gradients.race_curves([curves.RunCurves("#4 GRU", TEXT_ROWS, lines=TEXT_LINES)], "bpc",
                              curves.references_for("text", lines=[TEXT_LINES]), None, "text")],
    "curves.training_curves": lambda: [
        curves.training_curves(ROWS, "accuracy", curves.references_for("imdb"), dataset="imdb"),
        curves.training_curves(ROWS, "mae", curves.references_for("weather", [CELSIUS]),
                               CELSIUS),
        curves.training_curves(TEXT_ROWS, "bpc", curves.references_for(
            "text", lines=[TEXT_LINES]), lines=TEXT_LINES)],
    "curves.compare_curves": lambda: [curves.compare_curves(
        [curves.RunCurves("#1 LSTM", ROWS), curves.RunCurves("#2 GRU", ROWS, CELSIUS)], "mae"),
        curves.compare_curves([curves.RunCurves("#3 GRU", TEXT_ROWS, lines=TEXT_LINES)], "bpc")],
    "predictions.guesses_chart": lambda: [
        predictions.guesses_chart(tally([], question, outcome), question, outcome)
        for question, outcome in ((race_question(("SimpleRNN", "LSTM", "GRU")), ("GRU",)),
                                  (sweep_question((10, 50)), ()))],
}


def drawn_by_the_pages() -> set[str]:
    """module.function of every figure function the three pages call, directly or through the
    rnnlab.ui modules they import."""
    modules = sources(ROOT)
    figures = figure_functions()
    readers = set(PAGES)
    for page in PAGES:
        readers |= {found.module for found in imports(ROOT, modules[page], modules)
                    if found.module.startswith("rnnlab.ui.")}
    used = set()
    for reader in readers:
        source = modules[reader]
        named = [(found.module, found.name) for found in imports(ROOT, source, modules)]
        named += [(use.module, use.attribute) for use in attribute_uses(ROOT, source, modules)]
        used |= {f"{module.split('.')[-1]}.{name}" for module, name in named
                 if module.startswith("rnnlab.plots.")}
    return used & figures


def filled(trace) -> str:
    """The trace's hover for its first point, as plotly fills it in: placeholders replaced by
    the point's values (numbers as they are), <br> as a new line, <extra> dropped."""
    def first(values):
        while isinstance(values, (list, tuple, np.ndarray)) and len(values):
            values = values[0]
        return values

    def value(match: re.Match) -> str:
        name, index, spec = match.groups()
        values = trace[name]
        point = first(values) if index is None else values[0][int(index)]
        if spec and isinstance(point, (int, float, np.number)):
            return format(float(point), spec)  # d3's ".2f", ".0%", ".3g" read as Python's
        return str(point)

    if trace.hovertemplate:
        text = re.sub(r"%\{(x|y|z|text|customdata)(?:\[(\d+)\])?(?::([^}]*))?\}", value,
                      trace.hovertemplate)
    else:
        text = str(first(trace.hovertext))
    return re.sub(r"<extra>.*?</extra>", "", text).replace("<br>", "\n")


def test_the_charts_checked_here_are_the_ones_the_pages_draw():
    assert drawn_by_the_pages() == set(CHARTS)


def hover_problems(trace, figure=None) -> list[str]:
    """What is wrong with a trace's hover, in words: none, no value, too few words, a long line,
    or %{x} on an axis whose ticks are named (plotly then shows the tick's name, a word, where
    the template meant the step's number)."""
    if not (trace.hovertemplate or trace.hovertext):
        return [f"{trace.name}: no hover"]
    words = filled(trace)
    problems = []
    if figure is not None and "%{x" in (trace.hovertemplate or ""):
        axis = figure.layout["xaxis" + (trace.xaxis or "x")[1:]]
        if axis.ticktext is not None and list(axis.ticktext) != [str(v) for v in axis.tickvals]:
            problems.append(f"{trace.name}: %{{x}} shows the tick's name on this axis")
    value = "%{z" if trace.type == "heatmap" else "%{y"
    if value not in (trace.hovertemplate or "") and not re.search(r"\d", words):
        problems.append(f"{trace.name}: no value in {words!r}")
    meaning = words.replace(trace.name or "\0", " ")
    if len(re.findall(r"[A-Za-z][A-Za-z'-]+", meaning)) < MEANING_WORDS:
        problems.append(f"{trace.name}: only the number, no meaning: {words!r}")
    longest = max(words.split("\n"), key=len)
    if len(longest) > LONGEST_LINE:
        problems.append(f"{trace.name}: a line too long for the screen: {longest!r}")
    return problems


@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_every_hoverable_trace_says_its_value_and_what_it_means(chart):
    traces = [(trace, figure) for figure in CHARTS[chart]() for trace in figure.data
              if trace.hoverinfo != "skip"]  # a reference line's legend entry: nothing to hover
    assert all(len(trace.x) for trace, _ in traces)  # every trace has a point to fill in
    assert traces
    assert [problem for trace, figure in traces for problem in hover_problems(trace, figure)] == []


def test_the_check_catches_a_bare_number_and_a_long_line():
    bare = go.Scatter(x=[3], y=[0.912], text=["great"], name="forget gate f (1 = keep)",
                      hovertemplate="forget gate f (1 = keep)<br>step %{x} (%{text}): %{y:.3f}")
    assert hover_problems(bare) == ["forget gate f (1 = keep): only the number, no meaning: "
                                    "'forget gate f (1 = keep)\\nstep 3 (great): 0.912'"]
    long = go.Scatter(x=[3], y=[0.5], hovertemplate="one line " * 10 + "%{y:.2f}")
    assert [p.split(":")[1] for p in hover_problems(long)] == [" a line too long for the screen"]
    assert hover_problems(go.Scatter(x=[1], y=[2])) == ["None: no hover"]
    named = go.Figure(go.Scatter(x=[3], y=[0.5], name="gate", hovertemplate="step %{x}: " + (
        "what the gate does at this step " + "%{y:.2f}")))
    named.update_xaxes(tickvals=[3], ticktext=["great"])
    assert hover_problems(named.data[0], named) == ["gate: %{x} shows the tick's name on this axis"]


def test_the_filled_hover_reads_as_the_lesson_means_it():
    (figure,) = CHARTS["gates.saturation_scatter"]()
    assert filled(figure.data[0]) == (
        "#1 forget gate, unit 0\nnearly shut (< 0.1) on 10% of steps,\n"
        "nearly wide open (> 0.9) on 70%:\nmostly wide open: it works like a switch left on")
