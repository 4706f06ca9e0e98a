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
    st.info("No run has recorded its gradients yet. Start the three-cell race (or any run): the "
            "first record is written before the first epoch.")
    st.page_link("pages/race.py", label="Go to the race", icon=":material/sprint:",
                 query_params=ui.page_params())
    ui.show_code(__file__)
    st.stop()

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
    "**What to notice.** Before training all three cells can show a fading gradient: nothing "
    "has taught the gates to keep anything yet. After training on a task that needs the start "
    "of the sequence, the gated cells (LSTM, GRU) usually keep a gradient far back, because "
    "their state is carried forward by addition through gates that learned to stay open; a "
    "SimpleRNN multiplies by its recurrent weights and a tanh slope at every step, so its line "
    "keeps falling. On a task that only needs the last few steps, none of them needs to keep "
    "it, and the lines may look alike: the picture depends on the task, not only on the cell.")
costs = ", ".join(f"#{i}: {1000 * r.seconds.mean():.0f} ms" for i, r in records.items())
st.caption(f"Each record is one forward and backward pass over the probe batch ({costs} on "
           "average). Crosses on the floor mark steps where the gradient fell below what a "
           "32-bit float can hold: exactly zero.")

ui.show_code(__file__)
