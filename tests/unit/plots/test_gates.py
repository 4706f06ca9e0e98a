"""Inside-the-cell plots: the data each figure carries, its scales, and the words on its axes."""
import numpy as np
import pytest

from rnnlab.cells import CELLS
from rnnlab.lessons.inside_datasets import VIEWS
from rnnlab.plots import gates as plots

WORDS = ["this", "movie", "was", "not", "good"]


def test_gate_heatmap_is_units_by_steps_on_a_fixed_zero_to_one_scale():
    values = np.linspace(0.2, 0.6, 5 * 3).reshape(5, 3)  # 5 steps, 3 units
    figure = plots.trace_heatmap(values, WORDS, "forget gate (1 = keep)", first_step=10)
    heatmap, _ = figure.data
    assert np.asarray(heatmap.z).shape == (3, 5)
    np.testing.assert_allclose(np.asarray(heatmap.z)[2, 4], values[4, 2])
    assert list(heatmap.x) == [10, 11, 12, 13, 14]
    assert (heatmap.zmin, heatmap.zmax) == (0.0, 1.0)
    assert figure.layout.title.text == "forget gate (1 = keep)"
    assert list(figure.layout.xaxis.ticktext) == WORDS and list(figure.layout.xaxis.tickvals) == [
        10, 11, 12, 13, 14]


def test_every_heatmap_cell_has_a_clickable_marker_whose_hover_says_what_the_value_means():
    values = np.linspace(0.2, 0.6, 5 * 3).reshape(5, 3)  # 5 steps, 3 units
    figure = plots.trace_heatmap(values, WORDS, "forget gate", first_step=10, cell="LSTM",
                                 trace="forget_gate")
    heatmap, markers = figure.data
    assert heatmap.hoverinfo == "skip"  # the markers carry the hover and take the click
    assert markers.type == "scatter" and len(markers.x) == 15
    point = 2 * 5 + 3  # unit 2, the fourth step
    assert (markers.x[point], markers.y[point]) == (13, 2)
    assert markers.customdata[point][0] == round(values[3, 2], 4)
    assert markers.customdata[point][1] == "not"  # hover names the word under the cursor
    assert "forget gate %{customdata[0]:.2f}: keeps %{customdata[0]:.0%} of the old cell state" \
        in markers.hovertemplate
    assert markers.customdata[point][2] == 13
    assert "step %{customdata[2]} (%{customdata[1]}), unit %{y}" in markers.hovertemplate
    plain = plots.trace_heatmap(values, WORDS, "forget gate").data[1]
    assert "%{customdata[0]:.3f}" in plain.hovertemplate


def test_state_heatmap_is_centred_on_zero():
    values = np.array([[-0.5, 2.0], [0.1, 0.3]])
    heatmap, _ = plots.trace_heatmap(values, ["a", "b"], "cell state", gate=False).data
    assert (heatmap.zmin, heatmap.zmax, heatmap.zmid) == (-2.0, 2.0, 0.0)


def test_long_inputs_thin_the_word_labels_but_keep_the_first():
    labels = [f"w{i}" for i in range(500)]
    figure = plots.trace_heatmap(np.zeros((500, 2)), labels, "input gate")
    ticks = list(figure.layout.xaxis.ticktext)
    assert ticks[0] == "w0" and len(ticks) <= 60 and ticks[1] == "w9"
    assert figure.layout.xaxis.tickangle == -60  # words slant to fit


def test_the_characters_of_a_passage_stand_upright_one_per_step():
    labels = list("def") + ["␣", "f", "(", "x", ")", ":", "⏎"]
    figure = plots.trace_heatmap(np.zeros((10, 2)), labels, "hidden state h", 40, gate=False)
    assert list(figure.layout.xaxis.ticktext) == labels
    assert list(figure.layout.xaxis.tickvals) == list(range(40, 50))
    assert figure.layout.xaxis.tickangle == 0


def test_mean_strip_averages_each_gate_over_the_units():
    gate = np.array([[0.0, 1.0], [0.5, 0.5], [1.0, 1.0]])
    figure = plots.mean_strip({"input_gate": gate, "forget_gate": 1 - gate}, ["a", "b", "c"],
                              cell="LSTM")
    means = {trace.name: list(trace.y) for trace in figure.data}
    assert means == {"input gate i (1 = write the candidate into the cell)": [0.5, 0.5, 1.0],
                     "forget gate f (1 = keep the old cell state)": [0.5, 0.5, 0.0]}
    assert tuple(figure.layout.yaxis.range) == (0, 1)


def test_running_prediction_for_a_review_has_the_undecided_line_and_several_runs():
    figure = plots.running_prediction([0.5, 0.6, 0.2], ["a", "b", "c"], "binary",
                                      names=["#1 LSTM", "#2 SimpleRNN"], extra=[[0.5, 0.5, 0.4]])
    assert [trace.name for trace in figure.data] == ["#1 LSTM", "#2 SimpleRNN"]
    assert list(figure.data[0].y) == [0.5, 0.6, 0.2]
    (line,) = figure.layout.shapes
    assert line.y0 == line.y1 == 0.5
    assert figure.layout.yaxis.title.text == "P(positive)"


def test_running_forecast_has_no_probability_axis():
    figure = plots.running_prediction([0.1, -0.2], ["10:00", "11:00"], "regression")
    assert not figure.layout.shapes and figure.layout.yaxis.title.text == "forecast (normalized)"
    assert figure.data[0].name == "forecast so far"


def test_running_prediction_names_what_the_memory_task_answers():
    figure = plots.running_prediction([0.9, 0.8], ["t=0 (+1)", "t=1"], "binary",
                                      answer="P(marked sum > 1)", subject="sequence")
    assert figure.layout.yaxis.title.text == "P(marked sum > 1)"
    assert figure.layout.title.text == "What the model would answer if the sequence ended here"
    assert figure.data[0].name == "P(marked sum > 1) so far"
    assert figure.layout.shapes[0].y0 == 0.5


def test_unit_traces_follow_one_unit_and_dash_the_states():
    gate = np.array([[0.1, 0.9], [0.2, 0.8]])
    state = np.array([[1.0, -1.0], [2.0, -2.0]])
    figure = plots.unit_traces({"forget_gate": gate, "cell_state": state}, 1, ["a", "b"],
                               cell="LSTM")
    gate_line, state_line = figure.data
    assert list(gate_line.y) == [0.9, 0.8] and list(state_line.y) == [-1.0, -2.0]
    assert gate_line.line.dash is None and state_line.line.dash == "dash"
    assert "Unit 1" in figure.layout.title.text


def test_saturation_scatter_puts_each_unit_at_its_shares():
    figure = plots.saturation_scatter(
        {"#1 LSTM forget gate": (np.array([0.0, 0.7]), np.array([0.9, 0.1]))}, sample_size=20)
    (dots,) = figure.data
    assert list(dots.x) == [0.0, 0.7] and list(dots.y) == [0.9, 0.1]
    assert "over 20 inputs" in figure.layout.title.text
    assert figure.layout.xaxis.title.text == "share of steps nearly shut (gate < 0.1)"
    assert {a.text for a in figure.layout.annotations} >= {"mostly shut", "mostly open"}


# -- what the hover says ---------------------------------------------------------------------------


def said(template: str) -> str:
    """A hovertemplate as one line of words: its line breaks as spaces, the trace's name cut."""
    return template.split("<extra>")[0].replace("<br>", " ")


@pytest.mark.parametrize("cell", [name for name, cell in CELLS.items() if cell.gates])
def test_the_mean_strip_says_what_each_gates_mean_does_for_every_cell(cell):
    gates = {gate: np.full((3, 4), 0.9) for gate in CELLS[cell].gates}
    figure = plots.mean_strip(gates, ["a", "b", "c"], 7, cell=cell)
    for gate, line in zip(CELLS[cell].gates, figure.data):
        assert line.name == CELLS[cell].traces[gate]
        assert said(line.hovertemplate) == (f"at “%{{text}}” (step %{{customdata}}), mean over 4 "
                                            f"units mean {CELLS[cell].hover_meaning(gate, 'y')}")
        assert list(line.customdata) == [7, 8, 9]  # the steps: %{x} would show the tick's word


def test_the_mean_forget_gate_reads_as_the_share_of_memory_kept():
    figure = plots.mean_strip({"forget_gate": np.full((3, 32), 0.91)}, ["a", "b", "c"], 12,
                              cell="LSTM")
    (line,) = figure.data
    assert said(line.hovertemplate) == ("at “%{text}” (step %{customdata}), mean over 32 units "
                                        "mean forget gate %{y:.2f}: keeps %{y:.0%} of the old "
                                        "cell state")
    np.testing.assert_allclose(line.y, 0.91)


@pytest.mark.parametrize("cell", list(CELLS))
def test_following_a_unit_says_what_each_of_its_values_means_for_every_cell(cell):
    traces = {trace: np.zeros((2, 3)) for trace in CELLS[cell].traces}
    figure = plots.unit_traces(traces, 2, ["a", "b"], cell=cell)
    assert [line.name for line in figure.data] == list(CELLS[cell].traces.values())
    for trace, line in zip(CELLS[cell].traces, figure.data):
        assert said(line.hovertemplate) == (
            f"unit 2 at “%{{text}}” (step %{{customdata}}) {CELLS[cell].hover_meaning(trace, 'y')}")
        assert list(line.customdata) == [0, 1]
        assert (line.line.dash is None) == (trace in CELLS[cell].gates)


def test_the_running_prediction_says_how_sure_the_model_is_after_each_word():
    figure = plots.running_prediction([0.5, 0.23], ["was", "boring"], "binary", 40,
                                      names=["#3 LSTM"], meaning=VIEWS["imdb"].meaning)
    (line,) = figure.data
    assert said(line.hovertemplate) == (
        "after “%{text}” (step %{customdata}) P(positive) %{y:.2f}: %{y:.0%} sure the review is "
        "positive")
    assert list(line.customdata) == [40, 41]
    assert line.hovertemplate.endswith("<extra>#3 LSTM</extra>")
    assert list(line.x) == [40, 41] and list(line.text) == ["was", "boring"]


def test_the_running_prediction_has_words_without_a_view_too():
    binary = plots.running_prediction([0.9], ["a"], "binary").data[0].hovertemplate
    forecast = plots.running_prediction([0.1], ["10:00"], "regression").data[0].hovertemplate
    assert "P(positive) %{y:.2f}: %{y:.0%} sure the answer is yes" in said(binary)
    assert "forecast %{y:.2f}: in standard deviations from the training mean" in said(forecast)


def test_each_saturation_dot_says_how_its_unit_behaves():
    figure = plots.saturation_scatter(
        {"#1 forget gate": (np.array([0.0, 0.7, 0.05]), np.array([0.9, 0.1, 0.1]))}, 20)
    (dots,) = figure.data
    assert [list(row) for row in dots.customdata] == [
        [0, "mostly wide open: it works like a switch left on"],
        [1, "mostly shut: it works like a switch left off"],
        [2, "mostly in between: it blends old and new, not a switch"]]
    assert said(dots.hovertemplate) == (
        "#1 forget gate, unit %{customdata[0]} nearly shut (< 0.1) on %{x:.0%} of steps, nearly "
        "wide open (> 0.9) on %{y:.0%}: %{customdata[1]}")
    assert dots.hovertemplate.count("<br>") == 3  # unit; shut; open; how it behaves
