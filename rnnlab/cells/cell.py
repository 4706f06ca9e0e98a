"""The registry's schema: everything the lab knows of one recurrent cell, in one `Cell`.

Each page that shows a cell reads it from here: the Build page its parameter formula and its
line of Keras code, the trainer its Keras layer, the Inside-the-cell page its NumPy step with the
names and labels of its gates and states, the charts its colour. A cell is one module of this
package defining one `Cell` (e.g. rnnlab/cells/gru.py), listed once in rnnlab/cells/__init__.py.

The fields, in the order a learner meets them:

- who it is: `name` (what a config, a link and a legend say: "LSTM"), `title` (what a menu
  shows), `in_a_sentence` ("an LSTM", for the generated code's comments), `description`,
  `layer_prefix` (Keras layer names: "lstm" -> "lstm_1", "bidirectional_lstm_2"), `colour`,
  `races_by_default` (whether the race trains it when no cells are chosen);
- how it computes, in NumPy: `weight_shapes` (the weight arrays it reads, by the last part of
  their Keras path, e.g. "lstm_1/lstm_cell/kernel"), `step` (its equations over a batch of
  sequences, see rnnlab.cells.maths), `by_hand` (the same equations for one unit at one step,
  every term kept apart, see rnnlab.cells.terms), `traces` (every value the step keeps, with the words a plot
  uses), `states` (the traces carried from one step to the next: h, and the LSTMs' c), `gates`
  (which traces are sigmoid gates, whose saturation is worth plotting) and `meanings` (what one value of each trace means, in a sentence a tooltip shows);
- how big it is: `parameter_formula` and `count_parameters` for the model summary;
- how Keras builds it: `keras_class`, the class as the generated script names it
  ("layers.LSTM"), and `keras_definitions`, the Python code that defines that class when it is
  not one of Keras's own (a custom cell). The lab builds its Keras layer from that same code, so
  the script a student copies and the model the lab trains cannot differ.

This module imports no Keras: the web process reads the registry too. `keras_layer` receives the
`keras` module from its caller (the trainer, which imports it).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable, Mapping, TypeAlias

import numpy as np

from rnnlab.cells.maths import ACTIVATIONS
from rnnlab.cells.terms import CellStep

Shape = tuple[int, ...]
# The cell's equations over a batch: (x (B, T, F), {weight name: array}, the activation function,
# mask (B, T) or None, the states before x_1 {name: (B, U)} or None for zeros) ->
# {trace name: (B, T, U)}. rnnlab.cells.maths.unroll runs the time loop.
# (The aliases are strings: spelled out, `np.ndarray` would import NumPy with this module, which
# the Home page imports without it: rnnlab.ui.numpy_after_home.)
Step: TypeAlias = (
    "Callable[[np.ndarray, dict[str, np.ndarray], Callable[[np.ndarray], np.ndarray],"
    " np.ndarray | None, Mapping[str, np.ndarray] | None], dict[str, np.ndarray]]")
# The same equations for one unit at one step, every term kept apart (rnnlab.cells.terms):
# (x_t (F,), the states before the step {name: (U,)}, {weight name: array}, the activation's
# name, the unit) -> CellStep.
ByHand: TypeAlias = (
    "Callable[[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray], str, int], CellStep]")

# What a value of the hidden state means, the same for every cell.
HIDDEN_MEANING = ("hidden state {value}: what this unit outputs at this step, read by the next "
                  "layer or the head")


def blocks_of_weights(blocks: int) -> Callable[[int, int], dict[str, tuple[Shape, ...]]]:
    """The usual layout of `blocks` side-by-side blocks: kernel, recurrent kernel and one bias.

    Returns:
        A `weight_shapes` function: (F inputs per step, U units) -> {"kernel": ((F, blocks*U),),
        "recurrent_kernel": ((U, blocks*U),), "bias": ((blocks*U,),)}.
    """
    def weight_shapes(inputs: int, units: int) -> dict[str, tuple[Shape, ...]]:
        width = blocks * units
        return {"kernel": ((inputs, width),), "recurrent_kernel": ((units, width),),
                "bias": ((width,),)}

    return weight_shapes


@dataclass(frozen=True)
class Cell:
    """One recurrent cell: its identity, its NumPy step, its size and its Keras layer."""

    # The cell's name in a config, a link (?l1_cell=GRU), the summary and a chart's legend.
    name: str
    # How a menu names it, e.g. "Peephole LSTM"; the name itself for the book's three.
    title: str
    # The cell in running text, article included: "an LSTM", "a GRU".
    in_a_sentence: str
    # One line for a learner: what this cell adds to the simpler ones.
    description: str
    # Its Keras layers are named f"{layer_prefix}_{index}", e.g. "lstm_1".
    layer_prefix: str
    # Its colour on every chart that tells cells apart (a CSS hex colour).
    colour: str
    # Whether the race and the sweep train this cell when no cells are chosen (the book's three).
    races_by_default: bool
    # (F inputs per step, U units) -> {weight name: the shapes it may have}. The names are the
    # last part of the Keras weight paths; every cell has a recurrent_kernel of U rows.
    weight_shapes: Callable[[int, int], dict[str, tuple[Shape, ...]]]
    # The cell's equations in NumPy (see `Step`); `run` checks the weights and calls it.
    step: Step
    # The step for one unit, term by term (see `ByHand`), for the page's "one step, by hand".
    by_hand: ByHand
    # Every trace the step keeps, in the order a page shows them, with the words a plot uses.
    traces: Mapping[str, str]
    # The sigmoid gates among the traces: the ones whose saturation (near 0 or 1) is plotted.
    gates: tuple[str, ...]
    # What one value of each trace means, as a template with {value} (the number, 2 decimals)
    # and {percent} (a gate's value as a share, "93%"): "forget gate {value}: keeps {percent}
    # of the old cell state". `meaning` fills it with a number; a chart fills it with plotly's
    # own placeholders (`hover_meaning`), so one sentence serves the page and every tooltip.
    meanings: Mapping[str, str]
    # The parameter count in symbols, U = units, F = numbers in per timestep.
    parameter_formula: str
    # (U units, F inputs per step) -> the parameter count, equal to Keras's count_params().
    count_parameters: Callable[[int, int], int]
    # The Keras class as the generated script names it: "layers.LSTM", or a class of
    # keras_definitions, e.g. "PeepholeLSTM".
    keras_class: str
    # Python code that defines keras_class when Keras has no such layer ("" when it has). It may
    # use `keras` and `layers` (the generated script imports both) and must be self-contained:
    # the generated script includes it word for word.
    keras_definitions: str = ""
    # The traces carried from one step to the next, which `run` can start from given values
    # (rnnlab.cells.maths.starting_states): the hidden state, and the LSTMs' cell state.
    states: tuple[str, ...] = ("hidden",)

    @property
    def weight_names(self) -> tuple[str, ...]:
        """The weight arrays the step reads, e.g. ("kernel", "recurrent_kernel", "bias")."""
        return tuple(self.weight_shapes(1, 1))

    def meaning(self, trace: str, value: float) -> str:
        """What `value` of `trace` means, e.g. "forget gate 0.93: keeps 93% of the old cell state".

        Raises:
            KeyError: `trace` is not one of this cell's traces.
        """
        return self.meanings[trace].format(value=f"{value:.2f}", percent=f"{value:.0%}")

    def hover_meaning(self, trace: str, number: str = "z") -> str:
        """The meaning of `trace` as a plotly hovertemplate fragment for the value `number`.

        Args:
            trace: one of this cell's traces.
            number: the plotly variable holding the value: "z" on a heatmap, "y" on a curve.
        Returns:
            e.g. "forget gate %{z:.2f}: keeps %{z:.0%} of the old cell state".
        """
        return self.meanings[trace].format(value=f"%{{{number}:.2f}}",
                                           percent=f"%{{{number}:.0%}}")

    def run(self, x: np.ndarray, weights: Mapping[str, np.ndarray], activation: str = "tanh",
            mask: np.ndarray | None = None,
            initial_state: Mapping[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
        """Run the cell over a batch of sequences and keep everything it computes.

        Args:
            x: inputs, shape (B, T, F).
            weights: {weight name: array} for every name of `weight_names`.
            activation: "tanh", "relu" or "sigmoid": the candidate's (and output's) squash.
            mask: optional (B, T) booleans, False where a step is skipped.
            initial_state: optional {name: (B, U)} for each of `states`, the states before x_1;
                zeros when None (a fresh sequence). To continue a sequence, pass the states
                the previous call ended with: {name: traces[name][:, -1]}.
        Returns:
            {trace name: array (B, T, U)}, the names of `traces` in their order.
        Raises:
            ValueError: an unknown activation, weights missing or of shapes that do not fit, or
                starting states that do not fit.
        """
        if activation not in ACTIVATIONS:
            raise ValueError(f"Unknown activation {activation!r}: use one of "
                             f"{', '.join(ACTIVATIONS)}.")
        x = np.asarray(x, dtype=np.float64)
        missing = [name for name in self.weight_names if name not in weights]
        if missing:
            raise ValueError(f"The {self.name} step needs the weights {', '.join(missing)}.")
        arrays = {name: np.asarray(weights[name], dtype=np.float64) for name in self.weight_names}
        units = arrays["recurrent_kernel"].shape[0]
        allowed = self.weight_shapes(x.shape[-1], units)
        if x.ndim != 3 or any(arrays[name].shape not in shapes for name, shapes in allowed.items()):
            got = ", ".join(f"{name} {arrays[name].shape}" for name in allowed)
            expected = ", ".join(f"{name} {' or '.join(map(str, shapes))}"
                                 for name, shapes in allowed.items())
            raise ValueError(f"The {self.name} weights do not fit {self.in_a_sentence} layer of "
                             f"{units} units reading {x.shape[-1]} numbers per step: {got} "
                             f"(expected {expected}).")
        if mask is not None:
            mask = np.asarray(mask, dtype=bool)
        traces = self.step(x, arrays, ACTIVATIONS[activation], mask, initial_state)
        return {name: traces[name] for name in self.traces}

    def keras_layer_class(self, keras: Any) -> type:
        """The Keras layer class of this cell, defined from `keras_definitions` if Keras has none.

        Args:
            keras: the keras module (the caller imports it; this package does not).
        """
        namespace = _definitions(self.keras_definitions, keras)
        first, *rest = self.keras_class.split(".")
        return functools.reduce(getattr, rest, namespace[first])

    def keras_layer(self, keras: Any, **settings: Any) -> Any:
        """A new Keras layer of this cell.

        Args:
            keras: the keras module.
            settings: the layer's arguments: units, activation, dropout, recurrent_dropout,
                return_sequences, name.
        """
        return self.keras_layer_class(keras)(**settings)


@functools.lru_cache(maxsize=None)
def _definitions(code: str, keras: Any) -> dict[str, Any]:
    """The names `code` defines, run once per process with `keras` and `layers` in scope, as in
    the generated script (a second run would define a second, different class)."""
    namespace = {"__name__": "rnnlab.cells", "keras": keras, "layers": keras.layers}
    exec(compile(code, "<rnnlab.cells keras_definitions>", "exec"), namespace)  # noqa: S102
    return namespace
