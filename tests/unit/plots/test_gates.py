"""Inside-the-cell plots: the data each figure carries, its scales, and the words on its axes."""
import numpy as np

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


def test_mean_strip_averages_each_gate_over_the_units():
    gate = np.array([[0.0, 1.0], [0.5, 0.5], [1.0, 1.0]])
    figure = plots.mean_strip({"input gate": gate, "forget gate": 1 - gate}, ["a", "b", "c"])
    means = {trace.name: list(trace.y) for trace in figure.data}
    assert means == {"input gate": [0.5, 0.5, 1.0], "forget gate": [0.5, 0.5, 0.0]}
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
    figure = plots.unit_traces({"forget gate (1 = keep)": gate, "cell state c_t": state}, 1,
                               ["a", "b"])
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
