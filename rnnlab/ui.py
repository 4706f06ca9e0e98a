"""Streamlit helpers shared by the pages: the only rnnlab module that imports streamlit."""
from __future__ import annotations

import streamlit as st


def text_table(rows: list[dict[str, str]]) -> None:
    """Show rows of prose as a markdown table, whose cells wrap (st.dataframe cuts long text off)."""
    if not rows:
        return
    columns = list(rows[0])

    def cell(value) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(row[c]) for c in columns) + " |" for row in rows]
    st.markdown("\n".join(lines))
