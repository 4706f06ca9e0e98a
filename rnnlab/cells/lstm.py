"""LSTM, long short-term memory (Hochreiter & Schmidhuber 1997; the forget gate: Gers et al. 2000).

Four blocks, in Keras's order i, f, g, o:

    i_t = s(x_t K_i + h_{t-1} R_i + b_i)          input gate: how much of the candidate to write
    f_t = s(x_t K_f + h_{t-1} R_f + b_f)          forget gate: how much of the old cell to keep
    g_t = act(x_t K_g + h_{t-1} R_g + b_g)        candidate c~: new content proposed for the cell
    o_t = s(x_t K_o + h_{t-1} R_o + b_o)          output gate: how much of the cell to show
    c_t = f_t * c_{t-1} + i_t * g_t               cell state: the long-term memory
    h_t = o_t * act(c_t)                          hidden state: the layer's output

The cell state is updated by addition, not by a matrix product: while the forget gate stays near
1, the error can travel back along c through many steps without vanishing. Keras starts the
forget gate's bias at 1 (unit_forget_bias), so a new LSTM remembers by default.
"""
from __future__ import annotations

import numpy as np

from rnnlab.cells.cell import HIDDEN_MEANING, Cell, blocks_of_weights
from rnnlab.cells.maths import project, sigmoid, unroll


def step(x, weights, act, mask):
    """LSTM over a batch (see rnnlab.cells.cell.Step)."""
    recurrent_kernel = weights["recurrent_kernel"]
    u = recurrent_kernel.shape[0]
    zeros = np.zeros((x.shape[0], u))

    def update(xz, state):
        z = xz + state["hidden"] @ recurrent_kernel
        i, f, o = sigmoid(z[:, :u]), sigmoid(z[:, u:2 * u]), sigmoid(z[:, 3 * u:])
        g = act(z[:, 2 * u:3 * u])
        c = f * state["cell_state"] + i * g
        return {"input_gate": i, "forget_gate": f, "candidate": g, "output_gate": o,
                "cell_state": c, "hidden": o * act(c)}

    return unroll(project(x, weights["kernel"]) + weights["bias"],
                  {"hidden": zeros, "cell_state": zeros}, update, mask)


CELL = Cell(
    name="LSTM",
    title="LSTM",
    in_a_sentence="an LSTM",
    description="Gates decide what to write to, keep in and show of a separate cell state, "
                "the long-term memory.",
    layer_prefix="lstm",
    colour="#1f77b4",
    races_by_default=True,
    weight_shapes=blocks_of_weights(4),
    step=step,
    traces={
        "input_gate": "input gate i (1 = write the candidate into the cell)",
        "forget_gate": "forget gate f (1 = keep the old cell state)",
        "candidate": "candidate c~ (new content proposed for the cell)",
        "output_gate": "output gate o (1 = show the cell state in h)",
        "cell_state": "cell state c (the long-term memory)",
        "hidden": "hidden state h (the layer's output at this step)",
    },
    gates=("input_gate", "forget_gate", "output_gate"),
    meanings={
        "input_gate": "input gate {value}: writes {percent} of the candidate into the cell state",
        "forget_gate": "forget gate {value}: keeps {percent} of the old cell state",
        "candidate": "candidate {value}: the new content proposed for the cell state (-1 to 1)",
        "output_gate": "output gate {value}: shows {percent} of the squashed cell state in h",
        "cell_state": "cell state {value}: this unit's long-term memory after this step",
        "hidden": HIDDEN_MEANING,
    },
    parameter_formula="4 x (U x (F + U) + U)",
    count_parameters=lambda units, inputs: 4 * (units * (inputs + units) + units),
    keras_class="layers.LSTM",
)
