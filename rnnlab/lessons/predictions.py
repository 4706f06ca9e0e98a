"""Predict, then reveal: the questions a race and a sweep ask, their true answers, and the tally.

The class answers before the result (rnnlab.jobs.predictions keeps the answers); when the teacher
reveals them, the tally says how the class guessed against what happened:

    "9 of 14 guessed GRU, the winner; 4 guessed LSTM; 1 guessed SimpleRNN."

The race's question is "Which cell will win?": its choices are the racing cells, its answer the
cell with the best best-epoch validation score (highest accuracy, lowest MAE), or the cells that
tied for it (rnnlab.lessons.race.race_leaders, the same rule the race's sentence uses): then a
guess of any of them is right. So a true answer is a tuple of choices, one as a rule, several in
a tie, none when there is no result. The sweep's is
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
from rnnlab.lessons.race import race_leaders

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
    tied_words: str = ""       # "tied for the win": "3 of 5 guessed LSTM or GRU, tied for the win"

    def words_for(self, outcome: tuple[str, ...]) -> str:
        """How a sentence names the true answer: answer_words, or tied_words for a tie."""
        return self.tied_words if len(outcome) > 1 else self.answer_words


def race_question(cells) -> Question:
    """"Which cell will win?", the racing cells (each once, in race order) its choices."""
    return Question("Which cell will win?", tuple(dict.fromkeys(cells)), "the winner",
                    "tied for the win")


def sweep_question(lengths) -> Question:
    """"At which length will SimpleRNN fail?", the sweep's lengths (shortest first) and
    "none of them" its choices."""
    return Question(f"At which length will {SWEPT_CELL} fail?",
                    (*(str(n) for n in sorted(set(lengths))), NEVER),
                    f"where {SWEPT_CELL} first fell to chance")


def race_winners(racers: list[Run]) -> tuple[str, ...]:
    """The cell that won the race, or the cells that tied for the win, once every racer is done.

    Returns:
        The winning cells' names, best first ("GRU"; "Dense" for the network with no memory);
        empty while a racer is unfinished, or if one failed or has no score (then there is no
        fair winner).
    """
    if not racers or any(r.status != "done" or (r.result or {}).get(
            f"best_val_{r.config.metric}") is None for r in racers):
        return ()
    return tuple(dict.fromkeys(run.config.layers[0].cell for run in race_leaders(racers)))


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


def tally(answers: list[Prediction], question: Question, outcome: tuple[str, ...]) -> Tally:
    """Count the answers per choice and say in a sentence how the class did.

    Args:
        answers: every answer about the batch (rnnlab.jobs.predictions.standing).
        question: what was asked.
        outcome: the true answers (one choice; several in a tie), or () when the batch has no
            result (a run failed).
    Returns:
        A Tally, e.g. sentence "9 of 14 guessed GRU, the winner; 4 guessed LSTM; 1 guessed
        SimpleRNN." (the true answer first, then the others by count).
    """
    counts = {choice: 0 for choice in question.choices}
    for answer in answers:
        if answer.answer in counts:
            counts[answer.answer] += 1
    total = sum(counts.values())
    right = [a.voter_name for a in answers if a.answer in outcome]
    others = sorted((c for c in question.choices if c not in outcome and counts[c]),
                    key=lambda c: -counts[c])
    rest = "; ".join(_guessed(counts[c], c) for c in others)
    named, words = " or ".join(outcome), question.words_for(outcome)
    guessed = sum(counts.get(c, 0) for c in outcome)
    if total == 0:
        sentence = "Nobody answered this time."
    elif not outcome:
        sentence = f"There is no result to compare with: {rest}."
    elif guessed == 0:
        sentence = f"Nobody guessed {named}, {words}: {rest}."
    else:
        sentence = (f"{guessed} of {total} guessed {named}, {words}"
                    + (f"; {rest}." if rest else "."))
    return Tally(counts=counts, total=total, right=right, sentence=sentence)
