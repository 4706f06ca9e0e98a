"""The names of a model's layers, the same in every place that builds, describes or reads one.

Keras finds a layer, and a saved weight, by its name: "lstm_1/lstm_cell/kernel" is the kernel of
the first recurrent layer, "sentiment/bias" the head's bias. The trainer (rnnlab.trainer.models)
gives the layers these names, the summary (rnnlab.network.summary) and the generated code
(rnnlab.network.codegen) print them, and the replay (rnnlab.network.replay) looks the saved
weights up by them, so all four take them from here:

    input       "review" (word ids), "characters" (character ids), "weather_window" or
                "sequence" (readings)
    embedding   "embedding" (reviews and characters only)
    layer i     f"{prefix}_{i}", the prefix from the cell's registry entry: "lstm_1", "gru_2";
                wrapped in Bidirectional: "bidirectional_lstm_1", its halves "forward_lstm_1"
                and "backward_lstm_1"
    pooling     "average_over_time" (when the top layer returns its sequence)
    head        per dataset: "sentiment", "forecast", "sum_over_one" or "next_character" (the
                language model's, applied at every step)
    model       f"{dataset}_{prefix of the first layer's cell}", e.g. "imdb_lstm"

A stack of Dense layers (the network with no memory) has no cells; its layers are named

    reading     "flatten" (readings: the window laid out as one vector) or "average_over_words"
                (text: the review's word vectors averaged, a bag of words)
    layer i     f"dense_{i}", followed by f"dropout_{i}" when the layer's dropout is above 0
    model       f"{dataset}_dense", e.g. "weather_dense"
"""
from __future__ import annotations

from rnnlab.cells import CELLS
from rnnlab.config import FEEDFORWARD, LayerConfig, RunConfig

# The Dense stack's own names (see above): its layers' prefix and how it reads its input.
FEEDFORWARD_PREFIX = "dense"
FLATTEN_NAME = "flatten"
WORD_AVERAGE_NAME = "average_over_words"

# The Input layer's name per dataset (text reads word ids; the others read numbers).
INPUT_NAMES = {"imdb": "review", "weather": "weather_window", "memory": "sequence",
               "text": "characters"}

# The head's Keras name and what its one output means, per dataset.
HEADS: dict[str, tuple[str, str]] = {
    "imdb": ("sentiment", "probability that the review is positive (sigmoid)"),
    "weather": ("forecast", "the forecast, in normalized units (linear)"),
    "memory": ("sum_over_one", "probability that the marked values add up to more than 1 (sigmoid)"),
    "text": ("next_character", "at every step, the probability of each character of the "
                               "vocabulary coming next (softmax)"),
}


def head_name(dataset: str) -> str:
    """The Keras name of the Dense head for `dataset`, e.g. "sentiment" for imdb."""
    return HEADS[dataset][0]


def recurrent_name(index: int, layer: LayerConfig) -> str:
    """The name of recurrent layer `index` (1 = bottom) itself, e.g. "lstm_1", also inside a
    Bidirectional wrapper (whose halves Keras calls "forward_lstm_1" and "backward_lstm_1")."""
    return f"{CELLS[layer.cell].layer_prefix}_{index}"


def layer_name(index: int, layer: LayerConfig) -> str:
    """Keras name of layer `index` in the model, e.g. "lstm_1", "bidirectional_gru_2" or, for a
    Dense layer, "dense_1"."""
    if layer.cell == FEEDFORWARD:
        return f"{FEEDFORWARD_PREFIX}_{index}"
    name = recurrent_name(index, layer)
    return f"bidirectional_{name}" if layer.bidirectional else name


def dropout_name(index: int) -> str:
    """The name of the Dropout layer after Dense layer `index`, e.g. "dropout_1"."""
    return f"dropout_{index}"


def model_name(config: RunConfig) -> str:
    """The model's name, e.g. "imdb_lstm" or "weather_dense": the dataset and the bottom layer's
    cell."""
    cell = config.layers[0].cell
    prefix = FEEDFORWARD_PREFIX if cell == FEEDFORWARD else CELLS[cell].layer_prefix
    return f"{config.dataset}_{prefix}"
