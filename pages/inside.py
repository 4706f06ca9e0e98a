"""Inside the cell: the gates and states of a trained network at every step of one input."""
from functools import partial

import streamlit as st

from rnnlab.jobs import artifacts, runs
from rnnlab.lessons import inside, inside_datasets
from rnnlab.lessons.inside_datasets import SATURATION_SAMPLE, VIEWS
from rnnlab.network import replay
from rnnlab.plots import gates as plots
from rnnlab.ui import frame, loaders, pickers, presenter, state, step_view, unit_finder

frame.page_header("Inside the cell", (
    "Pick a finished run and feed it one input: a test review, a review you type, a weather "
    "window, a sequence of the long-memory task or a passage of text. Every gate and state of "
    "every unit is recomputed from the run's saved weights, step by step, and drawn under the "
    "words it read. "
    "Gates run from **0 (shut)** to **1 (open)**: an LSTM's forget gate near 1 *keeps* its "
    "memory, a GRU's update gate near 1 *keeps the old state* (Keras's convention; many "
    "textbooks swap it). Watch where the model changes its mind."))
state.current_config()  # keeps the tab's model in the link for the other pages
done = runs.done_with(artifacts.WEIGHTS)
finished = [r for r in done if not r.config.is_feedforward]  # a dense network has no gates
what = "run"
if len(finished) < len(done):
    st.caption(f"Runs of a dense network are not listed here. {replay.NO_CELLS}")
    what = "run of a recurrent cell"
if not finished:
    frame.nothing_yet(f"No finished {what} yet. Train one (the quick presets take a minute), "
                      "then come back.", "pages/train.py", "Go to Train", ":material/monitoring:",
                      __file__)
by_id = {r.id: r for r in finished}
ids = list(by_id)
watched = state.watched_run("Showing the newest finished run instead.")
left, right = st.columns(2)
run_id = left.selectbox("Run", ids, index=ids.index(watched) if watched in ids else 0,
                        key="inside_run", format_func=lambda i: f"#{i} {by_id[i].config.label()} "
                                                                f"({by_id[i].owner})")
state.watch_run(run_id)
try:
    config, weights = loaders.run_model(run_id)
except ValueError as err:  # a damaged run folder (artifacts.DamagedArtifact): pick another run
    st.error(str(err))
    frame.show_code(__file__)
    st.stop()
same_input = [i for i in ids if i != run_id and inside.same_input(config, by_id[i].config)]
other_id = right.selectbox("Side by side with (the same input through another run)",
                           [None, *same_input], key="inside_other",
                           format_func=lambda i: "nothing: one run" if i is None else
                           f"#{i} {by_id[i].config.label()} ({by_id[i].owner})")
shown = [(run_id, config, weights)]
try:
    if other_id is not None:
        shown.append((other_id, *loaders.run_model(other_id)))
except ValueError as err:  # the other run's folder is damaged: show this run alone
    st.error(str(err))
try:
    make_input = pickers.pick_input(config, run_id, by_id[run_id].created)
    inputs = [make_input(c) for _, c, _ in shown] if make_input else []
except ValueError as err:  # missing data (a DataError), an unknown word, an empty review
    st.error(frame.plain(str(err)))  # it repeats the word typed: plain text, not Markdown
    inputs = []
if not inputs:
    frame.show_code(__file__)
    st.stop()
try:
    traces = [replay.trace(c, w, step.sequence) for (_, c, w), step in zip(shown, inputs)]
except ValueError as err:  # weights that do not fit the config: a damaged or foreign run folder
    st.error(f"This run's saved weights cannot be replayed: {err}")
    frame.show_code(__file__)
    st.stop()
step, view = inputs[0], VIEWS.get(config.dataset)  # None for text: it answers at every step
names = [f"#{i} {c.layers[0].cell}" for i, c, _ in shown]

# What the model answers, and how that answer formed along the input.
st.markdown(inside_datasets.answer_sentence(
    config.dataset, step, {name: t.prediction for name, t in zip(names, traces)}))
first, last = step.first_real, len(step.labels)
opening = inside_datasets.opening_steps(config.dataset, step)
if opening is not None:  # long inputs: a window keeps them readable
    first, last = st.slider("Steps shown (a window keeps long inputs readable)",
                            step.first_real, last, opening, key="inside_steps")
if step.first_real:
    st.caption(f"The first {step.first_real} steps are padding (zeros in front); they are hidden.")
window = slice(first, last)
labels = step.labels[window]
if config.dataset == "memory":
    st.caption("Two steps are marked (named on the time axis): one near the start and one in "
               "the second half; every other value is a distraction. A model that remembers "
               "the first marked value moves when it reads it and holds on until the second "
               "one settles the answer; one that forgets can only judge by the second, and "
               "stays nearer 0.5.")
if config.dataset == "imdb":
    changes = inside_datasets.prediction_changes(traces[0].running_prediction)
    st.html(inside.shaded_words_html(labels, changes[window], diverging=True, answer=view.axis))
    st.caption("Each word is shaded by how much it moved the first run's answer: green towards "
               "positive, red towards negative. Hover over a word: how far it moved the answer.")
if view is not None:
    presenter.chart(plots.running_prediction(
        traces[0].running_prediction[window], labels, config.task, first, names=names,
        extra=[t.running_prediction[window] for t in traces[1:]], answer=view.axis,
        subject=view.subject, meaning=view.meaning), key="inside_running")

# The layer to open up, and every trace of it.
depth = len(config.layers)
layer = st.select_slider("Layer", list(range(1, depth + 1)), key="inside_layer") if depth > 1 else 1
for column, (i, c, _), t, name in zip(st.columns(len(shown)), shown, traces, names):
    chosen = t.layers[min(layer, len(t.layers)) - 1]
    with column:
        st.subheader(f"{name}: layer {chosen.index} ({chosen.name})")
        direction = chosen.forward
        if chosen.backward is not None and st.toggle(
                "Show the backward direction", key=f"inside_backward_{i}"):
            direction = chosen.backward
        gate_traces = {g: direction[g][window] for g in chosen.gates}
        if gate_traces:
            presenter.chart(plots.mean_strip(gate_traces, labels, first, cell=chosen.cell),
                            key=f"inside_mean_{i}")
        for trace_name, values in direction.traces.items():
            title, key = direction.labels[trace_name], f"inside_{trace_name}_{i}"
            presenter.chart(plots.trace_heatmap(values[window], labels, title, first,
                                                plots.is_gate(title), chosen.cell, trace_name),
                            key=key, selection_mode="points", on_select=partial(
                                step_view.open_from_click, key, i, f"inside_unit_{i}"))
        unit = st.number_input("Follow one unit", 0, chosen.units - 1, key=f"inside_unit_{i}")
        presenter.chart(plots.unit_traces({k: v[window] for k, v in direction.traces.items()},
                                          unit, labels, first, cell=chosen.cell),
                        key=f"inside_unit_plot_{i}")

step_view.panel(shown, traces, inputs, layer, window)  # one unit at one step, by hand
if config.dataset == "text":  # which unit follows quotes, brackets, the line, words
    unit_finder.panel(config, weights, layer)

# Gate saturation over many inputs.
st.subheader("Gate saturation")
st.markdown("A gate that is nearly always shut or wide open works like a switch; one that sits "
            "in between blends old and new. Each dot is one unit of the chosen layer.")
if st.toggle(f"Measure it over {SATURATION_SAMPLE} test inputs", key="inside_saturate"):
    with st.spinner(f"Replaying {SATURATION_SAMPLE} inputs through each model..."):
        groups = {f"#{i} {gate}": shares for i, c, _ in shown for gate, shares in
                  loaders.gate_saturation(i, by_id[i].created,
                                          min(layer, len(c.layers))).items()}
    if groups:
        presenter.chart(plots.saturation_scatter(groups, SATURATION_SAMPLE),
                        key="inside_saturation")
    else:
        st.info("A SimpleRNN has no gates: nothing to measure.")

frame.show_code(__file__)
