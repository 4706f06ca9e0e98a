"""Vanishing gradients: how much of the error reaches each step of the input, cell by cell, and
which cell still remembers as the sequence grows longer."""
import streamlit as st

from rnnlab.jobs import runs
from rnnlab.jobs.artifacts import DamagedArtifact
from rnnlab.jobs.store import Store
from rnnlab.lessons import sweep
from rnnlab.lessons.race import same_race
from rnnlab.plots.gradients import GradientLine, gradient_through_time, sweep_chart
from rnnlab.ui import actions, batches, frame, identity, polling, predictions, presenter, state

frame.page_header("Vanishing gradients", (
    "To learn from the start of a sequence, the error at the end must travel back to it, step by "
    "step. Every run records how much arrives: the size of the gradient of the loss with respect "
    "to the input at each step, on a fixed batch of validation examples, before training and "
    "after its epochs. Drawn against the distance from the end on a log scale, a straight line "
    "going down means the signal shrinks by the same factor at every step: it *vanishes*."))
config = state.current_config()
every_run = runs.runs()


def at(record, epoch: int):
    """The run's last record at or before `epoch` (runs record different epochs)."""
    index = max(k for k, e in enumerate(record.epochs) if e <= epoch)
    return record.norms[index], int(record.epochs[index])


def records_of(run, store: Store):
    """The run's gradient records, or None; damaged ones are named in words and left out."""
    try:
        return runs.gradient_records(run.id, store, still_writing=run.active)
    except DamagedArtifact as err:
        st.warning(str(err))
        return None


def gradient_lesson() -> None:
    """The gradient through time of the chosen runs, at a chosen moment of their training."""
    store = Store()  # one for every run's folder: opening one checks the database's schema
    loaded = {r.id: records_of(r, store) for r in every_run}  # each file read once
    recorded = [r for r in every_run if loaded[r.id] is not None]
    if not recorded:
        st.info("No run has recorded its gradients yet. Start the three-cell race (or any run, "
                "or the sweep below): the first record is written before the first epoch.")
        st.page_link("pages/race.py", label="Go to the race", icon=":material/sprint:",
                     query_params=state.page_params())
        return
    by_id = {r.id: r for r in recorded}
    # The race in the link, else the newest run with the runs that could have raced it.
    newest = recorded[0].config
    wanted = ([i for i in state.url_ids("race", "Showing the newest runs instead.") if i in by_id]
              or [r.id for r in recorded if same_race(newest, r.config)][:3])
    chosen = st.multiselect("Runs", list(by_id), default=wanted, key="gradients_runs",
                            format_func=lambda i: f"#{i} {by_id[i].config.label()} "
                                                  f"({by_id[i].status})")
    records = {i: loaded[i] for i in chosen}
    if not records:
        st.info("Pick at least one run.")
        return
    moments = sorted({int(e) for r in records.values() for e in r.epochs})
    moment = st.select_slider("When", moments, value=moments[-1], key="gradients_when",
                              format_func=lambda e: "before training" if e == 0
                              else f"after epoch {e}")
    lines = []
    for i, record in records.items():
        norms, epoch = at(record, moment)
        label = f"#{i} {by_id[i].config.layers[0].cell}"
        lines.append(GradientLine(label if epoch == moment else f"{label} (epoch {epoch})", norms))
    when = "before training" if moment == 0 else f"after epoch {moment}"
    presenter.chart(gradient_through_time(lines, when), key="gradients_chart")
    st.markdown(
        "**What to notice.** The slope of a line is how fast the error fades per step. Move the "
        "*When* slider from *before training* to the end. At initialisation all three cells can "
        "vanish, the gated ones even faster: Keras starts an LSTM's forget gate near 0.73 and a "
        "GRU's update gate near 0.5, so a fresh gated cell forgets half or more at every step. "
        "Training moves the gates. When a task rewards remembering far back (the long-memory "
        "task) and a gated cell learns it, its forget (or update) gates open towards 1, its "
        "state is carried forward by addition, and its line flattens. A SimpleRNN has no gate "
        "to open: it multiplies by its recurrent weights and a tanh slope at every step, and on "
        "that task its line collapses. On other tasks (IMDB's last words say a lot) the "
        "difference can be small: it is the task that asks for memory. A dense network (Dense, "
        "no memory) has no path through time at all: every step reaches the loss through the "
        "same few layers, so its line shows which steps its weights learned to read, and "
        "nothing fades with the distance.")
    costs = ", ".join(f"#{i}: {1000 * r.seconds.mean():.0f} ms" for i, r in records.items())
    st.caption(f"Each record is one forward and backward pass over the probe batch ({costs} on "
               "average). Crosses on the floor mark steps where the gradient fell below what a "
               "32-bit float can hold: exactly zero.")


def sweep_lesson() -> None:
    """Accuracy against sequence length, one line per cell, from a batch of runs."""
    st.subheader("Who still remembers? The sequence-length sweep")
    base = batches.pick_setup("Sweep", "gradients_sweep_preset", sweep.SWEEP_PRESETS,
                              default="memory-quick", describe=False,
                              help="A long-memory preset, or your model if it trains on the "
                                   "long-memory task (pick it on the Data page).")
    st.markdown(
        f"The long-memory task (the *adding problem*) at several lengths, trained once with "
        f"each cell: **{base.label()}** with every layer's cell swapped, "
        f"{base.training.epochs} epochs, {base.training.optimizer} at "
        f"{base.training.learning_rate:g}.")
    lengths = st.multiselect("Sequence lengths", sweep.LENGTH_CHOICES,
                             default=list(sweep.DEFAULT_LENGTHS), key="gradients_sweep_lengths")
    try:
        batches.show_estimate(sweep.sweep_configs(base, lengths))
    except ValueError:
        pass  # the button's click says why, in words
    st.button(f"Run the sweep ({3 * len(lengths)} runs; finished ones are reused)",
              key="gradients_sweep_start", on_click=actions.queue_batch, disabled=not lengths,
              args=(lambda: sweep.sweep_configs(base, lengths), "gradients_sweep_error"))
    actions.show_refusal("gradients_sweep_error")

    first = [every_run]

    def draw() -> bool:
        members = sweep.sweep_runs(base, first.pop() if first else polling.shared_runs())
        active = [r for r in members if r.active]
        done = [r for r in members if r.status == "done"]
        if not members:
            st.info("No run of this sweep yet: choose lengths and run it.")
            return False
        batches.cancel_button(active, "the sweep", "gradients_sweep_cancel")
        points = sweep.sweep_points(members)
        if points:
            presenter.chart(sweep_chart(points), key="gradients_sweep_chart")
        st.caption(f"{len(done)} runs of this sweep done, {len(active)} queued or running. "
                   "Accuracy 0.5 is guessing; 0.75 is what remembering only the recent marked "
                   "value allows; near 1 means the start was remembered.")
        return bool(active)

    polling.live_panel(draw, any(r.active for r in sweep.sweep_runs(base, every_run)),
                       every_seconds=2.0)
    predictions.sweep_prediction(base, identity.person(), every_run)


gradient_lesson()
sweep_lesson()
frame.show_code(__file__)
