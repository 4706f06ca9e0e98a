"""The settings of one run, section by section, and the values each setting may take.

A run is described in four option sections plus a stack of layers; `rnnlab.config.run.RunConfig`
holds one of each:

- `LayerConfig`: one layer of the stack (cell, units, activation, dropouts, direction, outputs):
  a recurrent cell, or Dense, the feed-forward contender with no memory;
- `ImdbOptions`: how movie reviews become sequences of word ids (the sentiment lesson);
- `WeatherOptions`: how a temperature record becomes (window, target) pairs (forecasting);
- `MemoryOptions`: the generated adding problem (the long-memory lesson);
- `TextOptions`: how a corpus becomes windows of characters (the language model that writes);
- `TrainingOptions`: how the network is fitted (optimizer, learning rate, batches, epochs).

Every default reproduces the textbook setup (Chollet, *Deep Learning with Python*, ch. 6): IMDB
with the 10,000 most frequent words, reviews cut to their last 500 tokens, a 32-dimensional
embedding, one 32-unit LSTM, rmsprop, batch 128, 10 epochs, 20 % of the training reviews held out.

The sections are plain frozen dataclasses: they hold values and check nothing. The checks live in
`rnnlab.config.run_validation`, which reads the allowed values below. A link flattens the sections
into one namespace (`?units=64&epochs=3`), so no two sections may share a field name.
"""
from __future__ import annotations

from dataclasses import dataclass

from rnnlab.cells import CELLS as CELL_REGISTRY

# The recurrent cells a layer may use: every entry of the cell registry (rnnlab.cells), in
# teaching order.
CELLS = tuple(CELL_REGISTRY)
# The contender with no memory: a densely connected layer, y = act(x W + b). It is not a cell of
# the registry (it has no step equations, gates or states): a stack of Dense layers reads the
# whole input at once, the window flattened or the review's word vectors averaged, so it sees
# every reading but keeps nothing from one step to the next. A stack is all Dense or all recurrent.
FEEDFORWARD = "Dense"
# Everything a layer's `cell` may name: the recurrent cells, then Dense.
LAYER_KINDS = CELLS + (FEEDFORWARD,)
# How menus name the Dense layer and what it is, in one line (the cells' own are in the registry).
FEEDFORWARD_TITLE = "Dense (no memory)"
FEEDFORWARD_DESCRIPTION = ("a densely connected layer, y = act(x W + b), that reads the whole "
                           "input at once (the window flattened, or the word vectors averaged) "
                           "and keeps no state from step to step: what recurrence buys is what "
                           "a recurrent cell does better than this.")
ACTIVATIONS = ("tanh", "relu", "sigmoid")
OPTIMIZERS = ("rmsprop", "adam")
DATASETS = ("imdb", "weather", "memory", "text")
# The corpora the character-level language model can read (rnnlab.data.text).
TEXT_CORPORA = ("python", "imdb")
# A stack of at most this many layers, each of at most this many units, trains within a lesson.
MAX_LAYERS = 4
MAX_UNITS = 1024
# The long-memory task is generated in memory: at most this many readings (examples x steps, about
# 80 MB as float32), or generating and training it would not fit a lesson.
MEMORY_MAX_READINGS = 20_000_000


def layer_title(kind: str) -> str:
    """How a menu names a layer kind: the cell's title from the registry, or "Dense (no memory)".

    Raises:
        KeyError: `kind` is neither a cell of the registry nor Dense.
    """
    return FEEDFORWARD_TITLE if kind == FEEDFORWARD else CELL_REGISTRY[kind].title


@dataclass(frozen=True)
class LayerConfig:
    """One layer of the stack: a recurrent cell, or a Dense layer with no memory."""

    # Which recurrent cell, by its name in the registry (rnnlab.cells): SimpleRNN (h_t = act(x_t K
    # + h_{t-1} R + b)), LSTM (gated, with a separate cell state), GRU (gated, lighter than LSTM),
    # PeepholeLSTM (an LSTM whose gates also read the cell state); or Dense, a layer with no
    # memory at all (y = act(x W + b) on the whole input at once, see FEEDFORWARD).
    cell: str = "LSTM"
    # Size of the hidden state h_t (and of the LSTM cell state c_t): how much the layer can remember.
    units: int = 32
    # Squashing function for the new state / candidate; the gates always use a sigmoid.
    activation: str = "tanh"
    # Fraction of the inputs x_t dropped at random while training (a regulariser); for a Dense
    # layer, of its outputs (a Dropout layer after it, as in the book).
    dropout: float = 0.0
    # Fraction of the previous state h_{t-1} dropped while training; above 0 Keras leaves its fast
    # fused kernel (cuDNN on a GPU), so training is slower. A Dense layer has no state: always 0.
    recurrent_dropout: float = 0.0
    # Also read the sequence backwards and concatenate both directions (twice the units out).
    # A Dense layer reads the whole input at once, in no direction: always off.
    bidirectional: bool = False
    # Output h_t at every timestep (True) or only the last one, h_T (False). A Dense layer has no
    # timesteps to output: always off.
    return_sequences: bool = False


@dataclass(frozen=True)
class ImdbOptions:
    """How IMDB reviews become sequences of word ids."""

    # Keep the num_words - 3 most frequent words; rarer words become the out-of-vocabulary id 2.
    num_words: int = 10_000
    # Reviews are cut to their last maxlen tokens, shorter ones padded with 0 in front (Keras's
    # pad_sequences defaults, padding="pre", truncating="pre").
    maxlen: int = 500
    # Length of the learned vector for each word (the Embedding layer's output size).
    embedding_dim: int = 32
    # Train on only the first N training reviews (0 = all 25,000); the test set is cut to the same
    # size, so quick classroom runs stay quick.
    train_subset: int = 0
    # Tell the recurrent layers to skip the padding ids (Embedding mask_zero=True). The book does
    # not; with pre-padding the last state is unaffected either way, but pooled outputs are.
    mask_padding: bool = False


@dataclass(frozen=True)
class WeatherOptions:
    """How a temperature record becomes (window, target) pairs.

    Times are in hours whatever the source's sampling, so one config reads the same on the hourly
    New York record and the ten-minute Jena record. The default lookback is 240 hours (10 days,
    1440 ten-minute rows): the book's code uses 1440, its prose says 720.
    """

    # Which record: "nyc-jfk", "nyc-ewr" or "nyc-lga" (one New York airport, 8 measurements, bundled
    # and offline), "nyc-all" (JFK and its two neighbours, 24) or "jena" (14 features, downloaded
    # once, the book's dataset).
    source: str = "nyc-jfk"
    # How far back each input window reaches, in hours.
    lookback_hours: int = 240
    # Keep one reading every step_hours inside the window (the book samples Jena hourly).
    step_hours: int = 1
    # How far after the last reading of the window the target lies, in hours (24 = tomorrow).
    delay_hours: int = 24
    # The column to forecast; every source has "T (degC)" (at JFK for "nyc-all") and offers its
    # other columns too.
    target: str = "T (degC)"


@dataclass(frozen=True)
class MemoryOptions:
    """The generated long-memory task (rnnlab.data.synthetic): the adding problem, yes or no.

    Each step holds a random value between 0 and 1 and a marker; two steps are marked, one near
    the start and one in the second half. The answer (1 if the two marked values add up to more
    than 1) needs the value from the start remembered until the end.
    """

    # Steps per sequence: how long the network must carry the early marked value (the lag).
    sequence_length: int = 50
    # Sequences generated for training and validation together (validation_split of them are
    # held out); a test set of the validation set's size is generated on top.
    examples: int = 4_000


@dataclass(frozen=True)
class TextOptions:
    """How a corpus becomes windows of characters for the character-level language model.

    The model reads `window_chars` characters and predicts, at every one of them, the character
    that comes next (many-to-many): the targets are the same window shifted by one character.
    Characters become ids with a fixed vocabulary (rnnlab.config.catalog.TEXT_VOCABULARY).
    """

    # Which text: "python" (the Python standard library's own source files, read from the
    # running interpreter: on every machine, no data folder needed) or "imdb" (the review text,
    # from the data folder).
    corpus: str = "python"
    # Characters in each training window: how far back the model is trained to look.
    window_chars: int = 100
    # Read only the first N characters of the corpus: training, then validation, then test, the
    # last two each validation_split of it.
    corpus_chars: int = 400_000
    # Length of the learned vector for each character (the Embedding layer's output size).
    char_embedding_dim: int = 16


@dataclass(frozen=True)
class TrainingOptions:
    """How the network is fitted."""

    # The update rule: rmsprop (the book's choice for recurrent networks) or adam.
    optimizer: str = "rmsprop"
    # Size of each step down the loss surface; too large and the loss explodes.
    learning_rate: float = 1e-3
    # Examples per gradient step.
    batch_size: int = 128
    # Full passes over the training data.
    epochs: int = 10
    # Share held out for validation. IMDB: the last reviews of the shuffled training set (like
    # Keras's validation_split). Weather: the series ends with a validation stretch and then a test
    # stretch, each this share of the record. Long-memory task: this share of the examples.
    validation_split: float = 0.2
    # Stop when the validation loss has not improved for this many epochs (0 = never stop early)
    # and keep the best weights.
    early_stopping_patience: int = 0
    # Seed for weights, shuffling and dropout: the same config and seed reproduce the run.
    seed: int = 1
