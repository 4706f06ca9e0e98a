"""What the pages call to train in the background: submit, watch, cancel, list, open the files.

Everything here reads or writes the run store and starts a supervisor when work is queued; nothing
imports TensorFlow or Streamlit, so it is safe in the web process and easy to test.

Classroom policy lives here too:
- every run has an owner, the name of the person who joined the class (rnnlab.jobs.people),
  cleaned and counted by rnnlab.jobs.owners: "Bob", "BOB" and "bob" are one owner; nobody who
  has not joined may queue anything;
- an owner may have at most `owner_limit()` runs queued or running (the teacher's setting, else
  RNNLAB_OWNER_LIMIT, default 3), may ask at most RNNLAB_SUBMIT_RATE times a minute
  (rnnlab.jobs.limits), and one request queues at most owners.MAX_BATCH runs;
- only a run's owner or the teacher may cancel or delete it (`cancel`, `delete` take `by`, the
  person asking, and refuse anyone else in words), and only the teacher may set the limit or
  clear the class's runs (`set_owner_limit`, `clear_class`);
- a run whose config and seed equal a finished one is offered for reuse instead of retrained, and
  one equal to a run queued or running is that run: three clicks on Train queue one run.

A hyperparameter search (rnnlab.config.search) is one job in the same queue, with its trials in the
store; `runs()` lists training runs only, so the pages that expect a trained model never meet a
search, and `searches()` / `trials()` serve the Tune page.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rnnlab.config import RunConfig
from rnnlab.config.search import SearchConfig
from rnnlab.jobs import artifacts as run_files
from rnnlab.jobs import limits, owners, people
from rnnlab.jobs.artifacts import GradientRecords
from rnnlab.jobs.people import Person
from rnnlab.jobs.store import ACTIVE, SEARCH, TRAIN, MetricRow, Run, Store, Trial
from rnnlab.jobs.supervisor import ensure_supervisor

JOIN_FIRST = "Join with your name in the sidebar first."


def owner_limit(store: Store | None = None) -> int:
    """The most runs one person may have queued or running: the teacher's setting in the store,
    else RNNLAB_OWNER_LIMIT, else 3."""
    with (store or Store()).connect() as conn:
        stored = limits.stored_owner_limit(conn)
    return stored if stored is not None else limits.default_owner_limit()


def set_owner_limit(limit: int, by: Person | None, store: Store | None = None) -> None:
    """Set the per-student limit for the whole class (it overrides RNNLAB_OWNER_LIMIT).

    Raises:
        ValueError: `by` is not the teacher, or `limit` is not a whole number from 1 to
            limits.MAX_OWNER_LIMIT.
    """
    if by is None or not by.teacher:
        raise ValueError("Only the teacher can set how many runs each student may have.")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= limits.MAX_OWNER_LIMIT:
        raise ValueError(f"The per-student limit must be a whole number from 1 to "
                         f"{limits.MAX_OWNER_LIMIT}, not {limit!r}.")
    with (store or Store()).connect(write=True) as conn:
        limits.store_owner_limit(conn, limit)


def _named(owner: str) -> str:
    """The owner's display name, refusing nobody: only people who joined may queue runs."""
    if owners.display_name(owner) == owners.ANONYMOUS:
        raise ValueError(JOIN_FIRST)
    return owner


@dataclass(frozen=True)
class Submission:
    run_id: int
    reused: bool          # True: an identical finished run was found and nothing was queued
    joined: bool = False  # True: an identical run was already queued or running; nothing new


def submit(config: RunConfig, owner: str, reuse: bool = True, store: Store | None = None) -> Submission:
    """Queue `config` for `owner`, or hand back an identical run: one queued or running (always:
    a second copy would train the same thing twice) or, when `reuse` is on, one that finished.

    Raises:
        ValueError: `owner` is empty or "anonymous" (JOIN_FIRST).
        rnnlab.jobs.limits.LimitError: the owner already has owner_limit() runs queued or
            running, or is over the rate limit.
    """
    store = store or Store()
    _named(owner)
    if reuse:
        finished = store.find_finished(config)
        if finished is not None:
            return Submission(finished, reused=True)
    [(run_id, queued)] = store.submit_or_join([config], owner, owner_limit=owner_limit(store),
                                              rate_limit=limits.submission_rate())
    if queued:
        ensure_supervisor(store)
    return Submission(run_id, reused=False, joined=not queued)


def submit_batch(configs: list[RunConfig], owner: str, store: Store | None = None) -> list[Submission]:
    """Queue several runs as one experiment (the race, a sweep); finished twins are reused and
    twins already queued or running are joined, not queued again.

    Raises:
        ValueError: `owner` is empty or "anonymous" (JOIN_FIRST).
        rnnlab.jobs.limits.LimitError: the owner has other runs queued or running and the batch
            does not fit beside them (see Store.submit_many), or is over the rate limit.
    """
    store = store or Store()
    _named(owner)
    finished = [store.find_finished(config) for config in configs]
    new_ids = iter(store.submit_or_join([c for c, f in zip(configs, finished) if f is None], owner,
                                        owner_limit=owner_limit(store),
                                        rate_limit=limits.submission_rate()))
    submissions = []
    for done in finished:
        if done is not None:
            submissions.append(Submission(done, reused=True))
        else:
            run_id, queued = next(new_ids)
            submissions.append(Submission(run_id, reused=False, joined=not queued))
    if any(not (s.reused or s.joined) for s in submissions):
        ensure_supervisor(store)
    return submissions


def active_twin(config: RunConfig, store: Store | None = None) -> Run | None:
    """The run with exactly this config and seed that is queued or running, if any: submitting
    `config` now would join it (submit), so the Train button waits for it."""
    fingerprint = config.fingerprint()
    twins = [run for run in runs(status=ACTIVE, store=store) if run.config_hash == fingerprint]
    return twins[-1] if twins else None  # the oldest: the one a submission joins


def status(run_id: int, store: Store | None = None) -> Run:
    """The run as the store has it now (status, queue position, error, result)."""
    return (store or Store()).get(run_id)


def statuses(run_ids: list[int], store: Store | None = None) -> list[Run]:
    """Several runs as the store has them now, in the order of `run_ids`, read in one query (a
    race's racers, on every redraw of every tab watching it).

    Raises:
        KeyError: one of them is not in the store (deleted, or a link naming a run never made).
    """
    found = {run.id: run for run in (store or Store()).list(ids=list(run_ids))}
    missing = [run_id for run_id in run_ids if run_id not in found]
    if missing:
        raise KeyError(f"There is no run {missing[0]}.")
    return [found[run_id] for run_id in run_ids]


def curves(run_id: int, since: int = 0, store: Store | None = None) -> list[MetricRow]:
    """Metric rows newer than `since` (the last row id the caller already has)."""
    return (store or Store()).metrics_since(run_id, since)


def _check_may_manage(run_id: int, by: Person | None, store: Store, verb: str) -> Run:
    """The run, if `by` may `verb` it (rnnlab.jobs.people.may_manage).

    Raises:
        KeyError: there is no such run.
        ValueError: in words, whose run it is and who may `verb` it.
    """
    run = store.get(run_id)
    if by is None:
        raise ValueError(f"{JOIN_FIRST} Only a run's owner or the teacher can {verb} it.")
    if not people.may_manage(by, run):
        raise ValueError(f"Run #{run_id} is {run.owner}'s: only its owner or the teacher can "
                         f"{verb} it.")
    return run


def cancel(run_id: int, store: Store | None = None, *, by: Person | None) -> str:
    """Ask a run to stop, as `by`; returns its status right after asking ("cancelled" if it was
    queued). Who asked is kept with the run (Run.cancelled_by).

    Args:
        by: the person asking (None: someone who has not joined); people.OPERATOR for the
            server's own tools.
    Raises:
        KeyError: there is no such run.
        ValueError: `by` is neither the run's owner nor the teacher (the message says whose it is).
    """
    store = store or Store()
    _check_may_manage(run_id, by, store, "cancel")
    return store.request_cancel(run_id, by=by.name)


def runs(owner: str | None = None, status: str | tuple | None = None,
         store: Store | None = None) -> list[Run]:
    """Training runs (no searches), newest first, optionally one owner's or some statuses only."""
    return (store or Store()).list(owner=owner, status=status, kind=TRAIN)


def all_jobs(store: Store | None = None) -> list[Run]:
    """Every run of every kind, training runs and searches, newest first: the whole queue, and
    the finished runs that tell how long the queued ones will take (rnnlab.lessons.queue_wait)."""
    return (store or Store()).list()


def submit_search(search: SearchConfig, owner: str, store: Store | None = None) -> int:
    """Queue a hyperparameter search for `owner`; returns its run id (searches are never reused:
    watching a search is the lesson).

    Raises:
        ValueError: `owner` is empty or "anonymous" (JOIN_FIRST).
        rnnlab.jobs.limits.LimitError: the owner already has owner_limit() runs queued or
            running, or is over the rate limit.
    """
    store = store or Store()
    run_id = store.submit_search(search, _named(owner), owner_limit=owner_limit(store),
                                 rate_limit=limits.submission_rate())
    ensure_supervisor(store)
    return run_id


def searches(store: Store | None = None) -> list[Run]:
    """Every hyperparameter search, newest first."""
    return (store or Store()).list(kind=SEARCH)


def trials(run_id: int, since: int = 0, store: Store | None = None) -> list[Trial]:
    """A search's trials numbered above `since`, first trial first."""
    return (store or Store()).trials(run_id, since)


def artifacts(run_id: int, store: Store | None = None) -> dict[str, Path]:
    """The run's files that exist so far, by name (rnnlab.jobs.artifacts.TRAINING_FILES)."""
    return run_files.existing((store or Store()).run_dir(run_id))


def done_with(file: str, store: Store | None = None) -> list[Run]:
    """The finished training runs whose folder holds `file` (e.g. artifacts.WEIGHTS), newest
    first: every folder looked at through one Store, which checks the database as it opens."""
    store = store or Store()
    return [run for run in runs(status="done", store=store)
            if file in run_files.existing(store.run_dir(run.id))]


def gradient_records(run_id: int, store: Store | None = None, *,
                     still_writing: bool = False) -> GradientRecords | None:
    """The run's gradient records so far, or None if it has none yet.

    Args:
        still_writing: the run is queued or running (Run.active): a file that cannot be read
            yet is being rewritten, not damaged.
    Raises:
        rnnlab.jobs.artifacts.DamagedArtifact: the records of a run that has ended are damaged.
    """
    return run_files.read_gradients((store or Store()).run_dir(run_id), still_writing)


def preparing(run_id: int, store: Store | None = None) -> tuple[float, str] | None:
    """(fraction, words) of the first preparation of a running run's data, while it lasts, e.g.
    (0.4, "Tokenizing the IMDB reviews (first time only): 20,000 reviews done"); else None."""
    return run_files.read_preparing((store or Store()).run_dir(run_id))


def samples(run_id: int, store: Store | None = None, *,
            still_writing: bool = False) -> list[run_files.Sample]:
    """What a language model run wrote after each epoch so far, oldest first (none for other
    runs).

    Args:
        still_writing: the run is queued or running (Run.active): a file that cannot be read yet
            is being rewritten, not damaged.
    Raises:
        rnnlab.jobs.artifacts.DamagedArtifact: the samples of a run that has ended are damaged.
    """
    return run_files.read_samples((store or Store()).run_dir(run_id), still_writing)


def delete(run_id: int, store: Store | None = None, *, by: Person | None) -> None:
    """Remove a finished run with its curves and files, as `by`.

    Raises:
        KeyError: there is no such run.
        ValueError: `by` is neither the run's owner nor the teacher, or the run is still queued
            or running (cancel it first).
    """
    store = store or Store()
    _check_may_manage(run_id, by, store, "delete")
    store.delete(run_id)


@dataclass(frozen=True)
class Cleared:
    """What clear_class did."""

    deleted: int      # runs (and searches) removed with their files
    stopping: int     # runs that were running: asked to stop, removed by the next clear
    people: int       # people taken out of the class (they join again to train)


def clear_class(by: Person | None, store: Store | None = None) -> Cleared:
    """The end of a lesson: cancel every run still queued or running, delete every run that has
    ended with its files, and take everyone but `by` out of the class.

    A running run stops within seconds of being asked, not at once: it is left to stop and a
    second clear removes it.

    Raises:
        ValueError: `by` is not the teacher.
    """
    if by is None or not by.teacher:
        raise ValueError("Only the teacher can clear the class's runs.")
    store = store or Store()
    for run in store.list(status=ACTIVE):
        store.request_cancel(run.id, by=by.name)
    deleted = 0
    for run in store.list():
        if not run.active:
            store.delete(run.id)
            deleted += 1
    return Cleared(deleted, len(store.list(status=ACTIVE)), people.release_everyone(store, but=by))
