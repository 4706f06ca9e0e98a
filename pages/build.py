"""Build: choose the recurrent stack; see its shapes, parameter counts, diagram and Keras code."""
import streamlit as st

from rnnlab.cells import CELLS
from rnnlab.config import ACTIVATIONS, DATASETS, LAYER_KINDS, MAX_LAYERS, MAX_UNITS
from rnnlab.config.options import FEEDFORWARD_DESCRIPTION, FEEDFORWARD_TITLE, layer_title
from rnnlab.data.spec import data_spec
from rnnlab.network.codegen import keras_code
from rnnlab.network.summary import summarize, total_params
from rnnlab.ui import build_panels, frame, presenter, state, widgets

frame.page_header("Build", (
    "Stack up to four recurrent layers and pick each one's cell, size and dropout, or pick "
    "**Dense (no memory)** for a network that reads the whole input at once, to see what "
    "recurrence buys. Nothing is trained here: the **summary**, the **diagram** and the "
    "**Keras code** below are worked out from your settings the moment you change one. Watch "
    "the shapes between the layers: `(None, time, units)` is a whole sequence, one vector per "
    "timestep, while `(None, units)` is a single vector per example. The page's link holds "
    "this model, so you can share it, and the Train page trains exactly this."))
config = state.current_config()

DATASET_NAMES = {"imdb": "IMDB reviews (sentiment)", "weather": "Weather (forecast)",
                 "memory": "Long-memory task (generated)", "text": "Characters (language model)"}
left, middle, right = st.columns([2, 2, 3])
widgets.setting(
    left.radio, "Dataset", config, "dataset", "build_dataset", options=DATASETS,
    horizontal=True, format_func=DATASET_NAMES.get, help="Its options (review length, "
    "vocabulary, weather record, window, sequence length) are set on the Data page; switch here "
    "to see the same stack on another input.")
dense = config.is_feedforward
widgets.setting(middle.slider, "Dense layers" if dense else "Recurrent layers", config,
                widgets.DEPTH, "build_depth",
                min_value=1, max_value=MAX_LAYERS,
                help="A new layer starts as a copy of the one below it.")
spec = data_spec(config)
if spec.is_text:
    item = "character" if config.dataset == "text" else "word"
    widgets.setting(right.number_input, f"Embedding size (numbers per {item})", config,
                    "text.char_embedding_dim" if item == "character" else "imdb.embedding_dim",
                    f"build_{'char_' * (item == 'character')}embedding_dim", min_value=1,
                    max_value=256 if item == "character" else 512,
                    unchanged=f"each {item} is still {{}} numbers",
                    help=f"The Embedding layer turns each {item} id into a learned vector this "
                         "long; it is what the first recurrent layer reads at each timestep.")
    right.caption(f"{'Windows' if item == 'character' else 'Reviews'} of {spec.timesteps} "
                  f"{item} ids, a vocabulary of {spec.vocab_size:,} (set on the Data page).")
elif config.dataset == "memory":
    right.markdown(f"**Input:** sequences of {spec.timesteps} steps of two numbers, a value and "
                   "a marker: the two marked values decide the answer, one of them near the start "
                   "(set on the Data page).")
else:
    right.markdown(f"**Input:** windows of {spec.timesteps} readings of {spec.features} "
                   f"measurement{'s' * (spec.features != 1)} from the {config.weather.source} "
                   "record (set on the Data page).")

depth = len(config.layers)
NO_MEMORY = "Off: a dense layer reads the whole input at once and keeps no state, so it has "
CELL_HELP = "\n".join([*(f"- **{c.title}**: {c.description}" for c in CELLS.values()),
                       f"- **{FEEDFORWARD_TITLE}**: {FEEDFORWARD_DESCRIPTION}",
                       "\nA stack is all dense or all recurrent: switching one layer between "
                       "the two switches them all."])
for index in range(1, depth + 1):
    where = " (first)" if index == 1 < depth else " (top)" if index == depth > 1 else ""
    box = st.container(border=True)  # two rows of three: whole labels on a 1024 px projector
    box.markdown(f"**Layer {index}**{where}")
    cell, units, activation = box.columns([2.2, 1, 1.2])
    dropout, recurrent, switches = box.columns(3, vertical_alignment="center")
    layer, key = f"layers.{index - 1}.", f"build_l{index}_"  # its place in the config, its keys
    widgets.setting(cell.selectbox, "Cell", config, widgets.cell_of(index - 1), key + "cell",
                    options=list(LAYER_KINDS), format_func=layer_title, help=CELL_HELP)
    widgets.setting(units.number_input, "Units", config, layer + "units", key + "units",
                    min_value=1, max_value=MAX_UNITS, step=8, message_at=box,
                    unchanged=f"it still has {{}} units in layer {index}",
                    help="How many numbers the layer puts out." if dense else
                         "The size of the hidden state h_t.")
    widgets.setting(activation.selectbox, "Activation", config, layer + "activation",
                    key + "activation", options=ACTIVATIONS,
                    help="Applied to each output: y = act(x W + b)." if dense else
                         "Squashes the new state; gates always use a sigmoid.")
    widgets.setting(dropout.slider, "Dropout", config, layer + "dropout", key + "dropout",
                    min_value=0.0, max_value=0.9, step=0.05,
                    help="Share of this layer's outputs dropped while training (a Dropout "
                         "layer after it)." if dense else
                         "Share of the inputs x_t dropped while training.")
    widgets.setting(recurrent.slider, "Recurrent dropout", config, layer + "recurrent_dropout",
                    key + "recurrent_dropout", min_value=0.0, max_value=0.9, step=0.05,
                    disabled=dense, help=NO_MEMORY + "no previous state to drop." if dense else
                    "Share of the previous state h_t-1 dropped while training. Above 0, Keras "
                    "cannot use its fast fused kernel (cuDNN on a GPU), so training is slower.")
    widgets.setting(switches.checkbox, "Bidirectional", config, layer + "bidirectional",
                    key + "bidirectional", disabled=dense,
                    help=NO_MEMORY + "no direction to read in." if dense else
                         "Also read the sequence backwards; the two states are concatenated, "
                         "so twice the units come out.")
    inner = index < depth or config.dataset == "text"  # the language model answers every step
    widgets.setting(
        switches.checkbox, "Return sequences", config, layer + "return_sequences",
        key + "return_sequences", disabled=inner or dense,
        help=NO_MEMORY + "no timesteps to return: one vector per example goes on." if dense else
             "Always on for the language model: its head answers at every step." if
             index == depth and inner else f"Always on below the top: layer {index + 1} reads "
             f"one vector per timestep, so layer {index} must hand it the whole sequence "
             "h_1 ... h_T." if inner else
             "On: output h_t at every timestep, and a pooling layer averages them over time. "
             "Off: only the last state h_T goes on to the head.")
widgets.setting_error("The model below")

rows = summarize(config, spec)
build_panels.task_shape(config)
st.subheader("Model summary")
st.metric("Total parameters", f"{total_params(rows):,}")
build_panels.summary_table(rows)
st.caption("In the formulas, U is the layer's units and F the numbers coming in (the layer below's "
           "output width): per timestep for a recurrent layer, all at once for a dense one. None "
           "in a shape is the batch size, which Keras leaves open.")
if config.notes():
    st.info("\n".join(f"- {note}" for note in config.notes()))

st.subheader("The stack, drawn")
st.markdown("Data flows from the input at the top down to the prediction. :green[**Green**: a "
            "sequence], one vector per timestep, drawn as a row of squares (only the first few "
            "of them). :orange[**Orange**: a single vector] per example. Hover over a box or a "
            "link for details.")
presenter.chart(build_panels.model_figure(config), config={"displayModeBar": False},
                key="build_diagram")

with st.expander("Keras code for this model"):
    st.code(keras_code(config, spec), language="python")
st.page_link("pages/train.py", label="Train this model", icon=":material/monitoring:",
             query_params=state.page_params())

frame.show_code(__file__)
