"""Runs and compare: every run in the class, their curves on one chart, one run's files."""
import streamlit as st

from rnnlab.jobs import artifacts, people, runs
from rnnlab.plots.curves import RunCurves, compare_curves, references_for
from rnnlab.ui import (actions, frame, identity, loaders, presenter, runs_live, state, take_home,
                       teacher, writing)

frame.page_header("Runs and compare", (
    "Every run trained on this server, by everyone in the room. Click a column header to sort. "
    "Pick runs to overlay their validation curves: the dotted lines are the book's results "
    "(IMDB), the common-sense baseline (weather) or chance (the long-memory task) that a network "
    "has to beat."))
me = identity.person()
only_mine = st.toggle("Only my runs", key="runs_only_mine", disabled=me is None,
                      help="Join with your name in the sidebar to pick out your own runs."
                      if me is None else None)
all_runs = [r for r in runs.runs() if people.owns(me, r) or not only_mine]
runs_live.live_table(all_runs, me, only_mine)  # it also sees the first run of an empty room
if not all_runs:
    frame.nothing_yet(f"{'You have' if only_mine else 'There are'} no runs yet. Start one on the "
                      "Train page.", "pages/train.py", "Go to Train", ":material/monitoring:",
                      __file__)

st.subheader("Compare")
by_id = {r.id: r for r in all_runs}
comparable = [r.id for r in all_runs if r.status not in ("queued",)]
chosen = st.multiselect(
    "Runs to overlay", comparable, key="runs_compare",
    default=[i for i in state.url_ids("compare", "No run is overlaid.") if i in comparable],
    format_func=lambda i: f"#{i} {by_id[i].config.label()} ({by_id[i].owner}, {by_id[i].status})")
state.set_url_ids("compare", chosen)
for metric in sorted({by_id[i].config.metric for i in chosen}):
    group = [by_id[i] for i in chosen if by_id[i].config.metric == metric]
    curves = [RunCurves(f"#{r.id} {r.config.label()}", runs.curves(r.id),
                        loaders.weather_scale(r.config, r.result),
                        loaders.char_lines(r.config, r.result)) for r in group]
    # Reference lines (the book's figures, a baseline, chance) only when every run shares them.
    datasets = {r.config.dataset for r in group}
    references = references_for(group[0].config.dataset, [c.scale for c in curves],
                                [c.lines for c in curves]) if len(datasets) == 1 else []
    presenter.chart(compare_curves(curves, metric, references), key=f"runs_compare_{metric}")

st.subheader("One run")
ids = [r.id for r in all_runs]
watched = state.watched_run("Showing the newest run instead.")
selected = st.selectbox("Open run", ids, key="runs_open",
                        index=ids.index(watched) if watched in ids else 0,
                        format_func=lambda i: f"#{i} {by_id[i].config.label()} ({by_id[i].owner})")
state.watch_run(selected)
run = by_id[selected]
runs_live.live_status(run)  # redrawn while it trains; the page again once it has ended
if run.result:
    frame.result_metrics(run)
elif run.status == "cancelled":
    frame.stopped_verdict(run, runs.curves(selected))

files = runs.artifacts(selected)
try:  # every file is checked as it is read: a damaged one is named, the others still offered
    if artifacts.SUMMARY in files:
        summary = artifacts.read_summary(files[artifacts.SUMMARY].parent)
        with st.expander("Keras's own model summary"):
            st.code(summary, language=None)
except artifacts.DamagedArtifact as err:
    st.warning(str(err))
downloads = st.columns(3)
for column, (name, label) in zip(downloads, ((artifacts.MODEL, "Model (.keras)"),  # 1024 px
                                             (artifacts.HISTORY, "History (CSV)"),
                                             (artifacts.CONFIG, "Config (JSON)"))):
    if name in files:
        try:
            data = artifacts.read_download(files[name].parent, name)
        except artifacts.DamagedArtifact as err:
            column.warning(str(err))
            continue
        column.download_button(label, data, file_name=f"run{selected}-{name}",
                               key=f"runs_download_{name}", icon=":material/download:")
writing.panel(run, "runs")  # a language model: its samples, then the Generate panel
take_home.notebook_button(run, "runs_notebook")
st.page_link("pages/build.py", label="Open this model on the Build page (shareable link)",
             icon=":material/share:", query_params=run.config.to_query())
query = "&".join(f"{k}={v}" for k, v in run.config.to_query().items())
st.caption(f"Link to share: `/build?{query}`")


def delete() -> None:
    actions.delete_run(selected, "runs_error")
    state.watch_run(None)


if not actions.may_manage(run):
    st.caption(f"Only {frame.plain(run.owner)} or the teacher can cancel or delete this run.")
elif run.active:
    st.button(f"Cancel run #{selected}", key="runs_cancel", on_click=actions.cancel_run,
              args=(selected, "runs_error"))
elif st.checkbox(f"I want to delete run #{selected}", key="runs_confirm_delete"):
    st.button(f"Delete run #{selected} and its files", key="runs_delete", on_click=delete)
actions.show_refusal("runs_error")
teacher.tools()

frame.show_code(__file__)
