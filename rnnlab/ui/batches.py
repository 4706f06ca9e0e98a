"""Starting a batch of runs in class (the race, the sweep): which setup, how long, and stopping it.

A class waits for a race together, so three questions come before and during it: which setup
(a preset sized for a lesson, or the model from the Build page), how long it will take (an
estimate from measured seconds per epoch, rnnlab.lessons.estimate) and how to stop it all at once
(one Cancel for every run of the batch, through rnnlab.ui.actions.cancel_batch).
"""
from __future__ import annotations

from typing import Sequence

import streamlit as st

from rnnlab.config import RunConfig
from rnnlab.config.presets import PRESETS
from rnnlab.jobs import runs
from rnnlab.jobs.store import Run
from rnnlab.jobs.supervisor import default_workers
from rnnlab.lessons.estimate import estimate
from rnnlab.ui import actions, polling, state

BUILD_MODEL = "build"  # the picker's choice that means "the model on the Build page"
# How often a batch's estimate reads the store again while other runs are queued or running: the
# runs ahead of a batch end minutes apart. Thirty tabs may show the caption, and making it reads
# and weighs every run (0.15 s for 300 runs, measured), so the tabs share one making per
# interval (polling.shared_read): a caption is then at most twice this old.
ESTIMATE_POLL_SECONDS = 5.0


def pick_setup(label: str, key: str, choices: Sequence[str], default: str,
               help: str | None = None, describe: bool = True) -> RunConfig:
    """A box of presets, and the model from the Build page, to run a batch on.

    Args:
        label: the box's label.
        key: its widget key (named after the page).
        choices: preset names (rnnlab.config.presets.PRESETS), in the order offered.
        default: the choice it opens on (a preset, or BUILD_MODEL).
        help: the box's tooltip.
        describe: show the chosen preset's description under the box.
    Returns:
        The chosen preset's config, or the Build
        page's (rnnlab.ui.state.current_config), with a link to change it there.
    """
    options = [*choices, BUILD_MODEL]
    name = st.selectbox(label, options, index=options.index(default), key=key, help=help,
                        format_func=lambda n: PRESETS[n].title if n in PRESETS
                        else "The model from the Build page")
    if name != BUILD_MODEL:
        if describe:
            st.caption(PRESETS[name].description)
        return PRESETS[name].config
    st.page_link("pages/build.py", label="Change the model on the Build page",
                 icon=":material/edit:", query_params=state.page_params())
    return state.current_config()


def show_estimate(configs: Sequence[RunConfig]) -> None:
    """A caption that says how long the batch will take, and what is queued before it.

    Other people's runs end while a student reads the page, so while any run is queued or
    running the caption is a live panel (rnnlab.ui.polling) that reads the store again every
    ESTIMATE_POLL_SECONDS: the count of runs ahead goes down, and a run that finishes may give
    the estimate a measured speed. Once nothing is queued or running it stops asking. The page's
    own read is this tab's; the panel's later ones are shared by every tab showing the same
    batch (polling.shared_read).
    """
    first = [estimate_caption(configs, runs.runs())]  # the page's own read, its newest runs
    active = first[0][1]

    def draw() -> bool:
        text, waiting = first.pop() if first else polling.shared_read(
            ("estimate", tuple(configs)), ESTIMATE_POLL_SECONDS,
            lambda: estimate_caption(configs, runs.runs()))
        st.caption(text)
        return waiting

    polling.live_panel(draw, active, every_seconds=ESTIMATE_POLL_SECONDS)


def estimate_caption(configs: Sequence[RunConfig], everything: Sequence[Run]) -> tuple[str, bool]:
    """show_estimate's sentence for the server's runs `everything`, and whether any of them is
    queued or running (the caption then changes as they end)."""
    found = estimate(configs, everything, workers=default_workers())
    waiting = sum(run.active for run in everything)
    before = (f" {waiting} run{'s are' if waiting != 1 else ' is'} queued or running on the "
              "server already, and will finish first." if waiting else "")
    if found is None:
        return ("No estimate: no run of this size has finished on this server yet, and none "
                "was measured for it. The first epoch's time, on the chart, tells." + before,
                waiting > 0)
    return found.sentence() + before, waiting > 0


def cancel_button(batch: Sequence[Run], what: str, key: str) -> None:
    """One button that cancels every queued or running run of the batch that this tab's person
    may manage (their own; every run for the teacher); nothing when there is none.

    Args:
        batch: the batch's runs, as the page just read them (no second read per redraw).
        what: the batch in words, for the label ("the race").
        key: the button's key; a refusal is left under f"{key}_error" (show it with
            rnnlab.ui.actions.show_refusal).
    """
    active = [run.id for run in batch if run.active and actions.may_manage(run)]
    if active:
        st.button(f"Cancel {what} ({len(active)} run{'s' * (len(active) != 1)} still queued or "
                  "running)", key=key, icon=":material/cancel:",
                  on_click=actions.cancel_batch, args=(active, f"{key}_error"))
    actions.show_refusal(f"{key}_error")
