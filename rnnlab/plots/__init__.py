"""Plots: pure functions from data to plotly Figures, one module per lesson.

No Streamlit and no TensorFlow here. Axis titles and hover text are part of the lesson, so they
say what a value means ("validation accuracy (higher is better)"), not just its variable name.
"""
