"""One step, by hand: the Inside-the-cell page's panel that opens one number of the heatmaps.

A student picks a step t (a slider: once clicked, the left and right arrow keys move it) and a
unit, or clicks a cell of any heatmap above (`open_from_click`, the charts' on_select callback).
The panel then writes that unit's path through the cell at step t with the run's real numbers
(rnnlab.network.by_hand): for each gate and candidate its equation, its terms (the input's, the
memory's, the bias, a peephole) with the few largest products named, the pre-activation and the
squash; then the state updates and the new h_t, each with what it means in words.
"""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from rnnlab.cells import CELLS
from rnnlab.cells.terms import STATE, Block, Term, Update, squash_symbol
from rnnlab.lessons.inside import StepInput
from rnnlab.network import by_hand, replay

STEP_KEY, UNIT_KEY, RUN_KEY = "inside_by_hand_step", "inside_by_hand_unit", "inside_by_hand_run"
SQUASH_WORDS = {"sigmoid": "the sigmoid σ squashes it between 0 and 1",
                "tanh": "tanh squashes it between -1 and 1",
                "relu": "relu keeps it if positive, else gives 0"}


def number(value: float) -> str:
    """A number with 4 significant digits, e.g. 0.7861, -12.35, 1.2e-05."""
    return f"{value + 0.0:.4g}"  # + 0.0 turns -0.0 into 0: no "-0" on the page


def open_from_click(chart_key: str, run_id: int, follow_key: str) -> None:
    """A heatmap's on_select callback: open the step by hand at the clicked step and unit.

    Args:
        chart_key: the chart's widget key; its selection's points carry x = step, y = unit.
        run_id: the run whose heatmap was clicked.
        follow_key: the key of the page's "Follow one unit" box, set to the same unit.
    """
    points = st.session_state[chart_key]["selection"]["points"]
    point = next((p for p in points if "x" in p and "y" in p), None)
    if point is None:  # a click that selected nothing (or undid the selection): keep the view
        return
    st.session_state[STEP_KEY], st.session_state[UNIT_KEY] = int(point["x"]), int(point["y"])
    st.session_state[RUN_KEY] = run_id
    st.session_state[follow_key] = int(point["y"])


def _clamp(key: str, low: int, high: int) -> None:
    """Keep a widget's value in its (new) bounds: another layer or window may have fewer."""
    if key in st.session_state:
        st.session_state[key] = min(max(int(st.session_state[key]), low), high)


@st.fragment  # moving t or the unit redraws this panel alone, not the page's charts
def panel(shown: Sequence[tuple[int, object, dict]], traces: Sequence[replay.ModelTrace],
          inputs: Sequence[StepInput], layer: int, window: slice) -> None:
    """Draw the panel for the page's chosen layer (and each run's chosen direction).

    Args:
        shown: (run id, RunConfig, weights) of each run on the page.
        traces: each run's replay of its input.
        inputs: each run's input (its sequence and step labels).
        layer: the layer chosen on the page (1 = bottom); a shallower run shows its top layer.
        window: the steps the charts show; the slider moves within them.
    """
    st.subheader("One step, by hand")
    st.markdown("Pick a step t and a unit, or **click any cell of a heatmap above**: here is "
                "how that unit computed its numbers at that step, with the run's own weights. "
                "Each gate adds up what the input brings, what the memory brings and a bias, "
                "then squashes the sum.")
    ids = [run_id for run_id, _, _ in shown]
    if st.session_state.get(RUN_KEY) not in ids:
        st.session_state[RUN_KEY] = ids[0]
    if len(ids) > 1:
        st.radio("Run", ids, key=RUN_KEY, horizontal=True, format_func=lambda i: f"#{i}")
    index = ids.index(st.session_state[RUN_KEY])
    run_id, config, weights = shown[index]
    step_input, trace = inputs[index], traces[index]
    chosen = min(layer, len(config.layers))
    units = config.layers[chosen - 1].units
    backward = config.layers[chosen - 1].bidirectional and st.session_state.get(
        f"inside_backward_{run_id}", False)
    _clamp(STEP_KEY, window.start, window.stop - 1)
    _clamp(UNIT_KEY, 0, units - 1)
    left, right = st.columns([3, 1])
    if window.stop - 1 > window.start:
        step = left.slider("Step t (click the slider, then the ← and → arrow keys move it)",
                           window.start, window.stop - 1, key=STEP_KEY)
    else:
        step = window.start
    unit = right.number_input("Unit", 0, units - 1, key=UNIT_KEY)
    shown_step = by_hand.step_by_hand(config, weights, step_input.sequence, step, unit, chosen,
                                      "backward" if backward else "forward",
                                      labels=step_input.labels, replayed=trace)
    cell = CELLS[shown_step.cell]
    st.markdown(f"**Run #{run_id}, layer {chosen} ({shown_step.layer_name}), "
                f"{shown_step.direction} direction, unit {unit}, step {step}**: it reads "
                f"“{shown_step.label}”.")
    st.caption(shown_step.reading_order())
    if not shown_step.read:
        st.info(f"Step {step} is padding, and this model masks padding (imdb.mask_padding): the "
                f"layer skips the step and carries its state over unchanged, so h_t = h_(t-1) = "
                f"{number(shown_step.hidden)}.")
        return
    for block in shown_step.computed.blocks:
        _block(block, shown_step, cell)
    for update in shown_step.computed.updates:
        _update(update, cell)
    st.success(f"h_t = {number(shown_step.hidden)}: unit {unit}'s output at step {step}, the "
               "same number as in the hidden-state heatmap above.")


def _block(block: Block, shown: by_hand.StepByHand, cell) -> None:
    """One gate or candidate: its meaning, its equation with the numbers, its terms' table."""
    squash = squash_symbol(block.squash)
    st.markdown(_headline(cell, block.trace, block.value))
    symbols = " + ".join(term.symbol for term in block.terms)
    numbers = " + ".join(_factor(term.value) for term in block.terms)
    st.latex(rf"\begin{{aligned}} {block.symbol} &= {squash}\left({symbols}\right) \\ "
             rf"&= {squash}\left({numbers}\right) \\ "
             rf"&= {squash}({number(block.preactivation)}) = {number(block.value)}"
             r"\end{aligned}")
    rows = [(term.words, number(term.value), _where(term, shown)) for term in block.terms]
    rows.append(("pre-activation: the sum", number(block.preactivation),
                 "the numbers above, added up"))
    rows.append((f"{block.trace.replace('_', ' ')}: {block.squash} of the sum",
                 number(block.value), SQUASH_WORDS.get(block.squash, "")))
    if block.note:
        st.caption(block.note)
    st.table(pd.DataFrame(rows, columns=["term", "number", "where it comes from"]
                          ).set_index("term"))


def _headline(cell, trace: str, value: float) -> str:
    """ "**forget gate f = 0.7343**: keeps 73% of the old cell state": the registry's meaning
    (rnnlab.cells.Cell.meaning), with the value to 4 significant digits instead of 2 decimals."""
    name = cell.traces[trace].split(" (")[0]
    return f"**{name} = {number(value)}**: {cell.meaning(trace, value).split(': ', 1)[1]}"


def _where(term: Term, shown: by_hand.StepByHand) -> str:
    """Where a term's number comes from, in words, naming the largest products."""
    if term.inputs is None:
        if "peephole" in term.words:
            return "the unit's peephole weight times the cell state it reads"
        what = "learned in training, the same at every step"
        if term.factor is not None:
            return f"reset gate {number(term.factor)} × {number(term.unscaled)}, a bias {what}"
        return what
    if not term.inputs.any():
        return ("all zeros: " + ("nothing is remembered yet" if term.source == STATE
                                 else "this step's input is zero"))
    largest = "; ".join(f"{c.name}: {number(c.value)} × {_factor(c.weight)} = "
                        f"{number(c.product)}" for c in shown.largest(term))
    if term.factor is not None:
        return (f"reset gate {number(term.factor)} × {number(term.unscaled)} (the dot product); "
                f"its largest products: {largest}")
    return f"largest products: {largest}"


def _factor(value: float) -> str:
    """A number to multiply by: in brackets when negative, so "× (-0.4)" never reads as "× -"."""
    return f"({number(value)})" if value < 0 else number(value)


def _update(update: Update, cell) -> None:
    """A state update: what it does, and its sum of products with the numbers."""
    st.markdown(f"{_headline(cell, update.trace, update.value)} ({update.words})")
    symbols = " + ".join(r" \, ".join(f"({symbol})" if " - " in symbol else symbol
                                      for symbol, _ in product) for product in update.products)
    numbers = " + ".join(r" \times ".join(_factor(v) for _, v in product)
                         for product in update.products)
    st.latex(rf"\begin{{aligned}} {update.symbol} &= {symbols} \\ &= {numbers} \\ "
             rf"&= {number(update.value)} \end{{aligned}}")
