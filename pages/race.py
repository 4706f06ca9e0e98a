"""The race: SimpleRNN, LSTM and GRU trained on identical terms, side by side, in one click."""
import time

import pandas as pd
import streamlit as st

from rnnlab import ui
from rnnlab.config import CELLS
from rnnlab.jobs import runs
from rnnlab.lessons import live
from rnnlab.lessons.race import race_configs, race_table
from rnnlab.plots.curves import RunCurves
from rnnlab.plots.gradients import race_curves

ui.page_header("The three-cell race", (
    "One click trains the same model three times, once with each cell: the same data, the same "
    "seed (so the same embedding at the start), the same units, depth and training options. "
    "Only the cell differs. The curves grow together below; when all three are done, the table "
    "fills with measured numbers: accuracy, parameters, speed and memory, instead of claims."))
config = ui.current_config()
st.markdown(f"**The model being raced:** {config.label()}, with every layer's cell swapped. "
            "Change it on the Build and Train pages (or start from a preset there).")
st.page_link("pages/build.py", label="Change the model on the Build page", icon=":material/edit:",
             query_params=ui.page_params())


st.button("Start the race", type="primary", key="race_start", on_click=ui.queue_batch,
          args=(lambda: race_configs(config), "race_error", "race_watch"))
ui.show_refusal("race_error")
ui.settle_url("race_watch", "race")
racers = ui.url_ids("race")


def show_race(ids: list[int], polling: bool) -> None:
    @st.fragment(run_every=1.0 if polling else None)
    def panel() -> None:
        states = [runs.status(i) for i in ids]
        curves = [RunCurves(f"#{r.id} {r.config.layers[0].cell}", ui.run_rows(r.id))
                  for r in states]
        for run, curve in zip(states, curves):
            if run.status == "running":
                first = curve.rows[0].time if curve.rows else time.time()
                step = live.progress(curve.rows, run.config.training.epochs, time.time() - first)
                st.progress(step.fraction, text=f"{curve.label}: epoch {step.epoch} of "
                                                f"{step.total_epochs}")
            elif run.status == "queued":
                st.caption(f"{curve.label}: waiting for a free trainer.")
            elif run.status != "done":
                st.warning(f"{curve.label} {run.status}{': ' + run.error if run.error else ''}")
        st.plotly_chart(race_curves(curves, states[0].config.metric), key="race_chart")
        table = race_table(states)
        st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
        if all(r.status == "done" for r in states):
            st.success("All three have finished. Compare the best validation score with the "
                       "parameters and the seconds per epoch: what does each cell's extra "
                       "machinery buy on this task?")
        if any(r.active for r in states) != polling:
            st.rerun()

    panel()


if len(racers) == len(CELLS):
    try:
        show_race(racers, polling=any(runs.status(i).active for i in racers))
    except KeyError:
        st.warning("A run of this race was deleted; start a new race.")
        ui.set_url_ids("race", [])

ui.show_code(__file__)
