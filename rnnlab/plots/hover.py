"""Tooltips that explain: the value first, then what it means, in short lines.

A chart's hover label is read at arm's length from a projector, so it follows three habits:

- the first line says where the pointer is (the step and the word read there, the epoch, the
  distance from the end of the sequence);
- then the value with its meaning, as one sentence: "forget gate 0.93: keeps 93% of the old cell
  state" (the cell registry's `Cell.hover_meaning`, rnnlab.lessons.meanings for the scores);
- no line much longer than `WIDTH` characters: plotly never wraps a hover label, so a long
  sentence would run off a 1024 px screen. `tooltip` wraps each part at spaces.

Pure functions of strings. A line is measured as it will read: a plotly placeholder
("%{y:.2f}") counts as `PLACEHOLDER_WIDTH` characters, the width of the number it becomes, and
is never split.
"""
from __future__ import annotations

import re

WIDTH = 58             # the most characters a line of a tooltip should read
PLACEHOLDER_WIDTH = 4  # "%{y:.2f}" reads "0.93", "%{y:.0%}" "93%", "%{x}" a step like "412"
ORPHAN = 4             # a last word this short joins the line before instead of standing alone
PLACEHOLDER = re.compile(r"%\{[^}]*\}")


def tooltip(*parts: str, name: str | None = None) -> str:
    """A hovertemplate of `parts`, each wrapped at `WIDTH` characters, joined by <br>.

    Args:
        parts: the lines' texts, e.g. "step %{x} (%{text})", "forget gate %{y:.2f}: keeps ...";
            empty parts are left out.
        name: what plotly shows beside the label (the trace's name); None shows nothing there.
    Returns:
        e.g. "step %{x} (%{text})<br>forget gate %{y:.2f}: keeps %{y:.0%} of the old cell
        state<extra></extra>".
    """
    return "<br>".join(wrap(part) for part in parts if part) + f"<extra>{name or ''}</extra>"


def wrap(text: str) -> str:
    """`text` in lines of at most `WIDTH` characters as read, broken at spaces, joined by <br>.

    Also for a sentence that differs from point to point (a chart's customdata), which `tooltip`
    cannot wrap because it only sees its placeholder.
    """
    rows: list[list[str]] = []
    used = 0
    for word in text.split():
        width = read_width(word)
        if rows and used + 1 + width <= WIDTH:
            rows[-1].append(word)
            used += 1 + width
        else:
            rows.append([word])
            used = width
    # A lone short word on a line of its own ("in<br>h") reads worse than a line a little long.
    if len(rows) > 1 and len(rows[-1]) == 1 and read_width(rows[-1][0]) <= ORPHAN:
        last = rows.pop()
        rows[-1] += last
    return "<br>".join(" ".join(row) for row in rows)


def read_width(text: str) -> int:
    """How many characters `text` reads as, each placeholder `PLACEHOLDER_WIDTH` long."""
    return len(PLACEHOLDER.sub("x" * PLACEHOLDER_WIDTH, text))
