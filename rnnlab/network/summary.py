"""The model summary worked out by hand: layer names, output shapes and parameter counts.

Keras's `model.summary()` needs TensorFlow and a built model; this module computes the same table
from a RunConfig with a few lines of arithmetic, instantly, so a student can watch the counts
change while moving a slider. A test checks every count against Keras itself.

A recurrent layer with `units` = U reading F numbers per timestep holds, per block (each gate and
the candidate), a kernel F x U, a recurrent kernel U x U and a bias of U: U x (F + U) + U numbers.
Each cell's registry entry (rnnlab.cells) says how many blocks it has and what it adds, as a
formula and a count; for example

    SimpleRNN   U x (F + U) + U              one block
    LSTM        4 x (U x (F + U) + U)        input, forget and output gate, and the candidate

A Bidirectional wrapper holds two copies (forward and backward) and concatenates their outputs, so
it doubles both the parameters and the output width. Shapes are written as Keras prints them,
with None for the batch size: (None, timesteps, units) when a layer returns its whole sequence,
(None, units) when it returns only its last state.

A stack of Dense layers (the network with no memory) first makes each example one vector:
Flatten lays a window's T readings of F numbers side by side, T x F numbers, and averaging over
words (GlobalAveragePooling1D) turns a review into the mean of its word vectors; neither has
weights. A Dense layer of U units reading F numbers holds one weight per pair and a bias per
unit, F x U + U numbers; a Dropout layer after it holds none.

The character-level language model (many-to-many) has no pooling: its head, a Dense softmax over
the V = 97 characters of the vocabulary, is applied to the top layer's state at every step, with
the same weights each time, so it holds U x V + V numbers and outputs (None, window, V): at every
step, a probability for each character that could come next.
"""
from __future__ import annotations

from dataclasses import dataclass

from rnnlab.cells import CELLS
from rnnlab.config import LayerConfig, RunConfig
from rnnlab.data.spec import DataSpec, data_spec
from rnnlab.network.naming import (
    FLATTEN_NAME,
    HEADS,
    WORD_AVERAGE_NAME,
    dropout_name,
    head_name,
    layer_name,
)

# The language model's task (rnnlab.data.spec): a prediction at every step, no pooling.
NEXT_CHARACTER = "next_character"


@dataclass(frozen=True)
class SummaryRow:
    """One layer of the model as the summary table shows it."""

    name: str                 # the Keras layer name (build_model uses the same)
    kind: str                 # e.g. "LSTM", "Bidirectional(GRU)", "Embedding"
    output_shape: tuple       # as Keras prints it, batch first as None
    params: int               # trainable numbers in this layer
    formula: str              # how params is computed, with this layer's numbers filled in
    note: str = ""            # why the layer is there, when that is not obvious
    recurrent: bool = False   # a recurrent layer (it steps through time and has a state)


def _recurrent_row(index: int, layer: LayerConfig, timesteps: int, inputs: int) -> SummaryRow:
    cell = CELLS[layer.cell]
    directions = 2 if layer.bidirectional else 1
    width = directions * layer.units
    shape = (None, timesteps, width) if layer.return_sequences else (None, width)
    filled = cell.parameter_formula.replace("U", str(layer.units)).replace("F", str(inputs))
    formula = f"2 x ({filled})" if layer.bidirectional else filled
    note = "reads the sequence both ways and concatenates the two states" if layer.bidirectional else ""
    return SummaryRow(
        name=layer_name(index, layer),
        kind=f"Bidirectional({layer.cell})" if layer.bidirectional else layer.cell,
        output_shape=shape,
        params=directions * cell.count_parameters(layer.units, inputs),
        formula=f"{formula}  [{cell.parameter_formula}]",
        note=note,
        recurrent=True,
    )


def _feedforward_rows(config: RunConfig, spec: DataSpec) -> list[SummaryRow]:
    """The Dense stack's rows: one vector per example, then each Dense layer and its Dropout."""
    if spec.is_text:
        inputs = spec.embedding_dim
        padding = ", padding left out" if spec.mask_padding else ""
        rows = [SummaryRow(
            name=WORD_AVERAGE_NAME, kind="GlobalAveragePooling1D", output_shape=(None, inputs),
            params=0, formula="0  [no weights]",
            note=f"averages the review's word vectors into one{padding}: a bag of words, the "
                 "order of the words is lost")]
    else:
        inputs = spec.timesteps * spec.features
        rows = [SummaryRow(
            name=FLATTEN_NAME, kind="Flatten", output_shape=(None, inputs), params=0,
            formula="0  [no weights]",
            note=f"lays the {spec.timesteps} steps of {spec.features} numbers side by side: "
                 f"{inputs} numbers, all read at once, with nothing that says which came first")]
    for index, layer in enumerate(config.layers, start=1):
        units = layer.units
        rows.append(SummaryRow(
            name=layer_name(index, layer), kind="Dense", output_shape=(None, units),
            params=inputs * units + units,
            formula=f"{inputs} x {units} + {units}  [F x U + U]",
            note="each unit reads every number below it: one weight per pair, plus a bias"))
        if layer.dropout > 0:
            rows.append(SummaryRow(
                name=dropout_name(index), kind="Dropout", output_shape=(None, units), params=0,
                formula="0  [no weights]",
                note=f"sets {layer.dropout:.0%} of these numbers to 0 at random while training"))
        inputs = units
    return rows


def summarize(config: RunConfig, spec: DataSpec | None = None) -> list[SummaryRow]:
    """The rows of the model summary, bottom layer first (the Input layer is left out, as Keras does).

    Args:
        config: a valid RunConfig.
        spec: the input shape; derived from the config when not given.
    Returns:
        One SummaryRow per Keras layer, in the order build_model creates them.
    """
    spec = spec or data_spec(config)
    rows = []
    if spec.is_text:
        item, ids = (("character", "characters") if spec.task == NEXT_CHARACTER
                     else ("word", "num_words"))
        rows.append(SummaryRow(
            name="embedding", kind="Embedding",
            output_shape=(None, spec.timesteps, spec.embedding_dim),
            params=spec.vocab_size * spec.embedding_dim,
            formula=f"{spec.vocab_size} x {spec.embedding_dim}  [{ids} x embedding size]",
            note=f"turns each {item} id into a learned vector",
        ))
    if config.is_feedforward:
        rows += _feedforward_rows(config, spec)
        inputs = rows[-1].output_shape[-1]
    else:
        inputs = spec.features
        for index, layer in enumerate(config.layers, start=1):
            row = _recurrent_row(index, layer, spec.timesteps, inputs)
            rows.append(row)
            inputs = row.output_shape[-1]
    if spec.task == NEXT_CHARACTER:
        rows.append(_per_step_head_row(config, spec, inputs))
        return rows
    if config.layers[-1].return_sequences:
        rows.append(SummaryRow(
            name="average_over_time", kind="GlobalAveragePooling1D", output_shape=(None, inputs),
            params=0, formula="0  [no weights]",
            note="the top layer returns a whole sequence; averaging it over time gives one "
                 "vector per example, so the head makes one prediction per example",
        ))
    name, meaning = HEADS[config.dataset]
    rows.append(SummaryRow(
        name=name, kind="Dense", output_shape=(None, 1), params=inputs + 1,
        formula=f"{inputs} x 1 + 1  [inputs x outputs + bias]", note=meaning,
    ))
    return rows


def _per_step_head_row(config: RunConfig, spec: DataSpec, inputs: int) -> SummaryRow:
    """The language model's head: one Dense softmax over the vocabulary, the same weights applied
    at every step of the top layer's sequence, so it answers at every step (many-to-many)."""
    vocabulary = spec.vocab_size
    return SummaryRow(
        name=head_name(config.dataset), kind="Dense",
        output_shape=(None, spec.timesteps, vocabulary), params=inputs * vocabulary + vocabulary,
        formula=f"{inputs} x {vocabulary} + {vocabulary}  [inputs x characters + bias]",
        note=HEADS[config.dataset][1] + f": {vocabulary} probabilities at each of the "
             f"{spec.timesteps} steps, the same weights at every step",
    )


def total_params(rows: list[SummaryRow]) -> int:
    return sum(row.params for row in rows)


def format_summary(rows: list[SummaryRow]) -> str:
    """The rows as a plain-text table, for the command line."""
    header = f"{'layer':<26}{'type':<24}{'output shape':<20}{'params':>10}"
    lines = [header, "-" * len(header)]
    for row in rows:
        shape = "(" + ", ".join("None" if d is None else str(d) for d in row.output_shape) + ")"
        lines.append(f"{row.name:<26}{row.kind:<24}{shape:<20}{row.params:>10,}")
    lines.append("-" * len(header))
    lines.append(f"{'total':<70}{total_params(rows):>10,}")
    return "\n".join(lines)
