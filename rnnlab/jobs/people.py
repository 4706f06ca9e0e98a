"""People: who is who in the class, and who may manage which run.

A person joins the class with a name. The store keeps one row per person (`people`), and the
name's owner key (rnnlab.jobs.owners.owner_key: case-folded, look-alike letters folded) is
unique among them: while Ada is in the class, nobody else can join as "Ada", "ADA" or "Аda" with
a Cyrillic А. So nobody becomes someone else by typing their name. The person gets a signed token
(rnnlab.jobs.tokens) that names them; their browser keeps it, and on a reload the server checks
the signature and that the person is still in the class before it believes it.

    join(name)      a new person, or a refusal in words when the name is taken
    token(person)   what the browser keeps; restore(token) reads it back, or refuses in words
    leave(person)   the name is free again (as it is once the token expires, after a school day)

A name belongs to one person at a time, and a run belongs to the name it was submitted under.
So:

    may_manage(person, run)   the teacher: every run; a student: the runs under their own name;
                              nobody who has not joined: none

The teacher is a person whose token says so. It says so only after they typed the secret the
server's operator set (RNNLAB_TEACHER_SECRET, or `teacher_secret` in .streamlit/secrets.toml,
which rnnlab.ui.identity reads) into `promote`; with no secret configured there is no teacher.

OPERATOR stands for whoever runs Python on the server itself (the command line, benchmarks,
tests): they own the store's files anyway, so the library lets them manage every run.
"""
from __future__ import annotations

import dataclasses
import hmac
import os
import time
from dataclasses import dataclass

from rnnlab.jobs import limits, owners, tokens
from rnnlab.jobs.store import Run, Store
from rnnlab.jobs.tokens import TokenError


@dataclass(frozen=True)
class Person:
    """Someone who joined the class (or OPERATOR)."""

    id: int          # their row in the store's `people` table; signed into their token
    name: str        # their display name, as runs are labelled (rnnlab.jobs.owners.display_name)
    teacher: bool = False  # True once they proved they know the teacher's secret

    @property
    def key(self) -> str:
        """The owner key their runs are stored and counted by (rnnlab.jobs.owners.owner_key)."""
        return owners.owner_key(self.name)


OPERATOR = Person(id=0, name="the operator", teacher=True)


def join(name: str, store: Store, now: float | None = None) -> Person:
    """Add a person to the class under `name`, if nobody in the class goes by it.

    Args:
        name: what they typed; cleaned by rnnlab.jobs.owners.display_name.
        store: the run store that keeps the class.
        now: the time of joining (time.time() when None; tests pass their own).
    Returns:
        The new person (never a teacher: see promote).
    Raises:
        ValueError: no name was typed, or someone whose token has not expired already goes by
            the same owner key ("Someone in this class already goes by Ada: add an initial.").
    """
    display = owners.display_name(name)
    if display == owners.ANONYMOUS:
        raise ValueError('Type your name to join (any name but "anonymous").')
    now = time.time() if now is None else now
    with store.connect(write=True) as conn:
        conn.execute("DELETE FROM people WHERE expires <= ?", (now,))  # their tokens are void
        try:
            person_id = conn.execute(
                "INSERT INTO people (name, key, joined, expires) VALUES (?, ?, ?, ?) RETURNING id",
                (display, owners.owner_key(display), now, now + tokens.TOKEN_SECONDS),
            ).fetchone()[0]
        except store.database.integrity_error:
            raise ValueError(f"Someone in this class already goes by {display}: add an initial "
                             f"(e.g. {display} B.) or another name.") from None
    return Person(int(person_id), display)


def token(person: Person, store: Store) -> str:
    """The signed token that names `person`, valid until their name is released.

    Raises:
        TokenError: the person is no longer in the class (they left, or the class was cleared).
    """
    with store.connect() as conn:
        row = conn.execute("SELECT expires FROM people WHERE id = ?", (person.id,)).fetchone()
    if row is None:
        raise TokenError(_GONE)
    claims = {"id": person.id, "name": person.name, "teacher": person.teacher}
    return tokens.sign(claims, tokens.server_secret(store.home), lifetime=row["expires"] - time.time())


_GONE = ("Your name is no longer in this class (you left, it expired after a school day, or the "
         "teacher cleared the class). Join again.")


def restore(token_text: str, store: Store, now: float | None = None) -> Person:
    """The person a token names, after checking its signature and that they are in the class.

    Raises:
        TokenError: in words: the token is damaged, changed, signed by another server or expired,
            or the person it names has left the class.
    """
    claims = tokens.verify(token_text, tokens.server_secret(store.home), now)
    try:
        person = Person(int(claims["id"]), str(claims["name"]), claims.get("teacher") is True)
    except (KeyError, TypeError, ValueError):
        raise TokenError("The saved sign-in is damaged.") from None
    with store.connect() as conn:
        row = conn.execute("SELECT key FROM people WHERE id = ? AND expires > ?",
                           (person.id, time.time() if now is None else now)).fetchone()
    if row is None or row["key"] != person.key:
        raise TokenError(_GONE)
    return person


def leave(person: Person, store: Store) -> None:
    """Take `person` out of the class: their token stops working and their name is free again.

    Their runs stay, under their name: whoever joins under it next may manage them.
    """
    with store.connect(write=True) as conn:
        conn.execute("DELETE FROM people WHERE id = ?", (person.id,))


def release_everyone(store: Store, but: Person | None = None) -> int:
    """Take everyone out of the class except `but` (the teacher clearing it); returns how many."""
    with store.connect(write=True) as conn:
        return conn.execute("DELETE FROM people WHERE id != ?",
                            (but.id if but else -1,)).rowcount


def configured_teacher_secret() -> str | None:
    """The teacher's secret from the environment (RNNLAB_TEACHER_SECRET), if the operator set it.

    rnnlab.ui.identity also looks in .streamlit/secrets.toml, which only Streamlit reads.
    """
    return os.environ.get("RNNLAB_TEACHER_SECRET") or None


def promote(person: Person, typed: str, configured: str | None, store: Store,
            now: float | None = None) -> Person:
    """`person` as the teacher, if `typed` is the secret the operator configured.

    Wrong guesses are counted in the store, and after rnnlab.jobs.limits.SECRET_GUESSES of them
    in ten minutes nobody may try again for a while (limits.check_secret_guesses).

    Raises:
        ValueError: no secret is configured on this server, or `typed` is not it.
        rnnlab.jobs.limits.LimitError: too many wrong guesses lately, with when to try again.
    """
    if not configured:
        raise ValueError("This server has no teacher's secret, so nobody is the teacher. The "
                         "operator sets RNNLAB_TEACHER_SECRET, or teacher_secret in "
                         ".streamlit/secrets.toml, and restarts the server.")
    now = time.time() if now is None else now
    with store.connect(write=True) as conn:
        limits.check_secret_guesses(conn, now)
        if not hmac.compare_digest(typed.encode("utf-8"), configured.encode("utf-8")):
            limits.record_wrong_secret(conn, now)
            wrong = True
        else:
            wrong = False
    if wrong:  # raised after the write transaction commits, so the guess is counted
        raise ValueError("That is not the teacher's secret.")
    return dataclasses.replace(person, teacher=True)


def owns(person: Person | None, run: Run) -> bool:
    """Whether `run` was submitted under `person`'s name (the Runs page's "only my runs")."""
    return person is not None and person.key == owners.owner_key(run.owner)


def may_manage(person: Person | None, run: Run) -> bool:
    """Whether `person` may cancel or delete `run`: the teacher always, a student their own runs."""
    return person is not None and (person.teacher or owns(person, run))
