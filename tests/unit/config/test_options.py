"""The run's sections: the textbook defaults, and one flat namespace of setting names for links."""
import dataclasses
import re

from rnnlab.config import (
    ImdbOptions,
    LayerConfig,
    MemoryOptions,
    RunConfig,
    TrainingOptions,
    WeatherOptions,
)


def test_defaults_are_the_textbook_imdb_setup():
    config = RunConfig()
    assert config.dataset == "imdb"
    assert (config.imdb.num_words, config.imdb.maxlen, config.imdb.embedding_dim) == (10_000, 500, 32)
    assert config.layers == (LayerConfig(cell="LSTM", units=32),)
    training = config.training
    assert (training.optimizer, training.batch_size, training.epochs, training.validation_split) == (
        "rmsprop", 128, 10, 0.2)
    assert config.weather.lookback_hours == 240 and config.weather.delay_hours == 24


def test_every_link_key_belongs_to_one_setting_only():
    """Section fields share one flat namespace in links and command-line flags: no name twice,
    and none that looks like a layer key (l1_units) or a page's own key (owner, run, ...)."""
    names = [f.name for section in (ImdbOptions, WeatherOptions, MemoryOptions, TrainingOptions)
             for f in dataclasses.fields(section)]
    assert len(names) == len(set(names))
    reserved = {"dataset", "layers", "owner", "run", "compare", "race", "page"}
    assert not set(names) & reserved
    assert not [name for name in names if re.match(r"l\d+_", name)]
    query = RunConfig(dataset="memory").to_query(only_changed=False)
    assert {"sequence_length", "examples"} <= set(query)


def test_dense_is_a_layer_kind_after_the_cells_but_no_cell_of_the_registry():
    from rnnlab.cells import CELLS
    from rnnlab.config import CELLS as CONFIG_CELLS
    from rnnlab.config import FEEDFORWARD, LAYER_KINDS
    from rnnlab.config.options import layer_title

    assert FEEDFORWARD == "Dense" and FEEDFORWARD not in CELLS
    assert CONFIG_CELLS == tuple(CELLS) and LAYER_KINDS == (*CELLS, "Dense")
    assert layer_title("Dense") == "Dense (no memory)"
    assert layer_title("PeepholeLSTM") == CELLS["PeepholeLSTM"].title
