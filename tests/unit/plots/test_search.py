"""The search chart: one panel per hyperparameter some trial has, every scored trial a dot, the
best one a star, the axes in the search space's terms."""
import pytest

from rnnlab.config import RunConfig
from rnnlab.config.search import SearchConfig, SearchSpace
from rnnlab.jobs.store import Trial
from rnnlab.lessons.baseline import Scale
from rnnlab.plots.search import score_by_hyperparameter, score_range, whole_number_ticks

SPACE = SearchSpace(depths=(1, 2), activations=("tanh", "relu"), learning_rates=(1e-2, 1e-3, 1e-4))
SEARCH = SearchConfig(base=RunConfig(), space=SPACE)
ONE = {"layers": 1, "units_1": 16, "activation_1": "relu", "dropout_1": 0.1, "learning_rate": 0.01}
TWO = {"layers": 2, "units_1": 32, "activation_1": "tanh", "dropout_1": 0.0, "units_2": 8,
       "activation_2": "tanh", "dropout_2": 0.2, "learning_rate": 0.001}


def trial(number, status, score, values):
    return Trial(1, number, f"{number:02d}", values, status, score, 3, 5.0, 0.0, None)


def test_one_panel_per_hyperparameter_with_the_best_trial_as_a_star():
    trials = [trial(1, "completed", 0.45, ONE), trial(2, "completed", 0.52, TWO),
              trial(3, "running", None, ONE)]
    figure = score_by_hyperparameter(trials, SEARCH)
    titles = [annotation.text for annotation in figure.layout.annotations]
    assert titles == ["layers", "units_1", "activation_1", "dropout_1", "units_2",
                      "activation_2", "dropout_2", "learning_rate"]
    stars = [t for t in figure.data if t.marker.symbol == "star"]
    dots = [t for t in figure.data if t.marker.symbol == "circle"]
    assert len(stars) == 5  # trial 1 (lowest loss) in each panel it has a value for
    assert all(list(t.text) == ["trial 1"] for t in stars)
    assert [list(t.text) for t in dots] == [["trial 2"]] * 8  # the running trial has no score
    learning_rate_stars = [t for t in stars if "learning_rate" in t.hovertemplate]
    assert list(learning_rate_stars[0].x) == [0.01] and list(learning_rate_stars[0].y) == [0.45]
    # two rows of four panels, sharing the score axis
    assert figure.layout.height == 280 * 2 + 40
    assert figure.layout.yaxis.title.text == (
        "validation loss (lower is better)<br>dotted: guessing, 0.6931")


def test_the_axes_speak_the_search_spaces_language():
    figure = score_by_hyperparameter([trial(1, "completed", 0.4, ONE)], SEARCH)
    axes = {annotation.text: index + 1
            for index, annotation in enumerate(figure.layout.annotations)}

    def xaxis(name):
        number = axes[name]
        return figure.layout[f"xaxis{number if number > 1 else ''}"]

    assert xaxis("learning_rate").type == "log"
    assert list(xaxis("learning_rate").ticktext) == ["0.0001", "0.001", "0.01"]
    assert list(xaxis("layers").tickvals) == [1, 2]
    assert list(xaxis("activation_1").categoryarray) == ["tanh", "relu"]


def test_before_any_trial_finishes_the_chart_says_so():
    figure = score_by_hyperparameter([trial(1, "running", None, ONE)], SEARCH)
    assert figure.layout.title.text == "No finished trial yet"
    assert len(figure.data) == 0
    assert score_by_hyperparameter([], SEARCH).layout.title.text == "No finished trial yet"


def test_a_weather_search_reads_in_degrees_against_the_baseline():
    weather = SearchConfig(base=RunConfig(dataset="weather"), space=SPACE, objective="val_mae")
    trials = [trial(1, "completed", 0.25, ONE), trial(2, "completed", 0.3, TWO)]
    figure = score_by_hyperparameter(trials, weather, Scale(8.0, "°C", 2.16))
    stars = [t for t in figure.data if t.marker.symbol == "star"]
    assert list(stars[0].y) == [2.0]                           # 0.25 std x 8 degC
    assert figure.layout.yaxis.title.text == (
        "validation MAE (°C, lower is better)<br>dotted: the baseline, 2.16 °C")
    lines = [shape for shape in figure.layout.shapes if shape.type == "line"]
    assert len(lines) == 8 and {line.y0 for line in lines} == {2.16}   # one per panel
    # Unreadable record, or an accuracy objective: the scores stay as they are.
    kept = score_by_hyperparameter(trials, weather, Scale(1.0, "", None))
    assert list([t for t in kept.data if t.marker.symbol == "star"][0].y) == [0.25]
    assert kept.layout.yaxis.title.text == "validation MAE, normalized (lower is better)"
    assert not kept.layout.shapes


def axis_of(figure, name: str):
    """The x axis of the panel titled `name`."""
    number = [a.text for a in figure.layout.annotations].index(name) + 1
    return figure.layout[f"xaxis{number if number > 1 else ''}"]


def test_a_search_at_chance_stars_nothing_and_keeps_its_tiny_spread_small():
    trials = [trial(1, "completed", 0.6926, ONE), trial(2, "completed", 0.6929, TWO)]
    figure = score_by_hyperparameter(trials, SEARCH)
    assert not [t for t in figure.data if t.marker.symbol == "star"]
    # 0.0003 apart: drawn on an axis 0.05 wide around their middle, not stretched over it all.
    low, high = figure.layout.yaxis.range
    assert (low, high) == pytest.approx((0.69275 - 0.025, 0.69275 + 0.025))
    assert figure.layout.yaxis.autorange is False
    # Guessing's score is dotted across every panel and named on the axis.
    lines = [shape for shape in figure.layout.shapes if shape.type == "line"]
    assert len(lines) == 8 and {round(line.y0, 4) for line in lines} == {0.6931}
    assert figure.layout.yaxis.title.text.endswith("<br>dotted: guessing, 0.6931")


def test_scores_that_spread_widely_keep_plotlys_own_range():
    trials = [trial(1, "completed", 0.45, ONE), trial(2, "completed", 0.62, TWO)]
    assert score_by_hyperparameter(trials, SEARCH).layout.yaxis.range is None
    assert score_range([0.45, 0.62], 0.05) is None
    assert score_range([0.5, 0.51], 0.05) == pytest.approx([0.48, 0.53])
    assert score_range([], 0.05) is None


def test_whole_number_hyperparameters_get_ticks_on_whole_numbers():
    assert whole_number_ticks([16, 40, 64]) == {
        "tickmode": "linear", "tick0": 10, "dtick": 10, "range": [11.0, 69.0],
        "tickformat": "d"}
    assert whole_number_ticks([39, 40]) == {
        "tickmode": "linear", "tick0": 39, "dtick": 1, "range": [38.5, 40.5], "tickformat": "d"}
    assert whole_number_ticks([40])["dtick"] == 1 and whole_number_ticks([40])["range"] == [
        39.5, 40.5]  # one model of 40 units: a tick at 40 only, none at 39.5 or 40.5
    assert whole_number_ticks([8, 1024])["dtick"] == 200
    figure = score_by_hyperparameter(
        [trial(1, "completed", 0.4, ONE), trial(2, "completed", 0.5, {**ONE, "units_1": 17})],
        SEARCH)
    units = axis_of(figure, "units_1")
    assert (units.tickmode, units.dtick, units.tickformat) == ("linear", 1, "d")
    assert list(units.range) == [15.5, 17.5]
    assert axis_of(figure, "dropout_1").tickmode is None  # a fraction keeps plotly's ticks
