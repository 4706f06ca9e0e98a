"""Command line: train a config without the browser, list presets, print a model summary.

    python -m rnnlab train --preset imdb-lstm
    python -m rnnlab train --dataset weather --cell GRU --units 16 --epochs 3
    python -m rnnlab train --preset memory-quick --cell SimpleRNN --sequence-length 100
    python -m rnnlab train --preset text-quick --cell LSTM --epochs 3
    python -m rnnlab train --config my_run.json --seed 7
    python -m rnnlab summary --preset jena-gru --layers 2 --bidirectional
    python -m rnnlab summary --dataset weather --cell Dense --activation relu
    python -m rnnlab presets

Settings are layered: the preset or config file (else the textbook defaults), then each flag.
Layer flags (--cell, --units, ...) apply to every layer; --layers N repeats the top layer to make a
stack N deep; --cell takes a recurrent cell or Dense, the network with no memory. `train` prints
one line per epoch and, last, one JSON line with the scores; for the language model (text) it first
prints the unigram and bigram models' bits per character on the validation text, the lines the
epochs' val_bpc must cross, and after the epochs where the best run landed between them.
A setting that is not allowed exits with status 2 and the reason; a data problem with status 1.
Numbers are read in ASCII digits only (rnnlab.config.numbers), and a config file must be UTF-8
JSON of a sane size and depth (rnnlab.config.json_text); a value echoed back is cut short.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path

from rnnlab.config import (
    MAX_LAYERS,
    ConfigError,
    ImdbOptions,
    LayerConfig,
    MemoryOptions,
    Problem,
    RunConfig,
    TextOptions,
    TrainingOptions,
    WeatherOptions,
)
from rnnlab.config.checks import shown
from rnnlab.config.codec import ITEM_KEY, to_text
from rnnlab.config.json_text import MAX_JSON_CHARACTERS
from rnnlab.config.numbers import MAX_WHOLE, parse_decimal, parse_whole_number
from rnnlab.config.presets import PRESETS
from rnnlab.config.run_validation import depth_problem
from rnnlab.data.paths import DataError
from rnnlab.lessons import text_baselines

SECTION_TYPES = (ImdbOptions, WeatherOptions, MemoryOptions, TextOptions, TrainingOptions)


# The longest error line argparse may print: it quotes what was typed, which can be huge.
PARSER_MESSAGE_LENGTH = 300


class _Parser(argparse.ArgumentParser):
    """argparse's parser, its own messages (an unknown flag, a missing value) cut short."""

    def error(self, message: str):
        if len(message) > PARSER_MESSAGE_LENGTH:
            message = message[:PARSER_MESSAGE_LENGTH] + "..."
        super().error(message)


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _add_setting_flags(parser: argparse.ArgumentParser) -> None:
    """One flag per config field, generated from the dataclasses so a new field needs no CLI change.

    Every flag but the yes/no ones is read as text and checked by config_from_args, so a refused
    value is explained in the lab's words (argparse's int() would accept "1_6" or "١٦").
    """
    source = parser.add_argument_group("where the settings start")
    source.add_argument("--preset", help=f"start from a named preset: {', '.join(PRESETS)}")
    source.add_argument("--config", type=Path, help="start from a RunConfig JSON file")
    source.add_argument("--dataset", help="imdb, weather, memory or text")
    stack = parser.add_argument_group("the stack: recurrent cells or Dense (layer flags apply "
                                      "to every layer)")
    stack.add_argument("--layers", help=f"depth of the stack, 1 to {MAX_LAYERS}")
    for section in (LayerConfig, *SECTION_TYPES):
        group = stack if section is LayerConfig else parser.add_argument_group(section.__name__)
        for field in dataclasses.fields(section):
            if isinstance(field.default, bool):
                group.add_argument(_flag(field.name), dest=field.name,
                                   action=argparse.BooleanOptionalAction, default=None)
            else:
                group.add_argument(_flag(field.name), dest=field.name, metavar=field.name.upper())


def layer_key(number: int, name: str) -> str:
    """The link key of layer `number`'s setting `name` (rnnlab.config.codec), e.g. "l2_units"."""
    return ITEM_KEY.format(number=number, name=name)


def read_config_file(path: Path) -> RunConfig:
    """The RunConfig in a JSON file a person wrote (see rnnlab.config.json_text for what is read).

    Raises:
        ConfigError: the file cannot be read, is far larger than a config, or is not a config's
            UTF-8 JSON; every message names the file.
    """
    name = shown(str(path), 200)  # a path is worth seeing whole, within reason
    try:
        with open(path, "rb") as f:  # never more than a config could be: /dev/zero ends too
            data = f.read(MAX_JSON_CHARACTERS + 1)
    except OSError as err:
        raise ConfigError([_problem(f"Cannot read the file {name}: {err.strerror or err}.")])
    if len(data) > MAX_JSON_CHARACTERS:
        raise ConfigError([_problem(f"The file {name} is larger than {MAX_JSON_CHARACTERS:,} "
                                    "bytes, but a config is a few thousand: is it the right "
                                    "file?")])
    try:
        return RunConfig.from_json(data)
    except ConfigError as err:
        raise ConfigError([Problem(p.field, p.value, f"The file {name}: {p.message}")
                           for p in err.problems]) from None


def read_flag(text, default, flag: str):
    """A flag's text read as the type of the setting's default, ASCII numbers only.

    Raises:
        ValueError: the text is not a number in ASCII where the setting is a number.
    """
    if isinstance(default, bool) or isinstance(text, bool):
        return text  # BooleanOptionalAction already gave True or False
    if isinstance(default, int):
        return parse_whole_number(text, f"the flag {flag}", -MAX_WHOLE, MAX_WHOLE)
    if isinstance(default, float):
        return parse_decimal(text, f"the flag {flag}")
    return text


def config_from_args(args: argparse.Namespace) -> RunConfig:
    """The RunConfig the flags describe: the preset's or file's settings, then each flag, put
    together as a link would be (rnnlab.config.codec). Every flag is read before anything is
    built, and the depth is checked before any layer is copied.

    Raises:
        ConfigError: with every problem found, each naming the flag or the file.
    """
    if args.preset and args.config:
        raise ConfigError([_problem("Use --preset or --config, not both.")])
    if args.preset and args.preset not in PRESETS:
        raise ConfigError([_problem(f"The flag --preset is {shown(args.preset)}, but the presets "
                                    f"are: {', '.join(PRESETS)}.")])
    if args.config:
        base = read_config_file(args.config)
    else:
        base = PRESETS[args.preset].config if args.preset else RunConfig()
    problems, flags = [], {}  # flags: field name -> the value read from its flag
    depth = len(base.layers)
    if args.layers is not None:
        try:
            depth = parse_whole_number(args.layers, "the flag --layers", -MAX_WHOLE, MAX_WHOLE)
        except ValueError as err:
            problems.append(_problem(str(err)))
        else:
            problems += [p for p in (depth_problem(depth),) if p is not None]
    for section in (LayerConfig, *SECTION_TYPES):
        for field in dataclasses.fields(section):
            text = getattr(args, field.name)
            if text is None:
                continue
            try:
                flags[field.name] = read_flag(text, field.default, _flag(field.name))
            except ValueError as err:
                problems.append(_problem(str(err)))
    if problems:
        raise ConfigError(problems)

    query = base.to_query(only_changed=False)
    if args.layers is not None:
        for i in range(len(base.layers) + 1, depth + 1):  # new layers copy the top one
            for field in dataclasses.fields(LayerConfig):
                query[layer_key(i, field.name)] = query[layer_key(len(base.layers), field.name)]
        query["layers"] = to_text(depth)
    if args.dataset is not None:
        query["dataset"] = args.dataset
    for section in (LayerConfig, *SECTION_TYPES):
        for field in dataclasses.fields(section):
            if field.name not in flags:
                continue
            keys = [layer_key(i, field.name) for i in range(1, depth + 1)] \
                if section is LayerConfig else [field.name]
            query.update(dict.fromkeys(keys, to_text(flags[field.name])))
    return RunConfig.from_query(query)


def _problem(message: str) -> Problem:
    return Problem("command line", None, message)


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m rnnlab", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    train_parser = commands.add_parser("train", help="train a model and print its scores")
    summary_parser = commands.add_parser("summary", help="print the model summary (no training)")
    commands.add_parser("presets", help="list the presets")
    for sub in (train_parser, summary_parser):
        _add_setting_flags(sub)
    args = parser.parse_args(argv)

    if args.command == "presets":
        for name, preset in PRESETS.items():
            print(f"{name:<16}{preset.title}\n{'':<16}{preset.description}")
        return 0
    try:
        config = config_from_args(args)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.command == "summary":
        from rnnlab.network.summary import format_summary, summarize

        print(format_summary(summarize(config)))
        for note in config.notes():
            print(f"note: {note}")
        return 0

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's start-up chatter out
    from rnnlab.trainer.keras_import import import_keras

    import_keras()  # first: Keras without scikit-learn, as a worker loads it
    from rnnlab.trainer.reporting import epoch_printer
    from rnnlab.trainer.training import prepare_data, train

    print(f"training {config.dataset}: " + " -> ".join(
        f"{layer.cell}({layer.units})" for layer in config.layers), flush=True)
    try:
        data = prepare_data(config)
        lines = text_baselines.from_result(data.details)  # the language model's lines, or None
        if lines is not None:
            print(f"bits per character to beat on the validation text: unigram "
                  f"{lines.unigram:.4f} (letters counted), bigram {lines.bigram:.4f} (one "
                  "character back)", flush=True)
        _, result = train(config, callbacks=[epoch_printer(config.metric)], data=data)
    except (DataError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    judged = text_baselines.run_verdict(result)
    if judged is not None:
        print(f"best validation: {judged.sentence}", flush=True)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
