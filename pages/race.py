"""The race: SimpleRNN, LSTM and GRU trained on identical terms, side by side, in one click."""
import pandas as pd
import streamlit as st

from rnnlab.config import LAYER_KINDS
from rnnlab.config.options import layer_title
from rnnlab.jobs import runs
from rnnlab.lessons.race import RACE_CELLS, column_formats, race_configs, race_table, race_verdicts
from rnnlab.plots.curves import RunCurves, references_for
from rnnlab.plots.gradients import race_curves
from rnnlab.ui import actions, frame, loaders, polling, presenter, state

frame.page_header("The three-cell race", (
    "One click trains the same model three times, once with each cell: the same data, the same "
    "seed (so the same embedding at the start), the same units, depth and training options. "
    "Only the cell differs. The curves grow together below; when all three are done, the table "
    "fills with measured numbers: accuracy, parameters, speed and memory, instead of claims."))
config = state.current_config()
st.markdown(f"**The model being raced:** {config.label()}, with every layer's cell swapped. "
            "Change it on the Build and Train pages (or start from a preset there).")
st.page_link("pages/build.py", label="Change the model on the Build page", icon=":material/edit:",
             query_params=state.page_params())


cells = st.multiselect("Cells to race", list(LAYER_KINDS), default=list(RACE_CELLS),
                       key="race_cells", format_func=layer_title,
                       help="The book's three by default; add the peephole LSTM to see what "
                            "letting the gates read the cell state changes, or Dense (no "
                            "memory), a network that reads the whole input at once, to see what "
                            "recurrence buys on this task.")
st.button("Start the race", type="primary", key="race_start", on_click=actions.queue_batch,
          disabled=len(cells) < 2, args=(lambda: race_configs(config, cells), "race_error",
                                         "race_watch"))
actions.show_refusal("race_error")
state.settle_url("race_watch", "race")
racers = state.url_ids("race", "No race is shown.")


def show_race(ids: list[int]) -> None:
    """The race's runs, redrawn every second while any of them is queued or running."""

    def draw() -> None:
        states = [runs.status(i) for i in ids]
        curves = [RunCurves(f"#{r.id} {r.config.layers[0].cell}", polling.run_rows(r.id),
                            loaders.weather_scale(r.config, r.result)) for r in states]
        for run, curve in zip(states, curves):
            if run.status == "running":
                step = polling.progress_now(curve.rows, run.config.training.epochs)
                st.progress(step.fraction, text=f"{curve.label}: epoch {step.epoch} of "
                                                f"{step.total_epochs}")
            elif run.status == "queued":
                st.caption(f"{curve.label}: waiting for a free trainer.")
            elif run.status != "done":
                st.warning(f"{curve.label} {run.status}{': ' + run.error if run.error else ''}")
        references = references_for(states[0].config.dataset, [c.scale for c in curves])
        presenter.chart(race_curves(curves, states[0].config.metric, references),
                        key="race_chart")
        table = race_table(states)
        st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch", column_config={
            name: st.column_config.NumberColumn(format=shown)
            for name, shown in column_formats(table).items()})
        for line in race_verdicts(states):  # weather: who beat the common-sense baseline
            st.markdown(f"- {line}")
        if all(r.status == "done" for r in states):
            everyone = {2: "Both", 3: "All three", 4: "All four"}.get(len(states), "All")
            st.success(f"{everyone} have finished. Compare the best validation score with the "
                       "parameters and the seconds per epoch: what does each cell's extra "
                       "machinery buy on this task?"
                       + (" The Dense lane remembers nothing: the gap to it is what recurrence "
                          "buys." if any(r.config.is_feedforward for r in states) else ""))

    polling.live_panel(draw, still_active=lambda: any(runs.status(i).active for i in ids))


if racers:
    try:
        show_race(racers)
    except KeyError:
        st.warning("A run of this race was deleted; start a new race.")
        state.set_url_ids("race", [])

frame.show_code(__file__)
