"""One step, by hand (rnnlab.network.by_hand and each cell's by_hand) against the replay and Keras.

The oracle: models built as in tests/unit/network/test_replay.py, with seeded random weights far
from Keras's initialization. For every unit of every layer and direction at every step, each
gate, candidate and state of the breakdown must equal the replay's trace, and h_t must equal
Keras's own return_sequences output, within 1e-5; the terms must add up to the pre-activation and
the squash of the pre-activation must be the gate.
"""
import itertools
import math

import numpy as np
import pytest

from rnnlab.cells import ACTIVATIONS
from rnnlab.cells import CELLS as REGISTRY
from rnnlab.config import LayerConfig
from rnnlab.network import replay
from rnnlab.network.by_hand import step_by_hand
from tests.unit.network.test_replay import (
    TOLERANCE, gru_model_without_reset_after, keras_outputs, memory_config, randomize,
    sample_inputs, saved_weights, stack, text_config, weather_config)

CELLS = tuple(REGISTRY)


def assert_every_step_matches(config, model, inputs):
    """Every unit, layer, direction and step: the breakdown against the replay and Keras."""
    weights = saved_weights(model)
    outputs = keras_outputs(model, config, inputs)
    checked = skipped = 0
    for b, sequence in enumerate(inputs):
        replayed = replay.trace(config, weights, sequence)
        for (index, layer), direction, step in itertools.product(
                enumerate(config.layers, start=1), ("forward", "backward"),
                range(len(replayed.mask))):
            if direction == "backward" and not layer.bidirectional:
                continue
            traces = replayed.layers[index - 1].directions[direction == "backward"].traces
            for unit in range(layer.units):
                shown = step_by_hand(config, weights, sequence, step, unit, index, direction,
                                     replayed=replayed)
                assert shown.hidden == traces["hidden"][step, unit]
                if not shown.read:  # skipped: the state is carried over unchanged
                    assert shown.computed is None and shown.after == shown.previous
                    skipped += 1
                    continue
                computed = shown.computed
                for block in computed.blocks:
                    assert math.isclose(sum(t.value for t in block.terms), block.preactivation,
                                        abs_tol=1e-12)
                    for term in block.terms:
                        if term.inputs is not None:  # the products add up to the dot product
                            products = float(np.sum(term.inputs * term.weights))
                            assert math.isclose(term.value, (term.factor or 1.0) * products,
                                                abs_tol=1e-12)
                    squashed = ACTIVATIONS[block.squash](block.preactivation)
                    assert abs(squashed - block.value) < 1e-12
                    assert abs(block.value - traces[block.trace][step, unit]) < TOLERANCE
                for update in computed.updates:
                    assert abs(update.value - traces[update.trace][step, unit]) < TOLERANCE
                assert abs(computed.hidden - traces["hidden"][step, unit]) < TOLERANCE
                offset = layer.units if direction == "backward" else 0
                keras_h = outputs[index - 1][b, step, offset + unit]
                assert abs(computed.hidden - keras_h) < TOLERANCE
                checked += 1
    return checked, skipped


# Two layers, both bidirectional, returning sequences (so Keras gives every h_t), padding masked
# (so some steps are skipped); and one plain weather layer and one memory layer.
MASKED_CASES = [text_config(stack(cell, 2, True, top_sequences=True), mask=True) for cell in CELLS]
PLAIN_CASES = [weather_config((LayerConfig(cell=cell, units=3, return_sequences=True),))
               for cell in CELLS]


@pytest.mark.parametrize("config", MASKED_CASES + PLAIN_CASES,
                         ids=[f"{c.dataset}-{c.layers[0].cell}" for c in MASKED_CASES + PLAIN_CASES])
def test_every_number_of_the_step_equals_the_replay_and_keras(config):
    from rnnlab.trainer.models import build_model

    model = randomize(build_model(config), seed=3)
    checked, skipped = assert_every_step_matches(config, model, sample_inputs(config))
    assert checked > 0
    assert skipped > 0 if config.imdb.mask_padding and config.dataset == "imdb" else skipped == 0


def test_a_gru_without_reset_after_matches_too():
    config = text_config((LayerConfig(cell="GRU", units=3, bidirectional=True),
                          LayerConfig(cell="GRU", units=4, return_sequences=True)), mask=True)
    model = randomize(gru_model_without_reset_after(config), seed=5)
    checked, _ = assert_every_step_matches(config, model, sample_inputs(config))
    assert checked > 0
    weights = saved_weights(model)
    shown = step_by_hand(config, weights, sample_inputs(config)[0], 5, 1, layer=2)
    candidate = shown.computed.blocks[2]
    # (r_t * h_{t-1}) . U_h: the reset gates scale the state before the product, one bias row.
    assert [t.words for t in candidate.terms] == ["input term", "recurrent term", "bias"]
    assert "r_t \\odot h_{t-1}" in candidate.terms[1].symbol


def test_the_gru_reset_multiplies_the_recurrent_part_and_its_bias():
    config = weather_config((LayerConfig(cell="GRU", units=3),))
    weights = _random_weights(config)
    shown = step_by_hand(config, weights, sample_inputs(config)[0], 2, 0)
    update, reset, candidate = shown.computed.blocks
    assert [t.words for t in update.terms] == ["input term", "input bias", "recurrent term",
                                               "recurrent bias"]
    assert [t.words for t in candidate.terms] == [
        "input term", "input bias", "recurrent term, times the reset gate",
        "recurrent bias, times the reset gate"]
    assert candidate.terms[2].factor == candidate.terms[3].factor == reset.value
    bias = replay.cell_weights(weights, "gru_1", "GRU")["bias"]
    assert math.isclose(candidate.terms[3].value, reset.value * bias[1, 6], rel_tol=1e-6)
    z = update.value
    assert [v for _, v in shown.computed.updates[0].products[1]][0] == pytest.approx(1 - z)


def test_the_peephole_gates_read_the_old_and_the_new_cell_state():
    config = weather_config((LayerConfig(cell="PeepholeLSTM", units=2),))
    weights = _random_weights(config)
    peek = replay.cell_weights(weights, "peephole_lstm_1", "PeepholeLSTM")["peephole_weights"]
    shown = step_by_hand(config, weights, sample_inputs(config)[0], 3, 1)
    i, f, g, o = shown.computed.blocks
    cell = shown.computed.updates[0]
    assert i.terms[-1].value == pytest.approx(peek[0, 1] * shown.previous["cell_state"])
    assert f.terms[-1].value == pytest.approx(peek[1, 1] * shown.previous["cell_state"])
    assert o.terms[-1].value == pytest.approx(peek[2, 1] * cell.value)
    assert "old cell state" in i.terms[-1].words and "new cell state" in o.terms[-1].words
    assert len(g.terms) == 3  # the candidate has no peephole


def test_the_largest_contributions_are_named_words_features_and_units():
    config = text_config(stack("LSTM", 2, True, top_sequences=True), mask=True)
    weights = _random_weights(config)
    ids = sample_inputs(config)[0]
    labels = [f"w{i}" for i in ids]
    shown = step_by_hand(config, weights, ids, 4, 0, labels=labels)
    term = shown.computed.blocks[1].terms[0]  # the forget gate's input term
    top = shown.largest(term, 2)
    products = np.abs(term.inputs * term.weights)
    assert [abs(c.product) for c in top] == pytest.approx(sorted(products)[::-1][:2])
    assert all(c.name.startswith("dimension ") and c.name.endswith(f"“{labels[4]}”")
               for c in top)
    assert shown.largest(shown.computed.blocks[1].terms[2]) == ()  # a bias names nothing
    upper = step_by_hand(config, weights, ids, 4, 0, layer=2, direction="backward")
    names = upper.largest(upper.computed.blocks[0].terms[0], count=8)
    assert {c.name for c in names} == {f"unit {k} ({d}) of layer 1" for k in range(3)
                                       for d in ("forward", "backward")}
    weather = weather_config((LayerConfig(cell="SimpleRNN", units=2),))
    shown = step_by_hand(weather, _random_weights(weather), sample_inputs(weather)[0], 0, 0)
    assert shown.input_names[0] == "T (degC) (normalized)"
    memory = memory_config((LayerConfig(cell="GRU", units=2),))
    shown = step_by_hand(memory, _random_weights(memory), sample_inputs(memory)[0], 0, 0)
    assert shown.input_names == ("the value read", "the marker read")


def test_the_page_says_where_the_state_before_comes_from():
    config = text_config(stack("GRU", 1, True), mask=True)
    weights = _random_weights(config)
    ids = sample_inputs(config)[1]  # three padding ids in front
    first = step_by_hand(config, weights, ids, 3, 0)
    assert first.previous_step is None and "all zeros" in first.reading_order()
    skipped = step_by_hand(config, weights, ids, 1, 0)
    assert not skipped.read and skipped.computed is None
    backward = step_by_hand(config, weights, ids, 4, 0, direction="backward")
    assert backward.previous_step == 5 and "t + 1" in backward.reading_order()
    assert "reading order" in backward.reading_order()
    last = step_by_hand(config, weights, ids, 6, 0, direction="backward")
    assert last.previous_step is None and last.previous == {"hidden": 0.0}
    gap = np.array([5, 0, 0, 3, 4, 2, 1])  # padding in the middle: skipped, the state carried
    after_gap = step_by_hand(config, weights, gap, 3, 0)
    assert after_gap.previous_step == 0 and "after step 0" in after_gap.reading_order()
    assert after_gap.previous["hidden"] == step_by_hand(config, weights, gap, 0, 0).hidden


def test_mistakes_are_value_errors_in_plain_words():
    config = weather_config((LayerConfig(cell="LSTM", units=2),))
    weights = _random_weights(config)
    x = sample_inputs(config)[0]
    for arguments, words in (
            (dict(step=7, unit=0), "Step 7 does not exist: the input has 7 steps, 0 to 6."),
            (dict(step=0, unit=2), "Unit 2 does not exist: layer 1 has 2 units, 0 to 1."),
            (dict(step=0, unit=0, layer=2), "Layer 2 does not exist"),
            (dict(step=0, unit=0, direction="backward"), "Direction 'backward' is not available")):
        with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
            step_by_hand(config, weights, x, **arguments)


def _random_weights(config, seed=7):
    """Saved weights of a freshly built, randomized model (no Keras sub-model needed)."""
    from rnnlab.trainer.models import build_model

    return saved_weights(randomize(build_model(config), seed=seed))
