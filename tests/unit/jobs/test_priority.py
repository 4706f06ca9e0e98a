"""The pages come first: a background process lowers its CPU priority, its session's too, and never
raises either back; one the lab starts does so before its first import (rnnlab.jobs.priority)."""
import os
import subprocess
import sys
from pathlib import Path

from rnnlab.jobs.priority import BACKGROUND_NICENESS, background_command

ROOT = Path(__file__).resolve().parents[3]
REPORT = """
import os
from pathlib import Path
from rnnlab.jobs.priority import give_way_to_pages
before = os.getpriority(os.PRIO_PROCESS, 0)
give_way_to_pages()
give_way_to_pages()  # twice: no lower still
group = Path("/proc/self/autogroup")  # empty for a process outside any autogroup (a CI runner's)
words = group.read_text().split() if group.exists() else []
print(before, os.getpriority(os.PRIO_PROCESS, 0), words[-1] if words else "-")
"""


def report(niceness: int) -> list[str]:
    """(niceness before, after, its session's autogroup niceness or "-") of a new process in a
    session of its own (as the supervisor and the workers are) started at `niceness`."""
    done = subprocess.run([sys.executable, "-c", REPORT], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, start_new_session=True,
                          preexec_fn=lambda: os.nice(niceness))
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_a_background_process_gives_way_once_and_its_session_with_it():
    before, after, group = report(0)
    assert (int(before), int(after)) == (0, BACKGROUND_NICENESS)
    assert group in ("-", str(BACKGROUND_NICENESS))  # "-": a system without autogroups


def test_a_process_already_lower_stays_where_it_is():
    before, after, _ = report(BACKGROUND_NICENESS + 5)
    assert int(before) == int(after) == min(19, BACKGROUND_NICENESS + 5)


def test_a_process_sharing_its_session_leaves_the_sessions_group_as_it_is():
    """A supervisor started by hand in a terminal: the terminal's group (and a server started from
    it) keeps its priority."""
    done = subprocess.run([sys.executable, "-c", REPORT], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)  # in this test's session
    assert done.returncode == 0, done.stderr
    before, after, group = done.stdout.split()
    assert int(after) == max(int(before), BACKGROUND_NICENESS)
    own = Path("/proc/self/autogroup")
    words = own.read_text().split() if own.exists() else []
    assert group == (words[-1] if words else "-")


# A module standing in for the supervisor or a worker: what its very first line sees.
FIRST_LINE = """
import os, sys
from pathlib import Path
group = Path("/proc/self/autogroup")
words = group.read_text().split() if group.exists() else []
print(__name__, os.getpriority(os.PRIO_PROCESS, 0), words[-1] if words else "-", *sys.argv[1:])
sys.exit(3)
"""


def test_a_process_started_by_the_lab_has_given_way_before_its_first_import(tmp_path):
    """background_command: the module runs as __main__ with its arguments, at the background
    priority in its own session's group from its first line, and its exit status is the command's.
    """
    (tmp_path / "stand_in.py").write_text(FIRST_LINE)
    done = subprocess.run(background_command("stand_in", "--home", "somewhere"), cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"},
                          capture_output=True, text=True, timeout=60, start_new_session=True)
    assert done.returncode == 3, done.stderr
    name, niceness, group, *arguments = done.stdout.split()
    expected = max(os.getpriority(os.PRIO_PROCESS, 0), BACKGROUND_NICENESS)  # never raised
    assert (name, int(niceness), arguments) == ("__main__", expected, ["--home", "somewhere"])
    assert group in ("-", str(BACKGROUND_NICENESS))  # "-": a system without autogroups
