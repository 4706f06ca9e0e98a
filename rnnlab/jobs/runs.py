"""What the pages call to train in the background: submit, watch, cancel, list, open the files.

Everything here reads or writes the run store and starts a supervisor when work is queued; nothing
imports TensorFlow or Streamlit, so it is safe in the web process and easy to test.

Classroom policy lives here too:
- every run has an owner (a display name the page keeps in the URL, so a reload keeps it),
  cleaned and counted by rnnlab.jobs.owners: "Bob", "BOB" and "bob" are one owner;
- an owner may have at most `owner_limit()` runs queued or running (RNNLAB_OWNER_LIMIT, default 3),
  so one eager student cannot fill the queue for everyone, and one request queues at most
  owners.MAX_BATCH runs;
- a run whose config and seed equal a finished one is offered for reuse instead of retrained, and
  one equal to a run queued or running is that run: three clicks on Train queue one run.

A hyperparameter search (rnnlab.config.search) is one job in the same queue, with its trials in the
store; `runs()` lists training runs only, so the pages that expect a trained model never meet a
search, and `searches()` / `trials()` serve the Tune page.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rnnlab.config import RunConfig
from rnnlab.config.search import SearchConfig
from rnnlab.jobs import artifacts as run_files
from rnnlab.jobs.artifacts import GradientRecords
from rnnlab.jobs.store import ACTIVE, SEARCH, TRAIN, MetricRow, Run, Store, Trial
from rnnlab.jobs.supervisor import ensure_supervisor


def owner_limit() -> int:
    return int(os.environ.get("RNNLAB_OWNER_LIMIT", "3"))


@dataclass(frozen=True)
class Submission:
    run_id: int
    reused: bool          # True: an identical finished run was found and nothing was queued
    joined: bool = False  # True: an identical run was already queued or running; nothing new


def submit(config: RunConfig, owner: str, reuse: bool = True, store: Store | None = None) -> Submission:
    """Queue `config` for `owner`, or hand back an identical run: one queued or running (always:
    a second copy would train the same thing twice) or, when `reuse` is on, one that finished.

    Raises:
        rnnlab.jobs.store.LimitError: the owner already has owner_limit() runs queued or running.
    """
    store = store or Store()
    if reuse:
        finished = store.find_finished(config)
        if finished is not None:
            return Submission(finished, reused=True)
    [(run_id, queued)] = store.submit_or_join([config], owner, owner_limit=owner_limit())
    if queued:
        ensure_supervisor(store)
    return Submission(run_id, reused=False, joined=not queued)


def submit_batch(configs: list[RunConfig], owner: str, store: Store | None = None) -> list[Submission]:
    """Queue several runs as one experiment (the race, a sweep); finished twins are reused and
    twins already queued or running are joined, not queued again.

    Raises:
        rnnlab.jobs.store.LimitError: the owner has other runs queued or running and the batch does
            not fit beside them (see Store.submit_many).
    """
    store = store or Store()
    finished = [store.find_finished(config) for config in configs]
    new_ids = iter(store.submit_or_join([c for c, f in zip(configs, finished) if f is None], owner,
                                        owner_limit=owner_limit()))
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


def curves(run_id: int, since: int = 0, store: Store | None = None) -> list[MetricRow]:
    """Metric rows newer than `since` (the last row id the caller already has)."""
    return (store or Store()).metrics_since(run_id, since)


def cancel(run_id: int, store: Store | None = None) -> str:
    """Ask a run to stop; returns its status right after asking ("cancelled" if it was queued)."""
    return (store or Store()).request_cancel(run_id)


def runs(owner: str | None = None, status: str | tuple | None = None,
         store: Store | None = None) -> list[Run]:
    """Training runs (no searches), newest first, optionally one owner's or some statuses only."""
    return (store or Store()).list(owner=owner, status=status, kind=TRAIN)


def submit_search(search: SearchConfig, owner: str, store: Store | None = None) -> int:
    """Queue a hyperparameter search for `owner`; returns its run id (searches are never reused:
    watching a search is the lesson).

    Raises:
        rnnlab.jobs.store.LimitError: the owner already has owner_limit() runs queued or running.
    """
    store = store or Store()
    run_id = store.submit_search(search, owner, owner_limit=owner_limit())
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


def delete(run_id: int, store: Store | None = None) -> None:
    """Remove a finished run with its curves and files.

    Raises:
        ValueError: the run is still queued or running (cancel it first).
    """
    (store or Store()).delete(run_id)
