"""The Data page's IMDB panel: one review as the network receives it, in words and in ids.

The page first shows the review as text; this panel shows what num_words and maxlen make of it
(rnnlab.data.explain): the marked text, then the integer ids the network actually reads, beside
the words, with the padding or the cut-off start in their own rows.
"""
from __future__ import annotations

import streamlit as st

from rnnlab.data import explain
from rnnlab.ui import frame

# How many of the review's tokens the table of ids lists (the rest is one row that counts them).
LISTED_TOKENS = 40


def show_network_input(words: list[str], cut: explain.ReviewCut, num_words: int,
                       maxlen: int) -> None:
    """The review after num_words and maxlen: marked text, then its first ids beside the words.

    Args:
        words: the decoded review, one word per id, "<start>" included.
        cut: explain.review_cut of the same ids with `num_words` and `maxlen`.
    """
    st.markdown(f"#### What the network receives with num_words = {num_words:,} and "
                f"maxlen = {maxlen:,}")
    st.markdown(explain.describe_cut(cut, num_words, maxlen))
    with st.container(height=260, border=True):
        st.markdown(explain.review_markdown(words, cut))
    listed = min(LISTED_TOKENS, cut.kept)
    st.markdown(f"**The same review as the network reads it: {maxlen:,} integers.** The words "
                "are only for you: the Embedding layer looks up a vector for each id. Below, "
                f"the first {listed} tokens it reads, each id beside its word.")
    rows = [{**row, "word": explain.escape_markdown(row["word"])}
            for row in explain.network_input_rows(words, cut, LISTED_TOKENS)]
    with st.container(height=360, border=True):
        frame.text_table(rows)
