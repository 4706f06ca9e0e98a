"""Configs: what defines a training run or a search, checked in words and shared as text.

A `RunConfig` is the currency of the lab: the pages build one from widgets, the trainer takes one,
and its JSON (config + seed) is the identity of a run in the store. What lives where:

    options.py            the sections of a run (LayerConfig, ImdbOptions, WeatherOptions,
                          MemoryOptions, TextOptions, TrainingOptions) and the values they
                          allow (CELLS, FEEDFORWARD and LAYER_KINDS, ACTIVATIONS, OPTIMIZERS,
                          DATASETS, TEXT_CORPORA, MAX_LAYERS, MAX_UNITS, ...)
    checks.py             Problem, ConfigError and the checks both configs' validations use
    numbers.py            numbers a person types (flags, links, ids): ASCII digits, bounded
    json_text.py          a config's JSON read safely: UTF-8, a sane size, depth and numbers
    run_validation.py     every check of a run config, with the reason for each range
    codec.py              one codec for JSON and links, driven by a table of each config's fields
    run.py                RunConfig: the sections put together, its derived facts, notes, label
    space.py              SearchSpace (the ranges a search draws from), the search's allowed values
    search_validation.py  every check of a search config
    hyperband.py          the rounds Hyperband plans from its epochs and factor
    search.py             SearchConfig: a base RunConfig, a space, a tuner, a budget, an objective
    presets.py            named starting points: the book's experiments, quick classroom setups
    catalog.py            facts about the datasets (sizes, weather sources and their columns)

Each module imports only modules listed above it (catalog aside), so there is no import circle.
The names below are the ones the rest of the lab imports from `rnnlab.config`; the search config
is imported from `rnnlab.config.search`, the presets from `rnnlab.config.presets`.
"""
from rnnlab.config.checks import ConfigError, Problem
from rnnlab.config.options import (
    ACTIVATIONS,
    CELLS,
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
from rnnlab.config.run import RunConfig

__all__ = [
    "ACTIVATIONS", "CELLS", "DATASETS", "FEEDFORWARD", "LAYER_KINDS", "MAX_LAYERS", "MAX_UNITS",
    "MEMORY_MAX_READINGS", "OPTIMIZERS", "TEXT_CORPORA", "ConfigError", "ImdbOptions",
    "LayerConfig", "MemoryOptions", "Problem", "RunConfig", "TextOptions", "TrainingOptions",
    "WeatherOptions",
]
