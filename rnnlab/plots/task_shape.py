"""The shape of a task: where the sequence goes in and where the answers come out, unrolled.

The standard RNN lesson (Karpathy, "The unreasonable effectiveness of recurrent neural networks",
2015) names a task by how many inputs it reads and how many answers it gives. Unrolled in time,
the same recurrent cell reads x_t and its own state h_(t-1) at every step, h_t = cell(x_t, h_(t-1)),
and the task decides which of the h_t reach an output:

    many-to-one    x_1 .. x_T in, one answer y from h_T (a review's sentiment, a forecast)
    many-to-many   x_1 .. x_T in, an answer y_t at every step (the next character after each)
    one-to-many    one input in, then an answer at every step, each fed back as the next input
                   (a language model writing from a prompt: it reads the character it just wrote)

The figure draws T columns (the last labelled T): inputs along the bottom, the cell unrolled in
the middle with its state passed to the right, outputs along the top. Shapes and annotations
carry names (input:t, cell:t, output:t, state:t, feedback:t) so tests can read the drawing back.
"""
from __future__ import annotations

import plotly.graph_objects as go

from rnnlab.plots.theme import readable

SHAPES = ("many-to-one", "many-to-many", "one-to-many")
STEPS_DRAWN = 4
FONT = dict(family="Arial, sans-serif", size=16, color="#222222")
INPUT_COLOURS = ("#eeeeee", "#777777")       # (fill, outline), as the stack diagram's input
CELL_COLOURS = ("#dce8fb", "#1f4e96")        # the recurrent layers' blue
OUTPUT_COLOURS = ("#ece0f8", "#6a3d9a")      # the Dense head's purple
STATE_COLOUR, FEEDBACK_COLOUR = "#0f7d6b", "#c0510c"
ROW_INPUT, ROW_CELL, ROW_OUTPUT, HALF = 0.0, 1.5, 3.0, 0.38


def _step_name(column: int) -> str:
    """The step's subscript: 1, 2, 3, then T for the last column."""
    return "T" if column == STEPS_DRAWN - 1 else str(column + 1)


def _box(name: str, x: float, y: float, colours: tuple[str, str], text: str,
         shapes: list, annotations: list) -> None:
    fill, line = colours
    shapes.append(dict(type="rect", name=name, x0=x - HALF, x1=x + HALF, y0=y - HALF,
                       y1=y + HALF, fillcolor=fill, line=dict(color=line, width=2), layer="below"))
    annotations.append(dict(name=f"text:{name}", x=x, y=y, text=text, showarrow=False,
                            font=FONT))


def _arrow(name: str, start: tuple[float, float], end: tuple[float, float], colour: str) -> dict:
    """An arrow from `start` to `end` in data units (an annotation with no text)."""
    return dict(name=name, x=end[0], y=end[1], ax=start[0], ay=start[1], xref="x", yref="y",
                axref="x", ayref="y", text="", showarrow=True, arrowhead=2, arrowsize=1.2,
                arrowwidth=3, arrowcolor=colour, font=FONT)


def task_shape_diagram(shape: str, output_words: str = "y") -> go.Figure:
    """The task's shape, unrolled over T steps: inputs, the recurrent cell, and the outputs.

    Args:
        shape: "many-to-one", "many-to-many" or "one-to-many".
        output_words: what an output is, written in its box, e.g. "next char" or "y".
    Returns:
        A Figure: one input box per step (one-to-many: the first step only, the later inputs
        being the outputs fed back, drawn as orange arrows), one cell box per step with its state
        h passed to the right, and one output box per step that answers (many-to-one: the last
        step only).
    Raises:
        ValueError: `shape` is not one of SHAPES.
    """
    if shape not in SHAPES:
        raise ValueError(f"Unknown task shape {shape!r}: pick one of {', '.join(SHAPES)}.")
    shapes: list[dict] = []
    annotations: list[dict] = []
    hover_x, hover_y, hover_text = [], [], []
    for column in range(STEPS_DRAWN):
        t, x = _step_name(column), 1.4 * column
        reads_input = shape != "one-to-many" or column == 0
        answers = shape != "many-to-one" or column == STEPS_DRAWN - 1
        if reads_input:
            _box(f"input:{t}", x, ROW_INPUT, INPUT_COLOURS, f"x<sub>{t}</sub>", shapes,
                 annotations)
            annotations.append(_arrow(f"reads:{t}", (x, ROW_INPUT + HALF),
                                      (x, ROW_CELL - HALF), "#777777"))
        _box(f"cell:{t}", x, ROW_CELL, CELL_COLOURS, f"h<sub>{t}</sub>", shapes, annotations)
        hover_x.append(x), hover_y.append(ROW_CELL)
        hover_text.append(f"step {t}: the same cell, with the same weights, reads "
                          + ("x<sub>" + t + "</sub> and " if reads_input else
                             "what it wrote at the step before and ")
                          + "its state from the step before")
        if column:
            annotations.append(_arrow(f"state:{t}", (x - 1.4 + HALF, ROW_CELL),
                                      (x - HALF, ROW_CELL), STATE_COLOUR))
        if answers:
            _box(f"output:{t}", x, ROW_OUTPUT, OUTPUT_COLOURS, f"{output_words}<sub>{t}</sub>",
                 shapes, annotations)
            annotations.append(_arrow(f"answers:{t}", (x, ROW_CELL + HALF),
                                      (x, ROW_OUTPUT - HALF), "#6a3d9a"))
        if shape == "one-to-many" and column < STEPS_DRAWN - 1:
            # The written character is read at the next step: from the output's box down to the
            # next cell, the way a sampler feeds the model its own writing.
            annotations.append(_arrow(f"feedback:{t}", (x + HALF, ROW_OUTPUT - HALF),
                                      (x + 1.4 - HALF, ROW_CELL + HALF), FEEDBACK_COLOUR))
    annotations.append(dict(name="more", x=1.4 * (STEPS_DRAWN - 1.5), y=ROW_INPUT - 0.75,
                            text="… T steps", showarrow=False, font=FONT))
    fig = go.Figure(go.Scatter(x=hover_x, y=hover_y, mode="markers", hovertext=hover_text,
                               hoverinfo="text", showlegend=False,
                               marker=dict(size=40, symbol="square", opacity=0)))
    width = 1.4 * (STEPS_DRAWN - 1)
    fig.update_layout(
        title=shape, shapes=shapes, annotations=annotations, height=300, dragmode=False,
        margin=dict(l=10, r=10, t=50, b=10), hoverlabel=dict(font_size=16, align="left"),
        xaxis=dict(visible=False, range=[-0.7, width + 0.7], fixedrange=True),
        yaxis=dict(visible=False, range=[ROW_INPUT - 1.0, ROW_OUTPUT + 0.6], fixedrange=True))
    return readable(fig)
