"""Train: start a run in the background and watch its curves grow."""
import streamlit as st

from rnnlab.config import OPTIMIZERS
from rnnlab.config.presets import PRESETS, preset_of
from rnnlab.jobs import runs
from rnnlab.jobs.store import Store
from rnnlab.network.summary import summarize, total_params
from rnnlab.plots.curves import references_for, training_curves
from rnnlab.ui import (actions, frame, identity, loaders, polling, presenter, state,
                       take_home, widgets, writing)

frame.page_header("Train", (
    "Pick a setup and press **Train**. The network trains in the background on the server: the "
    "chart below adds points about every second, and you can reload the page, open it in another "
    "browser or close the laptop lid; the run carries on and this page finds it again."))
config = state.current_config()


def use_preset() -> None:
    if (name := st.session_state["train_preset"]) in PRESETS:
        state.remember_config(PRESETS[name].config)


named = preset_of(config)  # the preset this setup still is, if any (Home's "Start here", a reload)
options = ["(the model from the Build page)", *PRESETS]
st.selectbox("Start from", options, index=options.index(named) if named else 0, key="train_preset",
             on_change=use_preset, format_func=lambda n: PRESETS[n].title if n in PRESETS else n)
if named:
    st.caption(PRESETS[named].description)  # what to expect from it
st.markdown(f"**Model:** {config.label()} &nbsp; ({total_params(summarize(config)):,} parameters)")
st.page_link("pages/build.py", label="Change the model on the Build page", icon=":material/edit:",
             query_params=state.page_params())

with st.expander("Training options", expanded=False):
    left, middle, right = st.columns(3)
    widgets.setting(left.selectbox, "Optimizer", config, "training.optimizer", "train_optimizer",
                    options=list(OPTIMIZERS))
    widgets.setting(left.number_input, "Learning rate", config, "training.learning_rate",
                    "train_learning_rate", min_value=1e-5, max_value=1.0, format="%.5f",
                    step=1e-4)
    widgets.setting(middle.number_input, "Epochs", config, "training.epochs", "train_epochs",
                    min_value=1, max_value=500)
    widgets.setting(middle.number_input, "Batch size", config, "training.batch_size",
                    "train_batch_size", min_value=1, max_value=4096)
    widgets.setting(right.slider, "Validation split", config, "training.validation_split",
                    "train_validation_split", min_value=0.05, max_value=0.4, step=0.05)
    widgets.setting(right.number_input, "Early-stopping patience (0 = off)", config,
                    "training.early_stopping_patience", "train_patience", min_value=0,
                    max_value=100)
    widgets.setting(right.number_input, "Seed", config, "training.seed", "train_seed",
                    min_value=0, max_value=2**31 - 1)
widgets.setting_error("The training settings")


def start(reuse: bool) -> None:
    try:
        submission = runs.submit(config, identity.owner_name(), reuse=reuse)
    except ValueError as err:  # not joined yet, or a LimitError
        st.session_state["train_message"] = ("error", str(err))
        return
    if submission.reused:
        st.session_state["train_message"] = ("reused", submission.run_id)
    st.session_state["train_watch"] = str(submission.run_id)  # into the URL: state.settle_url


state.settle_url("train_watch", state.RUN_KEY)
twin = runs.active_twin(config)  # this very setup, seed included, already queued or running
left, right = st.columns([1, 3])
left.button("Train", type="primary", key="train_start", on_click=start, args=(True,),
            width="stretch", disabled=twin is not None)
if twin is not None:
    right.caption(f"This setup, seed included, is already {twin.status} as run #{twin.id} "
                  f"({frame.plain(twin.owner)}): Train is back when it ends.")
    if state.watched_run() != twin.id:
        right.page_link("pages/train.py", label=f"Watch run #{twin.id}",
                        icon=":material/visibility:",
                        query_params={**state.page_params(), state.RUN_KEY: str(twin.id)})
elif identity.person() is None:
    right.caption("Join with your name in the sidebar first: only people in the class can train.")
kind, detail = st.session_state.pop("train_message", (None, None))
if kind == "error":
    st.error(frame.plain(detail))  # the refusal names the owner: plain text
elif kind == "reused":
    st.info(f"This exact setup, seed included, already finished as run #{detail}: shown below.")
    st.button("Train it again anyway", key="train_again", on_click=start, args=(False,))


def curves(run, store):
    """The run's chart: one for every tab watching it (polling.shared), not one per tab."""
    scale = loaders.weather_scale(run.config, run.result)  # weather: in degrees C
    lines = loaders.char_lines(run.config, run.result)  # text: unigram, bigram
    return training_curves(runs.curves(run.id, store=store), run.config.metric, references_for(
        run.config.dataset, [scale], [lines]), scale, lines=lines)


def show_run(run_id: int, active: bool) -> None:
    """The watched run, redrawn every second while it is queued or running (`active`, as read)."""

    def draw() -> bool:
        store = Store()  # one per redraw (polling): opening it checks its schema
        run = runs.status(run_id, store)
        rows = polling.run_rows(run_id, store)
        st.subheader(f"Run #{run.id}: {run.config.label()}  ({frame.plain(run.owner)})")
        if run.active:
            polling.show_where_it_stands(run, rows, store)
        elif run.status == "done":
            frame.result_metrics(run)
        elif run.status == "cancelled":
            st.warning(f"Cancelled by {frame.plain(run.cancelled_by)}." if run.cancelled_by
                       else "This run was cancelled.")
            frame.stopped_verdict(run, rows)
        else:
            st.error(f"This run {run.status}: {run.error}")
        if rows or run.status == "running":  # axes first; a tab's first row is drawn at once
            chart = polling.shared("curves" if rows else "axes", [run], lambda: curves(run, store))
            presenter.chart(chart, key=f"train_chart_{run_id}")
        writing.panel(run, "train", store)  # a language model: its samples, then Generate
        if not run.active:  # a running run's notebook would be redrawn every second
            take_home.notebook_button(run, f"train_notebook_{run_id}")
        if run.active and actions.may_manage(run):
            st.button("Cancel this run", key=f"train_cancel_{run_id}",
                      on_click=actions.cancel_run, args=(run_id, "train_cancel_error"))
        actions.show_refusal("train_cancel_error")
        return run.active

    polling.live_panel(draw, active, first_point_of=run_id)


run_id = state.watched_run()
if run_id is not None:
    try:
        watched = runs.status(run_id)
    except KeyError:
        st.warning(f"Run #{run_id} no longer exists (it was deleted).")
        state.watch_run(None)
    else:
        if watched.search is not None:  # a hyperparameter search: its trials live on Tune
            st.info(f"#{run_id} is a hyperparameter search, not a single training run.")
            st.page_link("pages/tune.py", label=f"See search #{run_id} and its trials",
                         icon=":material/tune:", query_params={"search": str(run_id)})
        else:
            show_run(run_id, watched.active)

frame.show_code(__file__)
