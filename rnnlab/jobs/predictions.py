"""Predict, then reveal: the class's guesses about a batch of runs, kept in the run store.

Before a race or a sweep has finished, each student answers its question ("Which cell will win?",
"At which length will SimpleRNN fail?"). Committing to an answer before seeing the result is
what makes the result teach: a student who guessed LSTM and watches GRU win asks why, one who
never guessed only watches. A student may change their answer while any run of the batch is
still queued or running; once every run has ended, answers are closed. Then the teacher, and
only the teacher, reveals the class's answers, and every browser watching the batch shows them
beside the result (rnnlab.lessons.predictions tallies them, rnnlab.plots.predictions draws them).

A *batch* is named by the runs it is about: "race 3,4,5" is the race of runs 3, 4 and 5 (ids
sorted), so every browser that shows those runs asks about the same batch, and a new race is a
new question. The store keeps one answer per voter and batch (table `predictions`) and one row
per revealed batch (`prediction_reveals`); rnnlab.jobs.schema creates them.

A voter is a person who joined the class (rnnlab.jobs.people.Person): their `name` is shown to
the class, their `key` keeps one answer per person, and only the teacher may reveal. Someone who
has not joined (None) may watch but not answer.

Every call opens a fresh connection through rnnlab.jobs.store.Store.connect, like the store's
own methods: the pages' many rerunning threads never share one.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rnnlab.jobs.people import Person
from rnnlab.jobs.store import ACTIVE, Store

if TYPE_CHECKING:
    from rnnlab.jobs.database import Connection


@dataclass(frozen=True)
class Batch:
    """The runs a question is about, and its name in the store."""

    kind: str                 # "race" or "sweep": also how messages name it
    run_ids: tuple[int, ...]  # sorted

    @property
    def key(self) -> str:
        """The batch's name in the store, e.g. "race 3,4,5"."""
        return f"{self.kind} {','.join(map(str, self.run_ids))}"


def batch_of(kind: str, run_ids) -> Batch:
    """The batch of `kind` ("race", "sweep") made of `run_ids`, in any order.

    Raises:
        ValueError: no run ids (there is nothing to predict about yet).
    """
    ids = tuple(sorted({int(i) for i in run_ids}))
    if not ids:
        raise ValueError(f"This {kind} has no runs yet: start it first, then answer.")
    return Batch(kind, ids)


@dataclass(frozen=True)
class Prediction:
    """One voter's answer about one batch."""

    voter_key: str
    voter_name: str
    answer: str
    time: float


def _finished(conn: Connection, batch: Batch) -> bool:
    """Whether every run of the batch has ended (done, failed, cancelled...) or was deleted."""
    marks = ",".join("?" * len(batch.run_ids))
    active = conn.execute(f"SELECT COUNT(*) FROM runs WHERE id IN ({marks}) AND status IN (?, ?)",
                          (*batch.run_ids, *ACTIVE)).fetchone()[0]
    return active == 0  # a deleted run is not running either


def predict(batch: Batch, voter: Person | None, answer: str, choices, store: Store | None = None) -> None:
    """Keep `voter`'s answer about `batch`, replacing the one they gave before.

    Args:
        batch: the race or sweep the answer is about.
        voter: who answers; None for someone who has not joined the class.
        answer: one of `choices`.
        choices: the question's choices, as text.
    Raises:
        ValueError: the answer is not a choice, the voter has no name, or the batch has finished
            (answers are closed), in words.
    """
    if answer not in choices:
        raise ValueError(f"{answer!r} is not one of the answers: pick one of "
                         f"{', '.join(choices)}.")
    if voter is None:
        raise ValueError("Join with your name in the sidebar first, so your answer is yours.")
    with (store or Store()).connect(write=True) as conn:
        if _finished(conn, batch):
            raise ValueError(f"This {batch.kind} has finished, so answers are closed: an answer "
                             "given now would not be a prediction.")
        conn.execute("INSERT INTO predictions (batch, voter_key, voter_name, answer, time) "
                     "VALUES (?, ?, ?, ?, ?) ON CONFLICT (batch, voter_key) DO UPDATE SET "
                     "voter_name = excluded.voter_name, answer = excluded.answer, "
                     "time = excluded.time",
                     (batch.key, voter.key, voter.name, answer, time.time()))


def _answers(conn: Connection, batch: Batch) -> list[Prediction]:
    rows = conn.execute("SELECT voter_key, voter_name, answer, time FROM predictions "
                        "WHERE batch = ? ORDER BY time, voter_key", (batch.key,)).fetchall()
    return [Prediction(*row) for row in rows]


def _answer_of(conn: Connection, batch: Batch, voter: Person | None) -> str | None:
    if voter is None:
        return None
    row = conn.execute("SELECT answer FROM predictions WHERE batch = ? AND voter_key = ?",
                       (batch.key, voter.key)).fetchone()
    return row[0] if row else None


def reveal(batch: Batch, voter: Person | None, store: Store | None = None) -> None:
    """Show the class's answers about `batch` to everyone watching it (again is harmless).

    Raises:
        ValueError: `voter` is not the teacher, or the batch has not finished yet (revealing
            then would tell the others what to answer), in words.
    """
    if voter is None or not voter.teacher:
        raise ValueError("Only the teacher can reveal the class's answers.")
    with (store or Store()).connect(write=True) as conn:
        if not _finished(conn, batch):
            raise ValueError(f"The answers can be revealed once the {batch.kind} has finished: "
                             "before that, they would tell the others what to answer.")
        conn.execute("INSERT INTO prediction_reveals (batch, revealed, revealed_by) "
                     "VALUES (?, ?, ?) ON CONFLICT (batch) DO NOTHING",
                     (batch.key, time.time(), voter.name))


def _revealed(conn: Connection, batch: Batch) -> bool:
    return conn.execute("SELECT 1 FROM prediction_reveals WHERE batch = ?",
                        (batch.key,)).fetchone() is not None


def revealed(batch: Batch, store: Store | None = None) -> bool:
    """Whether the teacher has revealed the class's answers about `batch`."""
    with (store or Store()).connect() as conn:
        return _revealed(conn, batch)


@dataclass(frozen=True)
class Standing:
    """Where a batch's question stands for one voter, read at one moment."""

    mine: str | None           # the voter's answer; None before they answer (or join)
    answers: list[Prediction]  # every answer of the class, oldest first
    finished: bool             # every run has ended or was deleted: answers are closed
    revealed: bool             # the teacher has shown the class's answers


def standing(batch: Batch, voter: Person | None, store: Store | None = None) -> Standing:
    """`voter`'s answer, the class's, and whether answers are closed and revealed, in one
    connection: what the predict-then-reveal panel shows, asked by every tab watching the
    batch every two seconds (rnnlab.ui.predictions)."""
    with (store or Store()).connect() as conn:
        return Standing(_answer_of(conn, batch, voter), _answers(conn, batch),
                        _finished(conn, batch), _revealed(conn, batch))
