"""Reading a config's JSON safely: UTF-8 text of a sane size, depth and number length.

A config file comes from a person (`python -m rnnlab train --config FILE`) or from the run store,
which a person can edit too. Python's json module reads anything it is given, and fails in ways
nobody can act on: a file saved as latin-1 or UTF-16 raises UnicodeDecodeError, a 5,000-digit
number ValueError ("Exceeds the limit (4300 digits)"), ten thousand nested brackets RecursionError,
and a 50 MB file is read whole before anything is checked. A real config is about 2 KB, nests four
levels deep (a search, its base model, the layers, one layer) and holds no number longer than a
seed, so `read_json` refuses, in words, anything that is

- not UTF-8 (a UTF-8 byte-order mark is allowed; NUL bytes usually mean UTF-16),
- longer than MAX_JSON_CHARACTERS,
- nested deeper than MAX_DEPTH (counted before parsing, so the parser never recurses that far),
- not JSON, or holds a whole number of more than MAX_DIGITS digits, or NaN or Infinity (which
  Python writes but JSON does not allow).
"""
from __future__ import annotations

import json
import math
import re
from itertools import accumulate
from typing import Any

from rnnlab.config.checks import ConfigError, Problem, shown

MAX_JSON_CHARACTERS = 1_000_000  # a config is ~2 KB, a search ~3 KB
MAX_DEPTH = 20                   # a search nests 4 levels
MAX_DIGITS = 30                  # a seed has at most 10
STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
BRACKETS = re.compile(r"[\[\]{}]")


def read_json(data: str | bytes, noun: str) -> Any:
    """The value a config's JSON text holds, or a ConfigError saying what is wrong with the text.

    Args:
        data: the text, or the bytes of a file (which must be UTF-8).
        noun: what the messages call the text, e.g. "config", "search".
    Returns:
        The parsed JSON value (the caller checks that it is a config).
    Raises:
        ConfigError: the bytes are not UTF-8, the text is too long, too deeply nested, not JSON,
            or holds a number JSON or the lab cannot take.
    """
    if isinstance(data, bytes):
        if len(data) > MAX_JSON_CHARACTERS:
            raise _refused(noun, f"The {noun} is {len(data):,} bytes long, but a {noun} is a few "
                                 f"thousand; at most {MAX_JSON_CHARACTERS:,} are read.")
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise _refused(noun, f"The {noun} is not UTF-8 text (byte {err.start + 1:,} cannot be "
                                 "read): save it as UTF-8.") from None
    text = data.removeprefix("\ufeff")  # a UTF-8 byte-order mark, as some editors write
    if len(text) > MAX_JSON_CHARACTERS:
        raise _refused(noun, f"The {noun} is {len(text):,} characters long, but a {noun} is a "
                             f"few thousand; at most {MAX_JSON_CHARACTERS:,} are read.")
    if "\x00" in text:
        raise _refused(noun, f"The {noun} holds NUL characters, as UTF-16 text does: save it "
                             "as UTF-8.")
    depth = _nesting(text)
    if depth > MAX_DEPTH:
        raise _refused(noun, f"The {noun} nests {depth:,} levels of brackets deep, but a {noun} "
                             f"nests a few; at most {MAX_DEPTH} are read.")
    try:
        return json.loads(text, parse_int=_whole_number, parse_float=_finite_number,
                          parse_constant=_no_constant)
    except json.JSONDecodeError as err:
        raise ConfigError([Problem(noun, text[:40],
                                   f"The {noun} is not valid JSON: {err}.")]) from None
    except ValueError as err:  # from the three readers below, already in words
        raise _refused(noun, f"The {noun} {err}") from None


def _refused(noun: str, message: str) -> ConfigError:
    return ConfigError([Problem(noun, None, message)])


def _nesting(text: str) -> int:
    """The deepest nesting of [ and { outside strings (malformed text: a guess json rejects)."""
    brackets = BRACKETS.findall(STRING.sub('""', text))
    return max(accumulate(1 if b in "[{" else -1 for b in brackets), default=0)


def _whole_number(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise ValueError(f"holds a whole number of {len(text.lstrip('-')):,} digits, but at most "
                         f"{MAX_DIGITS} are read.")
    return int(text)


def _finite_number(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"holds the number {shown(text)}, which is too large to be a number "
                         "here.")
    return number


def _no_constant(name: str) -> float:
    raise ValueError(f"holds {name}, which JSON does not allow: write a number.")
