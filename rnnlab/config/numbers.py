"""Whole numbers typed by a person: a run id in a link, a list of run ids, a number on a flag.

Python's own `int()` is a generous reader: it accepts `1_6` (16), superscript, Arabic-Indic or
full-width digits (`²` passes str.isdigit() and then fails int(); `٣` and `１２` are read as 3
and 12), spaces of any script around the digits, and text of any length (5,000 digits exceed
Python's own limit, 25 digits overflow a SQLite integer column). For a program that is a
feature; for a class it means a pasted link is read as another number, or breaks a page with an
error nobody can act on. So a whole number a person typed is read here, and only here:

- ASCII only: the digits 0-9 and a leading minus; ASCII spaces and tabs around are forgiven;
- bounded: at most MAX_TEXT characters (refused before any conversion), and within `low..high`
  (by default what a SQLite integer column holds), so no huge value is converted or stored;
- a list is comma-separated, empty items skipped, repeats dropped, at most `most` items;
- refused with a ValueError in words that names what was typed (cut short) and what is allowed.

The callers add what happens next ("showing the newest run instead").
"""
from __future__ import annotations

import re

# Longer text is refused before it is read: no number a person types is this long.
MAX_TEXT = 40
# The largest whole number unless a caller says otherwise: SQLite's integers are 64-bit.
MAX_WHOLE = 2 ** 63 - 1
# How many items a comma list may hold unless a caller says otherwise.
MAX_ITEMS = 50
# How much of a refused text a message repeats: enough to recognise it, never a pasted page.
SHOWN_CHARS = 30
ASCII_SPACE = " \t"
WHOLE = re.compile(r"-?[0-9]+")


def shown(text: str) -> str:
    """`text` quoted for a message, cut to SHOWN_CHARS characters, e.g. '99999...' (5,000 chars)."""
    if len(text) <= SHOWN_CHARS:
        return repr(text)
    return f"{text[:SHOWN_CHARS]!r}... ({len(text):,} characters)"


def _capital(what: str) -> str:
    return what[:1].upper() + what[1:]


def parse_whole_number(text: str, what: str, low: int = 0, high: int = MAX_WHOLE) -> int:
    """A whole number from low to high, written in ASCII digits.

    Args:
        text: what the person typed, e.g. "16" or " 7 " (ASCII spaces around are forgiven).
        what: how the message names it, e.g. "the link's run number".
        low, high: the allowed range, both ends included.
    Returns:
        The number.
    Raises:
        ValueError: the text is not a whole number in ASCII digits (`²`, `١٦`, `１６`, `1_6`,
            `1e3`, `1.5`, `NaN`), is longer than MAX_TEXT, or lies outside low..high; the
            message says which.
    """
    stripped = text.strip(ASCII_SPACE) if isinstance(text, str) else None
    if stripped is None or len(text) > MAX_TEXT or WHOLE.fullmatch(stripped) is None:
        raise ValueError(f"{_capital(what)} is {shown(str(text))}, but it must be a whole number "
                         "written with the digits 0-9.")
    number = int(stripped)
    if not low <= number <= high:
        raise ValueError(f"{_capital(what)} is {number:,}, but it must be a whole number from "
                         f"{low:,} to {high:,}.")
    return number


def parse_id_list(text: str, what: str, low: int = 1, high: int = MAX_WHOLE,
                  most: int = MAX_ITEMS) -> list[int]:
    """Whole numbers separated by commas, e.g. "3,4,7", each read by parse_whole_number.

    Empty items are skipped ("3,,4," is [3, 4]) and repeats dropped, first seen first.

    Args:
        text: what the person typed or the link holds.
        what: how the message names the list, e.g. "the link's race".
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
        raise ValueError(f"{_capital(what)} holds {len(parts):,} items, but at most {most:,} "
                         "are allowed.")
    numbers = [parse_whole_number(part, f"an item of {what}", low, high) for part in parts]
    return list(dict.fromkeys(numbers))
