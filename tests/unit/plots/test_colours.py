"""One colour per cell on every chart, taken from the registry."""
import numpy as np

from rnnlab.cells import CELLS
from rnnlab.jobs.store import MetricRow
from rnnlab.plots.colours import (
    FEEDFORWARD_COLOUR,
    OTHER_COLOURS,
    cells_named,
    colour_for,
    line_styles,
)
from rnnlab.plots.curves import RunCurves, compare_curves
from rnnlab.plots.gradients import GradientLine, gradient_through_time, race_curves, sweep_chart

RED, BLUE, GREEN = (CELLS[name].colour for name in ("SimpleRNN", "LSTM", "GRU"))


def test_a_label_names_cells_as_whole_words():
    assert cells_named("#7 imdb: LSTM(32) > GRU(16) > LSTM(8)") == ["LSTM", "GRU"]
    assert cells_named("#4 SimpleRNN (epoch 3)") == ["SimpleRNN"]
    assert cells_named("#2 MyLSTM(8)") == [] and cells_named("LSTMs") == []


def test_a_line_takes_the_colour_of_the_one_cell_it_names():
    assert colour_for("#4 SimpleRNN(32)", 0) == RED
    assert colour_for("#5 GRU (epoch 2)", 3) == GREEN
    assert colour_for("#7 imdb: LSTM(32) > GRU(16)", 1) == OTHER_COLOURS[1]
    assert colour_for("baseline", 5) == OTHER_COLOURS[1]


def test_runs_of_one_cell_keep_its_colour_and_differ_by_their_dash():
    styles = line_styles(["#1 imdb: GRU(8)", "#2 imdb: SimpleRNN(8)", "#3 imdb: GRU(16)",
                          "#4 imdb: GRU(8) > LSTM(8)", "#5 imdb: GRU(32)"])
    assert styles == [{"color": GREEN, "dash": "solid"}, {"color": RED, "dash": "solid"},
                      {"color": GREEN, "dash": "dash"}, {"color": OTHER_COLOURS[3], "dash": "solid"},
                      {"color": GREEN, "dash": "dot"}]


def test_dense_is_named_and_has_its_own_colour_though_it_is_no_cell():
    assert "Dense" not in CELLS
    assert cells_named("#9 weather/nyc-jfk: Dense(32) > Dense(8)") == ["Dense"]
    assert cells_named("#9 imdb: dense_1") == [] and cells_named("Denser") == []
    assert colour_for("#9 Dense", 2) == FEEDFORWARD_COLOUR
    assert FEEDFORWARD_COLOUR not in {*OTHER_COLOURS, *(cell.colour for cell in CELLS.values())}
    assert [style["color"] for style in line_styles(["#1 imdb: GRU(8)", "#2 imdb: Dense(8)"])] \
        == [GREEN, FEEDFORWARD_COLOUR]


def rows(values):
    """Per epoch a batch loss and a validation accuracy."""
    return [MetricRow(id=0, kind=kind, step=epoch, epoch=epoch, name=name, value=value,
                      time=float(epoch))
            for epoch, value in enumerate(values, start=1)
            for kind, name in (("batch", "loss"), ("epoch", "val_accuracy"))]


def test_every_chart_that_tells_cells_apart_uses_the_registry_colours():
    race = [RunCurves(f"#{i} {cell}", rows([0.5, 0.6])) for i, cell in enumerate(CELLS, start=1)]
    colours = [cell.colour for cell in CELLS.values()]
    right = [t for t in race_curves(race, "accuracy").data if t.xaxis == "x2"]
    assert [t.line.color for t in right] == colours
    gradients = gradient_through_time(
        [GradientLine(f"#{i} {cell}", np.array([0.1, 1.0])) for i, cell in enumerate(CELLS)], "now")
    assert [t.line.color for t in gradients.data] == colours
    sweep = sweep_chart({cell: [(10, 0.9), (20, 0.8)] for cell in CELLS})
    assert [t.line.color for t in sweep.data] == colours
    compared = compare_curves([RunCurves(f"#{i} imdb: {cell}(8)", rows([0.5]))
                               for i, cell in enumerate(CELLS)], "accuracy")
    assert [t.line.color for t in compared.data] == colours
    race = [RunCurves(f"#{i} {name}", rows([0.5, 0.6])) for i, name in
            enumerate(("SimpleRNN", "Dense"), start=1)]
    right = [t for t in race_curves(race, "accuracy").data if t.xaxis == "x2"]
    assert [t.line.color for t in right] == [RED, FEEDFORWARD_COLOUR]
    gradients = gradient_through_time([GradientLine("#4 Dense", np.array([0.1, 1.0]))], "now")
    assert [t.line.color for t in gradients.data] == [FEEDFORWARD_COLOUR]
    same_cell = compare_curves([RunCurves(f"#{i} imdb: GRU({units})", rows([0.5]))
                                for i, units in enumerate((8, 16))], "accuracy")
    # Two runs of one cell, as the Runs page compares them: the cell's colour, two dashes.
    assert [(t.line.color, t.line.dash) for t in same_cell.data] == [(GREEN, "solid"),
                                                                     (GREEN, "dash")]
