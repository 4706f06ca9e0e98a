"""rnnlab.ui.widgets: where a setting widget reads and writes its value in a config or a search.

The binder itself (a widget that springs back and explains a refused value) runs under AppTest
in tests/app; here are the places it reads and writes, which are plain functions of configs.
"""
import pytest

from rnnlab.config import ConfigError, LayerConfig, RunConfig
from rnnlab.config.search import SearchConfig
from rnnlab.ui import widgets

TWO_LAYERS = RunConfig(layers=(LayerConfig(cell="GRU", units=16, return_sequences=True),
                               LayerConfig(cell="LSTM", units=8)))


def test_a_field_reads_and_writes_a_dotted_path_through_sections_and_layers():
    epochs = widgets.field("training.epochs")
    assert epochs.read(TWO_LAYERS) == TWO_LAYERS.training.epochs
    changed = epochs.write(TWO_LAYERS, 7)
    assert changed.training.epochs == 7 and changed.layers == TWO_LAYERS.layers
    top_units = widgets.field("layers.1.units")
    assert top_units.read(TWO_LAYERS) == 8
    wider = top_units.write(TWO_LAYERS, 32)
    assert [layer.units for layer in wider.layers] == [16, 32]
    assert wider.layers[0] == TWO_LAYERS.layers[0]
    assert widgets.field("dataset").write(TWO_LAYERS, "memory").dataset == "memory"


def test_a_field_of_a_search_reaches_into_its_space():
    search = SearchConfig(RunConfig())
    units_max = widgets.field("space.units_max")
    assert units_max.write(search, 96).space.units_max == 96
    assert widgets.field("max_trials").write(search, 3).max_trials == 3


def test_writing_a_value_that_is_not_allowed_raises_the_configs_error():
    with pytest.raises(ConfigError, match="Layer 1 units is 0, but it must be a whole number"):
        widgets.field("layers.0.units").write(TWO_LAYERS, 0)
    with pytest.raises(ConfigError, match="Smallest units is 64, above the largest units 32"):
        widgets.field("space.units_min").write(
            widgets.field("space.units_max").write(SearchConfig(RunConfig()), 32), 64)


def test_a_labelled_field_shows_a_label_for_each_value():
    tabs = widgets.labelled("dataset", {"imdb": "IMDB movie reviews", "weather": "Weather"})
    assert tabs.read(RunConfig()) == "IMDB movie reviews"
    assert tabs.write(RunConfig(), "Weather").dataset == "weather"


def test_depth_adds_copies_of_the_layer_below_and_keeps_the_tops_choice():
    assert widgets.DEPTH.read(TWO_LAYERS) == 2
    deeper = widgets.DEPTH.write(TWO_LAYERS, 3)
    assert [(layer.cell, layer.units, layer.return_sequences) for layer in deeper.layers] == [
        ("GRU", 16, True), ("LSTM", 8, True), ("LSTM", 8, False)]
    back = widgets.with_depth(deeper, 2)
    assert back == TWO_LAYERS  # there and back gives the same model
    sequences_on_top = widgets.field("layers.1.return_sequences").write(TWO_LAYERS, True)
    assert widgets.with_depth(sequences_on_top, 1).layers == (
        LayerConfig(cell="GRU", units=16, return_sequences=True),)


def test_a_cell_changes_one_layer_but_dense_or_back_changes_the_whole_stack():
    place = widgets.cell_of(1)
    assert place.read(TWO_LAYERS) == "LSTM"
    one = place.write(TWO_LAYERS, "SimpleRNN")
    assert [layer.cell for layer in one.layers] == ["GRU", "SimpleRNN"]
    dense = place.write(TWO_LAYERS, "Dense")  # a mix would be refused: the stack goes Dense
    assert [(layer.cell, layer.units) for layer in dense.layers] == [("Dense", 16), ("Dense", 8)]
    assert not any(layer.return_sequences for layer in dense.layers)
    back = widgets.cell_of(0).write(dense, "GRU")
    assert [(layer.cell, layer.units, layer.return_sequences) for layer in back.layers] == [
        ("GRU", 16, True), ("GRU", 8, False)]
    assert widgets.with_cell(dense, 0, "Dense") == dense


def test_widget_values_become_config_values():
    assert widgets.from_widget([1, 2]) == (1, 2)  # a multiselect's list, a config's tuple
    assert widgets.from_widget(0.30000000000000004) == 0.3  # a slider's float noise
    assert widgets.from_widget(0.1 + 0.05) == 0.15
    assert widgets.from_widget(1e-5) == 1e-5  # a small learning rate is not rounded away
    assert widgets.from_widget(0.00012345) == 0.00012345
    assert widgets.from_widget(64) == 64 and widgets.from_widget("GRU") == "GRU"
    assert widgets.from_widget(True) is True
