"""GRU, the gated recurrent unit (Cho et al. 2014): two gates, no separate cell state.

Three blocks, in Keras's order z, r, h~. Keras's default reset_after=True keeps two bias rows,
b_in for the input and b_rec for the recurrent part, and resets after the recurrent product:

    z_t  = s(x_t K_z + b_in_z + h_{t-1} R_z + b_rec_z)      update gate
    r_t  = s(x_t K_r + b_in_r + h_{t-1} R_r + b_rec_r)      reset gate
    h~_t = act(x_t K_h + b_in_h + r_t * (h_{t-1} R_h + b_rec_h))

With reset_after=False (one bias row, the original 2014 GRU) the reset comes first:

    h~_t = act(x_t K_h + b_h + (r_t * h_{t-1}) R_h)

Both then mix old and new:

    h_t  = z_t * h_{t-1} + (1 - z_t) * h~_t

Careful: in Keras z = 1 KEEPS the old state. Many textbooks (and the original paper's figure)
write h_t = (1 - z) h_{t-1} + z h~_t, so their z is one minus Keras's.
"""
from __future__ import annotations

import numpy as np

from rnnlab.cells import terms
from rnnlab.cells.cell import HIDDEN_MEANING, Cell
from rnnlab.cells.maths import project, sigmoid, starting_states, unroll

# The state carried from step to step: h alone (the GRU has no separate cell state).
STATES = ("hidden",)


def weight_shapes(inputs: int, units: int) -> dict[str, tuple[tuple[int, ...], ...]]:
    """Three blocks; the bias has two rows with reset_after=True (build_model's), one without."""
    width = 3 * units
    return {"kernel": ((inputs, width),), "recurrent_kernel": ((units, width),),
            "bias": ((2, width), (width,))}


def step(x, weights, act, mask, initial=None):
    """GRU over a batch, reset_after read from the bias's shape (see rnnlab.cells.cell.Step)."""
    recurrent_kernel, bias = weights["recurrent_kernel"], weights["bias"]
    u = recurrent_kernel.shape[0]
    reset_after = bias.ndim == 2
    if reset_after:   # input bias row 0, recurrent bias row 1
        input_bias, recurrent_bias = bias[0], bias[1]
    else:             # one bias, the reset applied before the recurrent product
        input_bias, recurrent_bias = bias, np.zeros(3 * u)
    r_zr, r_h = recurrent_kernel[:, :2 * u], recurrent_kernel[:, 2 * u:]

    def update(xz, state):
        h = state["hidden"]
        if reset_after:
            inner = h @ recurrent_kernel + recurrent_bias
            zr = sigmoid(xz[:, :2 * u] + inner[:, :2 * u])
            candidate = act(xz[:, 2 * u:] + zr[:, u:] * inner[:, 2 * u:])
        else:
            zr = sigmoid(xz[:, :2 * u] + h @ r_zr)
            candidate = act(xz[:, 2 * u:] + (zr[:, u:] * h) @ r_h)
        z = zr[:, :u]
        return {"update_gate": z, "reset_gate": zr[:, u:], "candidate": candidate,
                "hidden": z * h + (1.0 - z) * candidate}

    return unroll(project(x, weights["kernel"]) + input_bias,
                  starting_states(STATES, x.shape[0], u, initial), update, mask)


def by_hand(x, state, weights, activation, unit):
    """One unit of a GRU at one step, term by term (see rnnlab.cells.cell.ByHand).

    reset_after=True: the reset gate r_t multiplies the candidate's whole recurrent part, its
    bias included. reset_after=False: the reset gates of ALL units scale h_{t-1} first, so the
    candidate's recurrent term reads r_t * h_{t-1}.
    """
    kernel, recurrent_kernel, bias = weights["kernel"], weights["recurrent_kernel"], weights["bias"]
    u = recurrent_kernel.shape[0]
    h = state["hidden"]
    reset_after = bias.ndim == 2
    input_bias = bias[0] if reset_after else bias

    def block_terms(block, letter, factor=None, previous=h, symbol="h_{t-1}"):
        column = block * u + unit
        found = [terms.input_term(x, kernel[:, column], f"W_{letter}")]
        if reset_after:
            found += [terms.bias_term(input_bias[column], f"b^{{in}}_{letter}", "input bias"),
                      terms.recurrent_term(previous, recurrent_kernel[:, column], f"U_{letter}",
                                           factor, symbol),
                      terms.bias_term(bias[1, column], f"b^{{rec}}_{letter}", "recurrent bias",
                                      factor)]
        else:
            found += [terms.recurrent_term(previous, recurrent_kernel[:, column], f"U_{letter}",
                                           symbol=symbol),
                      terms.bias_term(input_bias[column], f"b_{letter}")]
        return tuple(found)

    z = terms.gate("update_gate", "z_t", block_terms(0, "z"))
    r = terms.gate("reset_gate", "r_t", block_terms(1, "r"))
    if reset_after:
        candidate = terms.gate("candidate", r"\tilde h_t", block_terms(2, "h", factor=r.value),
                               activation, "Keras's reset_after=True: the reset gate multiplies "
                               "the whole recurrent part, its bias included.")
    else:
        resets = sigmoid(x @ kernel[:, u:2 * u] + h @ recurrent_kernel[:, u:2 * u]
                         + bias[u:2 * u])  # every unit's reset gate: each scales its own h
        candidate = terms.gate("candidate", r"\tilde h_t",
                               block_terms(2, "h", previous=resets * h,
                                           symbol=r"(r_t \odot h_{t-1})"),
                               activation, "reset_after=False: every unit's reset gate first "
                               "scales its own part of h_{t-1}, then the product is taken.")
    hidden = terms.Update("hidden", "h_t", (
        (("z_t", z.value), ("h_{t-1}", float(h[unit]))),
        (("1 - z_t", 1.0 - z.value), (r"\tilde h_t", candidate.value))),
        "keeps the share z_t of the old state and takes the rest from the candidate")
    return terms.CellStep((z, r, candidate), (hidden,), hidden.value)


CELL = Cell(
    name="GRU",
    title="GRU",
    in_a_sentence="a GRU",
    description="Two gates and no separate cell state: lighter than the LSTM, often as good.",
    layer_prefix="gru",
    colour="#2ca02c",
    races_by_default=True,
    weight_shapes=weight_shapes,
    step=step,
    by_hand=by_hand,
    traces={
        "update_gate": "update gate z (1 = keep the old state, Keras's convention)",
        "reset_gate": "reset gate r (0 = ignore the old state in the candidate)",
        "candidate": "candidate h~ (new state proposed)",
        "hidden": "hidden state h (the layer's output at this step)",
    },
    gates=("update_gate", "reset_gate"),
    meanings={
        "update_gate": "update gate {value}: keeps {percent} of the old state, the rest comes "
                       "from the candidate",
        "reset_gate": "reset gate {value}: lets {percent} of the old state into the candidate",
        "candidate": "candidate {value}: the new state proposed at this step (-1 to 1)",
        "hidden": HIDDEN_MEANING,
    },
    # Keras's default reset_after=True keeps separate input and recurrent biases.
    parameter_formula="3 x (U x (F + U) + 2 x U)",
    count_parameters=lambda units, inputs: 3 * (units * (inputs + units) + 2 * units),
    keras_class="layers.GRU",
    states=STATES,
)
