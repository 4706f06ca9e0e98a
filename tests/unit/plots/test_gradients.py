"""The race chart of weather racers: their loss and validation MAE in degrees C, against the
common-sense baseline drawn from the first epoch; what each chart's hover says (the other
figures' colours: test_colours.py)."""
import numpy as np

from rnnlab.jobs.store import MetricRow
from rnnlab.lessons.baseline import Scale
from rnnlab.plots.curves import RunCurves, references_for
from rnnlab.plots.gradients import GradientLine, gradient_through_time, race_curves, sweep_chart

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


def test_a_race_s_epoch_axis_spans_the_race_from_its_first_moment():
    waiting = [RunCurves("#1 SimpleRNN", []), RunCurves("#2 LSTM", [])]
    empty = race_curves(waiting, "accuracy", chance=0.5, epochs=8)
    assert empty.layout.xaxis2.range == (0.5, 8.5)  # not Plotly's -1 to 6 of an empty axis
    assert empty.layout.annotations[-1].text == "The first point comes<br>after the first batch."
    racing = [RunCurves("#1 SimpleRNN", [MetricRow(1, "epoch", 4, 1, "val_accuracy", 0.6, 0.0)]),
              RunCurves("#2 LSTM", [])]
    started = race_curves(racing, "accuracy", chance=0.5, epochs=8)
    assert started.layout.xaxis2.range == (0.5, 8.5)  # the same frame as points come in
    assert len(started.layout.annotations) == 2  # the two titles: the note has gone
    assert race_curves(racing, "accuracy").layout.xaxis2.range is None  # no length: Plotly's


# -- what the hover says ---------------------------------------------------------------------------


def said(template: str) -> str:
    """A hovertemplate (or a point's text) as one line of words: line breaks as spaces."""
    return template.split("<extra>")[0].replace("<br>", " ")


def test_a_weather_racers_hover_reads_in_degrees_against_the_baseline():
    racers = [RunCurves("#1 SimpleRNN", first_epoch(0.5, 0.4), CELSIUS),   # 3.2 °C: worse
              RunCurves("#2 GRU", first_epoch(0.375, 0.3), CELSIUS)]       # 2.4 °C: better
    figure = race_curves(racers, "mae", references_for("weather", [r.scale for r in racers]),
                         dataset="weather")
    loss = [t for t in figure.data if t.xaxis == "x"]
    validation = [t for t in figure.data if t.xaxis == "x2" and list(t.x) != [None]]
    assert said(loss[1].hovertemplate) == (
        "#2 GRU: batch %{x}, epoch %{customdata} training loss = MAE %{y:.2f} °C: forecasts off "
        "by %{y:.2f} °C on average, on the training windows so far this epoch")
    assert said(validation[1].hovertemplate) == (
        "#2 GRU: epoch %{x} validation MAE %{y:.2f} °C: forecasts off by %{y:.2f} °C on average, "
        "on windows it never trained on %{text}")
    assert [said(t.text[0]) for t in validation] == [
        "is worse than the common-sense baseline (2.70 °C) by 0.50 °C",
        "beats the common-sense baseline (2.70 °C) by 0.30 °C"]


def test_a_classification_racers_hover_says_what_its_accuracy_and_loss_mean():
    rows = [MetricRow(1, "batch", 2, 1, "loss", 0.6, 0.0),
            MetricRow(2, "epoch", 4, 1, "val_accuracy", 0.86, 0.0)]
    figure = race_curves([RunCurves("#4 LSTM", rows)], "accuracy", dataset="imdb")
    loss, validation = figure.data
    assert said(validation.hovertemplate) == (
        "#4 LSTM: epoch %{x} validation accuracy %{y:.2f}: right on %{y:.0%} of reviews it never "
        "trained on")
    assert "training loss %{y:.2f}: its surprise at the true answers on the training reviews" \
        in said(loss.hovertemplate)
    assert "a 50/50 guess scores 0.69" in said(loss.hovertemplate)


def test_each_gradient_point_says_how_much_of_the_last_steps_gradient_reaches_it():
    # Steps 0..3; the last step (distance 0) has 1e-1, the first (distance 3) 1e-7.
    figure = gradient_through_time([GradientLine("#1 SimpleRNN", np.array(
        [1e-7, 0.0, 4e-2, 1e-1]))], "after epoch 3")
    line, floor = figure.data
    assert list(line.x) == [3, 1, 0] and [said(words) for words in line.customdata] == [
        "the gradient is 1e-6 of its size at the last step: what the model reads this far back "
        "barely changes its weights",
        "the gradient is 0.4 of its size at the last step: what the model reads here changes its "
        "weights nearly as much",
        "the gradient at the last step: the size every other step is compared with"]
    assert said(line.hovertemplate) == (
        "#1 SimpleRNN: %{x} steps before the end gradient size %{y:.3g} %{customdata}")
    assert list(floor.x) == [2] and "vanished to exactly 0" in said(floor.hovertemplate)


def test_the_gradient_is_compared_with_the_strongest_step_when_the_last_vanished():
    figure = gradient_through_time([GradientLine("#2 GRU", np.array([0.5, 1.0, 0.0]))], "now")
    assert said(figure.data[0].customdata[0]).startswith(
        "the gradient is 0.5 of its size at the strongest step")


def test_each_sweep_point_is_placed_among_the_memory_tasks_landmarks():
    figure = sweep_chart({"SimpleRNN": [(50, 0.52), (10, 0.99)]})
    (line,) = figure.data
    assert said(line.hovertemplate) == (
        "SimpleRNN, sequence length %{x} best validation accuracy %{y:.2f}: right on %{y:.0%} of "
        "sequences it never trained on %{customdata}")
    assert [said(words) for words in line.customdata] == [
        "near 1: it remembers the first marked value to the end",
        "no better than guessing (0.5): it kept neither marked value"]
