"""RunConfig: inner layers made to return sequences, Dense layers without what they do not have,
notes in words, labels, frozen values."""
import dataclasses

import pytest

from rnnlab.config import LayerConfig, RunConfig


def layers(*items, **common):
    return tuple(LayerConfig(**{**common, **item}) for item in items)


def test_inner_layers_are_made_to_return_sequences_and_notes_say_why():
    config = RunConfig(layers=layers({}, dict(cell="GRU"), dict(cell="SimpleRNN")))
    assert [layer.return_sequences for layer in config.layers] == [True, True, False]
    notes = config.notes()
    assert "Layer 1 returns its whole sequence because layer 2" in notes[0]
    assert "Layer 2 returns its whole sequence because layer 3" in notes[1]


def test_notes_explain_pooling_and_the_slow_path():
    config = RunConfig(layers=layers(dict(return_sequences=True, recurrent_dropout=0.2)))
    text = " ".join(config.notes())
    assert "pooling layer averages it over time" in text
    assert "leaves Keras's fast fused kernel" in text


def test_configs_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        RunConfig().dataset = "weather"


def test_a_dense_layer_has_no_sequences_direction_or_state_and_notes_say_so():
    config = RunConfig(dataset="weather", layers=layers(
        dict(cell="Dense", bidirectional=True, recurrent_dropout=0.3, return_sequences=True),
        dict(cell="Dense", units=8, dropout=0.2, return_sequences=True)))
    assert [(l.bidirectional, l.recurrent_dropout, l.return_sequences) for l in config.layers] == [
        (False, 0.0, False)] * 2
    assert config.layers[1].dropout == 0.2 and config.is_feedforward
    (note,) = config.notes()
    assert "flattens the input into one long vector" in note
    assert ("bidirectional, return sequences and recurrent dropout do not apply to a dense "
            "layer") in note
    assert "bag of words" in RunConfig(layers=layers(dict(cell="Dense"))).notes()[0]
    assert not RunConfig().is_feedforward


def test_a_label_names_the_dense_layers_like_cells():
    config = RunConfig(dataset="weather", layers=layers(dict(cell="Dense", units=32)))
    assert config.label() == f"weather/{config.weather.source}: Dense(32)"
    two = RunConfig(dataset="memory", layers=layers(dict(cell="Dense"), dict(cell="Dense",
                                                                             units=8)))
    assert two.label() == "memory/50: Dense(32) > Dense(8)"
