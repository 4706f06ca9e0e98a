"""The stack diagram: one box per layer, the right shapes and counts, sequences drawn unlike vectors."""
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rnnlab.config import ImdbOptions, LayerConfig, MemoryOptions, RunConfig, WeatherOptions
from rnnlab.network.summary import summarize
from rnnlab.plots.model import (
    MAX_STEPS_DRAWN,
    SEQUENCE_COLOUR,
    VECTOR_COLOUR,
    model_diagram,
    stack_diagram,
)

ROOT = Path(__file__).resolve().parents[3]
STACK = RunConfig(layers=(LayerConfig(cell="GRU", units=16),
                          LayerConfig(cell="LSTM", units=8, bidirectional=True)))


def named(fig, prefix):
    return [item for item in list(fig.layout.shapes) + list(fig.layout.annotations)
            if (item.name or "").startswith(prefix)]


def annotation(fig, name):
    (item,) = [a for a in fig.layout.annotations if a.name == name]
    return item


def test_one_box_per_summary_row_plus_the_input_from_top_to_bottom():
    rows = summarize(STACK)
    fig = stack_diagram(rows, (None, 500), "review (word ids)", "review")
    boxes = named(fig, "box:")
    assert [b.name for b in boxes] == ["box:input", "box:embedding", "box:gru_1",
                                       "box:bidirectional_lstm_2", "box:sentiment"]
    tops = [b.y1 for b in boxes]
    assert tops == sorted(tops, reverse=True)  # the input is drawn first, at the top
    assert all(b.x0 < b.x1 and b.y0 < b.y1 for b in boxes)


def test_labels_carry_each_layers_type_parameters_and_output_shape():
    rows = summarize(STACK)
    fig = stack_diagram(rows, (None, 500), "review (word ids)", "review")
    for row in rows:
        label = annotation(fig, f"label:{row.name}").text
        assert row.kind in label and row.name in label and f"{row.params:,} params" in label
        assert str(row.output_shape) in annotation(fig, f"shape:{row.name}").text
    assert "<b>(None, 500, 16)</b><br>= (batch, time, units)" in annotation(fig, "shape:gru_1").text
    assert "<b>(None, 16)</b><br>= (batch, units)" in annotation(
        fig, "shape:bidirectional_lstm_2").text
    assert "one vector per review" in annotation(fig, "shape:bidirectional_lstm_2").text
    assert "(None, 500)" in annotation(fig, "shape:input").text
    assert "word id per timestep" in annotation(fig, "shape:input").text


def test_a_sequence_is_a_row_of_squares_and_a_vector_is_one_square_in_another_colour():
    rows = summarize(STACK)
    fig = stack_diagram(rows, (None, 500), "review (word ids)", "review")
    sequence_steps = named(fig, "step:gru_1:")
    assert len(sequence_steps) == MAX_STEPS_DRAWN and not named(fig, "vector:gru_1")
    assert {s.fillcolor for s in sequence_steps} == {SEQUENCE_COLOUR}
    assert len({s.x0 for s in sequence_steps}) == MAX_STEPS_DRAWN  # side by side, along time
    assert named(fig, "more:gru_1")  # 500 steps: the row ends in "..."
    (vector,) = named(fig, "vector:bidirectional_lstm_2")
    assert vector.fillcolor == VECTOR_COLOUR and not named(fig, "step:bidirectional_lstm_2:")
    assert annotation(fig, "shape:gru_1").font.color == SEQUENCE_COLOUR
    assert annotation(fig, "shape:bidirectional_lstm_2").font.color == VECTOR_COLOUR


def test_short_sequences_draw_every_step_and_pooling_turns_a_sequence_into_a_vector():
    config = RunConfig(imdb=ImdbOptions(maxlen=5),
                       layers=(LayerConfig(cell="SimpleRNN", units=4, return_sequences=True),))
    fig = model_diagram(config)
    assert len(named(fig, "step:simplernn_1:")) == 5 and not named(fig, "more:")
    assert named(fig, "vector:average_over_time") and named(fig, "box:average_over_time")
    assert "(None, 5, 4)" in annotation(fig, "shape:simplernn_1").text


def test_weather_input_is_a_sequence_of_measurement_vectors():
    config = RunConfig(dataset="weather", weather=WeatherOptions(source="jena", lookback_hours=48,
                                                                  step_hours=2))
    fig = model_diagram(config)
    assert "weather window (jena)" in annotation(fig, "label:input").text
    assert "<b>(None, 24, 14)</b><br>= (batch, time, features)" in annotation(fig, "shape:input").text
    assert [b.name for b in named(fig, "box:")] == ["box:input", "box:lstm_1", "box:forecast"]
    assert "one number per window" in annotation(fig, "shape:forecast").text


def test_memory_input_is_a_sequence_of_value_and_marker_pairs():
    config = RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=30),
                       layers=(LayerConfig(cell="SimpleRNN", units=16),))
    fig = model_diagram(config)
    assert "sequence (the long-memory task)" in annotation(fig, "label:input").text
    assert "<b>(None, 30, 2)</b><br>= (batch, time, features)" in annotation(fig, "shape:input").text
    assert [b.name for b in named(fig, "box:")] == ["box:input", "box:simplernn_1",
                                                     "box:sum_over_one"]
    assert "one number per sequence" in annotation(fig, "shape:sum_over_one").text


def test_a_dense_weather_model_flattens_the_sequence_into_one_vector_read_at_once():
    config = RunConfig(dataset="weather",
                       weather=WeatherOptions(source="jena", lookback_hours=48, step_hours=2),
                       layers=(LayerConfig(cell="Dense", units=32, dropout=0.2),
                               LayerConfig(cell="Dense", units=8)))
    fig = model_diagram(config)
    assert [b.name for b in named(fig, "box:")] == [
        "box:input", "box:flatten", "box:dense_1", "box:dropout_1", "box:dense_2",
        "box:forecast"]
    assert len(named(fig, "step:input:")) == MAX_STEPS_DRAWN  # a sequence goes in ...
    (flat,) = named(fig, "vector:flatten")  # ... and one vector comes out
    assert flat.fillcolor == VECTOR_COLOUR and not named(fig, "step:flatten:")
    assert "<b>(None, 336)</b><br>= (batch, numbers)" in annotation(fig, "shape:flatten").text
    assert "one long vector per window<br>(336 numbers)" in annotation(fig, "shape:flatten").text
    assert "<b>(None, 32)</b><br>= (batch, outputs)" in annotation(fig, "shape:dense_1").text
    assert "prediction" not in annotation(fig, "shape:dense_1").text
    assert "one number per window:<br>the prediction" in annotation(fig, "shape:forecast").text
    assert "10,784 params" in annotation(fig, "label:dense_1").text  # 336 x 32 + 32
    texts = list(fig.data[0].hovertext)
    assert not any("returns" in t and "h_T" in t for t in texts)  # no state to return
    assert any("nothing tells it which came first" in t for t in texts)


def test_a_dense_review_model_averages_over_words():
    config = RunConfig(imdb=ImdbOptions(maxlen=5),
                       layers=(LayerConfig(cell="Dense", units=4),))
    fig = model_diagram(config)
    assert [b.name for b in named(fig, "box:")] == [
        "box:input", "box:embedding", "box:average_over_words", "box:dense_1", "box:sentiment"]
    assert len(named(fig, "step:embedding:")) == 5 and named(fig, "vector:average_over_words")


def test_hover_text_explains_every_box_and_link():
    rows = summarize(STACK)
    fig = stack_diagram(rows, (None, 500), "review (word ids)", "review")
    (hover,) = fig.data
    texts = list(hover.hovertext)
    assert len(texts) == 2 * (len(rows) + 1)  # one per box and one per link
    gru = next(t for t in texts if t.startswith("<b>gru_1 (GRU)"))
    assert "2,400 parameters = 3 x (16 x (32 + 16) + 2 x 16)" in gru
    assert "returns its whole sequence" in gru
    assert any("the time axis is gone" in t for t in texts)
    assert fig.layout.height > 400 and fig.layout.xaxis.visible is False


@pytest.mark.parametrize("module", ["rnnlab.plots.model", "rnnlab.network.codegen"])
def test_page_side_modules_do_not_import_tensorflow(module):
    code = textwrap.dedent(f"""
        import importlib, sys
        importlib.import_module({module!r})
        from rnnlab.config import RunConfig
        from rnnlab.network.codegen import keras_code
        from rnnlab.plots.model import model_diagram
        model_diagram(RunConfig()), keras_code(RunConfig())
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras"))
        sys.exit(1 if heavy else 0)
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_language_models_head_keeps_the_time_axis_to_the_prediction():
    config = RunConfig(dataset="text", layers=(LayerConfig(cell="GRU", units=16),))
    fig = model_diagram(config)
    assert [b.name for b in named(fig, "box:")] == [
        "box:input", "box:embedding", "box:gru_1", "box:next_character"]
    assert "characters (character ids)" in annotation(fig, "label:input").text
    assert "one character id per timestep<br>(100 steps)" in annotation(fig, "shape:input").text
    head = annotation(fig, "shape:next_character").text
    assert "(None, 100, 97)" in head and "97 probabilities per timestep:<br>the prediction" in head
    assert len(named(fig, "step:next_character:")) == MAX_STEPS_DRAWN  # a sequence, not a vector
    assert not named(fig, "vector:")
