"""The race chart of weather racers: their loss and validation MAE in degrees C, against the
common-sense baseline drawn from the first epoch (the other figures: test_colours.py)."""
from rnnlab.jobs.store import MetricRow
from rnnlab.lessons.baseline import Scale
from rnnlab.plots.curves import RunCurves, references_for
from rnnlab.plots.gradients import race_curves

CELSIUS = Scale(8.0, "°C", 2.7)


def first_epoch(loss, val_mae):
    return [MetricRow(1, "batch", 2, 1, "loss", loss, 0.0),
            MetricRow(2, "epoch", 4, 1, "val_mae", val_mae, 0.0)]


def test_weather_racers_are_drawn_in_degrees_against_the_baseline():
    racers = [RunCurves("#1 SimpleRNN", first_epoch(0.5, 0.4), CELSIUS),
              RunCurves("#2 GRU", first_epoch(0.375, 0.3), CELSIUS)]
    figure = race_curves(racers, "mae", references_for("weather", [r.scale for r in racers]))
    assert [a.text for a in figure.layout.annotations] == [
        "training loss = MAE (°C, lower is better),<br>running mean of the epoch",
        "validation<br>MAE (°C, lower is better)"]
    assert [t.name for t in figure.data if list(t.x) == [None]] == [
        "common-sense baseline 2.70 °C"]               # the line's legend entry
    loss = [list(t.y) for t in figure.data if t.xaxis == "x"]
    validation = [list(t.y) for t in figure.data if t.xaxis == "x2" and list(t.x) != [None]]
    assert loss == [[4.0], [3.0]] and validation == [[3.2], [2.4]]
    (line,) = figure.layout.shapes
    assert (line.y0, line.yref) == (2.7, "y2")


def test_racers_without_a_scale_keep_their_own_values_and_labels():
    racers = [RunCurves("#1 LSTM", [MetricRow(1, "epoch", 4, 1, "val_accuracy", 0.8, 0.0)])]
    figure = race_curves(racers, "accuracy")
    assert figure.layout.annotations[1].text == "validation<br>accuracy (higher is better)"
    assert [list(t.y) for t in figure.data if t.xaxis == "x2"] == [[0.8]]


def test_a_classification_race_draws_chance_once():
    racers = [RunCurves("#1 LSTM", [MetricRow(1, "epoch", 4, 1, "val_accuracy", 0.8, 0.0)])]
    imdb = race_curves(racers, "accuracy", references_for("imdb"), chance=0.5)
    assert [t.name for t in imdb.data if list(t.x) == [None]] == [
        "chance 0.5", "book: SimpleRNN 0.85", "book: LSTM 0.89"]
    assert [shape.y0 for shape in imdb.layout.shapes] == [0.5, 0.85, 0.89]
    memory = race_curves(racers, "accuracy", references_for("memory"), chance=0.5)
    assert [shape.y0 for shape in memory.layout.shapes] == [0.5, 0.75]  # its own chance line
