"""Every chart of the lab, drawn from small inputs, reads from the back of the room."""
import importlib
import inspect
import pkgutil

import numpy as np
import pandas as pd
import pytest

import rnnlab.plots
from rnnlab.config import RunConfig
from rnnlab.config.search import SearchConfig
from rnnlab.data.spec import data_spec
from rnnlab.jobs.store import MetricRow, Trial
from rnnlab.network.summary import summarize
from rnnlab.lessons.predictions import race_question, tally
from rnnlab.plots import (
    characters,
    curves,
    data,
    gates,
    gradients,
    model,
    predictions,
    search,
    task_shape,
)
from rnnlab.plots.theme import INK, PRESENTER, ROOM, SMALLEST_TICK, readable

ROWS = [MetricRow(1, "batch", 2, 1, "loss", 0.7, 0.0),
        MetricRow(2, "epoch", 4, 1, "loss", 0.6, 0.0),
        MetricRow(3, "epoch", 4, 1, "accuracy", 0.6, 0.0),
        MetricRow(4, "epoch", 4, 1, "val_loss", 0.65, 0.0),
        MetricRow(5, "epoch", 4, 1, "val_accuracy", 0.55, 0.0)]
LABELS = ["the", "movie", "was", "great"]
GATES = {"input_gate": np.full((4, 3), 0.2), "forget_gate": np.full((4, 3), 0.9)}
TIMES = pd.date_range("2013-01-01", periods=200, freq="h").to_numpy()
VALUES = np.sin(np.arange(200) / 5.0)
SEARCH = SearchConfig(RunConfig())
TRIAL = Trial(1, 1, "01", {"layers": 1, "units_1": 32, "learning_rate": 0.01}, "completed",
              0.45, 3, 5.0, 0.0, None)
SEQUENCES = np.stack([np.full((2, 5), 0.5), np.array([[1, 0, 1, 0, 0]] * 2)], axis=-1)

# Every figure function of rnnlab.plots, called with small inputs.
FIGURES = {
    "curves.training_curves": lambda: curves.training_curves(ROWS, "accuracy"),
    "curves.compare_curves": lambda: curves.compare_curves(
        [curves.RunCurves("#1 LSTM", ROWS), curves.RunCurves("#2 GRU", ROWS)], "accuracy",
        curves.references_for("imdb")),
    "characters.coloured_text": lambda: characters.coloured_text(
        "f(x)\n", np.linspace(-1, 1, 5), "Unit 2", "hidden state %{z:.2f}", "inside brackets",
        np.array([0, 1, 1, 0, 0])),
    "gates.trace_heatmap": lambda: gates.trace_heatmap(np.full((4, 3), 0.5), LABELS, "forget gate"),
    "gates.mean_strip": lambda: gates.mean_strip(GATES, LABELS, cell="LSTM"),
    "gates.running_prediction": lambda: gates.running_prediction(
        [0.5, 0.6, 0.7, 0.9], LABELS, "binary", names=["#1", "#2"], extra=[[0.5, 0.4, 0.3, 0.2]]),
    "gates.unit_traces": lambda: gates.unit_traces(GATES, 1, LABELS, cell="LSTM"),
    "gates.saturation_scatter": lambda: gates.saturation_scatter(
        {"#1 LSTM: forget gate": (np.array([0.1, 0.2]), np.array([0.7, 0.1]))}, 10),
    "gradients.gradient_through_time": lambda: gradients.gradient_through_time(
        [gradients.GradientLine("#1 SimpleRNN", np.array([0.0, 1e-6, 1e-3, 1e-1]))], "before"),
    "gradients.gradient_through_time (less than two decades)": lambda:
        gradients.gradient_through_time(
            [gradients.GradientLine("#1 LSTM", np.array([0.02, 0.03, 0.05]))], "before"),
    "gradients.race_curves": lambda: gradients.race_curves(
        [curves.RunCurves("#1 SimpleRNN", ROWS), curves.RunCurves("#2 LSTM", ROWS)], "accuracy"),
    "gradients.sweep_chart": lambda: gradients.sweep_chart(
        {"SimpleRNN": [(10, 0.9), (50, 0.5)], "LSTM": [(10, 0.95), (50, 0.9)]}),
    "data.length_histogram": lambda: data.length_histogram([30, 120, 260, 600], 200),
    "data.character_frequencies": lambda: data.character_frequencies(
        ["␣", "e", "⏎", "t"], [0.2, 0.1, 0.05, 0.04]),
    "data.series_overview": lambda: data.series_overview(
        TIMES, VALUES, "°C", TIMES[50], TIMES[80], [("training", TIMES[0], TIMES[99])]),
    "data.weather_window": lambda: data.weather_window(
        TIMES, VALUES, TIMES[[40, 44, 48]], VALUES[[40, 44, 48]], TIMES[72], VALUES[72], "°C",
        step_hours=4, delay_hours=24),
    "data.memory_examples": lambda: data.memory_examples(SEQUENCES, np.array([1, 0])),
    "model.stack_diagram": lambda: model.stack_diagram(
        summarize(RunConfig(), data_spec(RunConfig())), (None, 500), "review (word ids)", "review"),
    "model.model_diagram": lambda: model.model_diagram(RunConfig()),
    "model.model_diagram (text)": lambda: model.model_diagram(RunConfig(dataset="text")),
    "task_shape.task_shape_diagram": lambda: task_shape.task_shape_diagram("many-to-one"),
    "task_shape.task_shape_diagram (many-to-many)": lambda:
        task_shape.task_shape_diagram("many-to-many"),
    "task_shape.task_shape_diagram (one-to-many)": lambda:
        task_shape.task_shape_diagram("one-to-many", output_words="next char"),
    "search.score_by_hyperparameter": lambda: search.score_by_hyperparameter([TRIAL], SEARCH),
    "predictions.guesses_chart": lambda: predictions.guesses_chart(
        tally([], race_question(("SimpleRNN", "LSTM", "GRU")), ("GRU",)),
        race_question(("SimpleRNN", "LSTM", "GRU")), ("GRU",)),
}


def figure_functions() -> set[str]:
    """module.function for every function in rnnlab.plots that is declared to return a Figure."""
    found = set()
    for info in pkgutil.iter_modules(rnnlab.plots.__path__):
        module = importlib.import_module(f"rnnlab.plots.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if (function.__module__ == module.__name__ and not name.startswith("_")
                    and inspect.signature(function).return_annotation == "go.Figure"
                    and name != "readable"):
                found.add(f"{info.name}.{name}")
    return found


def luminance(colour: str) -> float:
    """Relative luminance of a #rrggbb colour, 0 (black) to 1 (white) (WCAG 2)."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_figure_function_is_checked_here():
    assert figure_functions() == {name.split(" ")[0] for name in FIGURES}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_ticks_are_large_and_dark_and_titles_larger_still(name):
    figure = FIGURES[name]()
    axes = list(figure.select_xaxes()) + list(figure.select_yaxes())
    assert axes
    for axis in axes:
        assert axis.tickfont.size >= SMALLEST_TICK
        assert luminance(axis.tickfont.color) < 0.05  # near-black: white is 1, grey #999 is 0.32
        assert axis.title.font.size > axis.tickfont.size
        if axis.type == "log" and axis.tickvals is None:  # no 2s and 5s at 3/4 of the size
            assert axis.dtick == 1 or axis.tickformat == "~g"
    assert figure.layout.title.font.size > figure.layout.xaxis.title.font.size
    assert luminance(figure.layout.font.color) < 0.05
    hover = figure.layout.hoverlabel  # tooltips of several lines: ink on white, from the left
    assert (hover.align, hover.font.color, hover.bgcolor) == ("left", INK, "white")
    assert hover.font.size >= SMALLEST_TICK
    for annotation in figure.layout.annotations:  # subplot titles, labels on lines
        assert annotation.font.size >= SMALLEST_TICK
    for trace in figure.data:
        if trace.type == "heatmap":
            assert trace.colorbar.tickfont.size >= SMALLEST_TICK


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_the_legend_lies_under_the_chart_not_on_its_lines(name):
    legend = FIGURES[name]().layout.legend
    assert (legend.orientation, legend.yref, legend.y, legend.yanchor) == (
        "h", "container", 0, "bottom")


def test_presenter_sizes_are_larger_still_and_replace_the_rooms():
    figure = readable(gates.mean_strip(GATES, LABELS, cell="LSTM"), PRESENTER)
    assert figure.layout.xaxis.tickfont.size == PRESENTER.tick == 18
    assert figure.layout.yaxis.title.font.size == PRESENTER.axis_title > PRESENTER.tick
    assert figure.layout.title.font.size == PRESENTER.title > PRESENTER.axis_title
    assert figure.layout.legend.font.size == PRESENTER.legend
    assert PRESENTER.tick > ROOM.tick >= SMALLEST_TICK
    assert figure.layout.font.color == INK


def test_text_drawn_larger_than_the_ticks_on_purpose_keeps_its_size():
    figure = model.model_diagram(RunConfig())
    sizes = {a.name.split(":")[0]: a.font.size for a in figure.layout.annotations}
    assert sizes["more"] == 20 and sizes["shape"] == 16  # the "…" of a long sequence; shapes
    readable(figure, PRESENTER)
    assert {a.font.size for a in figure.layout.annotations if a.name.startswith("shape:")} == {18}
    assert {a.font.size for a in figure.layout.annotations if a.name.startswith("more:")} == {20}


def test_a_presented_chart_grows_as_much_as_its_type():
    figure = gates.mean_strip(GATES, LABELS, cell="LSTM")
    room_height = figure.layout.height
    readable(figure, PRESENTER)
    assert figure.layout.height == round(room_height * PRESENTER.tick / ROOM.tick)
    readable(figure, PRESENTER)  # drawn again at the same sizes: the height stays
    assert figure.layout.height == round(room_height * PRESENTER.tick / ROOM.tick)


def test_a_log_axis_labels_the_powers_of_ten_or_full_numbers_never_small_digits():
    wide = FIGURES["gradients.gradient_through_time"]()
    assert (wide.layout.yaxis.dtick, wide.layout.yaxis.exponentformat) == (1, "power")
    narrow = FIGURES["gradients.gradient_through_time (less than two decades)"]()
    assert narrow.layout.yaxis.dtick is None and narrow.layout.yaxis.tickformat == "~g"
