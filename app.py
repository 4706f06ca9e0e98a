"""RNN Lab: the Streamlit entry point. A router and a frame, nothing else.

Run it with `streamlit run app.py`. Each lesson is a page under pages/; this file only declares
them, in teaching order, and sets up what every page shares. The web process never imports
TensorFlow: training happens in separate processes (rule 1 of shared/DESIGN.md).
"""
import streamlit as st

st.set_page_config(page_title="RNN Lab", page_icon="🔁", layout="wide")

pages = [
    st.Page("pages/home.py", title="Home", icon="🏠", default=True),
]
st.navigation(pages).run()
