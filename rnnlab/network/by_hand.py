"""One step, by hand: how one number inside a trained network came to be.

The Inside-the-cell page shows every gate of every unit at every step (rnnlab.network.replay).
This module opens ONE of them: one unit of one layer (and direction) at one step t, with every
term of its cell's equations and the real numbers of the run's saved weights. For a gate of an
LSTM, for example:

    f_t = sigmoid( x_t . W_f[:, j]  +  h_{t-1} . U_f[:, j]  +  b_f[j] )
          input term: what was read   recurrent term: the memory   bias

What x_t is depends on the layer: in layer 1 of a review model it is the embedding vector of the
word read at t (so one contribution is "dimension k of that word's vector times its weight"); of a
weather model, the readings at t (normalized); of the long-memory task, the value and the marker;
in a higher layer, the outputs of the layer below at t. The few largest products x_t[k] W[k, j]
are named (`StepByHand.largest`), so a student sees which word dimension or measurement pushed.

The state before the step is taken from the replay, and each cell writes its own step for one
unit (its `by_hand`, rnnlab.cells.terms) next to its batch equations, so every number here is the
replay's: tests/unit/network/test_by_hand.py holds each gate, state and h_t against the replay
and Keras's own output. Two cases need words:

- A backward direction (Bidirectional) reads from x_T down to x_1, so "the previous step" is the
  one read before in reading order: input position t + 1.
- With imdb.mask_padding on, a padding step is skipped: the state is carried over unchanged, and
  the state before a step is the one after the last step actually read.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from rnnlab.cells import CELLS
from rnnlab.cells.terms import INPUT, CellStep, Term
from rnnlab.config import RunConfig
from rnnlab.config.catalog import WEATHER_SOURCES
from rnnlab.data.synthetic import FEATURES
from rnnlab.network import replay
from rnnlab.network.naming import layer_name

__all__ = ["Contribution", "StepByHand", "step_by_hand"]


@dataclass(frozen=True)
class Contribution:
    """One product of a dot product: a number read times its weight."""

    name: str                          # what the number is, e.g. 'dimension 3 of "great"'
    value: float                       # the number read: x_t[k], or h_{t-1}[k]
    weight: float                      # the weight it is multiplied by, W[k, j] or U[k, j]

    @property
    def product(self) -> float:
        return self.value * self.weight


@dataclass(frozen=True)
class StepByHand:
    """One unit of one layer (and direction) at one step, every term with its number."""

    layer: int                         # 1 = bottom layer
    layer_name: str                    # the Keras layer name, e.g. "lstm_1"
    cell: str                          # the cell's registry name
    activation: str                    # the layer's activation ("tanh", ...)
    direction: str                     # "forward", or "backward" (reads x_T .. x_1)
    unit: int                          # j, the unit opened up
    step: int                          # t, the input position
    label: str                         # what was read at t (a word, a time, "t=3")
    read: bool                         # False: a masked padding step, skipped
    previous_step: int | None          # the input position of the state before, None: zeros
    previous: dict[str, float]         # the unit's states before the step (h_{t-1}, c_{t-1})
    after: dict[str, float]            # the unit's states after the step, from the replay
    computed: CellStep | None          # the cell's step term by term; None when skipped
    input_names: tuple[str, ...]       # a name for each number of x_t
    state_names: tuple[str, ...]       # a name for each number of h_{t-1}

    @property
    def hidden(self) -> float:
        """h_t, the unit's output after this step."""
        return self.after["hidden"]

    def reading_order(self) -> str:
        """Where the state before this step comes from, in a sentence."""
        if self.direction == "backward":
            order = ("The backward direction reads the input from the last step to the first, so "
                     "the state before this step (h_{t-1} in the equations) is the one after the "
                     "step read just before in reading order: ")
            where = "input position t + 1"
        else:
            order = "The forward direction reads from the first step to the last: "
            where = "step t - 1"
        if self.previous_step is None:
            return order + "this is the first step it reads, so the state before it is all zeros."
        neighbour = self.step + (1 if self.direction == "backward" else -1)
        if self.previous_step != neighbour:
            return order + (f"the padding in between was skipped, so it is the state after step "
                            f"{self.previous_step}, the last one read.")
        return order + f"{where} (here {self.previous_step})."

    def largest(self, term: Term, count: int = 3) -> tuple[Contribution, ...]:
        """The `count` products of a dot-product term that are largest in size, largest first.

        Args:
            term: a term of one of `computed`'s blocks.
            count: how many to name.
        Returns:
            Contributions; () for a term that is no dot product (a bias, a peephole).
        """
        if term.inputs is None:
            return ()
        names = self.input_names if term.source == INPUT else self.state_names
        order = np.argsort(-np.abs(term.inputs * term.weights), kind="stable")[:count]
        return tuple(Contribution(names[k], float(term.inputs[k]), float(term.weights[k]))
                     for k in order)


def _input_names(config: RunConfig, layer: int, word: str) -> tuple[str, ...]:
    """A name for each number the layer reads at one step."""
    if layer > 1:
        below = config.layers[layer - 2]
        if below.bidirectional:
            return tuple(f"unit {k % below.units} ({'forward' if k < below.units else 'backward'}) "
                         f"of layer {layer - 1}" for k in range(2 * below.units))
        return tuple(f"unit {k} of layer {layer - 1}" for k in range(below.units))
    if config.dataset == "imdb":
        return tuple(f"dimension {k} of “{word}”" for k in range(config.imdb.embedding_dim))
    if config.dataset == "text":  # the character's learned vector
        return tuple(f"dimension {k} of “{word}”" for k in range(config.text.char_embedding_dim))
    if config.dataset == "memory":
        return tuple(f"the {feature} read" for feature in FEATURES)
    return tuple(f"{column} (normalized)" for column in WEATHER_SOURCES[config.weather.source].columns)


def step_by_hand(config: RunConfig, weights: Mapping[str, np.ndarray], sequence, step: int,
                 unit: int, layer: int = 1, direction: str = "forward",
                 labels: Sequence[str] | None = None,
                 replayed: replay.ModelTrace | None = None) -> StepByHand:
    """Open up one unit of one layer at one step, every term with its number.

    Args:
        config, weights: the run's config and saved weights ({Keras weight path: array}).
        sequence: the input, as for rnnlab.network.replay.trace.
        step: t, the input position (0 = first).
        unit: j, the unit of the layer (per direction).
        layer: which recurrent layer, 1 = bottom.
        direction: "forward", or "backward" for a Bidirectional layer.
        labels: what was read at each step (the words, the times); the step numbers if None.
        replayed: the replay of this same input, if the caller has it (saves replaying it).
    Returns:
        A StepByHand.
    Raises:
        ValueError: no such layer, direction, unit or step, or an input or weights that do not
            fit the model (as rnnlab.network.replay.trace).
    """
    replayed = replayed or replay.trace(config, weights, sequence)
    if not 1 <= layer <= len(config.layers):
        raise ValueError(f"Layer {layer} does not exist: the model has {len(config.layers)} "
                         "recurrent layer(s), numbered from 1 at the bottom.")
    chosen, traced = config.layers[layer - 1], replayed.layers[layer - 1]
    directions = {d.direction: d for d in traced.directions}
    if direction not in directions:
        raise ValueError(f"Direction {direction!r} is not available: layer {layer} reads "
                         f"{' and '.join(directions)} only.")
    steps = len(replayed.mask)
    if not 0 <= step < steps:
        raise ValueError(f"Step {step} does not exist: the input has {steps} steps, 0 to "
                         f"{steps - 1}.")
    if not 0 <= unit < chosen.units:
        raise ValueError(f"Unit {unit} does not exist: layer {layer} has {chosen.units} units, "
                         f"0 to {chosen.units - 1}.")
    traces = directions[direction].traces
    label = str(labels[step]) if labels is not None else f"step {step}"
    backward = direction == "backward"
    earlier = range(step + 1, steps) if backward else range(step - 1, -1, -1)
    previous_step = next((s for s in earlier if replayed.mask[s]), None)
    units = traces["hidden"].shape[1]
    state = {name: (np.zeros(units) if previous_step is None else values[previous_step])
             for name, values in traces.items()}
    previous = {name: float(state[name][unit]) for name in ("hidden", "cell_state")
                if name in traces}
    after = {name: float(traces[name][step, unit]) for name in previous}
    if layer == 1:
        x = replay.network_inputs(config, weights, np.asarray(sequence)[None])[0][0, step]
    else:
        x = replayed.layers[layer - 2].output[step]
    computed = None
    name = layer_name(layer, chosen)
    if replayed.mask[step]:
        arrays = replay.cell_weights(weights, name, chosen.cell,
                                     direction if chosen.bidirectional else None)
        arrays = {key: np.asarray(value, dtype=np.float64) for key, value in arrays.items()}
        computed = CELLS[chosen.cell].by_hand(np.asarray(x, dtype=np.float64), state, arrays,
                                              chosen.activation, unit)
    return StepByHand(
        layer=layer, layer_name=name, cell=chosen.cell, activation=chosen.activation,
        direction=direction, unit=unit, step=step, label=label, read=bool(replayed.mask[step]),
        previous_step=previous_step, previous=previous, after=after, computed=computed,
        input_names=_input_names(config, layer, label),
        state_names=tuple(f"unit {k}" for k in range(units)))
