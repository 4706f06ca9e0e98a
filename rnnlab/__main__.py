"""Command line: train a config without the browser, list presets, print a model summary.

    python -m rnnlab train --preset imdb-lstm
    python -m rnnlab train --dataset weather --cell GRU --units 16 --epochs 3
    python -m rnnlab train --preset memory-quick --cell SimpleRNN --sequence-length 100
    python -m rnnlab train --config my_run.json --seed 7
    python -m rnnlab summary --preset jena-gru --layers 2 --bidirectional
    python -m rnnlab presets

Settings are layered: the preset or config file (else the textbook defaults), then each flag.
Layer flags (--cell, --units, ...) apply to every layer; --layers N repeats the top layer to make a
stack N deep. `train` prints one line per epoch and, last, one JSON line with the scores.
A setting that is not allowed exits with status 2 and the reason; a data problem with status 1.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path

from rnnlab.config import (
    ConfigError,
    ImdbOptions,
    LayerConfig,
    MemoryOptions,
    Problem,
    RunConfig,
    TrainingOptions,
    WeatherOptions,
)
from rnnlab.config.codec import ITEM_KEY, to_text
from rnnlab.config.presets import PRESETS
from rnnlab.data.paths import DataError

SECTION_TYPES = (ImdbOptions, WeatherOptions, MemoryOptions, TrainingOptions)


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _add_setting_flags(parser: argparse.ArgumentParser) -> None:
    """One flag per config field, generated from the dataclasses so a new field needs no CLI change."""
    source = parser.add_argument_group("where the settings start")
    source.add_argument("--preset", choices=sorted(PRESETS), help="start from a named preset")
    source.add_argument("--config", type=Path, help="start from a RunConfig JSON file")
    source.add_argument("--dataset", help="imdb, weather or memory")
    stack = parser.add_argument_group("recurrent stack (layer flags apply to every layer)")
    stack.add_argument("--layers", type=int, help="depth of the stack, 1 to 4")
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


def config_from_args(args: argparse.Namespace) -> RunConfig:
    """The RunConfig the flags describe, built as a link would be (rnnlab.config.codec): the
    preset's or file's settings, then each flag. Raises ConfigError with every problem found."""
    if args.preset and args.config:
        raise ConfigError([_problem("Use --preset or --config, not both.")])
    if args.config:
        try:
            base = RunConfig.from_json(args.config.read_text(encoding="utf-8"))
        except OSError as err:
            raise ConfigError([_problem(f"Cannot read the config file {args.config}: {err}.")])
    else:
        base = PRESETS[args.preset].config if args.preset else RunConfig()
    query = base.to_query(only_changed=False)
    depth = len(base.layers)
    if args.layers is not None:
        depth = args.layers
        for i in range(len(base.layers) + 1, depth + 1):  # new layers copy the top one
            for field in dataclasses.fields(LayerConfig):
                query[layer_key(i, field.name)] = query[layer_key(len(base.layers), field.name)]
        query["layers"] = to_text(depth)
    if args.dataset is not None:
        query["dataset"] = args.dataset
    for section in (LayerConfig, *SECTION_TYPES):
        for field in dataclasses.fields(section):
            value = getattr(args, field.name)
            if value is None:
                continue
            keys = [layer_key(i, field.name) for i in range(1, depth + 1)] \
                if section is LayerConfig else [field.name]
            query.update(dict.fromkeys(keys, to_text(value)))
    return RunConfig.from_query(query)


def _problem(message: str) -> Problem:
    return Problem("command line", None, message)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rnnlab", description=__doc__.splitlines()[0])
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
    from rnnlab.trainer.reporting import epoch_printer
    from rnnlab.trainer.training import train

    print(f"training {config.dataset}: " + " -> ".join(
        f"{layer.cell}({layer.units})" for layer in config.layers), flush=True)
    try:
        _, result = train(config, callbacks=[epoch_printer(config.metric)])
    except (DataError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
