"""The class's folder as every machine must see it: a marker file that says whose folder it is.

Runs trained on a Ray cluster write their files (weights, history, gradient records, samples,
keras-tuner's trials) into `<RNNLAB_HOME>/runs/<id>/`, and the web server reads them from there,
so RNNLAB_HOME has to be one shared folder (an NFS or SMB share) mounted at the same path on every
machine. A machine that mounted nothing there, or another class's folder, would train happily and
leave its files where nobody looks. To catch that before training, the supervisor writes the
store's random id (rnnlab.jobs.store.Store.store_id) into `<home>/store-id`, and a worker started
through Ray compares it with the id the supervisor handed it (RNNLAB_STORE_ID) before it touches
anything; a mismatch is one sentence that names the machine and what to mount.
"""
from __future__ import annotations

import os
from pathlib import Path

MARKER = "store-id"


def write_marker(home: Path, store_id: str) -> None:
    """Write `store_id` into `<home>/store-id` (replaced atomically: a reader never sees half).

    Args:
        home: the class's folder (RNNLAB_HOME).
        store_id: the store's id.
    """
    temporary = Path(home) / f".{MARKER}.{os.getpid()}"
    temporary.write_text(store_id + "\n")
    os.replace(temporary, Path(home) / MARKER)


def marker_problem(home: Path, expected: str, machine: str) -> str | None:
    """What is wrong with `home` on this machine, in words; None if it is the class's folder.

    Args:
        home: the folder this worker was told is RNNLAB_HOME.
        expected: the store id the supervisor wrote into the class's folder.
        machine: this machine's host name, for the message.
    Returns:
        None when `<home>/store-id` holds `expected`, else a sentence for the teacher.
    """
    marker = Path(home) / MARKER
    try:
        found = marker.read_text().strip()
    except OSError:
        found = None
    if found == expected:
        return None
    what = "has no store-id file" if found is None else "belongs to another class (its store-id differs)"
    return (f"The machine {machine} does not see the class's folder: {home} there {what}. "
            f"Mount the shared folder that holds the class's runs at {home} on {machine}, "
            "at the same path as on the web server, and submit the run again.")
