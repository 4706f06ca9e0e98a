"""The unit finder on the Inside page, for a language model: pick a feature of the text, and see
which unit of the layer follows it, coloured under the characters (rnnlab.lessons.unit_finder
ranks the units; rnnlab.plots.characters draws the best one).

The passages scored start at the one the page shows (rnnlab.ui.pickers) and run on through the
validation text: more passages give a steadier score, since a feature like "inside quotes" may
change only a few times in one passage.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from rnnlab.cells import CELLS
from rnnlab.config import RunConfig
from rnnlab.lessons import inside
from rnnlab.lessons import unit_finder as finder
from rnnlab.plots import characters
from rnnlab.ui import loaders, pickers, presenter

MOST_PASSAGES = 20  # the slider's end: 20 windows of 100 characters replay in well under a second
SHOWN_UNITS = 5     # rows of the ranking table
PASSAGES_KEY = "inside_passages"

INTRO = ("Karpathy, Johnson and Fei-Fei (2015) looked inside a character-level LSTM and found "
         "units that follow the text's structure: one is on inside quotes, one counts along the "
         "line. Pick a feature of the text: every unit of the layer is scored by how closely it "
         "follows it (the correlation over the characters, from -1 to 1; its size counts, not "
         "its sign), and the best one is drawn under the passage, red above 0 and blue below.")


def panel(config: RunConfig, weights, layer: int) -> None:
    """Draw the finder for the run's `layer` (1 = bottom), over passages from the one shown on."""
    st.subheader("The unit finder: which unit tracks what?")
    st.markdown(INTRO)
    cell = CELLS[config.layers[layer - 1].cell]
    states = finder.states_of(cell.name)
    left, middle, right = st.columns(3)
    feature = left.selectbox("Feature of the text", list(finder.FEATURES), key="inside_feature")
    state = middle.radio("Score each unit's", states, key="inside_state",
                         format_func=lambda name: _short(cell.traces[name]))
    data = loaders.text_corpus(config.text, config.training.validation_split)
    first = pickers.passage_number()
    most = max(1, min(MOST_PASSAGES, inside.passage_count(data) - first))
    # Near the end of the text fewer passages follow: the count kept from before shrinks to fit.
    st.session_state[PASSAGES_KEY] = min(st.session_state.get(PASSAGES_KEY, 5), most)
    count = right.slider("Passages scored, from the one shown on", 1, most,
                         key=PASSAGES_KEY) if most > 1 else 1
    passages = [inside.passage_input(data, first + k).sequence for k in range(count)]
    try:
        found = finder.find_units(config, weights, passages, layer, state, feature)
    except ValueError as err:  # a feature that never changes here: say which and what to do
        st.warning(str(err))
        return
    best, what = found.ranking[0], _short(cell.traces[state])
    st.markdown(finder.sentence(best, layer, what, feature, len(found.feature)))
    st.dataframe(pd.DataFrame(
        [{"unit": s.unit, "correlation": "never changes" if s.correlation is None
          else f"{s.correlation:+.2f}"} for s in found.ranking[:SHOWN_UNITS]]),
        hide_index=True, width="content")
    if best.correlation is None:
        return
    shown = len(passages[0])
    presenter.chart(characters.coloured_text(
        found.texts[0], found.values[:shown, best.unit],
        f"Unit {best.unit} of layer {layer} ({what}) under passage {first}",
        cell.hover_meaning(state, "z"), feature, found.feature[:shown]), key="inside_finder")
    st.caption(f"Each character is coloured by unit {best.unit}'s {what} just after reading it. "
               "Hover a character for its value and the feature's.")


def _short(label: str) -> str:
    """A trace's plot label without its explanation: "hidden state h"."""
    return label.split(" (")[0]
