"""Take the experiment home: the "Download as notebook" button of the Runs and Train pages.

The notebook (rnnlab.network.notebook) reproduces one training run with plain Keras: the data,
the model, the fit with the run's seed, the curves and the test score, each step explained. It
is written from the run's config alone, so any training run can be taken home, whatever its
status. (Hyperparameter searches are not on these pages' run lists: a search is many fits.)
"""
from __future__ import annotations

import streamlit as st

from rnnlab.jobs.store import Run
from rnnlab.network import notebook


def notebook_button(run: Run, key: str) -> None:
    """Draw the download button for `run`'s notebook, or say in words why there is none.

    Args:
        run: the training run shown on the page.
        key: the widget's key, named after the page ("runs_notebook").
    """
    try:
        text = notebook.notebook_text(run.config, run_id=run.id, result=run.result)
    except ValueError as err:  # the notebook validates itself: a bug, said in words
        st.warning(f"Run #{run.id} cannot be written as a notebook: {err}")
        return
    st.download_button(
        "Download as notebook", text, file_name=notebook.file_name(run.id),
        mime="application/x-ipynb+json", key=key, icon=":material/download:",
        help="A Jupyter notebook that reruns this experiment with plain Keras, no RNN Lab "
             "needed: the same data and preprocessing, the same model, the fit with the same "
             "seed, the curves and the test score, each step explained.")
