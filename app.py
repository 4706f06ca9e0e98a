"""RNN Lab: the Streamlit entry point. A router and a frame, nothing else.

Run it with `streamlit run app.py`. Each lesson is a page under pages/; this file declares them in
teaching order, draws the shared sidebar (who you are in the class) and makes sure a supervisor
is running to train what gets queued. A run store whose file cannot be read stops every page
here, with one message in words. The web process never imports TensorFlow: training happens in
separate worker processes (rule 1 of shared/DESIGN.md).
"""
import rnnlab.ui.one_blas_thread  # noqa: F401  (first: before anything imports NumPy)
import streamlit as st

from rnnlab.ui import numpy_after_home

numpy_after_home.defer()  # before the imports below, whose modules import NumPy at their top
from rnnlab.jobs.supervisor import ensure_supervisor  # noqa: E402
from rnnlab.ui import frame, identity, presenter  # noqa: E402

st.set_page_config(page_title="RNN Lab", page_icon=frame.PAGE_ICON, layout="wide")

home = st.Page("pages/home.py", title="Home", icon=":material/home:", default=True)
pages = [
    home,
    st.Page("pages/data.py", title="Data", icon=":material/dataset:"),
    st.Page("pages/build.py", title="Build", icon=":material/account_tree:"),
    st.Page("pages/train.py", title="Train", icon=":material/monitoring:"),
    st.Page("pages/runs.py", title="Runs and compare", icon=":material/compare_arrows:"),
    st.Page("pages/inside.py", title="Inside the cell", icon=":material/memory:"),
    st.Page("pages/gradients.py", title="Vanishing gradients", icon=":material/trending_down:"),
    st.Page("pages/race.py", title="The three-cell race", icon=":material/sprint:"),
    st.Page("pages/tune.py", title="Tune", icon=":material/tune:"),
]
navigation = st.navigation(pages)
if navigation is not home:  # the Home page computes nothing; every other page finds NumPy there
    numpy_after_home.load()
store = frame.open_store()
identity.sidebar()  # who is using this browser: join, leave, the teacher
presenter.apply()  # ?present=1, ?sidebar_hide=1, ...: the projector's settings
frame.routed_by_app()
try:
    navigation.run()
finally:  # after the page, even one that stopped: under `streamlit run app.py` (no start-up hook,
    ensure_supervisor(store)  # rnnlab.ui.startup) the first page is out before the standby loads
