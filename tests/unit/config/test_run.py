"""RunConfig: inner layers made to return sequences, notes in words, frozen values."""
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
