"""Inside the cell: the gates and states of a trained network at every step of one input."""
import numpy as np
import streamlit as st

from rnnlab import ui
from rnnlab.data import explain
from rnnlab.data.paths import DataError
from rnnlab.jobs import runs
from rnnlab.lessons import inside
from rnnlab.network import replay
from rnnlab.plots import gates as plots

ui.page_header("Inside the cell", (
    "Pick a finished run and feed it one input: a test review, a review you type, a weather "
    "window or a sequence of the long-memory task. Every gate and state of every unit is "
    "recomputed from the run's saved weights, step by step, and drawn under the words it read. "
    "Gates run from **0 (shut)** to **1 (open)**: an LSTM's forget gate near 1 *keeps* its "
    "memory, a GRU's update gate near 1 *keeps the old state* (Keras's convention; many "
    "textbooks swap it). Watch where the model changes its mind."))
ui.current_config()  # keeps the tab's model in the link for the other pages
finished = [r for r in runs.runs(status="done") if "weights.npz" in runs.artifacts(r.id)]
if not finished:
    ui.nothing_yet("No finished run yet. Train one (the quick presets take a minute), then come "
                   "back.", "pages/train.py", "Go to Train", ":material/monitoring:", __file__)
by_id = {r.id: r for r in finished}
ids = list(by_id)
watched = ui.watched_run()
left, right = st.columns(2)
run_id = left.selectbox("Run", ids, index=ids.index(watched) if watched in ids else 0,
                        key="inside_run", format_func=lambda i: f"#{i} {by_id[i].config.label()} "
                                                                f"({by_id[i].owner})")
ui.watch_run(run_id)
config, weights = ui.run_model(run_id)
same_input = [i for i in ids if i != run_id and inside.same_input(config, by_id[i].config)]
other_id = right.selectbox("Side by side with (the same input through another run)",
                           [None, *same_input], key="inside_other",
                           format_func=lambda i: "nothing: one run" if i is None else
                           f"#{i} {by_id[i].config.label()} ({by_id[i].owner})")


# A finished run's weights never change, so what the model answers about a fixed sample is
# cached per run (its creation time tells a new run from a deleted one with the same id): the
# right/wrong filter and the saturation scatter then cost their seconds once, not on every click.
SAMPLE = 100


@st.cache_data(max_entries=32, show_spinner=False)
def review_guesses(run: int, created: float, numbers: tuple[int, ...]) -> np.ndarray:
    """The run's P(positive) for the test reviews `numbers`."""
    run_config, run_weights = ui.run_model(run)
    padded = inside.padded_reviews(ui.imdb_reviews()[0], "test", numbers, run_config)
    return replay.predict(run_config, run_weights, padded)


@st.cache_data(max_entries=32, show_spinner=False)
def sequence_guesses(run: int, created: float, count: int) -> np.ndarray:
    """The run's P(marked sum > 1) for its first `count` test sequences."""
    run_config, run_weights = ui.run_model(run)
    return replay.predict(run_config, run_weights, inside.memory_sequences(run_config, count))


@st.cache_data(max_entries=32, show_spinner=False)
def run_saturation(run: int, created: float, layer: int) -> dict[str, tuple]:
    """Per gate of the run's layer: (share of steps shut, share open) over SAMPLE test inputs."""
    c, w = ui.run_model(run)
    if c.dataset == "imdb":
        sample = inside.padded_reviews(ui.imdb_reviews()[0], "test", np.arange(SAMPLE), c)
    elif c.dataset == "memory":
        sample = inside.memory_sequences(c, SAMPLE)
    else:
        sample = inside.weather_windows(ui.weather_record(c.weather, c.training.validation_split),
                                        SAMPLE)
    return {gate.label.split(" (")[0]: (gate.low, gate.high)
            for gate in replay.saturation(c, w, sample, layer=layer).values()}


def review_choice():
    """A review from the test set or typed: a function making its input for a run's config."""
    try:
        corpus, word_index = ui.imdb_reviews()
    except DataError as err:
        st.error(str(err))
        return None
    if st.radio("Input", ["A test review", "Type your own"], horizontal=True,
                key="inside_source") == "Type your own":
        text = st.text_area("Your review", key="inside_text", height=100,
                            value="This movie was not good. The plot was boring, but the actors "
                                  "were wonderful and the ending was great.")
        return lambda run_config: inside.typed_review_input(text, run_config, word_index)
    word_box, which_box = st.columns(2)
    word = word_box.text_input("Test reviews containing the word", key="inside_word",
                               placeholder="e.g. boring")
    which = which_box.radio("Show", ["all", "the model got right", "the model got wrong"],
                            horizontal=True, key="inside_which")
    numbers = inside.reviews_with_word(corpus, "test", word, word_index)
    labels = corpus.labels("test")[numbers]
    if which != "all":
        with st.spinner(f"Asking the model about {len(numbers)} reviews..."):
            guesses = review_guesses(run_id, by_id[run_id].created, tuple(int(k) for k in numbers))
        right_answers = (guesses > 0.5) == labels
        numbers = numbers[right_answers == (which == "the model got right")]
    if not len(numbers):
        st.warning("No test review matches: try another word, or show all.")
        return None
    number = int(st.selectbox(f"Test review ({len(numbers)} found)", numbers,
                              key="inside_review"))
    label = int(corpus.labels("test")[number])
    ids = explain.review_ids(corpus, "test", number)
    name = f"test review {number} ({'positive' if label else 'negative'})"
    return lambda run_config: inside.review_input(ids, run_config, word_index, name, label)


def window_choice():
    """A test window of the weather record (side-by-side runs share the window options)."""
    data = ui.weather_record(config.weather, config.training.validation_split)
    starts = data.window_starts("test")
    number = st.slider("Test window", 0, len(starts) - 1, key="inside_window_number")
    return lambda run_config: inside.weather_input(data, int(starts[number]))


def sequence_choice():
    """A test sequence of the long-memory task (side-by-side runs read the same sequence)."""
    labels = inside.memory_test_set(config)[1]
    numbers = np.arange(min(len(labels), 200))
    which = st.radio("Show", ["all", "the model got right", "the model got wrong"],
                     horizontal=True, key="inside_which")
    if which != "all":
        guesses = sequence_guesses(run_id, by_id[run_id].created, len(numbers))
        numbers = numbers[((guesses > 0.5) == labels[numbers]) == (which == "the model got right")]
    if not len(numbers):
        st.warning("No test sequence matches: show all instead.")
        return None
    number = int(st.selectbox(f"Test sequence ({len(numbers)} of the first 200)", numbers,
                              key="inside_sequence"))
    return lambda run_config: inside.memory_input(config, number)


CHOICES = {"imdb": review_choice, "weather": window_choice, "memory": sequence_choice}
ANSWERS = {"imdb": "P(positive)", "memory": "P(marked sum > 1)",
           "weather": "The forecast (normalized units)"}
AXES = {"imdb": ("P(positive)", "review"), "memory": ("P(marked sum > 1)", "sequence"),
        "weather": ("forecast (normalized)", "window")}  # the running prediction's axis and title
try:
    make_input = CHOICES[config.dataset]()
    shown = [(run_id, config, weights)]
    if other_id is not None:
        shown.append((other_id, *ui.run_model(other_id)))
    inputs = [make_input(c) for _, c, _ in shown] if make_input else []
except (DataError, ValueError) as err:
    st.error(str(err))
    inputs = []
if not inputs:
    ui.show_code(__file__)
    st.stop()
try:
    traces = [replay.trace(c, w, step.sequence) for (_, c, w), step in zip(shown, inputs)]
except ValueError as err:  # weights that do not fit the config: a damaged or foreign run folder
    st.error(f"This run's saved weights cannot be replayed: {err}")
    ui.show_code(__file__)
    st.stop()
step = inputs[0]
names = [f"#{i} {c.layers[0].cell}" for i, c, _ in shown]
task = config.task

# What the model answers, and how that answer formed along the input.
answer = ", ".join(f"{name}: {t.prediction:.3f}" for name, t in zip(names, traces))
truth = "" if step.target is None else f"; the true answer is {step.target:.3f}"
what = ANSWERS[config.dataset]
st.markdown(f"**{step.description[0].upper() + step.description[1:]}.** "
            f"{what} at the end: {answer}{truth}.")
real = len(step.labels) - step.first_real
first, last = step.first_real, len(step.labels)
if real > 120:  # long reviews: their end, the memory task: its start, where the first mark is
    shown_steps = (0, 100) if config.dataset == "memory" else (last - 100, last)
    first, last = st.slider("Steps shown (a window keeps long inputs readable)",
                            step.first_real, last, shown_steps, key="inside_steps")
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
    changes = np.diff(traces[0].running_prediction, prepend=0.5)
    st.html(inside.shaded_words_html(labels, changes[window], diverging=True))
    st.caption("Each word is shaded by how much it moved the first run's answer: green towards "
               "positive, red towards negative. Hover over a word for the number.")
st.plotly_chart(plots.running_prediction(
    traces[0].running_prediction[window], labels, task, first, names=names,
    extra=[t.running_prediction[window] for t in traces[1:]], answer=AXES[config.dataset][0],
    subject=AXES[config.dataset][1]), key="inside_running")

# The layer to open up, and every trace of it.
depth = len(config.layers)
layer = st.select_slider("Layer", list(range(1, depth + 1)), key="inside_layer") if depth > 1 else 1
columns = st.columns(len(shown))
for column, (i, c, _), t, name in zip(columns, shown, traces, names):
    chosen = t.layers[min(layer, len(t.layers)) - 1]
    with column:
        st.subheader(f"{name}: layer {chosen.index} ({chosen.name})")
        direction = chosen.forward
        if chosen.backward is not None and st.toggle(
                "Show the backward direction", key=f"inside_backward_{i}"):
            direction = chosen.backward
        gate_traces = {direction.labels[g]: direction[g][window] for g in chosen.gates}
        if gate_traces:
            st.plotly_chart(plots.mean_strip(gate_traces, labels, first), key=f"inside_mean_{i}")
        for trace_name, values in direction.traces.items():
            title = direction.labels[trace_name]
            st.plotly_chart(plots.trace_heatmap(values[window], labels, title, first,
                                                gate=plots.is_gate(title)),
                            key=f"inside_{trace_name}_{i}")
        unit = st.number_input("Follow one unit", 0, chosen.units - 1, key=f"inside_unit_{i}")
        st.plotly_chart(plots.unit_traces({direction.labels[k]: v[window] for k, v in
                                           direction.traces.items()}, unit, labels, first),
                        key=f"inside_unit_plot_{i}")

# Gate saturation over many inputs.
st.subheader("Gate saturation")
st.markdown("A gate that is nearly always shut or wide open works like a switch; one that sits "
            "in between blends old and new. Each dot is one unit of the chosen layer.")
if st.toggle(f"Measure it over {SAMPLE} test inputs", key="inside_saturate"):
    with st.spinner(f"Replaying {SAMPLE} inputs through each model..."):
        groups = {f"#{i} {gate}": shares for i, c, _ in shown for gate, shares in
                  run_saturation(i, by_id[i].created, min(layer, len(c.layers))).items()}
    if groups:
        st.plotly_chart(plots.saturation_scatter(groups, SAMPLE), key="inside_saturation")
    else:
        st.info("A SimpleRNN has no gates: nothing to measure.")

ui.show_code(__file__)
