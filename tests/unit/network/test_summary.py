"""The analytic summary (no TensorFlow) against Keras's own layers, shapes and parameter counts.

The cases run for every cell of the registry, so a new cell's formula is held against Keras too,
and for stacks of Dense layers (the network with no memory) on text and on numbers.
"""
import itertools

import pytest

from rnnlab.cells import CELLS
from rnnlab.config import (
    ImdbOptions,
    LayerConfig,
    MemoryOptions,
    RunConfig,
    TextOptions,
    WeatherOptions,
)
from rnnlab.network.summary import format_summary, summarize, total_params


def stack(cell, depth, bidirectional, units, top_sequences):
    return tuple(LayerConfig(cell=cell, units=units + i, bidirectional=bidirectional,
                             return_sequences=top_sequences and i == depth - 1)
                 for i in range(depth))


# Every cell at depths 1-3, with and without Bidirectional, a top layer that returns sequences,
# on every dataset and both weather sources: 11 text models and 4 weather models per cell.
TEXT_CASES = [
    RunConfig(imdb=ImdbOptions(num_words=50, maxlen=7, embedding_dim=5),
              layers=stack(cell, depth, bidirectional, units=3, top_sequences=depth == 2))
    for cell, depth, bidirectional in itertools.product(CELLS, (1, 2, 3), (False, True))
] + [
    RunConfig(imdb=ImdbOptions(num_words=120, maxlen=9, embedding_dim=4, mask_padding=True),
              layers=stack(cell, depth, bidirectional, units=6, top_sequences=True))
    for cell, depth, bidirectional in itertools.product(CELLS, (1, 4), (False, True))
] + [
    RunConfig(layers=(LayerConfig(cell=cell),)) for cell in CELLS
] + [
    RunConfig(layers=(LayerConfig(cell="GRU", units=8), LayerConfig(cell="LSTM", units=5),
                      LayerConfig(cell="SimpleRNN", units=2, bidirectional=True)),
              imdb=ImdbOptions(num_words=30, maxlen=4, embedding_dim=3)),
]
WEATHER_CASES = [
    RunConfig(dataset="weather",
              weather=WeatherOptions(source=source, lookback_hours=12, step_hours=3),
              layers=stack(cell, depth, bidirectional, units=4, top_sequences=False))
    for cell, source, (depth, bidirectional) in itertools.product(
        CELLS, ("nyc-jfk", "jena"), ((1, False), (2, True)))
]
MEMORY_CASES = [
    RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=9),
              layers=stack(cell, depth, bidirectional, units=5, top_sequences=top))
    for cell, (depth, bidirectional, top) in itertools.product(
        CELLS, ((1, False, False), (2, True, True)))
] + [RunConfig(dataset="memory", layers=(LayerConfig(cell="LSTM", units=16),))]

def dense(*units, dropout=0.0, activation="relu"):
    """A Dense stack, every layer with the same dropout and activation."""
    return tuple(LayerConfig(cell="Dense", units=u, dropout=dropout, activation=activation)
                 for u in units)


# Dense stacks of one and two layers, with and without dropout, on text (masked or not) and on
# numbers (a one-feature and a many-feature weather window, the memory task).
DENSE_CASES = [
    RunConfig(imdb=ImdbOptions(num_words=50, maxlen=7, embedding_dim=5), layers=dense(3)),
    RunConfig(imdb=ImdbOptions(num_words=50, maxlen=7, embedding_dim=5),
              layers=dense(6, 4, dropout=0.3)),
    RunConfig(imdb=ImdbOptions(num_words=80, maxlen=9, embedding_dim=4, mask_padding=True),
              layers=dense(5, 2, activation="tanh")),
    RunConfig(dataset="weather", weather=WeatherOptions(lookback_hours=12, step_hours=3),
              layers=dense(32)),
    RunConfig(dataset="weather",
              weather=WeatherOptions(source="jena", lookback_hours=12, step_hours=3),
              layers=dense(8, 4, dropout=0.5)),
    RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=9), layers=dense(7)),
    RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=9),
              layers=dense(7, 5, 3, dropout=0.1, activation="sigmoid")),
]
# The character-level language model (many-to-many): every cell, one and two layers, the head
# applied at every step and no pooling layer.
CHARACTER_CASES = [
    RunConfig(dataset="text", text=TextOptions(window_chars=6, char_embedding_dim=3),
              layers=tuple(LayerConfig(cell=cell, units=4 + i) for i in range(depth)))
    for cell, depth in itertools.product(CELLS, (1, 2))
]
CASES = TEXT_CASES + WEATHER_CASES + MEMORY_CASES + DENSE_CASES + CHARACTER_CASES


def test_there_are_enough_cases():
    assert len(CASES) >= 30
    assert sum(c.is_feedforward for c in CASES) == len(DENSE_CASES) == 7


@pytest.mark.parametrize("config", CASES, ids=lambda c: "-".join(
    f"{'bi' if l.bidirectional else ''}{l.cell}{l.units}" for l in c.layers) + f"-{c.dataset}")
def test_summary_matches_keras(config):
    from rnnlab.trainer.models import build_model

    model = build_model(config)
    keras_rows = [(layer.name, tuple(layer.output.shape), layer.count_params())
                  for layer in model.layers if type(layer).__name__ != "InputLayer"]
    rows = summarize(config)
    assert [(r.name, r.output_shape, r.params) for r in rows] == keras_rows
    assert total_params(rows) == model.count_params()


def test_book_lstm_counts_by_hand():
    rows = summarize(RunConfig())
    assert [r.params for r in rows] == [10_000 * 32, 4 * (32 * (32 + 32) + 32), 32 + 1]
    assert rows[1].formula.startswith("4 x (32 x (32 + 32) + 32)")
    assert rows[1].output_shape == (None, 32)


def test_gru_formula_shows_the_two_biases_and_bidirectional_doubles():
    row = summarize(RunConfig(layers=(LayerConfig(cell="GRU", units=10, bidirectional=True),)))[1]
    assert row.params == 2 * 3 * (10 * (32 + 10) + 2 * 10)
    assert row.formula.startswith("2 x (3 x (10 x (32 + 10) + 2 x 10))")
    assert row.output_shape == (None, 20)


def test_pooling_row_explains_why_it_is_there():
    rows = summarize(RunConfig(layers=(LayerConfig(return_sequences=True),)))
    pool = rows[-2]
    assert pool.kind == "GlobalAveragePooling1D" and pool.params == 0
    assert "one prediction per example" in pool.note
    assert rows[1].output_shape == (None, 500, 32)


def test_weather_input_shape_follows_lookback_and_step():
    config = RunConfig(dataset="weather", weather=WeatherOptions(source="jena", lookback_hours=240,
                                                                  step_hours=2))
    first = summarize(config)[0]
    assert first.name == "lstm_1" and first.params == 4 * (32 * (14 + 32) + 32)


def test_memory_model_reads_two_numbers_per_step_into_its_own_head():
    rows = summarize(RunConfig(dataset="memory", layers=(LayerConfig(cell="LSTM", units=16),)))
    assert [r.name for r in rows] == ["lstm_1", "sum_over_one"]
    assert rows[0].params == 4 * (16 * (2 + 16) + 16) == 1_216
    assert rows[0].formula.startswith("4 x (16 x (2 + 16) + 16)")
    assert rows[1].params == 17 and "marked values add up to more than 1" in rows[1].note


def test_text_table_lists_every_layer_and_the_total():
    text = format_summary(summarize(RunConfig()))
    assert "embedding" in text and "lstm_1" in text and "sentiment" in text
    assert text.splitlines()[-1].split()[-1] == "328,353"


def test_keras_summary_text_has_every_column_and_the_total():
    from rnnlab.trainer.models import build_model, keras_summary_text

    text = keras_summary_text(build_model(RunConfig()))
    assert "Param #" in text and "lstm_1 (LSTM)" in text
    assert "Total params: 328,353" in text


def test_the_books_dense_weather_model_flattens_the_window_and_counts_by_hand():
    """Chollet's densely connected weather model: Flatten, Dense(32, relu), Dense(1)."""
    config = RunConfig(dataset="weather",
                       weather=WeatherOptions(source="jena", lookback_hours=240, step_hours=1),
                       layers=dense(32))
    rows = summarize(config)
    assert [(r.name, r.kind, r.output_shape) for r in rows] == [
        ("flatten", "Flatten", (None, 240 * 14)), ("dense_1", "Dense", (None, 32)),
        ("forecast", "Dense", (None, 1))]
    assert [r.params for r in rows] == [0, 240 * 14 * 32 + 32, 33]
    assert rows[1].formula == "3360 x 32 + 32  [F x U + U]"
    assert "nothing that says which came first" in rows[0].note
    assert not any(r.recurrent for r in rows)


def test_a_dense_review_model_averages_the_word_vectors_and_drops_after_each_layer():
    rows = summarize(RunConfig(layers=dense(16, 8, dropout=0.5)))
    assert [(r.name, r.output_shape, r.params) for r in rows] == [
        ("embedding", (None, 500, 32), 320_000), ("average_over_words", (None, 32), 0),
        ("dense_1", (None, 16), 32 * 16 + 16), ("dropout_1", (None, 16), 0),
        ("dense_2", (None, 8), 16 * 8 + 8), ("dropout_2", (None, 8), 0),
        ("sentiment", (None, 1), 9)]
    assert "bag of words" in rows[1].note and "50%" in rows[3].note


def test_a_dense_bag_of_words_leaves_the_padding_out_of_its_average():
    """Averaged over all maxlen slots, a short review would be mostly the padding vector."""
    from rnnlab.data.spec import data_spec
    from rnnlab.trainer.models import build_model

    dense = RunConfig(layers=(LayerConfig(cell="Dense", units=8),))
    assert not dense.imdb.mask_padding and data_spec(dense).mask_padding
    assert not data_spec(RunConfig()).mask_padding      # the recurrent book model: as configured
    average = summarize(dense)[1]
    assert average.kind == "GlobalAveragePooling1D" and "padding left out" in average.note
    assert build_model(dense).get_layer("embedding").mask_zero
    assert any("padding is always left out" in note for note in dense.notes())


def test_the_language_model_has_a_per_step_head_and_no_pooling():
    """The head is one Dense softmax over the 97 characters, the same weights at every step."""
    config = RunConfig(dataset="text", layers=(LayerConfig(cell="GRU", units=16),))
    rows = summarize(config)
    assert [(r.name, r.output_shape, r.params) for r in rows] == [
        ("embedding", (None, 100, 16), 97 * 16),
        ("gru_1", (None, 100, 16), 3 * (16 * (16 + 16) + 2 * 16)),
        ("next_character", (None, 100, 97), 16 * 97 + 97)]
    assert rows[0].note == "turns each character id into a learned vector"
    assert rows[0].formula == "97 x 16  [characters x embedding size]"
    assert rows[-1].formula == "16 x 97 + 97  [inputs x characters + bias]"
    assert "at every step" in rows[-1].note and "97 probabilities" in rows[-1].note
    assert not any(r.kind == "GlobalAveragePooling1D" for r in rows)
