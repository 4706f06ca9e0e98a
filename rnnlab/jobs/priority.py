"""The pages come first: the lab's background processes give way to its web server for the CPU.

On a classroom machine the web server, the supervisor and the workers share a few cores. A page
that answers late is noticed by thirty people at once; a run that trains a few percent slower while
pages are drawn is not. So the supervisor and its workers (the standby included, which imports
TensorFlow in the very seconds the server draws its first page: bench/ui.py's cold start) run at
a lower CPU priority than the server: niceness BACKGROUND_NICENESS. On an otherwise idle machine a
lower priority costs nothing; it only decides who waits when both want a core.

Linux groups a session's processes for the scheduler ("autogroup", on by default): niceness then
orders processes only within their own session, and the supervisor and each worker start a
session of their own. So the session's group is given the same niceness too, through
/proc/self/autogroup, where the kernel offers it, but only by a process that leads its session: a
supervisor started by hand in a terminal leaves the terminal's group (and a server started from
it) as they are. Raising a niceness needs no privilege; nothing here ever lowers one (which would).

A process gives way from its first instruction when it is started with `background_command`: this
module runs first (`python -m rnnlab.jobs.priority MODULE ARG...`), gives way, then runs MODULE
as `__main__`. A process that gave way only in its own main, after its imports, spent those imports
in a new session's group at niceness 0, as heavy a claim on the CPU as the web server's: the
supervisor's and the standby's first tenth of a second each, in the very seconds a fresh server
draws its first page (bench/ui.py's cold start with the standby, 16 alternating starts each:
2.25 s against 2.06 s, measured while the first page also loaded no NumPy, as it does again now:
rnnlab.ui.numpy_after_home).
"""
from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

# Of 19. At 10 the server gets about nine tenths of a core both want. Measured with bench/ui.py on
# two cores: at 19 the standby, starved while the class opens its pages, was ready so late that the
# first run of a fresh server showed its first point 0.5 s later (4.0 s against 3.5 s), and the
# first page came no sooner.
BACKGROUND_NICENESS = 10
AUTOGROUP = Path("/proc/self/autogroup")


def give_way_to_pages() -> None:
    """Run this process (and the processes it starts) at BACKGROUND_NICENESS, if not already lower.

    Quietly does nothing where the system has no niceness (Windows) or refuses it.
    """
    try:
        if os.getpriority(os.PRIO_PROCESS, 0) < BACKGROUND_NICENESS:
            os.setpriority(os.PRIO_PROCESS, 0, BACKGROUND_NICENESS)
    except (AttributeError, OSError):
        return
    if os.getsid(0) != os.getpid():  # the group is a terminal's or a parent's, not ours alone
        return
    try:
        AUTOGROUP.write_text(f"{BACKGROUND_NICENESS}\n")
    except OSError:  # no autogroup here (another system, or scheduling without it)
        pass


def background_command(module: str, *args: str) -> list[str]:
    """The command line of `python -m <module> <args>`, given way to the pages from its start."""
    return [sys.executable, "-m", "rnnlab.jobs.priority", module, *args]


if __name__ == "__main__":  # python -m rnnlab.jobs.priority MODULE [ARG ...]
    give_way_to_pages()
    sys.argv = sys.argv[1:]  # run_module puts MODULE's own path in place of its name
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
