"""Training curves: one run's loss and metric as rows arrive, several runs' validation side by
side, and the reference lines each dataset is judged against."""
from rnnlab.jobs.store import MetricRow
from rnnlab.lessons.baseline import Scale, normalized_scale
from rnnlab.lessons.text_baselines import CharBaselines
from rnnlab.plots.curves import (
    Reference,
    RunCurves,
    compare_curves,
    references_for,
    training_curves,
)



def curves(figure) -> list:
    """The figure's curves, without the legend entries of its reference lines."""
    return [t for t in figure.data if list(t.x) != [None]]


def reference_names(figure) -> list[str]:
    """The reference lines as the legend names them (they draw as shapes; see add_references)."""
    return [t.name for t in figure.data if list(t.x) == [None]]

def rows(*specs):
    return [MetricRow(i, kind, step, epoch, name, value, 0.0)
            for i, (kind, step, epoch, name, value) in enumerate(specs, start=1)]


CELSIUS = Scale(8.0, "°C", 2.7)  # a target whose training std is 8 degC
RUN = rows(("batch", 2, 1, "loss", 0.9), ("batch", 2, 1, "accuracy", 0.5),
           ("batch", 4, 1, "loss", 0.8), ("batch", 4, 1, "accuracy", 0.6),
           ("epoch", 5, 1, "loss", 0.78), ("epoch", 5, 1, "accuracy", 0.62),
           ("epoch", 5, 1, "val_loss", 0.7), ("epoch", 5, 1, "val_accuracy", 0.66),
           ("batch", 7, 2, "loss", 0.6),
           ("epoch", 10, 2, "loss", 0.55), ("epoch", 10, 2, "val_loss", 0.65),
           ("epoch", 10, 2, "val_accuracy", 0.7))


def test_references_for_each_dataset():
    assert [r.value for r in references_for("imdb")] == [0.85, 0.89]
    chance, recent = references_for("memory")
    assert chance.value == 0.5 and chance.label.startswith("chance 0.5")
    assert recent.value == 0.75 and "only the recent marked value" in recent.label
    (weather,) = references_for("weather", [CELSIUS])
    assert weather == Reference("common-sense baseline 2.70 °C", 2.7)
    # Runs that share a baseline share its line; another delay's baseline is a second line.
    other = Scale(8.0, "°C", 1.5)
    assert references_for("weather", [CELSIUS, CELSIUS, other]) == [
        weather, Reference("common-sense baseline 1.50 °C", 1.5)]
    # No scale, or the record could not be read: no baseline to draw.
    assert references_for("weather") == references_for("weather", [normalized_scale()]) == []


def test_one_runs_curves_put_loss_left_and_the_metric_right_against_batches():
    figure = training_curves(RUN, "accuracy")
    assert [a.text for a in figure.layout.annotations] == [
        "loss (lower is better)", "accuracy (higher is better)"]
    loss = [t for t in figure.data if t.xaxis == "x"]
    metric = [t for t in figure.data if t.xaxis == "x2"]
    assert [t.name for t in loss] == ["training, epoch so far", "training (whole epoch)",
                                      "validation"]
    assert [(list(t.x), list(t.y)) for t in loss] == [
        ([2, 4, 7], [0.9, 0.8, 0.6]), ([5, 10], [0.78, 0.55]), ([5, 10], [0.7, 0.65])]
    assert [(list(t.x), list(t.y)) for t in metric] == [
        ([2, 4], [0.5, 0.6]), ([5], [0.62]), ([5, 10], [0.66, 0.7])]
    assert list(loss[0].customdata) == [1, 1, 2]  # the epoch, for the hover text
    assert [t.showlegend for t in figure.data] == [True] * 3 + [False] * 3  # one legend entry each
    assert figure.layout.xaxis.title.text == figure.layout.xaxis2.title.text == "batches trained"


def test_references_are_drawn_on_the_metric_side():
    figure = training_curves(RUN, "accuracy", references_for("imdb"))
    lines = [shape for shape in figure.layout.shapes if shape.type == "line"]
    assert [line.y0 for line in lines] == [0.85, 0.89]
    assert {line.yref for line in lines} == {"y2"}
    assert reference_names(figure) == ["book: SimpleRNN 0.85", "book: LSTM 0.89"]
    assert {t.xaxis for t in figure.data if t.name.startswith("book")} == {"x2"}
    assert len(figure.layout.annotations) == 2  # the subplot titles only: no label on a line


def test_a_run_with_no_rows_yet_draws_empty_axes_that_say_when_the_first_point_comes():
    figure = training_curves([], "mae")
    assert [a.text for a in figure.layout.annotations][1:] == [
        "mean absolute error, normalized (lower is better)",
        "The first point comes<br>after the first batch."]
    assert (figure.layout.annotations[2].xref, figure.layout.annotations[2].yref) == (
        "x domain", "y domain")  # in the loss chart's middle
    assert all(len(t.x) == 0 for t in figure.data)
    assert figure.layout.yaxis.rangemode == "nonnegative"  # no negative losses on empty axes
    assert len(training_curves(RUN, "accuracy").layout.annotations) == 2  # points: no note


def test_comparing_runs_draws_each_runs_validation_metric_per_epoch():
    shorter = rows(("epoch", 4, 1, "val_accuracy", 0.55))
    figure = compare_curves([RunCurves("#1 LSTM(32)", RUN), RunCurves("#2 GRU(32)", shorter)],
                            "accuracy", [Reference("chance 0.5", 0.5)])
    assert [(t.name, list(t.x), list(t.y)) for t in curves(figure)] == [
        ("#1 LSTM(32)", [1, 2], [0.66, 0.7]), ("#2 GRU(32)", [1], [0.55])]
    assert reference_names(figure) == ["chance 0.5"]
    assert figure.layout.yaxis.title.text == "validation accuracy (higher is better)"
    assert figure.layout.xaxis.title.text == "epoch"
    assert [shape.y0 for shape in figure.layout.shapes] == [0.5]


# A weather run's first epoch, in normalized units (loss and metric are the same MAE).
WEATHER = rows(("batch", 2, 1, "loss", 0.5), ("batch", 2, 1, "mae", 0.5),
               ("epoch", 4, 1, "loss", 0.4), ("epoch", 4, 1, "mae", 0.4),
               ("epoch", 4, 1, "val_loss", 0.375), ("epoch", 4, 1, "val_mae", 0.375))


def test_a_weather_run_is_drawn_in_degrees_against_the_baseline_from_the_first_epoch():
    figure = training_curves(WEATHER, "mae", references_for("weather", [CELSIUS]), CELSIUS)
    assert [a.text for a in figure.layout.annotations] == [
        "loss = MAE (°C, lower is better)", "MAE (°C, lower is better)"]
    assert reference_names(figure) == ["common-sense baseline 2.70 °C"]
    assert figure.layout.yaxis.title.text == figure.layout.yaxis2.title.text == "MAE (°C)"
    assert [list(t.y) for t in curves(figure)] == [[4.0], [3.2], [3.0]] * 2  # 8 x normalized
    (line,) = [shape for shape in figure.layout.shapes if shape.type == "line"]
    assert (line.y0, line.yref) == (2.7, "y2")


def test_without_the_record_the_axes_say_the_values_are_normalized():
    figure = training_curves(WEATHER, "mae", [], normalized_scale())
    assert figure.layout.annotations[1].text == (
        "MAE (normalized: the weather record could not be read here, lower is better)")
    assert [list(t.y) for t in figure.data][:3] == [[0.5], [0.4], [0.375]]
    assert not figure.layout.shapes


def test_compared_weather_runs_are_each_drawn_in_their_own_scale():
    warmer = Scale(10.0, "°C", 3.0)  # another record: another std
    figure = compare_curves([RunCurves("#1 GRU(32)", WEATHER, CELSIUS),
                             RunCurves("#2 GRU(32)", WEATHER, warmer)], "mae",
                            references_for("weather", [CELSIUS, warmer]))
    assert [list(t.y) for t in curves(figure)] == [[3.0], [3.75]]
    assert reference_names(figure) == ["common-sense baseline 2.70 °C",
                                       "common-sense baseline 3.00 °C"]
    assert figure.layout.yaxis.title.text == "validation MAE (°C, lower is better)"
    assert [shape.y0 for shape in figure.layout.shapes] == [2.7, 3.0]
    mixed = compare_curves([RunCurves("#1 GRU(32)", WEATHER, CELSIUS),
                            RunCurves("#3 GRU(32)", WEATHER, Scale(20.0, "%", 6.0))], "mae")
    assert mixed.layout.yaxis.title.text == (
        "validation MAE (each run in its own unit: %, °C, lower is better)")


# -- what the hover says ---------------------------------------------------------------------------


def said(template: str) -> str:
    """A hovertemplate (or a point's text) as one line of words: line breaks as spaces."""
    return template.split("<extra>")[0].replace("<br>", " ")


def test_each_curve_of_a_run_says_what_its_score_means_where_it_was_measured():
    figure = training_curves(RUN, "accuracy", dataset="imdb")
    running, whole, validation = [said(t.hovertemplate) for t in figure.data if t.xaxis == "x2"]
    assert running == ("batch %{x}, epoch %{customdata} training accuracy %{y:.2f}: right on "
                       "%{y:.0%} of the training reviews so far this epoch")
    assert whole == ("end of epoch %{customdata} training accuracy %{y:.2f}: right on %{y:.0%} "
                     "of the training reviews of the whole epoch")
    assert validation == ("end of epoch %{customdata} validation accuracy %{y:.2f}: right on "
                          "%{y:.0%} of reviews it never trained on")
    loss = said(figure.data[2].hovertemplate)
    assert "validation loss %{y:.2f}: its surprise at the true answers" in loss


def test_a_weather_runs_validation_error_reads_in_degrees_against_the_baseline():
    weather = rows(("epoch", 5, 1, "val_loss", 0.3), ("epoch", 5, 1, "val_mae", 0.3),
                   ("epoch", 10, 2, "val_mae", 0.4))
    figure = training_curves(weather, "mae", scale=CELSIUS)
    validation = [t for t in figure.data if t.name == "validation"][1]
    assert said(validation.hovertemplate) == (
        "end of epoch %{customdata} validation MAE %{y:.2f} °C: forecasts off by %{y:.2f} °C on "
        "average, on windows it never trained on %{text}")
    assert [said(text) for text in validation.text] == [
        "beats the common-sense baseline (2.70 °C) by 0.30 °C",
        "is worse than the common-sense baseline (2.70 °C) by 0.50 °C"]


def test_compared_runs_each_explain_their_score_in_their_own_unit():
    weather = rows(("epoch", 5, 1, "val_mae", 0.3))
    figure = compare_curves([RunCurves("#1 GRU", weather, CELSIUS),
                             RunCurves("#2 GRU", weather, normalized_scale())], "mae")
    first, second = curves(figure)
    assert said(first.hovertemplate) == (
        "#1 GRU: epoch %{x} validation MAE %{y:.2f} °C: forecasts off by %{y:.2f} °C on "
        "average, on windows it never trained on %{text}")
    assert said(first.text[0]) == "beats the common-sense baseline (2.70 °C) by 0.30 °C"
    assert said(second.hovertemplate) == (
        "#2 GRU: epoch %{x} validation MAE %{y:.2f} (normalized): off by %{y:.2f} standard "
        "deviations of the target on average, on windows it never trained on")


TEXT_LINES = CharBaselines(4.54, 3.69)
TEXT = rows(("batch", 2, 1, "loss", 3.0), ("batch", 2, 1, "bpc", 4.33),
            ("epoch", 5, 1, "loss", 2.9), ("epoch", 5, 1, "bpc", 4.18),
            ("epoch", 5, 1, "val_loss", 2.8), ("epoch", 5, 1, "val_bpc", 4.04),
            ("epoch", 10, 2, "val_loss", 2.4), ("epoch", 10, 2, "val_bpc", 3.46))


def test_a_text_run_is_drawn_in_bits_per_character_against_the_unigram_and_bigram_lines():
    references = references_for("text", lines=[TEXT_LINES, TEXT_LINES])
    assert [(r.label, r.value) for r in references] == [
        ("unigram model 4.54: letters counted", 4.54), ("bigram model 3.69: one character back",
                                                       3.69)]
    # Runs on different text have lines of their own: none is drawn for all of them.
    assert references_for("text", lines=[TEXT_LINES, CharBaselines(4.4, 3.6)]) == []
    assert references_for("text", lines=[None]) == []
    figure = training_curves(TEXT, "bpc", references, lines=TEXT_LINES)
    assert figure.layout.annotations[1].text == "bits per character (lower is better)"
    assert reference_names(figure) == [r.label for r in references]
    validation = [t for t in curves(figure) if t.name == "validation"][1]
    assert list(validation.y) == [4.04, 3.46]
    assert [text.replace("<br>", " ") for text in validation.text] == [
        "below the unigram line (4.54) by 0.50, above the bigram line (3.69): it has learned "
        "some order, less than one character of memory gives",
        "below the bigram line (3.69) by 0.23: it uses more than the one character before"]
    assert "bits per character" in validation.hovertemplate
    compared = compare_curves([RunCurves("#1 text/python: GRU(16)", TEXT, lines=TEXT_LINES)],
                              "bpc", references)
    assert compared.layout.yaxis.title.text == "validation bits per character (lower is better)"
    assert "below the bigram line" in compared.data[0].text[1]
