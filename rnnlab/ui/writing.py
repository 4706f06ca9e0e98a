"""A language model's writing, on the Train and Runs pages: its samples epoch by epoch, and the
Generate panel of a finished run.

While a text run trains, its worker writes what the model writes after every epoch into the run's
samples.json (rnnlab.trainer.samples); `panel` shows them oldest first, newest last, each under
its epoch, in a monospace block that keeps the line breaks and the indentation of the code it
imitates. The Train page draws it inside its live panel, so a new sample appears as each epoch
ends. Once the run is done, the Generate panel lets the class pick a prompt, a length and a
temperature and writes with the NumPy sampler (rnnlab.network.sampler) from the saved weights:
no TensorFlow in the web process.
"""
from __future__ import annotations

import streamlit as st

from rnnlab.config.catalog import TEXT_VOCABULARY
from rnnlab.data.text import unknown_characters
from rnnlab.jobs import runs
from rnnlab.jobs.artifacts import DamagedArtifact
from rnnlab.jobs.store import Run, Store
from rnnlab.network import sampler
from rnnlab.ui import loaders

# How many of the newest samples stay in view; the older ones fold into an expander above them.
SAMPLES_IN_VIEW = 4
TEMPERATURE_WORDS = (
    "The temperature decides how daring each draw is. Low (towards 0): the likeliest next "
    "character almost every time, so the text is safe and soon repeats itself; 0 always takes "
    "the likeliest. 1: the model's own probabilities. High (towards 2): unlikely characters get "
    "their chance, so the text surprises, then falls apart.")


def panel(run: Run, key: str, store: Store | None = None) -> None:
    """The run's samples after each epoch and, once it is done, the Generate panel; nothing for
    a run that is not a language model.

    Args:
        run: the run shown.
        key: the page's prefix for widget keys, e.g. "train".
        store: the store the page already has open (a live panel's redraw), else a new one.
    """
    if run.config.dataset != "text":
        return
    epoch_samples(run, store)
    if run.status == "done":
        generate_panel(run, key)


def epoch_samples(run: Run, store: Store | None = None) -> None:
    """What the model wrote after each epoch, newest last, each labelled by its epoch."""
    prompt = sampler.EPOCH_SAMPLE_PROMPTS[run.config.text.corpus]
    st.markdown("#### What it writes after each epoch")
    try:
        samples = runs.samples(run.id, store, still_writing=run.active)
    except DamagedArtifact as err:
        st.warning(str(err))
        return
    st.caption(f"After every epoch the model continues the prompt {prompt!r} with "
               f"{sampler.EPOCH_SAMPLE_LENGTH} characters at temperature "
               f"{sampler.EPOCH_SAMPLE_TEMPERATURE}, drawn with the same seed each time: only "
               "the model changes. Each block starts with the prompt.")
    if not samples:
        st.info("The first sample appears when epoch 1 ends." if run.active
                else "This run left no samples.")
        return
    older, newest = samples[:-SAMPLES_IN_VIEW], samples[-SAMPLES_IN_VIEW:]
    if older:
        first, last = older[0].epoch, older[-1].epoch
        with st.expander(f"Epoch {first}" if first == last else f"Epochs {first} to {last}"):
            for sample in older:
                _sample_block(sample.epoch, prompt + sample.text)
    for sample in newest:
        _sample_block(sample.epoch, prompt + sample.text)


def _sample_block(epoch: int, text: str) -> None:
    st.markdown(f"**After epoch {epoch}**")
    st.code(text, language=None, wrap_lines=True)


def generate_panel(run: Run, key: str) -> None:
    """A prompt, a length, a temperature and a Generate button; the text it wrote below.

    Each press draws with the next seed (1, 2, ...), shown beside the text, so pressing again
    writes something new and the same settings and seed always write the same text.
    """
    st.markdown("#### Let it write")
    st.text_input("Prompt: the text it continues (empty: it starts a new line)",
                  value=sampler.EPOCH_SAMPLE_PROMPTS[run.config.text.corpus],
                  max_chars=sampler.MAX_PROMPT, key=f"{key}_prompt_{run.id}")
    left, right = st.columns(2)
    left.number_input("Characters to write", min_value=1, max_value=sampler.MAX_LENGTH,
                      value=300, step=50, key=f"{key}_length_{run.id}")
    right.slider("Temperature", min_value=0.0, max_value=2.0, value=0.8, step=0.05,
                 key=f"{key}_temperature_{run.id}")
    st.caption(TEMPERATURE_WORDS)
    shown = f"{key}_generated_{run.id}"
    st.button("Generate", key=f"{key}_generate_{run.id}", type="primary", on_click=_generate,
              args=(run.id, key, shown))
    outcome = st.session_state.get(shown)
    if outcome is None:
        return
    if isinstance(outcome, str):  # refused, in words
        st.error(outcome)
        return
    generation, used_temperature, seed = outcome
    unknown = unknown_characters(generation.prompt)
    if unknown:
        named = " ".join(repr(c)[1:-1] for c in unknown)  # a tab as \t, not as blank space
        st.info(f"Not among the {len(TEXT_VOCABULARY)} characters it learned (the newline and "
                f"printable ASCII): {named}. It read each of them as one and the same unknown "
                "character, so that part of the prompt told it little.")
    st.caption(f"{len(generation.text)} characters after the prompt, temperature "
               f"{used_temperature:g}, seed {seed}:")
    st.code(generation.prompt + generation.text, language=None, wrap_lines=True)


def _generate(run_id: int, key: str, shown: str) -> None:
    """The Generate button's callback: write, and keep the outcome (or the refusal) for the
    page body. It reads the widgets' values from the session, where a prompt typed just before
    the click already is (the button's arguments hold those of the previous run)."""
    state = st.session_state
    prompt, length = state[f"{key}_prompt_{run_id}"], state[f"{key}_length_{run_id}"]
    temperature = float(state[f"{key}_temperature_{run_id}"])
    seed = state.get(f"{shown}_seed", 0) + 1
    state[f"{shown}_seed"] = seed
    try:
        config, weights = loaders.run_model(run_id)
        generation = sampler.generate(config, weights, prompt, length, temperature, seed)
    except ValueError as err:  # a length out of range, damaged weights: said in words
        state[shown] = str(err)
        return
    state[shown] = (generation, temperature, seed)
