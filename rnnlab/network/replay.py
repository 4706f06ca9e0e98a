"""Inside a trained network: every gate and state of every recurrent layer, recomputed in NumPy.

A finished run saves its weights as weights.npz ({Keras weight path: array}; rnnlab.jobs.artifacts
reads them back). From those and the run's RunConfig this module replays one input sequence through
the model exactly as Keras does, but keeps what Keras throws away: the gates and states of every layer at every timestep. The web
process uses it, so it imports no TensorFlow; a test checks every trace against Keras itself.

The model it replays (rnnlab.trainer.models.build_model):

    ids --Embedding--> x_t --layer 1--> h1_t --layer 2--> ... --top layer--> h_t --Dense--> y

- Text input first looks each word id up in the embedding matrix: x_t = E[id_t]. With
  imdb.mask_padding on, id 0 (padding) is masked: every layer skips that step and carries its
  state over (see rnnlab.cells.maths). Without it (the book's setup) padding is read like any word.
- Each layer's hidden sequence is the next layer's input; each cell's equations, and the names of
  its gates and states, are in its registry entry (rnnlab.cells).
- A Bidirectional layer runs a second copy of the cell backwards, from x_T down to x_1, and
  outputs concat([forward h_t, backward h_t]) with both aligned to input position t. Its backward
  traces are stored in input order too: backward h_t has read x_T .. x_t. With masking on, Keras
  writes zeros at masked positions of a Bidirectional return_sequences output (a plain layer
  repeats its last output instead); the `output` arrays here do the same.
- The head turns the top layer's output into the prediction: a sigmoid probability that the
  review is positive (or, for the long-memory task, that the two marked values add up to more than 1), or a
  linear temperature forecast (in normalized units). If the top layer
  returns sequences, GlobalAveragePooling1D first averages it over time (over read steps only
  when masking is on).

The running prediction applies the head at every step t, to show how the model's opinion forms:
  - top layer returns sequences: head(mean of the top output over steps 1..t);
  - otherwise: head(top state after step t), for a Bidirectional top layer
    head(concat([forward h_t, backward state after reading its first t steps, x_T .. x_{T-t+1}])).
Either way its last value is exactly the model's prediction (model.predict).

The character-level language model (many-to-many) has no pooling: its head is a softmax over the
V characters of the vocabulary, applied to the top layer's output at every step,
p_t = softmax(h_t W + b), and all of p_1 .. p_T are the model's prediction (model.predict gives
(T, V) per passage). Its running prediction is the probability the model gave, after reading
characters 1..t, to character t + 1, the one that actually came next: high where the text is
easy to guess (the rest of a keyword), low where it is not (the first letter of a name). The
passage does not say what follows its last character, so the last step shows the probability of
the model's own first choice.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from rnnlab.cells import CELLS, sigmoid
from rnnlab.config import LayerConfig, RunConfig
from rnnlab.data.spec import data_spec
from rnnlab.network.naming import head_name, layer_name
from rnnlab.network.saved_weights import cell_weights, named_weight

__all__ = ["DirectionTrace", "LayerTrace", "ModelTrace", "Saturation", "cell_weights", "trace",
           "network_inputs", "predict", "saturation", "saturation_fractions", "NO_CELLS"]
NEXT_CHARACTER = "next_character"  # the language model's task (rnnlab.data.spec)
NO_CELLS = "A dense network has no gates or states to look inside: pick a run of a recurrent cell."


@dataclass(frozen=True)
class DirectionTrace:
    """One direction of one layer: each trace an array (T, U), aligned with input positions."""

    direction: str                     # "forward", or "backward" (read from x_T down to x_1)
    traces: dict[str, np.ndarray]      # trace name -> (T, U); the names of the cell's traces
    labels: dict[str, str]             # trace name -> words for a plot axis

    def __getitem__(self, name: str) -> np.ndarray:
        return self.traces[name]


@dataclass(frozen=True)
class LayerTrace:
    """One recurrent layer of the stack."""

    index: int                         # 1 = bottom layer
    name: str                          # the Keras layer name, e.g. "lstm_1", "bidirectional_gru_2"
    cell: str                          # the cell's name in the registry, e.g. "LSTM"
    units: int                         # U, per direction
    directions: tuple[DirectionTrace, ...]  # forward, then backward if bidirectional
    output: np.ndarray                 # (T, D*U): the layer's return_sequences output in Keras

    @property
    def forward(self) -> DirectionTrace:
        return self.directions[0]

    @property
    def backward(self) -> DirectionTrace | None:
        return self.directions[1] if len(self.directions) > 1 else None

    @property
    def gates(self) -> tuple[str, ...]:
        """The sigmoid gates of this cell (empty for SimpleRNN)."""
        return CELLS[self.cell].gates


@dataclass(frozen=True)
class ModelTrace:
    """Everything that happened inside the model for one input sequence of T steps."""

    inputs: np.ndarray                 # the sequence as given: (T,) word ids or (T, F) readings
    mask: np.ndarray                   # (T,) bool: False where a padding step was skipped
    layers: tuple[LayerTrace, ...]     # bottom layer first
    running_prediction: np.ndarray     # (T,) the head applied at every step (module docstring)
    prediction: float                  # the model's prediction; equals running_prediction[-1]
    prediction_label: str              # words for the running prediction's axis
    probabilities: np.ndarray | None = None  # text only: (T, V) the softmax over the V
                                             # characters at every step (model.predict's output)


@dataclass(frozen=True)
class Saturation:
    """How often each unit's gate sits near 0 or 1 (for the saturation scatter plot)."""

    gate: str                          # trace name, e.g. "forget_gate"
    label: str                         # words for the plot, e.g. "forget gate f (1 = keep ...)"
    low: np.ndarray                    # (U,) fraction of read steps with the gate below `low`
    high: np.ndarray                   # (U,) fraction of read steps with the gate above `high`
    steps: int                         # how many timesteps were counted (all sequences)


def network_inputs(config: RunConfig, weights, sequences) -> tuple[np.ndarray, np.ndarray | None]:
    """What layer 1 reads, (x (B, T, F), mask (B, T) or None), from ids (B, T) or (B, T, F)."""
    if config.is_feedforward:  # a Dense network: nothing to replay
        raise ValueError(NO_CELLS)
    spec = data_spec(config)
    sequences = np.asarray(sequences)
    if spec.is_text:
        # The language model reads character ids, the review model word ids.
        item, what, text = (("character", "A passage", "passage") if spec.task == NEXT_CHARACTER
                            else ("word", "A review", "review"))
        if sequences.ndim != 2 or sequences.shape[1] < 1:
            raise ValueError(f"{what} must be a sequence of {item} ids (at least one).")
        if sequences.dtype.kind not in "iuf":
            raise ValueError(f"{what} must be a sequence of {item} ids (whole numbers); encode "
                             f"the {item}s first.")
        if sequences.dtype.kind == "f":
            if not np.all(np.mod(sequences, 1) == 0):
                raise ValueError(f"{item.capitalize()} ids must be whole numbers.")
            sequences = sequences.astype(np.int64)
        table = named_weight(weights, "embedding", "embeddings")
        if sequences.min() < 0 or sequences.max() >= len(table):
            raise ValueError(f"{item.capitalize()} ids must lie between 0 and {len(table) - 1} "
                             f"(the model's vocabulary); this {text} has ids from "
                             f"{sequences.min()} to {sequences.max()}.")
        mask = sequences != 0 if config.dataset == "imdb" and config.imdb.mask_padding else None
        return table[sequences], mask
    if sequences.ndim == 2 and spec.features == 1:
        sequences = sequences[..., None]
    if (sequences.dtype.kind not in "iuf" or sequences.ndim != 3
            or sequences.shape[2] != spec.features or sequences.shape[1] < 1):
        what = "A weather window" if config.dataset == "weather" else "A sequence"
        raise ValueError(f"{what} must have shape (timesteps, {spec.features}): one row "
                         f"of {spec.features} reading{'s' * (spec.features != 1)} per step; got "
                         f"{sequences.shape[1:]}.")
    return sequences.astype(np.float64), None


def _run_stack(config: RunConfig, weights, x, mask, depth=None):
    """Run layers 1..depth; per layer a list of direction traces (B, T, U) and its output."""
    layers = []
    for index, layer in enumerate(config.layers[:depth], start=1):
        name = layer_name(index, layer)
        directions = []
        for direction in (("forward", "backward") if layer.bidirectional else (None,)):
            arrays = cell_weights(weights, name, layer.cell, direction)
            units = arrays["recurrent_kernel"].shape[0]
            if units != layer.units:
                raise ValueError(f"Layer {name!r} has {units} units in the saved "
                                 f"weights but {layer.units} in the config: config and weights "
                                 "come from different runs.")
            backward = direction == "backward"
            xs, ms = (x[:, ::-1], None if mask is None else mask[:, ::-1]) if backward else (x, mask)
            traces = CELLS[layer.cell].run(xs, arrays, layer.activation, ms)
            if backward:  # back to input order: backward h_t has read x_T .. x_t
                traces = {k: v[:, ::-1] for k, v in traces.items()}
            directions.append(traces)
        output = np.concatenate([d["hidden"] for d in directions], axis=-1)
        if layer.bidirectional and mask is not None:
            output = np.where(mask[..., None], output, 0.0)  # Keras zeroes masked steps here
        layers.append((layer, name, directions, output))
        x = output
    return layers


def trace(config: RunConfig, weights: Mapping[str, np.ndarray], sequence) -> ModelTrace:
    """Replay one sequence through the model and keep every gate and state.

    Args:
        config: the run's RunConfig.
        weights: {Keras weight path: array}, e.g. from
            rnnlab.jobs.artifacts.read_trained_model.
        sequence: IMDB: word ids, shape (T,) (usually the padded review of maxlen ids). Weather:
            readings, shape (T, F) in normalized units ((T,) is fine when F = 1). Memory task:
            readings, shape (T,) or (T, 1). Text: character ids, shape (T,).
    Returns:
        A ModelTrace: per layer and direction the traces (T, U), the running prediction (T,)
        and the final prediction, which equals model.predict on the same input (for text:
        the softmax at every step, in `probabilities`, equals model.predict).
    Raises:
        ValueError: the sequence does not fit the model (ids outside the vocabulary, wrong number
            of readings per step) or the weights do not fit the config.
    """
    spec = data_spec(config)
    raw = np.asarray(sequence)
    if not spec.is_text and raw.ndim == 1 and spec.features == 1:
        raw = raw[:, None]
    x, mask = network_inputs(config, weights, raw[None])
    layers = _run_stack(config, weights, x, mask)
    steps = x.shape[1]
    read = np.ones(steps, bool) if mask is None else mask[0]
    top, _, directions, output = layers[-1]
    probabilities = None
    if spec.task == NEXT_CHARACTER:  # a softmax at every step; no pooling
        probabilities = _softmax_head(weights, output[0], head_name(config.dataset))
        running = _chance_of_what_came_next(raw, probabilities)
    elif top.return_sequences:  # the model averages the top sequence over (read) time
        total = np.cumsum(output[0] * read[:, None], axis=0)
        count = np.cumsum(read)[:, None]
        state = np.where(count > 0, total / np.maximum(count, 1), 0.0)
    else:
        parts = [directions[0]["hidden"][0]]
        if top.bidirectional:  # the backward state after its first t steps sits at T - t
            parts.append(directions[1]["hidden"][0][::-1])
        state = np.concatenate(parts, axis=-1)
    if probabilities is None:
        running = _head(spec.task, weights, state, head_name(config.dataset))

    layer_traces = []
    for layer, name, dirs, out in layers:
        labels = dict(CELLS[layer.cell].traces)
        layer_traces.append(LayerTrace(
            index=len(layer_traces) + 1, name=name, cell=layer.cell, units=layer.units,
            directions=tuple(DirectionTrace(direction, {k: v[0] for k, v in d.items()}, labels)
                             for direction, d in zip(("forward", "backward"), dirs)),
            output=out[0]))
    label = {"imdb": "P(positive) so far", "memory": "P(marked sum > 1) so far",
             "text": "P(the character that came next)"}.get(
        config.dataset, "forecast so far (normalized units)")
    return ModelTrace(inputs=raw, mask=read, layers=tuple(layer_traces),
                      running_prediction=running, prediction=float(running[-1]),
                      prediction_label=label, probabilities=probabilities)


def _softmax_head(weights, states: np.ndarray, name: str) -> np.ndarray:
    """The language model's head on states (..., width): a softmax over the vocabulary,
    p_k = exp(z_k) / sum_j exp(z_j) with z = h W + b, the same weights at every step."""
    logits = states @ named_weight(weights, name, "kernel") + named_weight(weights, name, "bias")
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))  # no overflow; same ratios
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _chance_of_what_came_next(ids: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """(T,): at step t < T, the probability the model gave to character t + 1 of the passage; at
    the last step, where the passage does not say what came next, that of its own first choice."""
    steps = np.arange(len(ids) - 1)
    return np.append(probabilities[steps, np.asarray(ids, dtype=np.int64)[1:]],
                     probabilities[-1].max())


def _head(task: str, weights, state: np.ndarray, name: str | None = None) -> np.ndarray:
    """The Dense head on states (..., width): a probability for "binary", else a forecast.

    `name` is the head layer's name (rnnlab.network.naming.head_name); without it, "sentiment" for
    "binary" and "forecast" otherwise (the IMDB and weather heads).
    """
    head = name or ("sentiment" if task == "binary" else "forecast")
    out = (state @ named_weight(weights, head, "kernel") + named_weight(weights, head, "bias"))[..., 0]
    return sigmoid(out) if task == "binary" else out


def predict(config: RunConfig, weights: Mapping[str, np.ndarray], sequences,
            batch_size: int = 64) -> np.ndarray:
    """The model's prediction for each of many sequences, as model.predict gives it.

    The Inside-the-cell page uses it to sort test reviews into those the model gets right and
    those it gets wrong, without TensorFlow.

    Args:
        config, weights: the run's config and saved weights.
        sequences: word ids (N, T), weather windows (N, T, F), memory sequences (N, T, 2) or
            character ids (N, T).
        batch_size: how many sequences to replay at once (memory against speed).
    Returns:
        (N,) predictions: P(positive) for reviews, P(marked sum > 1) for the memory task,
        the normalized forecast for weather; for the language model (N, T, V), the softmax
        over the V characters at every step.
    Raises:
        ValueError: inputs that do not fit the model.
    """
    spec = data_spec(config)
    sequences = np.asarray(sequences)
    predictions = []
    for start in range(0, len(sequences), batch_size):
        x, mask = network_inputs(config, weights, sequences[start:start + batch_size])
        top, _, directions, output = _run_stack(config, weights, x, mask)[-1]
        if spec.task == NEXT_CHARACTER:  # a softmax at every step, (B, T, V)
            predictions.append(_softmax_head(weights, output, head_name(config.dataset)))
            continue
        if top.return_sequences:  # GlobalAveragePooling1D over the read steps
            read = np.ones(x.shape[:2]) if mask is None else mask.astype(np.float64)
            state = (output * read[..., None]).sum(axis=1) / np.maximum(read.sum(1), 1)[:, None]
        else:  # forward h_T, and the backward state after reading x_T .. x_1
            parts = [directions[0]["hidden"][:, -1]]
            if top.bidirectional:
                parts.append(directions[1]["hidden"][:, 0])
            state = np.concatenate(parts, axis=-1)
        predictions.append(_head(spec.task, weights, state, head_name(config.dataset)))
    return np.concatenate(predictions) if predictions else np.zeros(0)


def _hits(values, mask, low, high) -> tuple[np.ndarray, np.ndarray, int]:
    """(steps below low, steps above high) per unit, and how many steps were counted."""
    if not 0 <= low < high <= 1:
        raise ValueError(f"Thresholds must satisfy 0 <= low < high <= 1; got low={low}, high={high}.")
    values = np.asarray(values, dtype=np.float64)
    values = values.reshape(-1, values.shape[-1])
    read = np.ones(len(values), bool) if mask is None else np.asarray(mask, bool).reshape(-1)
    if read.shape[0] != values.shape[0]:
        raise ValueError(f"The mask covers {read.shape[0]} steps but the gate has {values.shape[0]}.")
    kept = values[read]
    return (kept < low).sum(axis=0), (kept > high).sum(axis=0), len(kept)


def saturation_fractions(values, mask=None, low: float = 0.1,
                         high: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """Per unit, the fraction of steps a gate is below `low` and the fraction above `high`.

    Args:
        values: gate values, shape (T, U) or (N, T, U).
        mask: optional booleans of shape (T,) or (N, T); False steps are not counted.
        low, high: the saturation thresholds (strictly below / strictly above).
    Returns:
        (fraction_low, fraction_high), each of shape (U,); zeros if no step is counted.
    Raises:
        ValueError: thresholds out of order or a mask that does not match the values.
    """
    below, above, steps = _hits(values, mask, low, high)
    return below / max(steps, 1), above / max(steps, 1)


def saturation(config: RunConfig, weights: Mapping[str, np.ndarray], sequences, layer: int = 1,
               direction: str = "forward", low: float = 0.1, high: float = 0.9,
               batch_size: int = 64) -> dict[str, Saturation]:
    """How saturated each gate of one layer is, unit by unit, over a sample of inputs.

    A gate that is nearly always below `low` or above `high` acts as a switch; one that hovers in
    between blends (Karpathy et al., "Visualizing and understanding recurrent networks", 2015).
    Masked (skipped) padding steps are not counted.

    Args:
        config, weights: the run's config and saved weights.
        sequences: a sample of inputs: word ids (N, T), weather windows (N, T, F) or memory
            sequences (N, T, 1).
        layer: which recurrent layer, 1 = bottom.
        direction: "forward", or "backward" for a Bidirectional layer.
        low, high: the saturation thresholds.
        batch_size: how many sequences to replay at once (memory against speed).
    Returns:
        {gate name: Saturation}, in the cell's gate order; empty for a SimpleRNN (no gates).
    Raises:
        ValueError: no such layer or direction, or inputs that do not fit the model.
    """
    if config.is_feedforward:
        raise ValueError(NO_CELLS)
    if not 1 <= layer <= len(config.layers):
        raise ValueError(f"Layer {layer} does not exist: the model has {len(config.layers)} "
                         "recurrent layer(s), numbered from 1 at the bottom.")
    chosen: LayerConfig = config.layers[layer - 1]
    if direction not in ("forward", "backward") or (
            direction == "backward" and not chosen.bidirectional):
        ways = "both ways (forward, backward)" if chosen.bidirectional else "forward only"
        raise ValueError(f"Direction {direction!r} is not available: layer {layer} reads {ways}.")
    sequences = np.asarray(sequences)
    if len(sequences) == 0:
        raise ValueError("The sample is empty: give at least one sequence.")
    gates = CELLS[chosen.cell].gates
    below = {gate: 0 for gate in gates}
    above = {gate: 0 for gate in gates}
    total = 0
    for start in range(0, len(sequences), batch_size):
        x, mask = network_inputs(config, weights, sequences[start:start + batch_size])
        _, _, directions, _ = _run_stack(config, weights, x, mask, depth=layer)[-1]
        traces = directions[0 if direction == "forward" else 1]
        for gate in gates:
            b, a, steps = _hits(traces[gate], mask, low, high)
            below[gate], above[gate] = below[gate] + b, above[gate] + a
        total += x.shape[0] * x.shape[1] if mask is None else int(mask.sum())
    labels = CELLS[chosen.cell].traces
    return {gate: Saturation(gate=gate, label=labels[gate], low=below[gate] / max(total, 1),
                             high=above[gate] / max(total, 1), steps=total)
            for gate in gates}
