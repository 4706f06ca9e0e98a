"""The vocabulary of config checks: a `Problem`, the `ConfigError` that lists them, and the checks.

A config a student builds can be wrong in many ways at once (units 0, a dropout of 1.5, a cell
that does not exist), and one error per attempt would make them guess and retry. So every check
here appends a `Problem` to a list instead of raising; the config's validation runs all of them
and raises one `ConfigError` with every problem, one line each. A message names the setting, the
value given, what is allowed and why, so the student can act on it:

    Layer 1 units is 0, but it must be a whole number from 1 to 1,024: units is the size of the
    hidden state, and a layer needs at least one.

The run config (`rnnlab.config.run_validation`) and the search config
(`rnnlab.config.search_validation`) share these checks, so both speak the same way.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


# How much of a value a message echoes: a pasted 5 MB name must not come back whole.
SHOWN_LENGTH = 40


def shown(value: Any, limit: int = SHOWN_LENGTH) -> str:
    """The value as a message quotes it (its repr), cut to `limit` characters and "..." if longer.

    Args:
        value: what was given, e.g. "GRU" -> "'GRU'", 0.5 -> "0.5".
        limit: the most characters of the repr kept.
    """
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a config: the setting, the value given and what to do about it."""

    field: str
    value: Any
    message: str

    def __str__(self) -> str:
        return self.message


class ConfigError(ValueError):
    """A config a student asked for cannot be trained; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def is_whole_number(value: Any) -> bool:
    """True for an int; False for a bool (True is an int in Python, but not a count)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    """True for an int or a float, False for a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def range_problem(name: str, label: str, value: Any, low, high, why: str,
                  whole: bool = True) -> Problem:
    """The problem of a value outside low..high, e.g. "Epochs is 0, but it must be a whole number
    from 1 to 500: it is the number of passes over the training data."

    Args:
        name: the setting's field, e.g. "training.epochs".
        label: the setting as a student knows it, e.g. "Epochs".
        value: the value given.
        low, high: the allowed range, both ends included.
        why: the reason for the range, in words (no full stop).
        whole: whether only whole numbers are allowed.
    """
    kind = "a whole number" if whole else "a number"
    return Problem(name, value, f"{label} is {shown(value)}, but it must be {kind} from {low:,} to "
                                f"{high:,}: {why}.")


def check_whole_number(problems: list[Problem], name: str, label: str, value: Any, low: int,
                       high: int, why: str) -> None:
    """Append a problem unless value is a whole number from low to high (see range_problem)."""
    if not is_whole_number(value) or not low <= value <= high:
        problems.append(range_problem(name, label, value, low, high, why))


def check_number(problems: list[Problem], name: str, label: str, value: Any, low: float,
                 high: float, why: str) -> None:
    """Append a problem unless value is a number from low to high (see range_problem)."""
    if not is_number(value) or not low <= value <= high:
        problems.append(range_problem(name, label, value, low, high, why, whole=False))


def check_choice(problems: list[Problem], name: str, label: str, value: Any, choices,
                 why: str) -> None:
    """Append a problem unless value is one of choices, naming them all."""
    if value not in choices:
        problems.append(Problem(name, value, f"{label} is {shown(value)}, but it must be one of "
                                             f"{', '.join(map(str, choices))}: {why}."))


def check_bool(problems: list[Problem], name: str, label: str, value: Any) -> None:
    """Append a problem unless value is True or False."""
    if not isinstance(value, bool):
        problems.append(Problem(name, value,
                                f"{label} is {shown(value)}, but it must be true or false."))
