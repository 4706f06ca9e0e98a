"""Predict, then reveal, on a page: the panel a race or a sweep shows beside its result.

While any run of the batch is queued or running, each student picks an answer and presses
**Lock in my answer** (they may change it until the batch finishes); the panel says what they
answered and how many of the class have. When every run has ended, answers are closed and the
teacher gets **Reveal the class's answers**; once revealed, every browser watching the batch
shows the bar chart of the guesses and a sentence ("9 of 14 guessed GRU, the winner; ...").
The panel polls the store (every 2 s) until the answers are revealed, so a student's page moves
from "answer" to "closed" to "revealed" without a click.

Pages call it with one line: `race_prediction(run_ids, identity.person())` on the race page,
`sweep_prediction(base, identity.person(), every_run)` under the sweep. The voter is the person
who joined the class in this tab (rnnlab.jobs.people.Person), or None for a visitor, who may watch
but not answer.
"""
from __future__ import annotations

import streamlit as st

from rnnlab.config import RunConfig
from rnnlab.jobs import predictions
from rnnlab.jobs.people import Person
from rnnlab.jobs.predictions import Batch
from rnnlab.jobs.store import Run, Store
from rnnlab.lessons import sweep
from rnnlab.lessons.predictions import (Question, race_question, race_winners, sweep_failure,
                                        sweep_question, tally)
from rnnlab.plots.predictions import guesses_chart
from rnnlab.ui import frame, polling, presenter

POLL_SECONDS = 2.0


def _lock(batch: Batch, voter: Person | None, choice_key: str, choices, error_key: str) -> None:
    answer = st.session_state.get(choice_key)
    try:
        if answer is None:
            raise ValueError("Pick an answer first, then lock it in.")
        predictions.predict(batch, voter, answer, choices)
    except ValueError as err:
        st.session_state[error_key] = str(err)


def _reveal(batch: Batch, voter: Person | None, error_key: str) -> None:
    try:
        predictions.reveal(batch, voter)
    except ValueError as err:
        st.session_state[error_key] = str(err)


def prediction_panel(batch: Batch, question: Question, voter: Person | None,
                     outcome: tuple[str, ...], store: Store | None = None) -> bool:
    """The question before the result, the closed answers after it, the class's guesses once
    the teacher reveals them.

    Args:
        batch: the runs the question is about (rnnlab.jobs.predictions.batch_of).
        question: what is asked and its choices (rnnlab.lessons.predictions).
        voter: who is looking (None: a visitor who has not joined, who may watch only).
        outcome: the true answers once the batch has them (several in a tie), else ().
        store: the store to read the answers from: the one the panel's redraw opened.
    Returns:
        Whether the answers are still to be revealed (the panel keeps polling until they are).
    """
    key = f"predict_{batch.key.replace(' ', '_')}"
    box = st.container(border=True)
    box.markdown(f"**Predict, then reveal: {question.text}**")
    error = st.session_state.pop(f"{key}_error", None)
    if error:
        box.error(frame.plain(error))
    now = predictions.standing(batch, voter, store)  # one read for everything below
    mine, given = now.mine, len(now.answers)
    if now.revealed:
        show_revealed(now, question, outcome, key, box)
        return False
    if not now.finished:
        choices = list(question.choices)
        box.radio(question.text, choices, horizontal=True, label_visibility="collapsed",
                  index=choices.index(mine) if mine in choices else None, key=f"{key}_choice")
        box.button("Lock in my answer", key=f"{key}_lock", on_click=_lock,
                   args=(batch, voter, f"{key}_choice", choices, f"{key}_error"))
        box.markdown(f"You answered **{mine}**; {given} of the class have answered. You can "
                     f"change your answer until the {batch.kind} finishes." if mine else
                     f"Answer before the {batch.kind} finishes: {given} of the class have "
                     "answered.")
        return True
    box.markdown(f"Answers are closed: {given} of the class answered"
                 + (f"; you answered **{mine}**." if mine else "."))
    if voter is not None and voter.teacher:
        box.button("Reveal the class's answers", key=f"{key}_reveal", type="primary",
                   on_click=_reveal, args=(batch, voter, f"{key}_error"))
    else:
        box.markdown("The teacher will reveal the class's answers when everyone is ready.")
    return True


def show_revealed(now: predictions.Standing, question: Question, outcome: tuple[str, ...],
                  key: str, box) -> None:
    """The class's guesses as a chart and a sentence, and whether this voter's was right."""
    result = tally(now.answers, question, outcome)
    with box:
        presenter.chart(guesses_chart(result, question, outcome), key=f"{key}_chart")
    box.markdown(result.sentence)
    if now.mine and outcome:
        answer = " or ".join(outcome)
        box.markdown(f"You guessed **{now.mine}**: "
                     + ("right." if now.mine in outcome else f"the answer was **{answer}**."))


def race_prediction(run_ids: list[int], voter: Person | None) -> None:
    """"Which cell will win?" for the race of `run_ids` (nothing when there is no race)."""
    if not run_ids:
        return
    batch = predictions.batch_of("race", run_ids)

    def draw() -> bool:
        store = Store()  # one per redraw (polling): opening it checks its schema
        try:
            racers = polling.shared_statuses(run_ids, store)  # the race's panel reads them too
        except KeyError:  # a racer was deleted: the race page says so
            return not predictions.revealed(batch, store)
        question = race_question(r.config.layers[0].cell for r in racers)
        return prediction_panel(batch, question, voter, race_winners(racers), store)

    polling.live_panel(draw, not predictions.revealed(batch), every_seconds=POLL_SECONDS)


def sweep_prediction(base: RunConfig, voter: Person | None, every_run: list[Run]) -> None:
    """"At which length will SimpleRNN fail?" for the sweep of `base`, found among `every_run`,
    the page's read of the training runs.

    Nothing before the sweep spans two lengths: a race of the same model leaves its three runs
    at one length, the sweep's finished points to reuse, and a question about them alone would
    open already closed, with nothing asked."""
    members = sweep.sweep_runs(base, every_run)
    if len({r.config.memory.sequence_length for r in members}) < 2:
        return
    batch = predictions.batch_of("sweep", [r.id for r in members])

    def draw() -> bool:
        store = Store()  # one per redraw (polling): opening it checks its schema
        current = [r for r in sweep.sweep_runs(base, polling.shared_runs(store))
                   if r.id in batch.run_ids]
        lengths = sorted({r.config.memory.sequence_length for r in current})
        failure = sweep_failure(sweep.sweep_points(current), lengths)
        return prediction_panel(batch, sweep_question(lengths), voter,
                                (failure,) if failure else (), store)

    polling.live_panel(draw, not predictions.revealed(batch), every_seconds=POLL_SECONDS)
