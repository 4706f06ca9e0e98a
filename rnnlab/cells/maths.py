"""The NumPy maths every cell shares: the squashing functions, the input projection, the time loop.

A recurrent cell reads a sequence x_1 .. x_T (one vector of F numbers per timestep) and carries a
state from step to step. With U units, Keras stores a kernel K (F, blocks*U) applied to the
input, a recurrent kernel R (U, blocks*U) applied to the previous state and a bias b, the blocks
(gates and candidate) side by side in Keras's order. Each cell's own module (rnnlab.cells.lstm,
...) writes its step equations with the three tools here:

- the squashing functions: gates always use the sigmoid s(v) = 1 / (1 + exp(-v)), so they lie
  between 0 (closed) and 1 (open); the candidate and the output use the layer's activation
  (tanh by default, or relu or sigmoid), called `act` in the equations;
- `project`: x_t K does not depend on the state, so it is computed for all timesteps in one
  matrix product before the loop; only the recurrent part h_{t-1} R runs step by step;
- `starting_states`: the states before the first step: zeros for a fresh sequence, or the states
  an earlier call ended with, so a sequence can be fed in pieces (the sampler of
  rnnlab.network.sampler feeds one character at a time and carries the states on);
- `unroll`: the loop over time. It calls the cell's update once per step and stacks what it
  returns. Masking: where a step is masked (a padding id with mask_padding on), Keras skips it and
  carries the state over unchanged. `unroll` does the same: the traces that are states (the
  hidden state h, the LSTM's cell state c) keep their carried value, and every other trace (gates,
  candidates) is NaN there, because the cell computed it but Keras threw it away.

Everything works on a batch (B, T, F), so many sequences run at once.
"""
from __future__ import annotations

from typing import Callable, Mapping, TypeAlias

import numpy as np

# One step of a cell: (this step's input part x_t K + b, shape (B, width); the states after the
# previous step, {name: (B, U)}) -> {trace name: (B, U)}, holding the new value of every state.
# (A string: spelled out, `np.ndarray` would import NumPy with this module; numpy_after_home.)
Update: TypeAlias = "Callable[[np.ndarray, dict[str, np.ndarray]], dict[str, np.ndarray]]"


def sigmoid(v: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-v)), written with tanh so large |v| never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * v))


def tanh(v: np.ndarray) -> np.ndarray:
    """(e^v - e^-v) / (e^v + e^-v): squashes any value into (-1, 1)."""
    return np.tanh(v)


def relu(v: np.ndarray) -> np.ndarray:
    """max(v, 0): lets positive values through unchanged, zeroes the rest."""
    return np.maximum(v, 0.0)


# The activations a LayerConfig may name (rnnlab.config.ACTIVATIONS), by name.
ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "tanh": tanh, "relu": relu, "sigmoid": sigmoid}


def project(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """x_t K for every sequence and timestep in one matrix product.

    Args:
        x: inputs, shape (B, T, F).
        kernel: shape (F, width).
    Returns:
        shape (B, T, width).
    """
    batch, steps, features = x.shape
    return (x.reshape(batch * steps, features) @ kernel).reshape(batch, steps, kernel.shape[1])


def starting_states(names: tuple[str, ...], batch: int, units: int,
                    given: Mapping[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """The states before the first step: zeros, or `given`, carried on from an earlier call.

    Feeding x_1 .. x_T in one call, or x_1 .. x_k and then x_{k+1} .. x_T starting from the
    states the first call ended with, computes the same numbers.

    Args:
        names: the cell's states, e.g. ("hidden", "cell_state").
        batch, units: B and U.
        given: optional {name: (B, U)} for every name.
    Returns:
        {name: (B, U)} as float64.
    Raises:
        ValueError: `given` lacks a state or has one of another shape.
    """
    if given is None:
        return {name: np.zeros((batch, units)) for name in names}
    states = {name: np.asarray(given[name], dtype=np.float64) for name in names if name in given}
    if len(states) != len(names) or any(v.shape != (batch, units) for v in states.values()):
        got = ", ".join(f"{name} {np.shape(value)}" for name, value in given.items())
        raise ValueError(f"The starting states must be {', '.join(names)}, each of shape "
                         f"{(batch, units)}; got {got or 'none'}.")
    return states


def unroll(inputs: np.ndarray, states: dict[str, np.ndarray], update: Update,
           mask: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Run a cell's update over every timestep and keep every trace.

    Args:
        inputs: the input part of every step, shape (B, T, width), usually project(x, K) + b.
        states: the states before the first step, {name: (B, U)}, usually zeros.
        update: the cell's step (see `Update`); its result must hold every name of `states`.
        mask: optional (B, T) booleans, False where a step is skipped.
    Returns:
        {trace name: (B, T, U)}, in the order `update` returns them. At a masked step the states
        hold their carried value and every other trace is NaN.
    """
    batch, steps = inputs.shape[:2]
    traces: dict[str, np.ndarray] = {}
    for t in range(steps):
        step = update(inputs[:, t], states)
        if mask is not None:
            read = mask[:, t, None]
            step = {name: np.where(read, value, states[name] if name in states else np.nan)
                    for name, value in step.items()}
        states = {name: step[name] for name in states}
        for name, value in step.items():
            if name not in traces:
                traces[name] = np.empty((batch, steps) + value.shape[1:])
            traces[name][:, t] = value
    return traces
