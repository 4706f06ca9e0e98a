"""Validation of a run config: every setting checked, every problem reported at once, in words.

`validate_run(config)` returns the list of `Problem`s of a RunConfig (empty when it can be
trained); RunConfig raises them as one `ConfigError` when it is created. The checks follow the
sections of `rnnlab.config.options`, and besides each setting's own range they check the settings
that constrain each other:

- weather: a window reaches from its first reading to its target, (readings - 1) * step + delay
  hours, and must fit inside the smallest part of the chronological split (training, or one of
  validation and test), or that part has no window at all;
- the long-memory task: examples x steps readings are generated in memory, at most
  MEMORY_MAX_READINGS;
- IMDB: a training subset of a handful of reviews leaves no validation set;
- text: the corpus must hold windows enough for training, validation and test;
- the stack: all Dense layers (the network with no memory) or all recurrent layers, never a mix;
  the language model's stack is recurrent and reads forwards only (a backward direction would
  read the very character it has to predict).

Ranges and allowed values come from `rnnlab.config.options` and the dataset facts from
`rnnlab.config.catalog`, so a message can say exactly what is allowed and why.
"""
from __future__ import annotations

from typing import Any

from rnnlab.config.catalog import (
    IMDB_LONGEST_REVIEW,
    IMDB_MAX_NUM_WORDS,
    IMDB_TRAIN_SIZE,
    WEATHER_SOURCES,
)
from rnnlab.config.checks import (
    Problem,
    check_bool,
    check_choice,
    check_number,
    check_whole_number,
    is_number,
    is_whole_number,
    range_problem,
    shown,
)
from rnnlab.config.options import (
    ACTIVATIONS,
    DATASETS,
    FEEDFORWARD,
    LAYER_KINDS,
    MAX_LAYERS,
    MAX_UNITS,
    MEMORY_MAX_READINGS,
    OPTIMIZERS,
    TEXT_CORPORA,
    ImdbOptions,
    LayerConfig,
    MemoryOptions,
    TextOptions,
    TrainingOptions,
    WeatherOptions,
)


def validate_run(config) -> list[Problem]:
    """Every problem of a run config, in the order of its sections; empty if it can be trained.

    Args:
        config: a RunConfig (any object with its fields: dataset, imdb, weather, memory, text,
            layers, training), checked whatever types its fields hold.

    Returns:
        The problems found, each naming the setting, the value and what is allowed.
    """
    problems: list[Problem] = []
    check_choice(problems, "dataset", "Dataset", config.dataset, DATASETS,
                 "the lab has a sentiment lesson (imdb), a forecasting lesson (weather), a "
                 "generated long-memory task (memory) and a character-level language model "
                 "(text)")
    if isinstance(config.imdb, ImdbOptions):
        problems += _validate_imdb(config.imdb)
    else:
        problems.append(Problem("imdb", config.imdb, "imdb must be an ImdbOptions."))
    if isinstance(config.weather, WeatherOptions):
        problems += _validate_weather(config.weather, config.training.validation_split
                                      if isinstance(config.training, TrainingOptions) else 0.2)
    else:
        problems.append(Problem("weather", config.weather, "weather must be a WeatherOptions."))
    if isinstance(config.memory, MemoryOptions):
        problems += _validate_memory(config.memory)
    else:
        problems.append(Problem("memory", config.memory, "memory must be a MemoryOptions."))
    split = (config.training.validation_split
             if isinstance(config.training, TrainingOptions) else 0.2)
    if isinstance(config.text, TextOptions):
        problems += _validate_text(config.text, split)
    else:
        problems.append(Problem("text", config.text, "text must be a TextOptions."))
    problems += _validate_layers(config.layers)
    if config.dataset == "text" and not problems:
        problems += _language_model_stack(config.layers)
    if isinstance(config.training, TrainingOptions):
        problems += _validate_training(config.training)
    else:
        problems.append(Problem("training", config.training, "training must be a TrainingOptions."))
    return problems


def depth_problem(depth: Any) -> Problem | None:
    """The problem of a stack depth outside 1 to MAX_LAYERS, or None if the depth is allowed."""
    if is_whole_number(depth) and 1 <= depth <= MAX_LAYERS:
        return None
    return range_problem("layers", "Number of layers", depth, 1, MAX_LAYERS,
                         "a stack needs at least one recurrent layer, and deeper stacks train "
                         "too slowly for a lesson")


def _validate_layers(layers) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(layers, tuple) or not all(isinstance(l, LayerConfig) for l in layers):
        return [Problem("layers", layers, "layers must be a list of LayerConfig.")]
    problem = depth_problem(len(layers))
    if problem:
        return [problem]
    for i, layer in enumerate(layers, start=1):
        where, label = f"layers.{i}", f"Layer {i}"
        check_choice(problems, f"{where}.cell", f"{label} cell", layer.cell, LAYER_KINDS,
                     "those are the recurrent cells the lab knows, and Dense, a layer with no "
                     "memory")
        check_whole_number(problems, f"{where}.units", f"{label} units", layer.units, 1,
                           MAX_UNITS, "units is the size of the hidden state, and a layer needs "
                           "at least one")
        check_choice(problems, f"{where}.activation", f"{label} activation", layer.activation,
                     ACTIVATIONS, "the state is squashed by one of these")
        for name, what in (("dropout", "inputs"), ("recurrent_dropout", "previous state")):
            check_number(problems, f"{where}.{name}", f"{label} {name.replace('_', ' ')}",
                         getattr(layer, name), 0.0, 0.9,
                         f"it is the share of the {what} dropped while training, and dropping "
                         "more than 90 % leaves nothing to learn from")
        check_bool(problems, f"{where}.bidirectional", f"{label} bidirectional",
                   layer.bidirectional)
        check_bool(problems, f"{where}.return_sequences", f"{label} return_sequences",
                   layer.return_sequences)
    return problems + _mixed_stack(layers)


def _mixed_stack(layers: tuple[LayerConfig, ...]) -> list[Problem]:
    """A problem for every layer whose kind (Dense or recurrent) is not the bottom layer's."""
    bottom = layers[0].cell
    if bottom not in LAYER_KINDS:
        return []
    problems = []
    for i, layer in enumerate(layers[1:], start=2):
        if layer.cell in LAYER_KINDS and (layer.cell == FEEDFORWARD) != (bottom == FEEDFORWARD):
            problems.append(Problem(
                f"layers.{i}.cell", layer.cell,
                f"Layer {i} cell is {layer.cell}, but layer 1 is {bottom}: a stack is either all "
                "Dense layers (a network with no memory, which reads the whole input at once) or "
                "all recurrent layers, so that the lessons compare one kind with the other. Make "
                "every layer Dense, or none."))
    return problems


def _language_model_stack(layers: tuple[LayerConfig, ...]) -> list[Problem]:
    """The language model predicts the next character at every step from the characters so far:
    a Dense stack has no steps to predict at, and a backward direction would read the answer."""
    if layers[0].cell == FEEDFORWARD:
        return [Problem("layers.1.cell", FEEDFORWARD,
                        "Layer 1 cell is Dense, but the language model predicts the next "
                        "character at every step from the characters before it, which takes a "
                        "recurrent cell. Pick SimpleRNN, LSTM or GRU.")]
    return [Problem(f"layers.{i}.bidirectional", True,
                    f"Layer {i} is bidirectional, but the language model must not read ahead: "
                    "its backward direction would read the very next character it is asked to "
                    "predict, and it would score well without learning to write. Turn "
                    "bidirectional off.")
            for i, layer in enumerate(layers, start=1) if layer.bidirectional]


def _validate_text(text: TextOptions, validation_split) -> list[Problem]:
    problems: list[Problem] = []
    check_choice(problems, "text.corpus", "Corpus", text.corpus, TEXT_CORPORA,
                 "the lab reads the Python standard library's source (python, on every "
                 "machine) or the IMDB reviews (imdb, from the data folder)")
    check_whole_number(problems, "text.window_chars", "Window (characters)", text.window_chars,
                       2, 1000, "the model is trained to predict each character from those "
                       "before it in a window of this many, and longer windows train too slowly "
                       "for a lesson")
    check_whole_number(problems, "text.corpus_chars", "Corpus size (characters)",
                       text.corpus_chars, 10_000, 5_000_000, "the corpus is read into memory "
                       "and split into windows; fewer leave too little to learn from")
    check_whole_number(problems, "text.char_embedding_dim", "Character embedding size",
                       text.char_embedding_dim, 1, 256, "each character becomes a vector of "
                       "this many numbers")
    if problems or not is_number(validation_split):
        return problems
    held_out = int(text.corpus_chars * validation_split) // text.window_chars
    if held_out < 1:
        problems.append(Problem(
            "text.window_chars", text.window_chars,
            f"Window is {text.window_chars:,} characters, but validation and test get "
            f"{int(text.corpus_chars * validation_split):,} characters each "
            f"({validation_split} of {text.corpus_chars:,}): not one window. Use shorter "
            "windows or a larger corpus."))
    return problems


def _validate_imdb(imdb: ImdbOptions) -> list[Problem]:
    problems: list[Problem] = []
    check_whole_number(problems, "imdb.num_words", "Vocabulary size (num_words)", imdb.num_words,
                       4, IMDB_MAX_NUM_WORDS, "ids 0-2 are reserved for padding, start and "
                       "unknown words, and the IMDB word index has "
                       f"{IMDB_MAX_NUM_WORDS - 4:,} words")
    check_whole_number(problems, "imdb.maxlen", "Review length (maxlen)", imdb.maxlen, 1,
                       IMDB_LONGEST_REVIEW, "each review is cut or padded to this many tokens, "
                       "and the longest review is shorter than that")
    check_whole_number(problems, "imdb.embedding_dim", "Embedding size", imdb.embedding_dim, 1,
                       512, "each word becomes a vector of this many numbers")
    check_whole_number(problems, "imdb.train_subset", "Training subset", imdb.train_subset, 0,
                       IMDB_TRAIN_SIZE, f"0 means all {IMDB_TRAIN_SIZE:,} training reviews")
    if is_whole_number(imdb.train_subset) and 0 < imdb.train_subset < 20:
        problems.append(Problem("imdb.train_subset", imdb.train_subset,
                                f"Training subset is {imdb.train_subset}, but it must be 0 (all) or "
                                "at least 20: a handful of reviews leaves no validation set."))
    check_bool(problems, "imdb.mask_padding", "Mask padding", imdb.mask_padding)
    return problems


def _validate_weather(weather: WeatherOptions, validation_split) -> list[Problem]:
    problems: list[Problem] = []
    check_choice(problems, "weather.source", "Weather source", weather.source,
                 tuple(WEATHER_SOURCES), "those are the temperature records the lab can read")
    check_whole_number(problems, "weather.step_hours", "Step", weather.step_hours, 1, 24,
                       "the window keeps one reading every step hours")
    check_whole_number(problems, "weather.delay_hours", "Forecast delay", weather.delay_hours, 1,
                       24 * 14, "the target lies this many hours after the window's last reading")
    check_whole_number(problems, "weather.lookback_hours", "Lookback", weather.lookback_hours, 1,
                       24 * 60, "the window reaches this many hours into the past")
    if problems or weather.source not in WEATHER_SOURCES:
        return problems
    source = WEATHER_SOURCES[weather.source]
    if weather.step_hours > weather.lookback_hours:
        problems.append(Problem("weather.step_hours", weather.step_hours,
                                f"Step is {weather.step_hours} h, longer than the lookback of "
                                f"{weather.lookback_hours} h: the window would hold no reading. "
                                "Use a step no longer than the lookback."))
    # A window reaches from its first reading to its target: (readings - 1) * step + delay hours.
    # It must fit inside the smallest part of the chronological split, or that part has no window.
    # (An invalid split is reported by the training checks; judge the lookback by the default.)
    split_is_valid = is_number(validation_split) and 0.05 <= validation_split <= 0.4
    split = validation_split if split_is_valid else 0.2
    held_out = int(source.nominal_hours * split)  # as rnnlab.data.weather.load_weather splits
    parts = {"training": source.nominal_hours - 2 * held_out, "validation": held_out}
    part, part_hours = min(parts.items(), key=lambda item: item[1])
    readings = weather.lookback_hours // weather.step_hours
    reach = (readings - 1) * weather.step_hours + weather.delay_hours
    if reach >= part_hours:
        problems.append(Problem(
            "weather.lookback_hours", weather.lookback_hours,
            f"Lookback {weather.lookback_hours} h plus delay {weather.delay_hours} h does not fit "
            f"in the {part_hours:,} h {part} part of the {weather.source} record "
            f"({source.nominal_hours:,} h in all): shorten the lookback or the delay."))
    if weather.target not in source.columns:
        problems.append(Problem("weather.target", weather.target,
                                f"Target is {shown(weather.target)}, but the {weather.source} record "
                                f"has only: {', '.join(source.columns)}."))
    return problems


def _validate_memory(memory: MemoryOptions) -> list[Problem]:
    problems: list[Problem] = []
    check_whole_number(problems, "memory.sequence_length", "Sequence length",
                       memory.sequence_length, 2, 1000, "one step near the start and one in the "
                       "second half are marked, and longer sequences take too long to train in a "
                       "lesson")
    check_whole_number(problems, "memory.examples", "Examples", memory.examples, 100, 100_000,
                       "this many sequences are generated for training and validation; fewer "
                       "leave too few to validate on")
    if problems:
        return problems
    readings = memory.sequence_length * memory.examples
    if readings > MEMORY_MAX_READINGS:
        problems.append(Problem(
            "memory.examples", memory.examples,
            f"Examples is {memory.examples:,} of {memory.sequence_length:,} steps each, "
            f"{readings:,} readings, but at most {MEMORY_MAX_READINGS:,} are allowed: the task is "
            "generated in memory and must train within a lesson. Use fewer examples or shorter "
            "sequences."))
    return problems


def _validate_training(training: TrainingOptions) -> list[Problem]:
    problems: list[Problem] = []
    check_choice(problems, "training.optimizer", "Optimizer", training.optimizer, OPTIMIZERS,
                 "the lab offers the book's rmsprop and the popular adam")
    if not is_number(training.learning_rate) or not 0 < training.learning_rate <= 1:
        problems.append(Problem("training.learning_rate", training.learning_rate,
                                f"Learning rate is {shown(training.learning_rate)}, but it must be a "
                                "number above 0 and at most 1: it is the size of each step, and "
                                "a zero step never learns (try 0.001)."))
    check_whole_number(problems, "training.batch_size", "Batch size", training.batch_size, 1,
                       4096, "it is the number of examples per gradient step")
    check_whole_number(problems, "training.epochs", "Epochs", training.epochs, 1, 500,
                       "it is the number of passes over the training data")
    check_number(problems, "training.validation_split", "Validation split",
                 training.validation_split, 0.05, 0.4,
                 "too little validation data gives a noisy score, too much leaves little to "
                 "train on")
    check_whole_number(problems, "training.early_stopping_patience", "Early-stopping patience",
                       training.early_stopping_patience, 0, 100, "0 turns early stopping off")
    check_whole_number(problems, "training.seed", "Seed", training.seed, 0, 2**31 - 1,
                       "the seed fixes the random start so a run can be repeated")
    return problems
