"""The layer names every module shares (rnnlab.network.naming), against what Keras names them."""
from rnnlab.config import LayerConfig, RunConfig
from rnnlab.network.naming import head_name, layer_name, model_name, recurrent_name


def test_layers_are_named_by_their_cells_prefix_and_position():
    assert layer_name(1, LayerConfig(cell="LSTM")) == "lstm_1"
    assert layer_name(2, LayerConfig(cell="SimpleRNN")) == "simplernn_2"
    gru = LayerConfig(cell="GRU", bidirectional=True)
    assert (recurrent_name(3, gru), layer_name(3, gru)) == ("gru_3", "bidirectional_gru_3")


def test_the_model_and_its_head_are_named_by_dataset():
    assert model_name(RunConfig(layers=(LayerConfig(cell="GRU"), LayerConfig()))) == "imdb_gru"
    assert [head_name(d) for d in ("imdb", "weather", "memory")] == [
        "sentiment", "forecast", "sum_over_one"]


def test_keras_uses_the_same_names():
    from rnnlab.trainer.models import build_model

    config = RunConfig(dataset="memory", layers=(
        LayerConfig(cell="GRU", units=2, bidirectional=True), LayerConfig(cell="SimpleRNN", units=2)))
    model = build_model(config)
    assert model.name == model_name(config) == "memory_gru"
    assert [layer.name for layer in model.layers] == [
        "sequence", "bidirectional_gru_1", "simplernn_2", "sum_over_one"]
    assert model.get_layer("bidirectional_gru_1").forward_layer.name == "forward_gru_1"
