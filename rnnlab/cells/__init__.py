"""One recurrent cell, step by step, in NumPy: the equations Keras runs, with every gate kept.

Each cell reads a sequence x_1 .. x_T (one vector of F numbers per timestep) and carries a state
from step to step. With U units, Keras stores three arrays per cell: a kernel K (F, blocks*U)
applied to the input, a recurrent kernel R (U, blocks*U) applied to the previous state and a
bias b. The blocks sit side by side in Keras's order, and `act` is the layer's activation (tanh
by default; the lab also offers relu and sigmoid). Gates always use the sigmoid
s(v) = 1 / (1 + exp(-v)), so they lie between 0 (closed) and 1 (open).

SimpleRNN (1 block):
    h_t = act(x_t K + h_{t-1} R + b)

LSTM (4 blocks, order i, f, g, o):
    i_t = s(x_t K_i + h_{t-1} R_i + b_i)          input gate: how much of the candidate to write
    f_t = s(x_t K_f + h_{t-1} R_f + b_f)          forget gate: how much of the old cell to keep
    g_t = act(x_t K_g + h_{t-1} R_g + b_g)        candidate c~: new content proposed for the cell
    o_t = s(x_t K_o + h_{t-1} R_o + b_o)          output gate: how much of the cell to show
    c_t = f_t * c_{t-1} + i_t * g_t               cell state: the long-term memory
    h_t = o_t * act(c_t)                          hidden state: the layer's output

GRU (3 blocks, order z, r, h~). Keras's default reset_after=True keeps two bias rows, b_in for
the input and b_rec for the recurrent part, and resets after the recurrent product:
    z_t  = s(x_t K_z + b_in_z + h_{t-1} R_z + b_rec_z)      update gate
    r_t  = s(x_t K_r + b_in_r + h_{t-1} R_r + b_rec_r)      reset gate
    h~_t = act(x_t K_h + b_in_h + r_t * (h_{t-1} R_h + b_rec_h))
With reset_after=False (one bias row, the original 2014 GRU) the reset comes first:
    h~_t = act(x_t K_h + b_h + (r_t * h_{t-1}) R_h)
Both then mix old and new:
    h_t  = z_t * h_{t-1} + (1 - z_t) * h~_t
Careful: in Keras z = 1 KEEPS the old state. Many textbooks (and the original paper's figure)
write h_t = (1 - z) h_{t-1} + z h~_t, so their z is one minus Keras's.

Speed: x_t K + b does not depend on the state, so it is computed for all timesteps in one matrix
product before the loop; only the recurrent part h_{t-1} R runs step by step.

Masking: where a step is masked (a padding id with mask_padding on), Keras skips it: the state is
carried over unchanged. The traces then hold the carried state for `hidden` and `cell_state`, and
NaN for gates and candidates, which the cell computed but Keras threw away.

Everything here works on a batch (B, T, F) so many sequences run at once.
"""
from __future__ import annotations

import numpy as np


def sigmoid(v: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-v)), written with tanh so large |v| never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * v))


def relu(v: np.ndarray) -> np.ndarray:
    return np.maximum(v, 0.0)


# The activations a LayerConfig may name (rnnlab.config.ACTIVATIONS).
ACTIVATIONS = {"tanh": np.tanh, "relu": relu, "sigmoid": sigmoid}

# Every trace a cell produces, in the order a page should show them, with the words a plot uses.
TRACE_LABELS: dict[str, dict[str, str]] = {
    "SimpleRNN": {
        "hidden": "hidden state h (the layer's output at this step)",
    },
    "LSTM": {
        "input_gate": "input gate i (1 = write the candidate into the cell)",
        "forget_gate": "forget gate f (1 = keep the old cell state)",
        "candidate": "candidate c~ (new content proposed for the cell)",
        "output_gate": "output gate o (1 = show the cell state in h)",
        "cell_state": "cell state c (the long-term memory)",
        "hidden": "hidden state h (the layer's output at this step)",
    },
    "GRU": {
        "update_gate": "update gate z (1 = keep the old state, Keras's convention)",
        "reset_gate": "reset gate r (0 = ignore the old state in the candidate)",
        "candidate": "candidate h~ (new state proposed)",
        "hidden": "hidden state h (the layer's output at this step)",
    },
}

# The sigmoid gates of each cell: the traces whose saturation (near 0 or 1) is worth plotting.
GATES: dict[str, tuple[str, ...]] = {
    "SimpleRNN": (),
    "LSTM": ("input_gate", "forget_gate", "output_gate"),
    "GRU": ("update_gate", "reset_gate"),
}

# How many (kernel, recurrent kernel, bias) blocks sit side by side in each cell's weights.
BLOCKS = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}


def run_cell(cell: str, x: np.ndarray, kernel: np.ndarray, recurrent_kernel: np.ndarray,
             bias: np.ndarray, activation: str = "tanh",
             mask: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Run one cell over a batch of sequences and keep everything it computes.

    Args:
        cell: "SimpleRNN", "LSTM" or "GRU".
        x: inputs, shape (B, T, F).
        kernel, recurrent_kernel, bias: the cell's Keras weights (see the module docstring).
            A GRU bias of shape (2, 3U) means reset_after=True, (3U,) means reset_after=False.
        activation: "tanh", "relu" or "sigmoid": the candidate's (and LSTM cell output's) squash.
        mask: optional (B, T) booleans, False where a step is skipped.
    Returns:
        {trace name: array (B, T, U)} with the names of TRACE_LABELS[cell], in reading order.
    Raises:
        ValueError: an unknown cell or activation, or weights whose shapes do not fit together.
    """
    if cell not in BLOCKS:
        raise ValueError(f"Unknown cell {cell!r}: the lab knows {', '.join(BLOCKS)}.")
    if activation not in ACTIVATIONS:
        raise ValueError(f"Unknown activation {activation!r}: use one of {', '.join(ACTIVATIONS)}.")
    x = np.asarray(x, dtype=np.float64)
    kernel, recurrent_kernel, bias = (np.asarray(a, dtype=np.float64)
                                      for a in (kernel, recurrent_kernel, bias))
    units = recurrent_kernel.shape[0]
    width = BLOCKS[cell] * units
    biases = ((width,), (2, width)) if cell == "GRU" else ((width,),)
    if (x.ndim != 3 or kernel.shape != (x.shape[2], width)
            or recurrent_kernel.shape != (units, width) or bias.shape not in biases):
        raise ValueError(
            f"The {cell} weights do not fit a {cell} layer reading {x.shape[-1]} numbers per step: "
            f"kernel {kernel.shape}, recurrent kernel {recurrent_kernel.shape}, bias {bias.shape} "
            f"(expected ({x.shape[-1]}, {width}), ({units}, {width}) and ({width},)).")
    act = ACTIVATIONS[activation]
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
    if cell == "SimpleRNN":
        traces = _simple_rnn(_project(x, kernel) + bias, recurrent_kernel, act, mask)
    elif cell == "LSTM":
        traces = _lstm(_project(x, kernel) + bias, recurrent_kernel, act, mask)
    else:
        traces = _gru(x, kernel, recurrent_kernel, bias, act, mask)
    if mask is not None:  # gates and candidates of skipped steps were thrown away by Keras
        for name in (*GATES[cell], "candidate"):
            if name in traces:
                traces[name][~mask] = np.nan
    return traces


def _project(x, kernel):
    """x_t K for every sequence and timestep in one 2-D matrix product (B, T, F) -> (B, T, width)."""
    batch, steps, features = x.shape
    return (x.reshape(batch * steps, features) @ kernel).reshape(batch, steps, kernel.shape[1])


def _keep(mask, t, new, old):
    """The new state where step t is read, the old one where it is masked."""
    if mask is None:
        return new
    return np.where(mask[:, t, None], new, old)


def _simple_rnn(xz, recurrent_kernel, act, mask):
    batch, steps, units = xz.shape
    h = np.zeros((batch, units))
    hidden = np.empty((batch, steps, units))
    for t in range(steps):
        h = _keep(mask, t, act(xz[:, t] + h @ recurrent_kernel), h)
        hidden[:, t] = h
    return {"hidden": hidden}


def _lstm(xz, recurrent_kernel, act, mask):
    batch, steps, width = xz.shape
    u = width // 4
    h = np.zeros((batch, u))
    c = np.zeros((batch, u))
    blocks = np.empty((batch, steps, width))  # i, f, g, o after their squashing functions
    hidden = np.empty((batch, steps, u))
    cell = np.empty((batch, steps, u))
    for t in range(steps):
        z = xz[:, t] + h @ recurrent_kernel
        a = sigmoid(z)                      # i, f and o; the g slice is replaced just below
        a[:, 2 * u:3 * u] = act(z[:, 2 * u:3 * u])
        c_new = a[:, u:2 * u] * c + a[:, :u] * a[:, 2 * u:3 * u]
        h_new = a[:, 3 * u:] * act(c_new)
        c = _keep(mask, t, c_new, c)
        h = _keep(mask, t, h_new, h)
        blocks[:, t] = a
        cell[:, t] = c
        hidden[:, t] = h
    return {"input_gate": blocks[..., :u], "forget_gate": blocks[..., u:2 * u],
            "candidate": blocks[..., 2 * u:3 * u], "output_gate": blocks[..., 3 * u:],
            "cell_state": cell, "hidden": hidden}


def _gru(x, kernel, recurrent_kernel, bias, act, mask):
    batch, steps, _ = x.shape
    u = recurrent_kernel.shape[0]
    if bias.shape == (2, 3 * u):      # reset_after=True: input bias row 0, recurrent bias row 1
        reset_after, input_bias, recurrent_bias = True, bias[0], bias[1]
    elif bias.shape == (3 * u,):      # reset_after=False: one bias, reset before the product
        reset_after, input_bias, recurrent_bias = False, bias, np.zeros(3 * u)
    else:
        raise ValueError(f"A GRU bias must have shape (2, {3 * u}) or ({3 * u},), not {bias.shape}.")
    xz = _project(x, kernel) + input_bias
    r_zr, r_h = recurrent_kernel[:, :2 * u], recurrent_kernel[:, 2 * u:]
    h = np.zeros((batch, u))
    blocks = np.empty((batch, steps, 3 * u))  # z, r, h~
    hidden = np.empty((batch, steps, u))
    for t in range(steps):
        if reset_after:
            inner = h @ recurrent_kernel + recurrent_bias
            zr = sigmoid(xz[:, t, :2 * u] + inner[:, :2 * u])
            candidate = act(xz[:, t, 2 * u:] + zr[:, u:] * inner[:, 2 * u:])
        else:
            zr = sigmoid(xz[:, t, :2 * u] + h @ r_zr)
            candidate = act(xz[:, t, 2 * u:] + (zr[:, u:] * h) @ r_h)
        z = zr[:, :u]
        h = _keep(mask, t, z * h + (1.0 - z) * candidate, h)
        blocks[:, t, :2 * u] = zr
        blocks[:, t, 2 * u:] = candidate
        hidden[:, t] = h
    return {"update_gate": blocks[..., :u], "reset_gate": blocks[..., u:2 * u],
            "candidate": blocks[..., 2 * u:], "hidden": hidden}
