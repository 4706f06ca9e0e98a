"""RNN Lab's server: `streamlit run serve.py` serves app.py and starts the supervisor with it.

app.py is the app (the router and the frame); this file only gives Streamlit's `st.App` a
start-up hook (rnnlab.ui.startup.lifespan), so the standby worker loads TensorFlow while the
class opens the Home page, not after. The command-line flags and .streamlit/config.toml apply as
they do to `streamlit run app.py`.
"""
import rnnlab.ui.one_blas_thread  # noqa: F401  (first: before anything imports NumPy)
import streamlit as st

from rnnlab.ui import numpy_after_home
from rnnlab.ui.startup import lifespan

numpy_after_home.defer()  # the first page needs none of it (rnnlab/ui/numpy_after_home.py)
app = st.App("app.py", lifespan=lifespan)
