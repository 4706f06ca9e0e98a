"""The classroom's limits: how many runs one person may have waiting, and how often they may ask.

Thirty students share one server's trainers. Two limits keep one eager student from taking it
over, both counted in the store by owner key (rnnlab.jobs.owners.owner_key), so "Bob" and "BOB"
are one person, and both checked inside the transaction that queues the runs, so two clicks at
the same moment cannot both slip under a limit:

    the per-student limit   at most N runs queued or running per person. N is the teacher's
                            setting in the store (`settings` table, set on the Runs page), else
                            RNNLAB_OWNER_LIMIT, else 3. One request (a race, a sweep) may go past
                            it when the person has nothing else waiting: one click, one experiment.
    the rate limit          at most R requests per person in any RATE_WINDOW (60) seconds, where
                            a request is one click that queues something (a run, a race, a
                            search). R is RNNLAB_SUBMIT_RATE, else 10. It stops a loop of submit
                            and cancel that the per-student limit alone would allow.

A third limit guards the teacher's secret: at most SECRET_GUESSES wrong guesses in the whole
class in any SECRET_WINDOW (10 minutes), counted in the store (`wrong_secrets`). It is one count
for everyone because a student can join under as many names as they like; a class that locks
itself out waits ten minutes, and a teacher who has unlocked stays the teacher meanwhile (their
token says so). At 20 guesses per 10 minutes, a secret of three ordinary words stays out of
reach for years.

Each refusal is a LimitError that says, in words, what the limit is and what to do: wait for a
run to finish, cancel one, or try again in so many seconds.

The functions here take an open connection (rnnlab.jobs.store.Store.connect) so that the store
can run them inside its own transaction.
"""
from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rnnlab.jobs.database import Connection

RATE_WINDOW = 60.0  # seconds: the rate limit counts one owner's requests in the last minute
SECRET_GUESSES, SECRET_WINDOW = 20, 600.0  # wrong teacher's secrets allowed per 10 minutes
OWNER_LIMIT_SETTING = "owner_limit"
# The largest per-student limit the teacher may set: a class of 30 with this many each is
# already far more than two cores can train in a lesson.
MAX_OWNER_LIMIT = 50


class LimitError(ValueError):
    """A person has as many runs queued or running as the classroom allows, or has asked as
    often in the last minute as the rate limit allows."""


def default_owner_limit() -> int:
    """The per-student limit when the teacher has set none: RNNLAB_OWNER_LIMIT, else 3."""
    return int(os.environ.get("RNNLAB_OWNER_LIMIT", "3"))


def submission_rate() -> int:
    """Requests one person may make per RATE_WINDOW seconds: RNNLAB_SUBMIT_RATE, else 10."""
    return int(os.environ.get("RNNLAB_SUBMIT_RATE", "10"))


def stored_owner_limit(conn: Connection) -> int | None:
    """The teacher's per-student limit, if they set one."""
    row = conn.execute("SELECT value FROM settings WHERE name = ?",
                       (OWNER_LIMIT_SETTING,)).fetchone()
    return int(json.loads(row[0])) if row else None


def store_owner_limit(conn: Connection, limit: int) -> None:
    """Keep the teacher's per-student limit in the store (checked by the caller)."""
    conn.execute("INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) "
                 "DO UPDATE SET value = excluded.value", (OWNER_LIMIT_SETTING, json.dumps(limit)))


def check_owner_limit(owner: str, active: int, adding: int, owner_limit: int) -> None:
    """Refuse `adding` more runs for an owner who has `active` queued or running.

    Raises:
        LimitError: the owner has some runs waiting and the new ones would go past the limit.
    """
    if not active or active + adding <= owner_limit:
        return
    runs = f"{active} run{'s' * (active != 1)}"
    raise LimitError(
        f"{owner} already has {runs} queued or running, the most one person may have at once "
        f"({owner_limit}). Wait for one to finish or cancel one." if adding == 1 else
        f"{owner} already has {runs} queued or running; {adding} more would be over the most "
        f"one person may have at once ({owner_limit}). Wait for them to finish or cancel them.")


def check_rate(conn: Connection, owner: str, key: str, rate_limit: int,
               now: float) -> None:
    """Refuse a request from `key` when it has made `rate_limit` in the last RATE_WINDOW seconds.

    Raises:
        LimitError: saying in how many seconds the oldest of those requests leaves the window.
    """
    times = [row[0] for row in conn.execute(
        "SELECT time FROM submissions WHERE owner_key = ? AND time > ? ORDER BY time",
        (key, now - RATE_WINDOW))]
    if len(times) < rate_limit:
        return
    wait = max(1, int(times[len(times) - rate_limit] + RATE_WINDOW - now + 0.999))
    raise LimitError(f"{owner} has asked for {len(times)} runs or searches in the last minute, "
                     f"the most one person may ({rate_limit} a minute). Try again in {wait} "
                     f"second{'s' * (wait != 1)}.")


def record_request(conn: Connection, key: str, now: float) -> None:
    """Count one request of `key` towards the rate limit (older rows are dropped as they age)."""
    conn.execute("DELETE FROM submissions WHERE time <= ?", (now - RATE_WINDOW,))
    conn.execute("INSERT INTO submissions (owner_key, time) VALUES (?, ?)", (key, now))


def check_secret_guesses(conn: Connection, now: float) -> None:
    """Refuse another try at the teacher's secret when the class has made SECRET_GUESSES wrong
    ones in the last SECRET_WINDOW seconds.

    Raises:
        LimitError: saying in how many minutes to try again.
    """
    times = [row[0] for row in conn.execute(
        "SELECT time FROM wrong_secrets WHERE time > ? ORDER BY time", (now - SECRET_WINDOW,))]
    if len(times) < SECRET_GUESSES:
        return
    wait = max(1, int((times[len(times) - SECRET_GUESSES] + SECRET_WINDOW - now) / 60 + 0.999))
    raise LimitError(f"The teacher's secret was typed wrong {len(times)} times in the last "
                     f"{int(SECRET_WINDOW // 60)} minutes, so nobody may try again for "
                     f"{wait} minute{'s' * (wait != 1)}.")


def record_wrong_secret(conn: Connection, now: float) -> None:
    """Count one wrong guess at the teacher's secret (older rows are dropped as they age)."""
    conn.execute("DELETE FROM wrong_secrets WHERE time <= ?", (now - SECRET_WINDOW,))
    conn.execute("INSERT INTO wrong_secrets (time) VALUES (?)", (now,))
