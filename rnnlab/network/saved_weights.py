"""A layer's saved weights, found by the paths Keras gives them.

A finished run saves its weights as weights.npz, {Keras weight path: array}: "lstm_1/lstm_cell/kernel"
is the kernel of the first recurrent layer, "sentiment/bias" the head's bias (the layer names are
rnnlab.network.naming's). The replay (rnnlab.network.replay) and one step by hand
(rnnlab.network.by_hand) look their arrays up here, by layer name and array name, so a weight
saved under an unexpected path is reported in words rather than as a KeyError.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

from rnnlab.cells import CELLS


def cell_weights(weights: Mapping[str, np.ndarray], name: str, cell: str,
                 direction: str | None = None) -> dict[str, np.ndarray]:
    """The weight arrays one recurrent layer's cell reads, found by their Keras weight paths.

    Keras 3 paths look like "lstm_1/lstm_cell/kernel" or, inside a Bidirectional wrapper,
    "bidirectional_gru_2/forward_gru_2/gru_cell/bias". A weight belongs to the layer when the
    path's first part is the layer name (and, for a direction, its second part starts with
    "forward" or "backward"); its last part says which array it is, one of the names the cell's
    registry entry reads (rnnlab.cells.Cell.weight_names: kernel, recurrent_kernel, bias, ...).

    Args:
        weights: {weight path: array}, as in weights.npz.
        name: the layer name (rnnlab.network.naming.layer_name).
        cell: the layer's cell, e.g. "LSTM".
        direction: None for a plain layer, "forward" or "backward" inside a Bidirectional.
    Returns:
        {weight name: array}, one for each of the cell's weight names.
    Raises:
        ValueError: the weights hold no such layer, or not all of the cell's arrays.
    """
    wanted = CELLS[cell].weight_names
    found: dict[str, np.ndarray] = {}
    for path, array in weights.items():
        parts = path.split("/")
        if parts[0] != name or parts[-1] not in wanted:
            continue
        if direction is not None and not (len(parts) > 2 and parts[1].startswith(direction)):
            continue
        if parts[-1] in found:  # e.g. both halves of a Bidirectional matched: ambiguous
            raise ValueError(f"The saved weights hold two {parts[-1]} arrays for layer {name!r}; "
                             "is it bidirectional in the weights but not in the config?")
        found[parts[-1]] = np.asarray(array)
    missing = [k for k in wanted if k not in found]
    if missing:
        where = f"the {direction} half of layer {name!r}" if direction else f"layer {name!r}"
        layers = sorted({path.split("/")[0] for path in weights})
        raise ValueError(f"The saved weights have no {', '.join(missing)} for {where}; they hold "
                         f"layers {', '.join(layers)}. Were they saved for a different model?")
    return {k: found[k] for k in wanted}


def named_weight(weights: Mapping[str, np.ndarray], layer: str, array: str) -> np.ndarray:
    """The array `array` ("kernel", "bias", "embeddings") of the layer named `layer`, as float64.

    Raises:
        ValueError: the weights hold no such array.
    """
    for path, value in weights.items():
        parts = path.split("/")
        if parts[0] == layer and parts[-1] == array:
            return np.asarray(value, dtype=np.float64)
    raise ValueError(f"The saved weights have no {layer}/{array}: were they saved for a different "
                     "model?")
