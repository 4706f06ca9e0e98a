"""Home: what a recurrent network is, which datasets are ready, and where to start."""
import streamlit as st

from rnnlab.config.presets import PRESETS
from rnnlab.data.status import dataset_status
from rnnlab.network.summary import summarize, total_params
from rnnlab.ui import frame

frame.page_header("RNN Lab", (
    "A **recurrent neural network** reads a sequence one step at a time and carries a *hidden "
    "state* from each step to the next, so what it read earlier can shape what it does later. "
    "A **SimpleRNN** mixes the new input into that state directly, which makes old information "
    "fade fast; **LSTM** and **GRU** add *gates*, learned switches that decide what to keep, "
    "what to forget and what to let in. This lab trains all three on real data, movie reviews "
    "and weather records, and on a generated long-memory task, so you can watch the difference "
    "instead of taking it on trust."))

# "Start here" comes first: on a 1024x768 projector it is on the first screen, under the intro.
statuses = dataset_status()
st.subheader("Start here")
imdb_ready = statuses[0].state == "ready"
start = PRESETS["imdb-quick" if imdb_ready else "nyc-quick"]
st.markdown(f"{start.description} It opens on the Train page, ready for you to press **Train**; "
            "then follow the pages in the sidebar from Data to Runs and compare.")
st.page_link("pages/train.py", label=f"Start here: {start.title}", icon=":material/play_circle:",
             query_params={**start.config.to_query()})

st.subheader("Datasets")
STATE_LABELS = {"ready": "**ready**", "download": "downloaded on first use",
                "missing": "**missing**: see the details"}
frame.text_table([{"dataset": s.title, "status": STATE_LABELS[s.state], "details": s.detail}
               for s in statuses])

st.subheader("The book's experiments and quick classroom setups")
st.markdown("Each preset is a complete setup. Choose one in the Train page's **Start from** box, "
            "which says what to expect from it, or from a terminal in the project folder run, "
            "for example, `python -m rnnlab train --preset imdb-lstm`.")
# Titles only: what each one teaches is said where it is chosen. Seventeen paragraphs here were a
# wall of text on a projector, and the slowest thing on the first screen a class opens (issue 18).
frame.text_table([{"preset": f"`{name}`", "what": preset.title,
                "parameters": f"{total_params(summarize(preset.config)):,}"}
               for name, preset in PRESETS.items()])
