"""SimpleRNN (Elman, "Finding structure in time", 1990): one block, no gates.

    h_t = act(x_t K + h_{t-1} R + b)

The whole memory is h, rewritten at every step. The error sent back through time is multiplied
by R (and by act's slope, at most 1 for tanh) once per step, so it usually shrinks geometrically
with the distance: the vanishing gradient the gated cells were invented to avoid.
"""
from __future__ import annotations

from rnnlab.cells import terms
from rnnlab.cells.cell import HIDDEN_MEANING, Cell, blocks_of_weights
from rnnlab.cells.maths import project, starting_states, unroll

# The state carried from step to step: h alone.
STATES = ("hidden",)


def step(x, weights, act, mask, initial=None):
    """SimpleRNN over a batch (see rnnlab.cells.cell.Step)."""
    recurrent_kernel = weights["recurrent_kernel"]
    start = starting_states(STATES, x.shape[0], recurrent_kernel.shape[0], initial)

    def update(xz, state):
        return {"hidden": act(xz + state["hidden"] @ recurrent_kernel)}

    return unroll(project(x, weights["kernel"]) + weights["bias"], start, update, mask)


def by_hand(x, state, weights, activation, unit):
    """One unit of a SimpleRNN at one step, term by term (see rnnlab.cells.cell.ByHand)."""
    hidden = terms.gate("hidden", "h_t", (
        terms.input_term(x, weights["kernel"][:, unit], "W"),
        terms.recurrent_term(state["hidden"], weights["recurrent_kernel"][:, unit], "U"),
        terms.bias_term(weights["bias"][unit], "b")), squash=activation)
    return terms.CellStep((hidden,), (), hidden.value)


CELL = Cell(
    name="SimpleRNN",
    title="SimpleRNN",
    in_a_sentence="a SimpleRNN",
    description="The plain recurrent cell: one state, rewritten at every step, no gates.",
    layer_prefix="simplernn",
    colour="#d62728",
    races_by_default=True,
    weight_shapes=blocks_of_weights(1),
    step=step,
    by_hand=by_hand,
    traces={"hidden": "hidden state h (the layer's output at this step)"},
    gates=(),
    meanings={"hidden": HIDDEN_MEANING},
    parameter_formula="U x (F + U) + U",
    count_parameters=lambda units, inputs: units * (inputs + units) + units,
    keras_class="layers.SimpleRNN",
    states=STATES,
)
