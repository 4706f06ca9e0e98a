"""The model as a stack of boxes, with the tensor that flows between each pair drawn by its shape.

The one idea a student must get right to stack recurrent layers is the difference between

    (batch, time, units)   a sequence: one vector per timestep, what return_sequences=True gives
    (batch, units)         a single vector per example: only the last state h_T

A layer that reads one vector per timestep (any recurrent layer) needs the first; a Dense head
needs the second. So the diagram draws a sequence as a row of small squares, one per timestep, on
parallel wires, and a single vector as one square on one wire, in another colour. Boxes run from
the input at the top down to the prediction, in the order of the summary table and the code
(Keras's plot_model draws the same way), so the lab's "top layer" is the last box.

A stack of Dense layers (the network with no memory) shows where the time axis goes: the input
sequence flows into Flatten (or, for text, into the average over words) and a single vector comes
out, which every Dense layer below reads at once.

The character-level language model keeps the time axis to the end: its Dense head is applied at
every step, so the last tensor is a sequence too, (batch, time, 97), a probability for each
character of the vocabulary at every timestep.

Everything is drawn with plotly shapes and annotations on hidden axes; invisible markers carry the
hover text. Shapes and annotations carry names (box:..., step:..., vector:..., shape:...) so
tests can read the drawing back.
"""
from __future__ import annotations

import plotly.graph_objects as go

from rnnlab.config import RunConfig
from rnnlab.data.spec import data_spec
from rnnlab.network.summary import SummaryRow, summarize
from rnnlab.plots.theme import readable

# Layout in data units: boxes on the left, the shape labels of the links on the right.
BOX_LEFT, BOX_RIGHT, LABEL_X, WIDTH = 0.0, 5.4, 5.8, 12.0
BOX_HEIGHT, LINK_HEIGHT, BOTTOM_MARGIN = 1.1, 1.7, 0.9
PIXELS_PER_UNIT = 52
MAX_STEPS_DRAWN = 8
FONT = dict(family="Arial, sans-serif", size=17, color="#222222")
SEQUENCE_COLOUR, VECTOR_COLOUR = "#0f7d6b", "#c0510c"
BOX_COLOURS = {  # (fill, outline) by what the layer does
    "input": ("#eeeeee", "#777777"),
    "Embedding": ("#dff3df", "#3c8d3c"),
    "recurrent": ("#dce8fb", "#1f4e96"),
    "GlobalAveragePooling1D": ("#fde9d4", "#c0510c"),
    "Flatten": ("#fde9d4", "#c0510c"),
    "Dense": ("#ece0f8", "#6a3d9a"),
    "Dropout": ("#f4f4f4", "#999999"),
}


def _shape_text(shape: tuple) -> str:
    """A shape as Keras prints it: (None, 500, 32)."""
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def _axes_words(shape: tuple, kind: str) -> str:
    """What each axis of a shape means, e.g. "(batch, time, units)"."""
    if len(shape) == 2 and kind == "input":
        return "(batch, time)"
    last = {"Embedding": "embedding", "input": "features", "Dense": "outputs",
            "Flatten": "numbers"}.get(kind, "units")
    return f"(batch, time, {last})" if len(shape) == 3 else f"(batch, {last})"


def _link_words(shape: tuple, kind: str, example: str, last: bool = False,
                item: str = "word") -> tuple[str, str]:
    """(short label, hover explanation) for the tensor of `shape` that a `kind` layer puts out;
    `last`: it is the model's output; `item`: what an input id stands for."""
    if kind == "input" and len(shape) == 2:
        steps = shape[1]
        return (f"one {item} id per timestep ({steps} steps)",
                f"{_shape_text(shape)}: for each {example} in the batch (None = any batch size), "
                f"{steps} {item} ids in reading order, one per timestep.")
    if len(shape) == 3 and last:  # a prediction at every step (the language model)
        steps, width = shape[1], shape[2]
        return (f"{width} probabilities per timestep: the prediction",
                f"{_shape_text(shape)}: for each {example} in the batch, at each of the {steps} "
                f"timesteps, {width} probabilities (one per {item} of the vocabulary) that "
                f"add up to 1: what the model expects to come next.")
    if len(shape) == 3:
        steps, width = shape[1], shape[2]
        return (f"one vector per timestep ({steps} x {width} numbers)",
                f"{_shape_text(shape)}: a sequence. For each {example} in the batch, {steps} "
                f"timesteps, each a vector of {width} numbers. A recurrent layer above reads it "
                "one timestep at a time.")
    width = shape[-1]
    if last:
        return (f"one number per {example}: the prediction",
                f"{_shape_text(shape)}: one number for each {example} in the batch.")
    if kind == "Flatten":
        return (f"one long vector per {example} ({width} numbers)",
                f"{_shape_text(shape)}: every reading of the {example}, side by side. The time "
                "axis is gone: a dense layer reads all of them at once, and nothing tells it "
                "which came first.")
    return (f"one vector per {example} ({width} numbers)",
            f"{_shape_text(shape)}: a single vector for each {example} in the batch; the time "
            "axis is gone, so only a Dense layer (not another recurrent layer) can read it.")


def _two_lines(words: str) -> str:
    """A link's short label broken before its parenthesis or after its colon: at 1024 px beside the
    sidebar the space right of the boxes holds about 30 characters a line, and a longer line is
    cut off at the chart's edge ("one vector per timestep (500 x 32 numb")."""
    for mark, broken in ((" (", "<br>("), (": ", ":<br>")):
        if mark in words:
            return words.replace(mark, broken, 1)
    return words


def _box_hover(row: SummaryRow) -> str:
    numbers, _, symbols = row.formula.partition("  [")
    lines = [f"<b>{row.name} ({row.kind})</b>",
             f"{row.params:,} parameters = {numbers}" + (f"  [{symbols}" if symbols else "")]
    if row.recurrent:
        lines.append("returns its whole sequence h_1 ... h_T" if len(row.output_shape) == 3
                     else "returns only its last state h_T")
    if row.note:
        lines.append(row.note)
    return "<br>".join(lines)


def stack_diagram(rows: list[SummaryRow], input_shape: tuple, input_name: str = "input",
                  example: str = "example", item: str = "word") -> go.Figure:
    """The layers as a vertical stack of boxes, input first (at the top), with the tensors between.

    Args:
        rows: the model summary, bottom layer first (rnnlab.network.summary.summarize).
        input_shape: the shape of the model's input as Keras prints it, e.g. (None, 500).
        input_name: what the input is, e.g. "review (word ids)".
        example: what one example is called, e.g. "review" or "window".
        item: what one input id stands for when the input is ids: "word" or "character".
    Returns:
        A Figure with one box per row plus one for the input. Between two boxes, and below the
        last one, the tensor flowing down: a row of squares on parallel wires for a sequence
        (batch, time, units), one square on one wire for a single vector (batch, units).
    """
    fig = go.Figure()
    shapes, annotations = [], []
    hover_x, hover_y, hover_text = [], [], []
    boxes = [("input", input_name, "input", input_shape, "")] + [
        (row.name, f"{row.kind}", "recurrent" if row.recurrent else row.kind,
         row.output_shape, _box_hover(row)) for row in rows]
    y = 0.0
    middle = (BOX_LEFT + BOX_RIGHT) / 2
    for position, (name, kind_text, kind, shape, hover) in enumerate(boxes):
        fill, line = BOX_COLOURS[kind]
        shapes.append(dict(type="rect", name=f"box:{name}", x0=BOX_LEFT, x1=BOX_RIGHT,
                           y0=y - BOX_HEIGHT, y1=y, fillcolor=fill, line=dict(color=line, width=2),
                           layer="below"))
        if kind == "input":
            text = f"<b>Input</b>: {input_name}"
            hover = (f"<b>Input</b>: {input_name}<br>{_shape_text(shape)} = "
                     f"{_axes_words(shape, 'input')}")
        else:
            params = next(r.params for r in rows if r.name == name)
            text = f"<b>{kind_text}</b><br>{name} · {params:,} params"
        annotations.append(dict(name=f"label:{name}", x=middle, y=y - BOX_HEIGHT / 2, text=text,
                                showarrow=False, font=dict(FONT, size=17)))
        hover_x.append(middle), hover_y.append(y - BOX_HEIGHT / 2), hover_text.append(hover)
        # The tensor this box puts out, flowing down to the next box (or out of the model).
        top, bottom = y - BOX_HEIGHT, y - BOX_HEIGHT - LINK_HEIGHT
        sequence = len(shape) == 3 or kind == "input"
        colour = SEQUENCE_COLOUR if sequence else VECTOR_COLOUR
        short, explain = _link_words(shape, kind, example, last=position == len(boxes) - 1,
                                     item=item)
        centre = (bottom + top) / 2
        if sequence:
            steps = min(shape[1], MAX_STEPS_DRAWN)
            spacing = (BOX_RIGHT - BOX_LEFT) / (MAX_STEPS_DRAWN + 1)
            for k in range(steps):
                x = BOX_LEFT + spacing * (k + 1)
                shapes.append(dict(type="line", name=f"wire:{name}:{k}", x0=x, x1=x, y0=bottom,
                                   y1=top, line=dict(color=colour, width=2), layer="below"))
                shapes.append(dict(type="rect", name=f"step:{name}:{k}", x0=x - 0.17, x1=x + 0.17,
                                   y0=centre - 0.22, y1=centre + 0.22, fillcolor=colour,
                                   line=dict(color="white", width=1)))
            if shape[1] > MAX_STEPS_DRAWN:
                annotations.append(dict(name=f"more:{name}", x=BOX_LEFT + spacing * (steps + 0.5),
                                        y=centre, text="…", showarrow=False,
                                        font=dict(FONT, size=20, color=colour)))
        else:
            shapes.append(dict(type="line", name=f"wire:{name}", x0=middle, x1=middle, y0=bottom,
                               y1=top, line=dict(color=colour, width=4), layer="below"))
            shapes.append(dict(type="rect", name=f"vector:{name}", x0=middle - 0.3,
                               x1=middle + 0.3, y0=centre - 0.3, y1=centre + 0.3,
                               fillcolor=colour, line=dict(color="white", width=1)))
        annotations.append(dict(
            name=f"shape:{name}", x=LABEL_X, y=centre, xanchor="left", showarrow=False,
            align="left", font=dict(FONT, size=16, color=colour),
            text=f"<b>{_shape_text(shape)}</b><br>= {_axes_words(shape, kind)}<br>"
                 + _two_lines(short)))
        hover_x.append(middle), hover_y.append(centre), hover_text.append(explain)
        y = bottom
    fig.add_trace(go.Scatter(
        x=hover_x, y=hover_y, mode="markers", hovertext=hover_text, hoverinfo="text",
        marker=dict(size=40, symbol="square", opacity=0), showlegend=False))
    annotations.append(dict(name="prediction", x=middle, y=y - 0.1, yanchor="top",
                            text="<b>prediction</b>", showarrow=False, font=dict(FONT, size=17)))
    fig.update_layout(
        shapes=shapes, annotations=annotations, height=int((BOTTOM_MARGIN - y) * PIXELS_PER_UNIT) + 20,
        margin=dict(l=10, r=10, t=10, b=10), plot_bgcolor="white", paper_bgcolor="white",
        hoverlabel=dict(font_size=16, align="left"), dragmode=False,
        xaxis=dict(visible=False, range=[BOX_LEFT - 0.2, WIDTH], fixedrange=True),
        yaxis=dict(visible=False, range=[y - BOTTOM_MARGIN, 0.2], fixedrange=True),
    )
    return readable(fig)


def model_diagram(config: RunConfig) -> go.Figure:
    """stack_diagram for a RunConfig: its analytic summary and the input its dataset feeds."""
    spec = data_spec(config)
    if config.dataset == "text":
        return stack_diagram(summarize(config, spec), (None, spec.timesteps),
                             "characters (character ids)", "window", item="character")
    if spec.is_text:
        input_shape, input_name, example = (None, spec.timesteps), "review (word ids)", "review"
    elif config.dataset == "memory":
        input_shape = (None, spec.timesteps, spec.features)
        input_name, example = "sequence (the long-memory task)", "sequence"
    else:
        input_shape = (None, spec.timesteps, spec.features)
        input_name, example = f"weather window ({config.weather.source})", "window"
    return stack_diagram(summarize(config, spec), input_shape, input_name, example)
