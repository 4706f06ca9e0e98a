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

from rnnlab.cells import terms
from rnnlab.cells.cell import HIDDEN_MEANING, Cell, blocks_of_weights
from rnnlab.cells.maths import project, sigmoid, starting_states, unroll

# The states carried from step to step: the output h and the cell state c.
STATES = ("hidden", "cell_state")


def step(x, weights, act, mask, initial=None):
    """LSTM over a batch (see rnnlab.cells.cell.Step)."""
    recurrent_kernel = weights["recurrent_kernel"]
    u = recurrent_kernel.shape[0]

    def update(xz, state):
        z = xz + state["hidden"] @ recurrent_kernel
        i, f, o = sigmoid(z[:, :u]), sigmoid(z[:, u:2 * u]), sigmoid(z[:, 3 * u:])
        g = act(z[:, 2 * u:3 * u])
        c = f * state["cell_state"] + i * g
        return {"input_gate": i, "forget_gate": f, "candidate": g, "output_gate": o,
                "cell_state": c, "hidden": o * act(c)}

    return unroll(project(x, weights["kernel"]) + weights["bias"],
                  starting_states(STATES, x.shape[0], u, initial), update, mask)


# The blocks in Keras's order: (trace, letter of its weights, LaTeX symbol). The candidate g_t
# is written c~_t on the page, as the registry's labels call it; it uses the layer's activation.
BLOCKS = (("input_gate", "i", "i_t"), ("forget_gate", "f", "f_t"),
          ("candidate", "c", r"\tilde c_t"), ("output_gate", "o", "o_t"))


def block_by_hand(x, h, weights, unit, block, squash="sigmoid", extra=(), note=""):
    """Block number `block` (0..3, see BLOCKS) of one unit: input, recurrent and bias terms, and
    `extra` terms (the peephole LSTM's) after them."""
    trace, letter, symbol = BLOCKS[block]
    column = block * weights["recurrent_kernel"].shape[0] + unit
    return terms.gate(trace, symbol, (
        terms.input_term(x, weights["kernel"][:, column], f"W_{letter}"),
        terms.recurrent_term(h, weights["recurrent_kernel"][:, column], f"U_{letter}"),
        terms.bias_term(weights["bias"][column], f"b_{letter}"), *extra), squash, note)


def cell_update(i, f, g, c_previous: float) -> terms.Update:
    """c_t = f_t c_{t-1} + i_t c~_t, from the blocks i, f, c~ and the unit's old cell state."""
    return terms.Update("cell_state", "c_t", (
        (("f_t", f.value), ("c_{t-1}", c_previous)), (("i_t", i.value), (g.symbol, g.value))),
        "keeps the share f_t of the old memory and writes the share i_t of the candidate")


def output_update(o, c: float, activation: str) -> terms.Update:
    """h_t = o_t act(c_t), from the output gate and the new cell state."""
    return terms.Update("hidden", "h_t", (
        (("o_t", o.value), (rf"{terms.squash_symbol(activation)}(c_t)",
                            terms.squashed(activation, c))),),
        "shows the share o_t of the squashed cell state")


def by_hand(x, state, weights, activation, unit):
    """One unit of an LSTM at one step, term by term (see rnnlab.cells.cell.ByHand)."""
    h = state["hidden"]
    i, f, g, o = (block_by_hand(x, h, weights, unit, block,
                                activation if block == 2 else "sigmoid") for block in range(4))
    cell = cell_update(i, f, g, state["cell_state"][unit])
    hidden = output_update(o, cell.value, activation)
    return terms.CellStep((i, f, g, o), (cell, hidden), hidden.value)


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
    by_hand=by_hand,
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
    states=STATES,
)
