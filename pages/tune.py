"""Tune: a hyperparameter search with keras-tuner, in the background, trial by trial."""
import pandas as pd
import streamlit as st

from rnnlab.config import ACTIVATIONS, MAX_LAYERS, MAX_UNITS
from rnnlab.config.search import LEARNING_RATES, TUNER_NAMES, TUNERS, allowed_objectives
from rnnlab.jobs import runs
from rnnlab.jobs.store import Store
from rnnlab.lessons import live
from rnnlab.lessons.trials import best_trial, chance_words, race_against_base, trial_rows
from rnnlab.plots.search import score_by_hyperparameter
from rnnlab.ui import actions, frame, loaders, polling, presenter, state, widgets

frame.page_header("Tune", (
    "Instead of guessing the units, activations, dropout, depth and learning rate, let "
    "**keras-tuner** try them. Each **trial** trains one model drawn from the ranges you set and "
    "is scored on the validation data. *Random search* draws every trial at random, *Hyperband* "
    "trains many models briefly and only the best ones longer, *Bayesian optimization* learns "
    "from the scores so far where to look next. Trials appear below as they finish; the best "
    "one can be trained, inspected and raced like any other model."))
state.open_watched_search()
config = state.current_config()
search = state.current_search(config)
st.markdown(f"**The model being tuned:** {config.label()}. The search varies what you set below; "
            "the dataset, cell, batch size, optimizer and seed stay as on the Build and Train "
            "pages.")
st.page_link("pages/build.py", label="Change the model on the Build page", icon=":material/edit:",
             query_params=state.page_params())

st.subheader("The search space")
depth, choices = st.columns(2)  # two lists side by side, then three numbers a row: fits 1024 px
widgets.setting(depth.multiselect, "Depths to try (layers)", search, "space.depths", "tune_depths",
                options=list(range(1, MAX_LAYERS + 1)))
widgets.setting(choices.multiselect, "Activations to try", search, "space.activations",
                "tune_activations", options=list(ACTIVATIONS))
UNIT_FIELDS = (("units_min", "Smallest units"), ("units_max", "Largest units"),
               ("units_step", "Units step"))
for column, (field, label) in zip(st.columns(3), UNIT_FIELDS):
    widgets.setting(column.number_input, label, search, f"space.{field}", f"tune_{field}",
                    min_value=1, max_value=MAX_UNITS)
DROPOUT_FIELDS = (("dropout_min", "Smallest dropout"), ("dropout_max", "Largest dropout"),
                  ("dropout_step", "Dropout step"))
for column, (field, label) in zip(st.columns(3), DROPOUT_FIELDS):
    widgets.setting(column.number_input, label, search, f"space.{field}", f"tune_{field}",
                    min_value=0.0, max_value=0.9, step=0.05, format="%.2f")
st.caption("Each layer of a trial draws its units, activation and dropout from these ranges.")
widgets.setting(st.multiselect, "Learning rates to try", search, "space.learning_rates",
                "tune_learning_rates", options=sorted({*LEARNING_RATES,
                                                       *search.space.learning_rates}),
                format_func=lambda rate: f"{rate:g}")

st.subheader("The tuner and its budget")
kind, objective, budget, more = st.columns(4)
widgets.setting(kind.radio, "Tuner", search, "tuner", "tune_tuner", options=TUNERS,
                format_func=TUNER_NAMES.get)
widgets.setting(objective.selectbox, "Objective (what ranks the trials)", search, "objective",
                "tune_objective", options=allowed_objectives(config))
if search.tuner == "hyperband":
    widgets.setting(budget.number_input, "Most epochs per model", search, "epochs",
                    "tune_epochs", min_value=1, max_value=200)
    widgets.setting(more.number_input, "Factor (keep the best 1 in ...)", search, "factor",
                    "tune_factor", min_value=2, max_value=10)
else:
    widgets.setting(budget.number_input, "Trials", search, "max_trials", "tune_max_trials",
                    min_value=1, max_value=200)
    widgets.setting(more.number_input, "Epochs per trial", search, "epochs", "tune_epochs",
                    min_value=1, max_value=200)
widgets.setting_error("The search")
st.markdown(f"**Plan:** at most {search.planned_trials()} trials, {search.planned_epochs()} "
            f"epochs of training in all, out of {search.space.size():,} possible models.")
for note in search.notes():
    st.caption(note)


st.button("Start the search", type="primary", key="tune_start", on_click=actions.queue_search,
          args=(search, "tune_error", "tune_watch"))
actions.show_refusal("tune_error")
state.settle_url("tune_watch", state.SEARCH_KEY)


def show_search(run_id: int, active: bool) -> None:
    """The watched search, redrawn every second while it is queued or running (`active`)."""

    def draw() -> bool:
        store = Store()  # one per redraw (polling): opening it checks its schema
        run = runs.status(run_id, store)
        trials = runs.trials(run_id, store=store)
        st.subheader(f"Search #{run.id}: {run.search.label()}  ({frame.plain(run.owner)})")
        if run.status == "queued":
            st.info(polling.queue_words(run, store))
        elif run.status == "running":
            rows = polling.run_rows(run_id, store)
            step = polling.progress_now(rows, run.search.planned_epochs())
            st.progress(step.fraction, text=f"Trial {len(trials)} of at most "
                                            f"{run.search.planned_trials()} · "
                                            f"{live.time_left(step.eta_seconds)}"
                        if trials else "Starting: loading TensorFlow and the data...")
            if actions.may_manage(run):
                st.button("Cancel the search", key=f"tune_cancel_{run_id}",
                          on_click=actions.cancel_run, args=(run_id, "tune_error"))
        elif run.status == "done":
            st.success(f"Finished: {len(trials)} trials in {run.result['seconds']:.0f} s.")
        else:
            st.warning(f"This search {run.status}{': ' + run.error if run.error else ''}. "
                       "Its finished trials are kept below.")
        if trials:
            st.dataframe(pd.DataFrame(trial_rows(trials, run.search)), hide_index=True,
                         width="stretch", key="tune_table", placeholder="", column_config={
                             "seconds": st.column_config.NumberColumn(format="%.1f"),
                             run.search.objective: st.column_config.NumberColumn(format="%.4f")})
            presenter.chart(score_by_hyperparameter(
                trials, run.search, loaders.weather_scale(run.search.base)), key="tune_chart")
        best = best_trial(trials, run.search)
        if best is not None:
            show_best(run, best)
        elif chance_words(trials, run.search):  # every finished trial at chance: no best
            st.warning(chance_words(trials, run.search))
        return run.active

    polling.live_panel(draw, active)


def show_best(run, best) -> None:
    """The search's best trial so far: its model, a link to train it, a button to race it."""
    tuned = run.search.trial_config(best.hyperparameters)
    st.markdown(f"**Best so far:** trial {best.number}, {run.search.objective} {best.score:.4f}: "
                f"{tuned.label()}, learning rate {tuned.training.learning_rate:g}, "
                f"{tuned.training.epochs} epochs.")
    left, right = st.columns(2)
    left.page_link("pages/build.py", label="Train this: open it on the Build page",
                   icon=":material/open_in_new:", query_params=tuned.to_query())
    right.button("Race it against the model you started from", key="tune_race_start",
                 on_click=actions.queue_batch,
                 args=(lambda: race_against_base(run.search, best), "tune_error", "tune_race"))


if "tune_race" in st.session_state:
    st.success("The best trial and the model you started from are training with the same seed "
               "and epochs.")
    st.page_link("pages/runs.py", label="Watch them side by side on Runs and compare",
                 icon=":material/compare_arrows:",
                 query_params={"compare": st.session_state["tune_race"]})
search_id = state.watched_search()
searches = {s.id: s for s in runs.searches()}
if search_id is not None and search_id not in searches:
    st.warning(f"There is no search #{search_id}: it was deleted, or it is a single training run.")
elif search_id is not None:
    show_search(search_id, searches[search_id].active)

frame.show_code(__file__)
