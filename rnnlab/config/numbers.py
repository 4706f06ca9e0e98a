"""Numbers typed by a person: a flag on the command line, a value or a run id in a link.

Python's own `int()` and `float()` are generous readers: they accept `1_6` (16), Arabic-Indic or
full-width digits (`١٦`, `１６`), surrounding Unicode spaces, and text of any length (5,000 digits
take a noticeable moment and then overflow a database column). For a program that is a feature;
for a class it means a typo or a pasted link is read as a different number, or breaks a page with
an error nobody can act on. So everything a person types as a number goes through here:

- only ASCII: the digits 0-9, a leading minus, and for a decimal a point and an exponent
  (`0.001`, `1e-3`); spaces and tabs around it are forgiven, nothing else is;
- bounded: at most MAX_TEXT characters, and a whole number within `low..high` (by default within
  what a SQLite integer column holds), so no huge value is ever converted or stored;
- refused in words that name what was typed, cut short (`shown`), and what is allowed.

The readers raise ValueError, which the callers turn into their own messages or show as is.
"""
from __future__ import annotations

import math
import re

from rnnlab.config.checks import shown

# Longer text is refused before it is read: no number a person types is this long.
MAX_TEXT = 40
# The largest whole number accepted unless a caller says otherwise: SQLite's integers are 64-bit.
MAX_WHOLE = 2 ** 63 - 1
# How many items a comma list may hold unless a caller says otherwise.
MAX_ITEMS = 50
ASCII_SPACE = " \t"
WHOLE = re.compile(r"-?[0-9]+")
NOT_FINITE = ("nan", "inf", "infinity")
DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def _capital(what: str) -> str:
    return what[:1].upper() + what[1:]


def _form(text: str, what: str, pattern: re.Pattern, kind: str) -> str:
    """`text` without the spaces around it, if it is `kind` written in ASCII; else ValueError."""
    if not isinstance(text, str) or len(text) > MAX_TEXT or \
            pattern.fullmatch(text.strip(ASCII_SPACE)) is None:
        raise ValueError(f"{_capital(what)} is {shown(text)}, but it must be {kind} "
                         "written with the digits 0-9.")
    return text.strip(ASCII_SPACE)


def parse_whole_number(text: str, what: str, low: int = 0, high: int = MAX_WHOLE) -> int:
    """A whole number from low to high, written in ASCII digits.

    Args:
        text: what the person typed, e.g. "16" or " 7 " (ASCII spaces around are forgiven).
        what: how the message names it, e.g. "the flag --units" or "the run in the link".
        low, high: the allowed range, both ends included.
    Returns:
        The number.
    Raises:
        ValueError: the text is not a whole number in ASCII digits (`1_6`, `١٦`, `１６`, `16\\u00a0`,
            `1.5`), is longer than MAX_TEXT, or lies outside low..high; the message says which.
    """
    number = int(_form(text, what, WHOLE, "a whole number"))
    if not low <= number <= high:
        raise ValueError(f"{_capital(what)} is {number:,}, but it must be a whole "
                         f"number from {low:,} to {high:,}.")
    return number


def parse_decimal(text: str, what: str, finite: bool = True) -> float:
    """A number written in ASCII, e.g. "0.001", "1e-3", "-2.5" (never "1_0" or "١٫٥").

    Args:
        text: what the person typed.
        what: how the message names it, e.g. "the flag --dropout".
        finite: refuse "nan", "inf" and numbers that overflow to infinity (1e999); with False they
            are read as float() reads them, for a caller whose own check explains the range.
    Raises:
        ValueError: the text is not such a number, or is longer than MAX_TEXT.
    """
    if not finite and isinstance(text, str) and text.strip(ASCII_SPACE).lower().lstrip("+-") in \
            NOT_FINITE:
        return float(text.strip(ASCII_SPACE))
    number = float(_form(text, what, DECIMAL, "a number"))
    if finite and not math.isfinite(number):
        raise ValueError(f"{_capital(what)} is {shown(text)}, which is too large to be a number "
                         "here.")
    return number


def parse_id_list(text: str, what: str, low: int = 1, high: int = MAX_WHOLE,
                  most: int = MAX_ITEMS) -> list[int]:
    """Whole numbers separated by commas, e.g. "3,4,7", each read by parse_whole_number.

    Empty items are skipped ("3,,4," is [3, 4]) and repeats dropped, first seen first.

    Args:
        text: what the person typed or the link holds.
        what: how the message names the list, e.g. "the runs in the link".
        low, high: every item's allowed range.
        most: the largest number of items allowed.
    Returns:
        The numbers, in the order given.
    Raises:
        ValueError: an item is not a whole number in range (the message names it), or the list
            holds more than `most` items.
    """
    if len(text) > most * (MAX_TEXT + 1):  # refused before it is split: no list is this long
        raise ValueError(f"{_capital(what)} is {shown(text)}, far longer than a list of at most "
                         f"{most:,} numbers.")
    parts = [part for part in text.split(",") if part.strip(ASCII_SPACE)]
    if len(parts) > most:
        raise ValueError(f"{_capital(what)} holds {len(parts):,} items, but at most "
                         f"{most:,} are allowed.")
    numbers = [parse_whole_number(part, f"an item of {what}", low, high) for part in parts]
    return list(dict.fromkeys(numbers))
