"""One codec for configs as text: canonical JSON for files and the store, key=value for links.

A config travels as text in two forms. JSON holds all of it, in files and in the run store, where
the fingerprint of the JSON text is the identity of a run. A link holds only what differs from the
defaults, flat, e.g. `?dataset=memory&layers=2&sequence_length=80&l2_units=64`. Both forms are read
and written here, for the run config and the search config alike, from one table per config: as
in tensorflow/playground (`state.ts`, whose PROPS table lists each setting's name, type and key),
each row is one setting, with its key in a link, where it lives in the config and its default.

The table is not kept by hand: `Codec(config_class, ...)` derives it from the dataclass fields,
telling four kinds of field apart by their defaults:

- a **value**: a str, int, float or bool, or a tuple of them (a search's depths to try);
- a **section**: a dataclass of values (ImdbOptions, TrainingOptions, SearchSpace);
- a **stack**: a tuple of sections, one per layer (RunConfig.layers);
- a **nested config**: another config with its own codec (SearchConfig.base, a RunConfig).

In a link, the config's own values and its sections' values are keyed by their field names (with
the config's prefix: a search's keys are `tune_...`, so they never clash with its base model's);
a stack is keyed by its depth (`layers=2`) and by numbered fields, `l1_cell` at the bottom; a
nested config travels under its own keys, so it is left out. A value is written as text by its
own type and read back by the type of the field's default:

    bool    1 or 0                  read: 1, true, yes, on / 0, false, no, off, in any case
    int     64                      read: ASCII digits only (rnnlab.config.numbers)
    float   0.30000000000000004     repr: the shortest text that reads back as the same float;
                                    read: ASCII digits, point and exponent, finite
    str     GRU                     as it is
    tuple   0.01,0.001              items joined by commas; read as the default's item type

JSON writes every dataclass as an object and every tuple as a list, with sorted keys and an
indent of 2, so equal configs give identical text; a value keeps its own type (a whole number in
a number field is written 1, not 1.0). Reading checks every key and reports all unknown ones at
once, as `Problem`s in a `ConfigError`, before the config checks its values itself.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from rnnlab.config.checks import ConfigError, Problem, shown
from rnnlab.config.json_text import read_json
from rnnlab.config.numbers import MAX_WHOLE, parse_decimal, parse_whole_number

# How a stack's items are named: in a link (l1_units, the bottom layer first) and in messages.
ITEM_KEY = "l{number}_{name}"
ITEM_NAME = "layer {number}"
LIST_SEPARATOR = ","
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def to_text(value: Any) -> str:
    """A value as link text, e.g. True -> "1", 0.1 + 0.2 -> "0.30000000000000004", (1, 2) -> "1,2".
    """
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, tuple):
        return LIST_SEPARATOR.join(to_text(item) for item in value)
    return repr(value) if isinstance(value, float) else str(value)


def from_text(text: str, default: Any) -> Any:
    """Link text read as the type of a field's default (a tuple: comma-separated items).

    Raises:
        ValueError: the text is not of that type, e.g. "many" for a whole number.
    """
    if isinstance(default, bool):
        word = text.strip().lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        raise ValueError(f"{shown(text)} is not 1 or 0")
    if isinstance(default, tuple):
        item = default[0] if default else ""
        return tuple(from_text(part.strip(), item) for part in text.split(LIST_SEPARATOR)
                     if part.strip())
    if isinstance(default, int):  # ASCII digits only: int() would read "1_6" or "١٦" as 16
        return parse_whole_number(text, "the text", -MAX_WHOLE, MAX_WHOLE)
    if isinstance(default, float):
        return parse_decimal(text, "the text", finite=False)  # the config explains nan
    return text


def must_be(key: str, text: str, default: Any) -> str:
    """The message for link text of the wrong type: "... but it must be a whole number."."""
    if isinstance(default, tuple):
        kind = "a list separated by commas"
    else:
        kind = {bool: "1 or 0", int: "a whole number", float: "a number"}[type(default)]
    return f"The link sets {key} to {shown(text)}, but it must be {kind}."


def not_a_number(key: str, text: str, default: Any) -> str:
    """The search's message for link text of the wrong type: "... which is not a number."."""
    return (f"The link sets {key} to {shown(text)}, which is not a "
            f"{'list of ' if isinstance(default, tuple) else ''}number.")


@dataclass(frozen=True)
class Setting:
    """One row of a config's table: a single value, where it lives and its key in a link."""

    # Its key in a link, e.g. "epochs", "l2_units", "tune_depths".
    key: str
    # The fields (and, in a stack, the item's index) from the config down to the value, e.g.
    # ("training", "epochs") or ("layers", 1, "units"); a stack's depth row ends at the stack.
    path: tuple
    # The field's default: its type says how link text is read.
    default: Any
    # Written in every link, even at its default (what the link is about: the dataset, the depth).
    always: bool = False
    # The row of a stack's depth: its value is the number of items at path.
    counts: bool = False

    def value_in(self, config: Any) -> Any:
        """This setting's value in a config."""
        value = config
        for step in self.path:
            value = value[step] if isinstance(step, int) else getattr(value, step)
        return len(value) if self.counts else value


class Codec:
    """A config class's table of settings, and its JSON and link forms.

    Args:
        config: the config class, a frozen dataclass that checks itself when it is created.
        noun: what messages call a config of this class: "config", "search".
        where: how messages name a part of it, "{part}" ("in training") or "the {part}" ("in the
            space"); the config itself is the part called noun.
        prefix: put before every link key, e.g. "tune_".
        always: link keys written even when the value is the default.
        depth_problem: for a config with a stack, the problem of a depth it cannot hold (None when
            the depth is allowed); a link's depth is checked before its layers are read.
        misread: the message for link text that is not of the setting's type.

    Raises:
        ValueError: two settings would share one link key, or a stack has no depth_problem.
    """

    def __init__(self, config: type, noun: str, where: str = "{part}", prefix: str = "",
                 always: tuple[str, ...] = (),
                 depth_problem: Callable[[Any], Problem | None] | None = None,
                 misread: Callable[[str, str, Any], str] = must_be):
        self.config, self.noun, self.where, self.prefix = config, noun, where, prefix
        self.depth_problem, self.misread = depth_problem, misread
        self.own_values: dict[str, Any] = {}     # the config's own values: name -> default
        self.sections: dict[str, type] = {}      # name -> the section's dataclass
        self.stack: tuple[str, type] | None = None  # (name, the item's dataclass)
        self.default_depth = 0                   # the number of items in the default stack
        self.nested: dict[str, type] = {}        # name -> a config class with its own codec
        for field in dataclasses.fields(config):
            default = (field.default if field.default is not dataclasses.MISSING
                       else field.default_factory())
            if hasattr(type(default), "from_dict"):
                self.nested[field.name] = type(default)
            elif dataclasses.is_dataclass(default):
                self.sections[field.name] = type(default)
            elif isinstance(default, tuple) and default and dataclasses.is_dataclass(default[0]):
                self.stack = (field.name, type(default[0]))
                self.default_depth = len(default)
            else:
                self.own_values[field.name] = default
        if self.stack and depth_problem is None:
            raise ValueError(f"{config.__name__} has a stack: its codec needs a depth_problem.")
        self.always = always
        keys = [setting.key for setting in self.settings(depth=1)]
        if len(keys) != len(set(keys)):
            raise ValueError(f"Two settings of {config.__name__} share a link key: {keys}.")

    # -- the table ------------------------------------------------------------------------------

    def settings(self, depth: int) -> list[Setting]:
        """The table: one row per value of a config with `depth` layers, in the order a link is
        read (the config's own values, then the sections', then the stack's depth and layers)."""
        return self._fixed_settings() + self._layer_settings(depth)

    def _fixed_settings(self) -> list[Setting]:
        rows = [self._row(name, (name,), default) for name, default in self.own_values.items()]
        for name, section in self.sections.items():
            rows += [self._row(field.name, (name, field.name), field.default)
                     for field in dataclasses.fields(section)]
        if self.stack:
            rows.append(self._row(self.stack[0], (self.stack[0],), self.default_depth,
                                  counts=True))
        return rows

    def _layer_settings(self, depth: int) -> list[Setting]:
        if not self.stack:
            return []
        name, item = self.stack
        return [self._row(ITEM_KEY.format(number=index + 1, name=field.name),
                          (name, index, field.name), field.default)
                for index in range(depth) for field in dataclasses.fields(item)]

    def _row(self, name: str, path: tuple, default: Any, counts: bool = False) -> Setting:
        key = self.prefix + name
        return Setting(key, path, default, always=key in self.always, counts=counts)

    # -- JSON ---------------------------------------------------------------------------------

    def to_dict(self, config: Any) -> dict:
        """Plain dict of plain values (dataclasses as dicts, tuples as lists), ready for JSON."""
        return _plain(config)

    def to_json(self, config: Any) -> str:
        """Canonical JSON: sorted keys and an indent of 2, so equal configs give identical text."""
        return json.dumps(self.to_dict(config), sort_keys=True, indent=2)

    def fingerprint(self, config: Any) -> str:
        """The first 16 hex digits of the SHA-256 of the canonical JSON: a run's identity."""
        return hashlib.sha256(self.to_json(config).encode("utf-8")).hexdigest()[:16]

    def from_dict(self, data: Any) -> Any:
        """A config from a dict like to_dict's; missing keys take their defaults.

        Raises:
            ConfigError: data is not an object, holds unknown keys (all are named, with the
                settings allowed there), or a value the config refuses.
        """
        noun = self.noun
        if not isinstance(data, Mapping):
            raise ConfigError([Problem(noun, data, f"A {noun} must be a JSON object {{...}}.")])
        problems = _unknown(data, self.config, noun, self.where.format(part=noun))
        kwargs = {name: _from_plain(data[name], default)
                  for name, default in self.own_values.items() if name in data}
        for name, section in self.sections.items():
            if name not in data:
                continue
            part = data[name]
            if not isinstance(part, Mapping):
                problems.append(Problem(name, part, f"'{name}' must be an object {{...}}."))
                continue
            problems += _unknown(part, section, name, self.where.format(part=name))
            kwargs[name] = _section_from_plain(section, part)
        if self.stack and self.stack[0] in data:
            name, item = self.stack
            items = data[name]
            if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
                problems.append(Problem(name, items, f"'{name}' must be a list of objects."))
            elif self.depth_problem(len(items)) is not None:  # before building a million layers
                problems.append(self.depth_problem(len(items)))
            else:
                for number, part in enumerate(items, start=1):
                    where = ITEM_NAME.format(number=number)
                    problems += _unknown(part, item, where, where)
                kwargs[name] = tuple(_section_from_plain(item, part) for part in items)
        if problems:
            raise ConfigError(problems)
        for name, nested in self.nested.items():
            if name in data:
                kwargs[name] = nested.from_dict(data[name])
        return self.config(**kwargs)

    def from_json(self, text: str | bytes) -> Any:
        """A config from JSON text, or a file's bytes (see from_dict).

        Raises:
            ConfigError: the text is not UTF-8 JSON of a sane size and depth
                (rnnlab.config.json_text), or from_dict refuses what it holds.
        """
        return self.from_dict(read_json(text, self.noun))

    # -- links --------------------------------------------------------------------------------

    def to_query(self, config: Any, only_changed: bool = True) -> dict[str, str]:
        """Flat {key: text} for a link: the keys written always first, then the others in table
        order; with only_changed, the settings equal to their default are left out."""
        rows = [(row, row.value_in(config)) for row in self.settings(self._depth(config))]
        query = {row.key: to_text(value) for row, value in rows if row.always}
        query.update((row.key, to_text(value)) for row, value in rows if not row.always
                     and (not only_changed or value != row.default))
        return query

    def from_query(self, query: Mapping[str, str], **given: Any) -> Any:
        """The config a link describes; keys that belong to no setting are ignored.

        Args:
            query: the link's {key: text}.
            given: fields that do not travel in this config's keys (a search's base model).

        Raises:
            ConfigError: a value is not of its setting's type (every one is named), the depth is
                not allowed, or the config refuses a value.
        """
        problems: list[Problem] = []
        values: dict = {}  # what the link sets, nested like the config: {"training": {...}}
        depth = self.default_depth
        for row in self._fixed_settings():
            if row.key in query:
                value = self._read(row, query[row.key], problems)
                if row.counts:
                    depth = value
                else:
                    _put(values, row.path, value)
        if self.stack:
            # Read the layers only for a depth the config can hold (a link could ask for a
            # million); the depth's problem matters only once every value could be read.
            problem = self.depth_problem(depth)
            if problem is None:
                for row in self._layer_settings(depth):
                    if row.key in query:
                        _put(values, row.path, self._read(row, query[row.key], problems))
            elif not problems:
                problems.append(problem)
        if problems:
            raise ConfigError(problems)
        kwargs = {name: values[name] for name in self.own_values if name in values}
        for name, section in self.sections.items():
            kwargs[name] = section(**values.get(name, {}))
        if self.stack:
            name, item = self.stack
            kwargs[name] = tuple(item(**values.get(name, {}).get(index, {}))
                                 for index in range(depth))
        return self.config(**kwargs, **given)

    def _read(self, row: Setting, text: str, problems: list[Problem]) -> Any:
        try:
            return from_text(text, row.default)
        except ValueError:
            problems.append(Problem(row.key, text, self.misread(row.key, text, row.default)))
            return row.default

    def _depth(self, config: Any) -> int:
        return len(getattr(config, self.stack[0])) if self.stack else 0


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name))
                for field in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value


def _from_plain(value: Any, default: Any) -> Any:
    """A JSON value as the field holds it: a list becomes a tuple where the default is one."""
    return tuple(value) if isinstance(value, list) and isinstance(default, tuple) else value


def _section_from_plain(section: type, data: Mapping[str, Any]):
    fields = {field.name: field.default for field in dataclasses.fields(section)}
    return section(**{name: _from_plain(value, fields[name])
                      for name, value in data.items() if name in fields})


def _unknown(data: Mapping[str, Any], cls: type, field: str, where: str) -> list[Problem]:
    """A problem for every key of data that is not a field of cls, naming the ones that are."""
    allowed = sorted(f.name for f in dataclasses.fields(cls))
    return [Problem(f"{field}.{key}", data[key], f"Unknown setting {shown(key)} in {where}; the "
                                                 f"settings there are: {', '.join(allowed)}.")
            for key in data if key not in allowed]


def _put(values: dict, path: tuple, value: Any) -> None:
    *parents, last = path
    for step in parents:
        values = values.setdefault(step, {})
    values[last] = value
