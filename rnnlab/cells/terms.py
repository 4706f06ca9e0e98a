"""One step of one unit, term by term: what each cell's `by_hand` returns.

The replay (rnnlab.cells.maths, each cell's `step`) computes every unit at every step at once and
keeps only the results. To show a student how ONE number came to be, each cell also writes its
step for one unit with every term kept apart (its `by_hand`, next to its `step`). Every block of
the cell (a gate or a candidate) is a sum of terms squashed:

    pre-activation  v = x_t . W[:, j]  +  h_{t-1} . U[:, j]  +  b[j]  (+ the cell's extras)
    value           a = squash(v)        sigmoid for a gate, the layer's activation otherwise

and the states are then updated as sums of products, e.g. the LSTM's c_t = f_t c_{t-1} + i_t g_t.
`Term` keeps, for a dot product, the numbers multiplied (the input or the previous state) and the
weights, so a page can name the few largest contributions. `Block` and `Update` are what a page
draws row by row; tests/unit/network/test_by_hand.py holds every value against the replay and
Keras's own output.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnnlab.cells.maths import ACTIVATIONS

# Where a dot product's numbers come from: this step's input x_t, or the state h_{t-1}.
INPUT, STATE = "input", "state"


@dataclass(frozen=True)
class Term:
    """One addend of a pre-activation: a dot product, a bias or a peephole."""

    words: str                          # what it is, for a learner: "input term", "bias"
    symbol: str                         # LaTeX, e.g. r"x_t \cdot W_f"
    value: float                        # what it adds to the pre-activation
    inputs: np.ndarray | None = None    # a dot product's numbers (x_t, or h_{t-1}), else None
    weights: np.ndarray | None = None   # the weights they are multiplied by (the same length)
    source: str | None = None           # INPUT or STATE for a dot product, else None
    factor: float | None = None         # a gate that scales the whole term (GRU's reset), or None

    @property
    def unscaled(self) -> float:
        """The term before its factor (the value itself when there is no factor)."""
        if self.inputs is not None:
            return float(self.inputs @ self.weights)
        return self.value / self.factor if self.factor else self.value


@dataclass(frozen=True)
class Block:
    """One gate or candidate of the cell for one unit: its terms, their sum and its squash."""

    trace: str                          # the trace it is, e.g. "forget_gate" (rnnlab.cells.Cell)
    symbol: str                         # LaTeX, e.g. "f_t"
    terms: tuple[Term, ...]             # the addends, in the order the equation writes them
    squash: str                         # "sigmoid", "tanh" or "relu"
    note: str = ""                      # a sentence on what is special here, or ""

    @property
    def preactivation(self) -> float:
        """The sum of the terms, before the squash."""
        return float(sum(term.value for term in self.terms))

    @property
    def value(self) -> float:
        """The squash of the pre-activation: the gate's or candidate's value."""
        return float(ACTIVATIONS[self.squash](np.float64(self.preactivation)))


@dataclass(frozen=True)
class Update:
    """A state's new value as a sum of products, e.g. c_t = f_t c_{t-1} + i_t g_t."""

    trace: str                          # the state it is, e.g. "cell_state"
    symbol: str                         # LaTeX, e.g. "c_t"
    products: tuple[tuple[tuple[str, float], ...], ...]  # ((symbol, value), ...) per product
    words: str                          # what the update does, in a sentence

    @property
    def value(self) -> float:
        """The sum of the products."""
        return float(sum(np.prod([value for _, value in product]) for product in self.products))


@dataclass(frozen=True)
class CellStep:
    """Everything one unit computed at one step: its blocks, then its state updates."""

    blocks: tuple[Block, ...]
    updates: tuple[Update, ...]
    hidden: float                       # h_t, the unit's output at this step


def input_term(x: np.ndarray, column: np.ndarray, name: str) -> Term:
    """x_t . W[:, j]: what this step's input pushes into block `name` (e.g. "W_f")."""
    return Term("input term", rf"x_t \cdot {name}", float(x @ column), x, column, INPUT)


def recurrent_term(h: np.ndarray, column: np.ndarray, name: str, factor: float | None = None,
                   symbol: str = "h_{t-1}") -> Term:
    """h_{t-1} . U[:, j] (times `factor` if given): what the previous state pushes in."""
    value = float(h @ column)
    scaled = rf"{symbol} \cdot {name}"
    if factor is not None:
        return Term("recurrent term, times the reset gate", rf"r_t \, ({scaled})",
                    factor * value, h, column, STATE, factor)
    return Term("recurrent term", scaled, value, h, column, STATE)


def bias_term(value: float, name: str, words: str = "bias", factor: float | None = None) -> Term:
    """b[j] (times `factor` if given): the block's constant push."""
    if factor is not None:
        return Term(f"{words}, times the reset gate", rf"r_t \, {name}", factor * float(value),
                    factor=factor)
    return Term(words, name, float(value))


def peephole_term(weight: float, cell_value: float, name: str, cell_symbol: str,
                  which: str) -> Term:
    """p[j] * c: the peephole, through which a gate reads the cell state (one weight per unit).

    Args:
        weight: the unit's peephole weight; cell_value: the cell state it reads.
        name, cell_symbol: LaTeX for the weight ("p_i") and the state ("c_{t-1}").
        which: the state in words: "the old cell state" or "the new cell state".
    """
    return Term(f"peephole: the gate reads {which}", rf"{name} \, {cell_symbol}",
                float(weight) * float(cell_value))


def gate(trace: str, symbol: str, terms: tuple[Term, ...], squash: str = "sigmoid",
         note: str = "") -> Block:
    """A block from its terms (a gate by default: squashed by the sigmoid)."""
    return Block(trace, symbol, terms, squash, note)


def squashed(activation: str, value: float) -> float:
    """The layer's activation of one number, e.g. tanh(c_t) for the LSTM's output."""
    return float(ACTIVATIONS[activation](np.float64(value)))


def squash_symbol(squash: str) -> str:
    """The LaTeX name of a squashing function: sigma for the sigmoid, tanh, relu."""
    return {"sigmoid": r"\sigma", "tanh": r"\tanh"}.get(squash, rf"\operatorname{{{squash}}}")
