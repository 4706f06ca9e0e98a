"""Placeholder until the train page lands."""
import streamlit as st

st.title("train")
