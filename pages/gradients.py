"""Vanishing gradients: how much of the error reaches each step of the input, cell by cell."""
import streamlit as st

from rnnlab import runs, ui
from rnnlab.plots.gradients import GradientLine, gradient_through_time

ui.page_header("Vanishing gradients", (
    "To learn from the start of a sequence, the error at the end must travel back to it, step by "
    "step. Every run records how much arrives: the size of the gradient of the loss with respect "
    "to the input at each step, on a fixed batch of validation examples, before training and "
    "after its epochs. Drawn against the distance from the end on a log scale, a straight line "
    "going down means the signal shrinks by the same factor at every step: it *vanishes*."))
ui.current_config()
recorded = [r for r in runs.runs() if runs.gradient_records(r.id) is not None]
if not recorded:
    ui.nothing_yet("No run has recorded its gradients yet. Start the three-cell race (or any "
                   "run): the first record is written before the first epoch.", "pages/race.py",
                   "Go to the race", ":material/sprint:", __file__)

by_id = {r.id: r for r in recorded}
wanted = [i for i in ui.url_ids("race") if i in by_id] or list(by_id)[:3]
chosen = st.multiselect("Runs", list(by_id), default=wanted, key="gradients_runs",
                        format_func=lambda i: f"#{i} {by_id[i].config.label()} "
                                              f"({by_id[i].status})")
records = {i: runs.gradient_records(i) for i in chosen}
records = {i: r for i, r in records.items() if r is not None}
if not records:
    st.info("Pick at least one run.")
    ui.show_code(__file__)
    st.stop()

moments = sorted({int(e) for r in records.values() for e in r.epochs})
moment = st.select_slider("When", moments, value=moments[-1], key="gradients_when",
                          format_func=lambda e: "before training" if e == 0 else f"after epoch {e}")


def at(record, epoch: int):
    """The run's last record at or before `epoch` (runs record different epochs)."""
    index = max(k for k, e in enumerate(record.epochs) if e <= epoch)
    return record.norms[index], int(record.epochs[index])


lines = []
for i, record in records.items():
    norms, epoch = at(record, moment)
    label = f"#{i} {by_id[i].config.layers[0].cell}"
    lines.append(GradientLine(label if epoch == moment else f"{label} (epoch {epoch})", norms))
when = "before training" if moment == 0 else f"after epoch {moment}"
st.plotly_chart(gradient_through_time(lines, when), key="gradients_chart")
st.markdown(
    "**What to notice.** The slope of a line is how fast the error fades per step. Move the "
    "*When* slider from *before training* to the end. At the start, Keras's initialisation "
    "decides: a SimpleRNN begins with an orthogonal recurrent matrix, which keeps the signal's "
    "size, while an LSTM's forget gate begins near 0.73 and a GRU's update gate near 0.5, so a "
    "fresh gated cell can fade *faster* than a SimpleRNN. Training moves the gates: when a task "
    "rewards remembering far back and a gated cell learns it, its forget (or update) gates open "
    "towards 1 and its line flattens, since its state is carried forward by addition. A "
    "SimpleRNN has no gate to open: it multiplies by its recurrent weights and a tanh slope at "
    "every step. Which cell keeps more depends on the task and on what training found, not on "
    "the cell's name; the long-memory task on the Data page is a place to test it.")
costs = ", ".join(f"#{i}: {1000 * r.seconds.mean():.0f} ms" for i, r in records.items())
st.caption(f"Each record is one forward and backward pass over the probe batch ({costs} on "
           "average). Crosses on the floor mark steps where the gradient fell below what a "
           "32-bit float can hold: exactly zero.")

ui.show_code(__file__)
