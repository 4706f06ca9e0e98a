"""The class's guesses drawn: one bar per choice, the true answer marked.

After the teacher reveals a race's or a sweep's answers (rnnlab.jobs.predictions), this chart
stands beside the result: how many guessed each cell (or length), with the winner's bar outlined
and labelled. A cell's bar has the cell's colour from the registry (rnnlab.plots.colours), the
same as its line on the race chart, so "the red bar" and "the red line" are the same cell; a
length's bar is a neutral blue.
"""
from __future__ import annotations

import plotly.graph_objects as go

from rnnlab.lessons.predictions import Question, Tally
from rnnlab.plots.colours import NAMED_COLOURS
from rnnlab.plots.hover import tooltip
from rnnlab.plots.theme import readable

NEUTRAL_COLOUR = "#1f77b4"
MARK_COLOUR = "#111111"


def guesses_chart(tally: Tally, question: Question, outcome: tuple[str, ...]) -> go.Figure:
    """A bar per choice, its height how many guessed it; the true answer outlined and labelled.

    Args:
        tally: rnnlab.lessons.predictions.tally of the answers.
        question: what was asked (its choices are the bars, in order).
        outcome: the true answers (several in a tie), or () when there is none (then no bar is
            marked).
    """
    choices = list(question.choices)
    counts = [tally.counts[c] for c in choices]
    marked = [c in outcome for c in choices]
    figure = go.Figure(go.Bar(
        x=choices, y=counts, text=[str(n) for n in counts], textposition="outside",
        marker={"color": [NAMED_COLOURS.get(c, NEUTRAL_COLOUR) for c in choices],
                "line": {"color": MARK_COLOUR, "width": [4 if m else 0 for m in marked]}},
        customdata=[f"it was {'' if m else 'not '}{question.words_for(outcome)}" if outcome
                    else "the answer is not known yet" for m in marked],
        hovertemplate=tooltip(f"%{{y}} of {tally.total} students guessed %{{x}}", "%{customdata}"),
        showlegend=False))
    for answer in (c for c in outcome if c in choices):
        figure.add_annotation(x=answer, y=tally.counts[answer], yshift=28, showarrow=False,
                              text=f"<b>{question.words_for(outcome)}</b>",
                              font={"color": MARK_COLOUR})
    figure.update_xaxes(type="category", title_text="answer")
    most = max(counts + [1])
    # Whole students: ticks 1 apart, or a whole step for a big class; room above for the label.
    figure.update_yaxes(title_text="students who guessed it", range=[0, most * 1.35],
                        dtick=max(1, -(-most // 5)))
    answers = "1 answer" if tally.total == 1 else f"{tally.total} answers"
    figure.update_layout(title=f"{question.text} How the class guessed ({answers})",
                         height=320, margin={"t": 50, "b": 40, "l": 60, "r": 10})
    return readable(figure)
