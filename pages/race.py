"""The race: SimpleRNN, LSTM and GRU trained on identical terms, side by side, in one click."""
from typing import Callable

import pandas as pd
import streamlit as st

from rnnlab.config.options import layer_title
from rnnlab.jobs import runs
from rnnlab.jobs.store import Store
from rnnlab.lessons.race import (RACE_CELLS, RACE_PRESETS, chance_level, column_formats,
                                 column_help, race_configs, race_kinds, race_sentence,
                                 race_table, race_verdicts, shown_columns)
from rnnlab.plots.curves import RunCurves, references_for
from rnnlab.plots.gradients import race_curves
from rnnlab.ui import (actions, batches, frame, identity, loaders, polling, predictions,
                       presenter, state)

# A race is watched for minutes, and a class's tabs each redraw three runs' curves and the table:
# every two seconds rather than every second. Three tabs on a race (the chart shared) took the
# server from 0.44 to 0.26-0.32 cores and the browsers from 0.96 to 0.77 (docs/ARCHITECTURE.md).
RACE_POLL_SECONDS = 2.0

frame.page_header("The three-cell race", (
    "One click trains the same model three times, once with each cell: the same data, the same "
    "seed (so the same embedding at the start), the same units, depth and training options. "
    "Only the cell differs. The curves grow together below; when all three are done, the table "
    "fills with measured numbers: accuracy, parameters, speed and memory, instead of claims."))
config = batches.pick_setup(
    "Race", "race_preset", RACE_PRESETS, default="memory-quick",
    help="A preset sized for a lesson, the book's setups (long on two CPU cores: see the "
         "estimate), or the model you built. Every layer's cell is swapped for each racer.")
st.markdown(f"**The model being raced:** {config.label()}, with every layer's cell swapped, "
            f"{config.training.epochs} epochs.")
cells = st.multiselect("Cells to race", race_kinds(config), default=list(RACE_CELLS),
                       key="race_cells", format_func=layer_title,
                       help="The book's three by default; add the peephole LSTM to see what "
                            "letting the gates read the cell state changes, or Dense (no "
                            "memory), a network that reads the whole input at once, to see what "
                            "recurrence buys on this task.")
batches.show_estimate(race_configs(config, cells))
st.button("Start the race", type="primary", key="race_start", on_click=actions.queue_batch,
          disabled=len(cells) < 2, args=(lambda: race_configs(config, cells), "race_error",
                                         "race_watch"))
actions.show_refusal("race_error")
state.settle_url("race_watch", "race")
racers = state.url_ids("race", "No race is shown.")


def racer(run) -> str:
    """A racer's name on the chart and above its progress bar: "#12 LSTM"."""
    return f"#{run.id} {run.config.layers[0].cell}"


def race_chart(states, store):
    """The race's chart from the store's rows: one for every tab watching (polling.shared)."""
    curves = [RunCurves(racer(r), runs.curves(r.id, store=store),
                        loaders.weather_scale(r.config, r.result),
                        loaders.char_lines(r.config, r.result)) for r in states]
    first = states[0]
    references = references_for(first.config.dataset, [c.scale for c in curves],
                                [c.lines for c in curves])
    return race_curves(curves, first.config.metric, references, chance_level(first),
                       first.config.dataset, first.config.training.epochs)


def racers_now(read: Callable[[], list]) -> list | None:
    """The race's runs as `read` finds them in the store (runs.statuses); None when one is not
    there (deleted, or a link naming a run that never was)."""
    try:
        return read()
    except KeyError:
        return None


GONE = "A run of this race was deleted, or never existed; start a new race."


def show_race(ids: list[int], page_read: list) -> None:
    """The race's runs, redrawn every RACE_POLL_SECONDS while any of them is queued or running:
    first as the page read them (`page_read`), then as every tab watching reads them together
    (polling.shared_statuses)."""
    first = [page_read]

    def draw() -> bool:
        store = Store()  # one per redraw (polling): opening it checks its schema
        states = first.pop() if first else racers_now(lambda: polling.shared_statuses(ids, store))
        if states is None:  # deleted while the panel watched
            st.warning(GONE)
            return False
        for run in states:
            label = racer(run)
            if run.status == "running":
                rows = polling.run_rows(run.id, store)
                step = polling.progress_now(rows, run.config.training.epochs)
                st.progress(step.fraction, text=f"{label}: epoch {step.epoch} of "
                                                f"{step.total_epochs}")
            elif run.status == "queued":
                st.caption(f"{label}: {polling.queue_words(run, store)}")
            elif run.status != "done":
                st.warning(f"{label} {run.status}{': ' + run.error if run.error else ''}")
        presenter.chart(polling.shared("race", states, lambda: race_chart(states, store)),
                        key="race_chart")
        batches.cancel_button(states, "the race", "race_cancel")
        sentence = race_sentence(states)
        if sentence:
            st.success(sentence)
        table = race_table([r for r in states if r.status == "done"])  # no blank scores
        numbers = {name: st.column_config.NumberColumn(format=shown, help=column_help(name))
                   for name, shown in column_formats(table).items()}
        if table:
            st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch",
                         column_order=shown_columns(table), column_config=numbers)
        if any(r.active for r in states):
            st.caption("Each racer joins the table when it finishes.")
        for line in race_verdicts(states):  # weather: the baseline; text: the counting lines
            st.markdown(f"- {line}")
        if all(r.status == "done" for r in states):
            st.caption("Compare the best validation score with the parameters and the seconds "
                       "per epoch: what does each cell's extra machinery buy on this task?")
        return any(r.active for r in states)

    polling.live_panel(draw, any(r.active for r in page_read), every_seconds=RACE_POLL_SECONDS)


states = racers_now(lambda: runs.statuses(racers)) if racers else []
if states is None:
    st.warning(GONE)
    state.set_url_ids("race", [])
elif racers:
    show_race(racers, states)
predictions.race_prediction(racers, identity.person())

frame.show_code(__file__)
