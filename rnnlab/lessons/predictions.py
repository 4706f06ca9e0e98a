"""Predict, then reveal: the questions a race and a sweep ask, their true answers, and the tally.

The class answers before the result (rnnlab.jobs.predictions keeps the answers); when the teacher
reveals them, the tally says how the class guessed against what happened:

    "9 of 14 guessed GRU, the winner; 4 guessed LSTM; 1 guessed SimpleRNN."

The race's question is "Which cell will win?": its choices are the racing cells, its answer the
cell with the best best-epoch validation score (highest accuracy, lowest MAE). The sweep's is
"At which length will SimpleRNN fail?": its choices are the sweep's lengths and "none of them",
its answer the shortest length at which SimpleRNN's best validation accuracy is no better than
`FAILED_ACCURACY`, i.e. at chance on the two-class long-memory task (a coin scores 0.5; the
margin allows for the noise of a few hundred validation sequences).

Pure functions of runs and answers; no Streamlit, no store access.
"""
from __future__ import annotations

from dataclasses import dataclass

from rnnlab.jobs.predictions import Prediction
from rnnlab.jobs.store import Run

# SimpleRNN has failed at a length where its best validation accuracy is at most this.
FAILED_ACCURACY = 0.55
# The sweep's choice for "it remembers at every length tried".
NEVER = "none of them"
SWEPT_CELL = "SimpleRNN"


@dataclass(frozen=True)
class Question:
    """A question the class answers before a result: its words, its choices (as text, in the
    order they are offered) and how a sentence names the true answer."""

    text: str                  # "Which cell will win?"
    choices: tuple[str, ...]   # ("SimpleRNN", "LSTM", "GRU")
    answer_words: str          # "the winner": "9 of 14 guessed GRU, the winner"


def race_question(cells) -> Question:
    """"Which cell will win?", the racing cells (each once, in race order) its choices."""
    return Question("Which cell will win?", tuple(dict.fromkeys(cells)), "the winner")


def sweep_question(lengths) -> Question:
    """"At which length will SimpleRNN fail?", the sweep's lengths (shortest first) and
    "none of them" its choices."""
    return Question(f"At which length will {SWEPT_CELL} fail?",
                    (*(str(n) for n in sorted(set(lengths))), NEVER),
                    f"where {SWEPT_CELL} first fell to chance")


def race_winner(racers: list[Run]) -> str | None:
    """The cell of the racer with the best best-epoch validation score, once every racer is done.

    Returns:
        The winning cell's name ("GRU", or "Dense" for the network with no memory), or None while
        a racer is unfinished or if one failed or has no score (then there is no fair winner).
    """
    if not racers or any(r.status != "done" for r in racers):
        return None
    metric = racers[0].config.metric
    scores = [(r.result or {}).get(f"best_val_{metric}") for r in racers]
    if any(score is None for score in scores):
        return None
    pick = min if metric == "mae" else max
    best = pick(range(len(racers)), key=lambda i: scores[i])
    return racers[best].config.layers[0].cell


def sweep_failure(points: dict[str, list[tuple[int, float]]], lengths) -> str | None:
    """The shortest length at which SimpleRNN failed, as text; NEVER if it failed at none.

    Args:
        points: rnnlab.lessons.sweep.sweep_points of the finished sweep: cell -> [(length,
            best validation accuracy)].
        lengths: the sweep's lengths.
    Returns:
        e.g. "50", or NEVER, or None while SimpleRNN has not finished at every length.
    """
    scores = dict(points.get(SWEPT_CELL, []))
    if any(length not in scores for length in lengths):
        return None
    failed = [n for n in sorted(lengths) if scores[n] <= FAILED_ACCURACY]
    return str(failed[0]) if failed else NEVER


@dataclass(frozen=True)
class Tally:
    """How the class answered, against what happened."""

    counts: dict[str, int]  # every choice, in the question's order -> how many chose it
    total: int              # how many answered
    right: list[str]        # the names of those who guessed the true answer
    sentence: str           # the tally in words, for beside the chart


def _guessed(count: int, choice: str) -> str:
    return f"{count} guessed {choice}"


def tally(answers: list[Prediction], question: Question, outcome: str | None) -> Tally:
    """Count the answers per choice and say in a sentence how the class did.

    Args:
        answers: rnnlab.jobs.predictions.answers of the batch.
        question: what was asked.
        outcome: the true answer (a choice), or None when the batch has none (a run failed).
    Returns:
        A Tally, e.g. sentence "9 of 14 guessed GRU, the winner; 4 guessed LSTM; 1 guessed
        SimpleRNN." (the true answer first, then the others by count).
    """
    counts = {choice: 0 for choice in question.choices}
    for answer in answers:
        if answer.answer in counts:
            counts[answer.answer] += 1
    total = sum(counts.values())
    right = [a.voter_name for a in answers if outcome is not None and a.answer == outcome]
    others = sorted((c for c in question.choices if c != outcome and counts[c]),
                    key=lambda c: -counts[c])
    rest = "; ".join(_guessed(counts[c], c) for c in others)
    if total == 0:
        sentence = "Nobody answered this time."
    elif outcome is None:
        sentence = f"There is no result to compare with: {rest}."
    elif counts[outcome] == 0:
        sentence = f"Nobody guessed {outcome}, {question.answer_words}: {rest}."
    else:
        sentence = (f"{counts[outcome]} of {total} guessed {outcome}, {question.answer_words}"
                    + (f"; {rest}." if rest else "."))
    return Tally(counts=counts, total=total, right=right, sentence=sentence)
