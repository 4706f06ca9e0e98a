"""Placeholder until the runs page lands."""
import streamlit as st

st.title("runs")
