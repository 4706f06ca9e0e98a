"""Placeholder until the build page lands."""
import streamlit as st

st.title("build")
