"""The Keras code for a RunConfig, written out as a short script a student can copy and run.

The Build page shows this next to the model summary, so the step from "the settings I picked" to
"the code that makes this network" is one click. The script uses the Keras 3 functional API in the
keras-io style (`import keras`, `from keras import layers`) and builds exactly what
`rnnlab.trainer.models.build_model(config)` builds: the same layer names, sizes, activations, dropouts,
Bidirectional wrappers, the pooling layer when the top layer returns a sequence, the head, and the
compile step with the config's optimizer and learning rate. Each recurrent layer's line comes from
its cell's registry entry (rnnlab.cells); a cell that is not one of Keras's own layers brings the
code that defines its class, so the script stays self-contained. A stack of Dense layers (the
network with no memory) is written the book's way: Flatten (or, for text, an average over the
words), then each Dense layer with its Dropout. The character-level language model has no
pooling: its Dense softmax reads the top layer's sequence at every step, it is compiled with the
cross-entropy and scored in bits per character, and its training lines read the corpus and cut
the windows the way rnnlab.data.text does, in plain Python. A unit test executes the generated code and
compares the resulting model with build_model's, layer by layer.

This module only writes text: it imports neither Keras nor TensorFlow, so the web page can use it.
"""
from __future__ import annotations

import textwrap

from rnnlab.cells import CELLS
from rnnlab.config import LayerConfig, RunConfig
from rnnlab.config.catalog import TEXT_VOCABULARY
from rnnlab.config.execution_path import ExecutionPath, choose_path
from rnnlab.data.spec import DataSpec, data_spec
from rnnlab.data.synthetic import split_sizes, start_steps
from rnnlab.network.naming import (
    FLATTEN_NAME,
    INPUT_NAMES,
    WORD_AVERAGE_NAME,
    dropout_name,
    head_name,
    layer_name,
    model_name,
    recurrent_name,
)

# The language model's task (rnnlab.data.spec): a softmax over the characters at every step.
NEXT_CHARACTER = "next_character"

# Keras class names for the config's optimizer names (rnnlab.trainer.models.OPTIMIZERS holds the classes).
OPTIMIZER_CLASSES = {"rmsprop": "RMSprop", "adam": "Adam"}


def _comment(text: str, indent: str = "") -> list[str]:
    """`text` as comment lines of at most 80 characters (the code box shows them whole)."""
    return textwrap.wrap(text, width=80, initial_indent=indent + "# ",
                         subsequent_indent=indent + "# ")


def _number(value: float) -> str:
    """A float as Python reads it back exactly (0.001, 1e-05, 0.2)."""
    return repr(float(value))


def _layer_call(index: int, layer: LayerConfig) -> list[str]:
    """The lines that apply recurrent layer `index` to x, wrapped in Bidirectional if asked."""
    head = f"{CELLS[layer.cell].keras_class}("
    args = [f"{layer.units}", f'activation="{layer.activation}"',
            f"dropout={_number(layer.dropout)}",
            f"recurrent_dropout={_number(layer.recurrent_dropout)}",
            f"return_sequences={layer.return_sequences}",
            f'name="{recurrent_name(index, layer)}"']
    if not layer.bidirectional:
        prefix = "x = " + head
        lines = [prefix + ", ".join(args[:4]) + ","]
        lines.append(" " * len(prefix) + ", ".join(args[4:]) + ")(x)")
        return lines
    prefix = "rnn = " + head
    return [prefix + ", ".join(args[:4]) + ",",
            " " * len(prefix) + ", ".join(args[4:]) + ")",
            f'x = layers.Bidirectional(rnn, name="{layer_name(index, layer)}")(x)']


def _layer_comment(index: int, config: RunConfig, timesteps: int, example: str) -> list[str]:
    layer, depth = config.layers[index - 1], len(config.layers)
    width = layer.units * (2 if layer.bidirectional else 1)
    where = f"Layer {index} of {depth}" if depth > 1 else "The recurrent layer"
    text = f"{where}: {CELLS[layer.cell].in_a_sentence} with {layer.units} units"
    if layer.bidirectional:
        text += (", read forwards and backwards (Bidirectional concatenates the two states, so "
                 f"{width} numbers come out)")
    if layer.return_sequences:
        why = (f"Layer {index + 1} reads one vector per timestep." if index < depth
               else "The head reads it at every step." if config.task == NEXT_CHARACTER
               else "A pooling layer averages it over time.")
        text += f". It returns its whole sequence, (batch, {timesteps}, {width}). {why}"
    else:
        text += f". It returns only its last state, one vector per {example}: (batch, {width})."
    if layer.recurrent_dropout > 0:
        text += (" recurrent_dropout > 0 stops Keras from using its fast fused kernel (cuDNN on "
                 "a GPU), so training is slower.")
    return _comment(text)


def _feedforward_lines(config: RunConfig, spec: DataSpec, example: str) -> list[str]:
    """The Dense stack: the input made one vector per example, then each Dense layer (and its
    Dropout), with a comment on each."""
    if spec.is_text:
        lines = _comment(f"No memory: average the word vectors into one vector per review, "
                         f"(batch, {spec.embedding_dim}). A bag of words: the order of the "
                         "words is lost.")
        lines.append(f'x = layers.GlobalAveragePooling1D(name="{WORD_AVERAGE_NAME}")(x)')
        inputs = spec.embedding_dim
    else:
        inputs = spec.timesteps * spec.features
        lines = _comment(f"No memory: lay the {spec.timesteps} steps of {spec.features} "
                         f"number{'s' * (spec.features != 1)} side by side, (batch, {inputs}). "
                         "Every reading is there, but nothing says which came first.")
        lines.append(f'x = layers.Flatten(name="{FLATTEN_NAME}")(x)')
    depth = len(config.layers)
    for index, layer in enumerate(config.layers, start=1):
        where = f"Layer {index} of {depth}" if depth > 1 else "The hidden layer"
        text = (f"{where}: a Dense layer of {layer.units} units, each reading all {inputs} "
                f"numbers below it: (batch, {layer.units}), one vector per {example}.")
        if layer.dropout > 0:
            text += f" Dropout then zeroes {layer.dropout:.0%} of them while training."
        lines += ["", *_comment(text),
                  f'x = layers.Dense({layer.units}, activation="{layer.activation}", '
                  f'name="{layer_name(index, layer)}")(x)']
        if layer.dropout > 0:
            lines.append(f'x = layers.Dropout({_number(layer.dropout)}, '
                         f'name="{dropout_name(index)}")(x)')
        inputs = layer.units
    return lines


def _definitions(config: RunConfig) -> list[str]:
    """The code that defines each custom cell class the layers use, once per cell."""
    lines: list[str] = []
    if config.is_feedforward:
        return lines
    for name in dict.fromkeys(layer.cell for layer in config.layers):
        cell = CELLS[name]
        if cell.keras_definitions:
            lines += _comment(f"{cell.in_a_sentence[0].upper()}{cell.in_a_sentence[1:]} is not "
                              f"one of Keras's own layers: the code below defines it as "
                              f"{cell.keras_class} (RNN Lab builds its models from this same "
                              "code).")
            lines += [*cell.keras_definitions.strip("\n").splitlines(), "", ""]
    return lines


def character_input_lines(config: RunConfig, spec: DataSpec) -> list[str]:
    """The language model's input and Embedding lines, with what they hold."""
    steps, width = spec.timesteps, spec.embedding_dim
    lines = _comment(f"Each window is {steps} character ids ({config.text.corpus} corpus): the "
                     f"newline and the {len(TEXT_VOCABULARY) - 1} printable ASCII characters "
                     f"are ids 0 to {len(TEXT_VOCABULARY) - 1}, any other character is "
                     f"{spec.vocab_size - 1}.")
    lines.append(f'inputs = keras.Input(shape=({steps},), dtype="int32", '
                 f'name="{INPUT_NAMES[config.dataset]}")')
    lines += _comment(f"Each of the {spec.vocab_size} character ids becomes a learned vector of "
                      f"{width} numbers: (batch, {steps}, {width}).")
    lines.append(f'x = layers.Embedding({spec.vocab_size}, {width}, mask_zero=False, '
                 'name="embedding")(inputs)')
    return lines


def character_head_lines(config: RunConfig, spec: DataSpec) -> list[str]:
    """The per-step softmax head and the bits-per-character metric it is scored with."""
    lines = _comment(f"Many-to-many: no pooling. The same Dense softmax reads the top layer's "
                     f"state at every step and gives each of the {spec.vocab_size} characters a "
                     f"probability of coming next: (batch, {spec.timesteps}, {spec.vocab_size}).")
    lines.append(f'outputs = layers.Dense({spec.vocab_size}, activation="softmax", '
                 f'name="{head_name(config.dataset)}")(x)')
    lines += ["", "", "def bits_per_character(y_true, y_pred):",
              '    """The cross-entropy in bits (lower is better): the loss / ln 2."""',
              "    loss = keras.losses.sparse_categorical_crossentropy(y_true, y_pred)",
              "    return loss / math.log(2.0)", "", "",
              'bits_per_character.__name__ = "bpc"  # Keras reports "bpc" and "val_bpc"']
    return lines


def character_training_lines(config: RunConfig, spec: DataSpec) -> list[str]:
    """The training call as comments: read the corpus as rnnlab.data.text does, cut it into
    windows and their next characters, fit."""
    text, training = config.text, config.training
    if text.corpus == "python":
        lines = _comment("To train it, read the Python standard library's public top-level "
                         "modules in name order (rnnlab.data.text does the same):")
        lines += ["# import sysconfig",
                  "# import numpy as np",
                  "# from pathlib import Path",
                  '# library = Path(sysconfig.get_paths()["stdlib"])',
                  '# files = sorted(p for p in library.glob("*.py")',
                  '#                if not p.name.startswith("_"))']
        read = '#     part = file.read_text(encoding="utf-8", errors="replace")'
    else:
        lines = _comment("To train it, read the IMDB training reviews' text from the aclImdb "
                         "folder in name order (rnnlab.data.text does the same):")
        lines += ["# import numpy as np",
                  "# from pathlib import Path",
                  '# files = sorted(p for p in Path("aclImdb").rglob("*.txt")',
                  '#                if p.parent.parent.name == "train"',
                  '#                and p.parent.name in ("neg", "pos"))']
        read = ('#     part = file.read_text(encoding="utf-8").replace("<br />", "\\n")'
                ' + "\\n\\n"')
    lines += ["# parts, total = [], 0",
              "# for file in files:",
              f"#     if total >= {text.corpus_chars}:",
              "#         break",
              read,
              "#     parts.append(part)",
              "#     total += len(part)",
              f'# corpus = "".join(parts)[:{text.corpus_chars}]',
              "# vocabulary = \"\\n\" + \"\".join(chr(code) for code in range(32, 127))",
              "# index = {character: i for i, character in enumerate(vocabulary)}",
              f"# ids = np.array([index.get(c, {spec.vocab_size - 1}) for c in corpus], "
              'dtype="int32")',
              f"# held_out = int(len(ids) * {training.validation_split!r})",
              "# train_end = len(ids) - 2 * held_out",
              "# def windows(part):  # the targets: each character's next character",
              f"#     count = (len(part) - 1) // {spec.timesteps}",
              f"#     inputs = part[:count * {spec.timesteps}].reshape(count, {spec.timesteps})",
              f"#     targets = part[1:count * {spec.timesteps} + 1].reshape(count, "
              f"{spec.timesteps})",
              "#     return inputs, targets",
              "# x_train, y_train = windows(ids[:train_end])",
              "# x_val, y_val = windows(ids[train_end:train_end + held_out])",
              f"# model.fit(x_train, y_train, batch_size={training.batch_size}, "
              f"epochs={training.epochs},",
              "#           validation_data=(x_val, y_val))"]
    return lines


def keras_code(config: RunConfig, spec: DataSpec | None = None,
               training_hint: bool = True, path: ExecutionPath | None = None) -> str:
    """A runnable Keras 3 script that builds and compiles the model `config` describes.

    Args:
        config: a valid RunConfig.
        spec: the input shape; derived from the config when not given (as build_model does).
        training_hint: end with the training call as comments (the notebook of
            rnnlab.network.notebook trains in cells of its own, so it leaves them out).
        path: the execution path to compile for (XLA adds `jit_compile=True`); by default the
            one the lab would train this config on (rnnlab.config.execution_path).
    Returns:
        Python source: imports, the functional model layer by layer with a comment on each,
        model.compile(...) and model.summary(), and the training call as comments. Executing it
        leaves the compiled model in the variable `model`.
    """
    spec = spec or data_spec(config)
    training = config.training
    text = spec.is_text
    characters = spec.task == NEXT_CHARACTER
    memory = config.dataset == "memory"
    example = ("window" if characters else "review" if text else "sequence" if memory
               else "window")
    lines = ['"""The model RNN Lab builds for these settings, in Keras 3:', "",
             f"    {config.label()}", '"""', *(["import math", ""] if characters else []),
             "import keras", "from keras import layers", "", *_definitions(config),
             f"keras.utils.set_random_seed({training.seed})  # same start weights every time", ""]
    if characters:
        lines += character_input_lines(config, spec)
    elif text:
        lines += _comment(f"Each review is {spec.timesteps} word ids (0 pads shorter reviews in "
                          "front, 1 marks the start, 2 stands for a rare word).")
        lines.append(f'inputs = keras.Input(shape=({spec.timesteps},), dtype="int32", '
                     f'name="{INPUT_NAMES[config.dataset]}")')
        skips = ("the average leave out" if config.is_feedforward
                 else "the recurrent layers skip")
        mask = f" mask_zero=True makes {skips} the padding." if spec.mask_padding else ""
        lines += _comment(f"Each of the {spec.vocab_size:,} word ids becomes a learned vector of "
                          f"{spec.embedding_dim} numbers: (batch, {spec.timesteps}, "
                          f"{spec.embedding_dim}).{mask}")
        lines.append(f"x = layers.Embedding({spec.vocab_size}, {spec.embedding_dim}, "
                     f'mask_zero={spec.mask_padding}, name="embedding")(inputs)')
    elif memory:
        lines += _comment(f"Each sequence is {spec.timesteps} steps of two readings: a random "
                          "value between 0 and 1, and a marker (1 at two steps: one near the "
                          "start, one in the second half). The answer is whether the two marked "
                          "values add up to more than 1.")
        lines.append(f'inputs = keras.Input(shape=({spec.timesteps}, 2), '
                     f'name="{INPUT_NAMES[config.dataset]}")')
        lines.append("x = inputs")
    else:
        source = config.weather.source
        lines += _comment(f"Each window is {spec.timesteps} readings of {spec.features} "
                          f"measurement{'s' * (spec.features != 1)} from the {source} record "
                          f"(one every {config.weather.step_hours} h, normalized).")
        lines.append(f"inputs = keras.Input(shape=({spec.timesteps}, {spec.features}), "
                     f'name="{INPUT_NAMES[config.dataset]}")')
        lines.append("x = inputs")
    if config.is_feedforward:
        lines += ["", *_feedforward_lines(config, spec, example)]
    else:
        for index in range(1, len(config.layers) + 1):
            lines.append("")
            lines += _layer_comment(index, config, spec.timesteps, example)
            lines += _layer_call(index, config.layers[index - 1])
    lines.append("")
    if config.layers[-1].return_sequences and not characters:
        lines += _comment(f"Average the top layer's sequence over time: one vector per {example}.")
        lines.append('x = layers.GlobalAveragePooling1D(name="average_over_time")(x)')
    if characters:
        lines += character_head_lines(config, spec)
        loss, metric = "sparse_categorical_crossentropy", None
    elif spec.task == "binary":
        what = "the marked values add up to more than 1" if memory else "the review is positive"
        lines += _comment(f"One sigmoid unit: the probability that {what}.")
        lines.append(f'outputs = layers.Dense(1, activation="sigmoid", '
                     f'name="{head_name(config.dataset)}")(x)')
        loss, metric = "binary_crossentropy", "accuracy"
    else:
        target = config.weather.target
        lines += _comment(f"One linear unit: the {target} forecast {config.weather.delay_hours} h "
                          "after the window ends, in normalized units.")
        lines.append(f'outputs = layers.Dense(1, name="{head_name(config.dataset)}")(x)')
        loss, metric = "mae", "mae"
    optimizer = OPTIMIZER_CLASSES[training.optimizer]
    xla = (path or choose_path(config)).xla
    lines += [f'model = keras.Model(inputs, outputs, name="{model_name(config)}")',
              "model.compile(",
              f"    optimizer=keras.optimizers.{optimizer}(learning_rate="
              f"{_number(training.learning_rate)}),",
              f'    loss="{loss}",',
              f'    metrics=["{metric}"],' if metric else "    metrics=[bits_per_character],",
              *(["    # XLA compiles the whole training step: the fastest path measured for this",
                 "    # cell on a CPU (the first batch waits a few seconds for the compiler).",
                 "    jit_compile=True,"] if xla else []),
              ")",
              "model.summary()",
              ""]
    if not training_hint:
        return "\n".join(lines)
    if memory:
        sizes = split_sizes(config.memory, training.validation_split)
        lines += _comment("To train it, make the task with NumPy (rnnlab.data.synthetic does the "
                          "same, with a balanced, seeded stream per set):")
        lines += ["# import numpy as np",
                  f"# rng = np.random.default_rng({training.seed})",
                  "# def make(n):",
                  f"#     values = rng.uniform(0, 1, (n, {spec.timesteps}))",
                  f"#     first = rng.integers(0, {start_steps(spec.timesteps)}, n)  # near the start",
                  f"#     second = rng.integers({spec.timesteps // 2}, {spec.timesteps}, n)  "
                  "# in the second half",
                  "#     markers = np.zeros_like(values)",
                  "#     markers[np.arange(n), first] = markers[np.arange(n), second] = 1",
                  "#     total = values[np.arange(n), first] + values[np.arange(n), second]",
                  "#     x = np.stack([values, markers], axis=-1).astype(\"float32\")",
                  "#     return x, (total > 1).astype(\"float32\")",
                  f"# (x_train, y_train), (x_val, y_val) = make({sizes['train']}), "
                  f"make({sizes['val']})",
                  f"# model.fit(x_train, y_train, batch_size={training.batch_size}, "
                  f"epochs={training.epochs},",
                  "#           validation_data=(x_val, y_val))"]
    elif characters:
        lines += character_training_lines(config, spec)
    elif text:
        lines += _comment("To train it on IMDB (the lab also holds out the last "
                          f"{training.validation_split:.0%} of the training reviews):")
        lines += [f"# (x_train, y_train), _ = keras.datasets.imdb.load_data(num_words="
                  f"{config.imdb.num_words})",
                  f"# x_train = keras.utils.pad_sequences(x_train, maxlen={config.imdb.maxlen})",
                  f"# model.fit(x_train, y_train, batch_size={training.batch_size}, "
                  f"epochs={training.epochs}, validation_split={training.validation_split!r})"]
    else:
        lines += _comment(f"To train it, cut the {config.weather.source} record into windows of this shape "
                          "(rnnlab.data.weather does it), then:")
        lines += [f"# model.fit(x_train, y_train, batch_size={training.batch_size}, "
                  f"epochs={training.epochs},",
                  "#           validation_data=(x_val, y_val))"]
    return "\n".join(lines) + "\n"
