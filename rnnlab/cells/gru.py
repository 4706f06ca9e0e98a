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

from rnnlab.cells.cell import HIDDEN_MEANING, Cell
from rnnlab.cells.maths import project, sigmoid, unroll


def weight_shapes(inputs: int, units: int) -> dict[str, tuple[tuple[int, ...], ...]]:
    """Three blocks; the bias has two rows with reset_after=True (build_model's), one without."""
    width = 3 * units
    return {"kernel": ((inputs, width),), "recurrent_kernel": ((units, width),),
            "bias": ((2, width), (width,))}


def step(x, weights, act, mask):
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
                  {"hidden": np.zeros((x.shape[0], u))}, update, mask)


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
)
