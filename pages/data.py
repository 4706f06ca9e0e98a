"""Placeholder until the data page lands."""
import streamlit as st

st.title("data")
