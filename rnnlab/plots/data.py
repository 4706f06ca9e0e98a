"""Data page plots: how long the reviews are, what one weather example is made of, and what the
long-memory task's sequences look like.

- `length_histogram`: tokens per review, split at maxlen. Reviews to the right of the line lose
  their beginning (pad_sequences keeps the last maxlen tokens); the title says what share that is.
- `series_overview`: the whole temperature record, thinned to a few thousand points so the browser
  stays quick, with the chronological training / validation / test parts and the example window.
- `weather_window`: a zoom on one example at full resolution: the lookback span, the readings the
  network reads (one every step hours), the target delay hours after the last one, and the
  common-sense guess "same as the last reading".
- `memory_examples`: a few sequences of the long-memory task, one row each: the two marked values
  (the only ones that matter) drawn as large stars in the colour of the answer, every other
  value in grey.
- `character_frequencies`: the language model's most frequent characters, a bar each, with the
  share of the corpus each is: the unigram model knows exactly this and nothing else.

Pure functions: arrays in, plotly Figure out; no Streamlit, no TensorFlow.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from rnnlab.plots.theme import readable



def _readable(figure: go.Figure, height: int) -> go.Figure:
    """The chart's height and margins, then the lab's type for a projector (rnnlab.plots.theme)."""
    # Titles are at most two lines (<br>): a projector at 1024 px cuts a longer line off.
    figure.update_layout(height=height, margin=dict(t=95, b=20, l=80, r=20))
    return readable(figure)


KEPT_COLOUR, CUT_COLOUR = "#1f77b4", "#ff7f0e"
READ_COLOUR, TARGET_COLOUR, BASELINE_COLOUR = "#1f77b4", "#d62728", "#555555"
LABEL = dict(annotation_font_size=16, annotation_font_color="#1a1a1a")  # text on shaded spans
SPLIT_COLOURS = {"training": "#2ca02c", "validation": "#ff7f0e", "test": "#9467bd"}


# -- IMDB ---------------------------------------------------------------------------------------


def share_longer(lengths, maxlen: int) -> float:
    """The fraction of reviews with more than maxlen tokens (0 for no reviews)."""
    lengths = np.asarray(lengths)
    return float((lengths > maxlen).mean()) if lengths.size else 0.0


def length_histogram(lengths, maxlen: int, bin_width: int = 25) -> go.Figure:
    """Histogram of review lengths in tokens, with a vertical line at maxlen.

    Bars at or below maxlen (kept whole, padded in front) and above it (cut to their last maxlen
    tokens) are two traces in two colours; maxlen is always a bin edge, so no bar straddles it.

    Args:
        lengths: tokens per review (Corpus.lengths, start marker included).
        maxlen: the review length the network reads.
        bin_width: tokens per bar.
    Returns:
        A Figure with traces "fit in maxlen ..." and "longer than maxlen ...", and one line shape
        at x = maxlen; the title gives the share of reviews longer than maxlen.
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    top = int(lengths.max()) if lengths.size else maxlen
    edges = np.union1d(np.arange(0, max(top, maxlen) + bin_width + 1, bin_width), [maxlen])
    # Bars are right-closed, (left, right]: a review of exactly maxlen tokens fits whole. Shifting
    # the edges by half a token gives that with np.histogram's left-closed bins, as lengths are whole.
    counts, _ = np.histogram(lengths, bins=edges + 0.5)
    left, right = edges[:-1], edges[1:]
    centre, width = (left + right) / 2, right - left
    share = share_longer(lengths, maxlen)
    figure = go.Figure()
    for name, mask, colour in (
            (f"fit in maxlen: read whole, zeros in front ({1 - share:.1%})", right <= maxlen,
             KEPT_COLOUR),
            (f"longer than maxlen: beginning cut off ({share:.1%})", left >= maxlen, CUT_COLOUR)):
        figure.add_trace(go.Bar(
            x=centre[mask], y=counts[mask], width=width[mask], name=name, marker_color=colour,
            customdata=np.stack([left[mask] + 1, right[mask]], axis=-1),
            hovertemplate="reviews of %{customdata[0]}-%{customdata[1]} tokens: %{y:,}"
                          "<extra></extra>"))
    figure.add_vline(x=maxlen, line_width=3, line_dash="dash", line_color="black",
                     annotation_text=f"maxlen = {maxlen:,}", annotation_position="top right",
                     annotation_font_size=17, annotation_font_color="black")
    figure.update_layout(
        title=f"{share:.1%} of the {lengths.size:,} reviews are longer than maxlen = {maxlen:,}"
              "<br>and lose their beginning",
        xaxis_title="review length (tokens, start marker included)",
        yaxis_title="number of reviews", bargap=0.05,
        # The longest reviews (up to ~2,500 tokens) are rare; show the bulk, zoom out to see them.
        xaxis_range=[0, max(maxlen * 1.15, float(np.percentile(lengths, 99)) if lengths.size
                            else maxlen)])
    return _readable(figure, 460)


# -- Weather ------------------------------------------------------------------------------------


def downsample(times, values, max_points: int = 5000):
    """Every k-th point, k chosen so at most max_points remain (k = 1 for short series).

    Returns:
        (times, values, k).
    """
    times, values = np.asarray(times), np.asarray(values)
    stride = max(1, int(np.ceil(len(values) / max_points)))
    return times[::stride], values[::stride], stride


def series_overview(times, values, unit: str, window_start, window_end,
                    parts: list[tuple[str, object, object]] = (),
                    max_points: int = 5000) -> go.Figure:
    """The whole record as one line, with its training / validation / test parts and the window.

    Args:
        times, values: the record's times and the target column, in `unit`.
        unit: e.g. "°C".
        window_start, window_end: first reading and target time of the example window.
        parts: (name, first time, last time) of each chronological part, e.g. "training".
        max_points: the line is thinned to at most this many points (Jena has 420,551 rows).
    """
    shown_times, shown_values, stride = downsample(times, values, max_points)
    every = "every reading" if stride == 1 else f"one reading in {stride}, thinned for speed"
    figure = go.Figure(go.Scatter(
        x=shown_times, y=shown_values, mode="lines", name=f"temperature ({every})",
        line=dict(color="#444444", width=1),
        hovertemplate=f"%{{x|%d %b %Y %H:%M}}<br>%{{y:.1f}} {unit}<extra></extra>"))
    for name, first, last in parts:
        figure.add_vrect(x0=first, x1=last, fillcolor=SPLIT_COLOURS.get(name, "#cccccc"),
                         opacity=0.12, line_width=0, annotation_text=name,
                         annotation_position="top left", **LABEL)
    figure.add_vrect(x0=window_start, x1=window_end, fillcolor=TARGET_COLOUR, opacity=0.4,
                     line_width=2, line_color=TARGET_COLOUR, annotation_text="example window",
                     annotation_position="bottom right", **LABEL)
    figure.update_layout(
        title="The whole record, split by time:<br>the network trains on the past, is checked on "
              "the future",
        xaxis_title="date", yaxis_title=f"temperature ({unit})", showlegend=True)
    return _readable(figure, 420)


def weather_window(times, values, reading_times, reading_values, target_time, target_value,
                   unit: str, step_hours: int, delay_hours: int, margin_fraction: float = 0.15
                   ) -> go.Figure:
    """One training example at full resolution: what the network reads and what it must predict.

    Args:
        times, values: the record's times and the target column (the whole record or any part
            covering the window; only the part around the window is drawn).
        reading_times, reading_values: the window's readings, oldest first.
        target_time, target_value: the value to predict.
        unit: e.g. "°C".
        step_hours, delay_hours: for the legend's wording.
        margin_fraction: how much record to show on each side, as a share of the window's span.
    Returns:
        A Figure with traces "the record", "what the network reads ...", "what it must
        predict ..." and "common-sense guess ...", and a shaded lookback span.
    """
    times, values = np.asarray(times), np.asarray(values, dtype=np.float64)
    reading_times = np.asarray(reading_times)
    first, last = reading_times[0], reading_times[-1]
    target_time = np.datetime64(target_time)
    margin = (target_time - first) * margin_fraction
    around = (times >= first - margin) & (times <= target_time + margin)
    last_value = float(reading_values[-1])
    hover = f"%{{x|%d %b %Y %H:%M}}<br>%{{y:.1f}} {unit}"
    lookback_hours = len(reading_times) * step_hours  # L readings, one every step hours
    figure = go.Figure()
    figure.add_trace(go.Scatter(
        x=times[around], y=values[around], mode="lines", name="the record (every reading)",
        line=dict(color="#9a9a9a", width=1.5), hovertemplate=hover + "<extra>record</extra>"))
    figure.add_vrect(x0=first, x1=last, fillcolor=READ_COLOUR, opacity=0.1, line_width=0,
                     annotation_text=f"lookback: {lookback_hours:,.0f} h",
                     annotation_position="top left", **LABEL)
    figure.add_vrect(x0=last, x1=target_time, fillcolor=TARGET_COLOUR, opacity=0.07,
                     line_width=0, annotation_text=f"delay: {delay_hours} h",
                     annotation_position="top left", **LABEL)
    figure.add_trace(go.Scatter(
        x=reading_times, y=reading_values, mode="markers", marker=dict(color=READ_COLOUR, size=7),
        name=f"what the network reads: {len(reading_times):,} readings, one every {step_hours} h",
        hovertemplate=hover + "<extra>a reading the network sees</extra>"))
    figure.add_trace(go.Scatter(
        x=[target_time], y=[target_value], mode="markers",
        marker=dict(color=TARGET_COLOUR, size=18, symbol="star", line=dict(width=1, color="black")),
        name=f"what it must predict: the temperature {delay_hours} h after the last reading",
        hovertemplate=hover + "<extra>the target</extra>"))
    figure.add_trace(go.Scatter(
        x=[last, target_time], y=[last_value, last_value], mode="lines+markers",
        line=dict(color=BASELINE_COLOUR, dash="dash", width=2), marker=dict(size=[0, 10]),
        name=f"common-sense guess: same as the last reading (off by "
             f"{abs(target_value - last_value):.1f} {unit} here)",
        hovertemplate=hover + "<extra>common-sense guess</extra>"))
    figure.update_layout(
        title="One example: the window the network reads<br>and the value it must predict",
        xaxis_title="date and time", yaxis_title=f"temperature ({unit})")
    return _readable(figure, 540)


# -- The long-memory task -------------------------------------------------------------------------

ANSWER_COLOURS = {1: "#2ca02c", 0: "#d62728"}  # green: the marked values add up to more than 1
VALUE_COLOUR = "#9a9a9a"


def memory_examples(sequences, labels, max_shown: int = 4) -> go.Figure:
    """The first few sequences of the long-memory task (the adding problem), one row each.

    Args:
        sequences: (N, T, 2): every step's value (0 to 1) and marker (1 at the two marked steps).
        labels: (N,) answers, 1 where the two marked values add up to more than 1.
        max_shown: how many sequences (rows) to draw at most.
    Returns:
        A Figure with two traces per row: every value in grey ("not marked: a distraction") and
        the two marked values as large stars in the answer's colour; the row's y axis names the
        answer and the star's hover gives the sum.
    """
    sequences = np.asarray(sequences, dtype=np.float64)[:max_shown]
    labels = np.asarray(labels).astype(int)[:max_shown]
    rows, steps = sequences.shape[:2]
    figure = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.04)
    for row, (sequence, label) in enumerate(zip(sequences, labels), start=1):
        values, marked = sequence[:, 0], np.flatnonzero(sequence[:, 1] > 0.5)
        total = values[marked].sum()
        figure.add_trace(go.Scatter(
            x=np.arange(steps), y=values, mode="lines+markers",
            name="a value at every step: not marked, a distraction", legendgroup="values",
            showlegend=row == 1, line=dict(color=VALUE_COLOUR, width=1.5),
            marker=dict(size=4, color=VALUE_COLOUR),
            hovertemplate="step %{x}: %{y:.2f}<extra></extra>"), row=row, col=1)
        figure.add_trace(go.Scatter(
            x=marked, y=values[marked], mode="markers", legendgroup=f"answer {label}",
            name=f"the two marked values: their sum is {'more' if label else 'not more'} than 1, "
                 f"the answer is {label}",
            showlegend=label not in labels[:row - 1],
            marker=dict(size=16, symbol="star", color=ANSWER_COLOURS[label],
                        line=dict(width=1, color="black")),
            hovertemplate=f"step %{{x}}: %{{y:.2f}}, marked (the two add up to {total:.2f}: the "
                          f"answer is {label})<extra></extra>"), row=row, col=1)
        figure.update_yaxes(range=[-0.1, 1.1], tickvals=[0, 0.5, 1], row=row, col=1,
                            title_text=f"answer {label}")
    figure.update_xaxes(title_text="step t (the network reads them left to right)", row=rows,
                        col=1)
    figure.update_layout(title=f"{rows} sequences of {steps} steps: only the two starred values "
                               "decide the answer,<br>and the first comes near the start")
    return _readable(figure, 140 + 120 * rows)



# -- text ---------------------------------------------------------------------------------------

CHARACTER_COLOUR = "#1f77b4"


def character_frequencies(characters, shares, max_shown: int = 40) -> go.Figure:
    """The most frequent characters of a corpus, one bar each, most frequent first.

    Args:
        characters: the characters as shown (⏎ for the newline, ␣ for the space), most frequent
            first (rnnlab.lessons.datasets.vocabulary_table).
        shares: the share of the corpus each one is, in the same order.
        max_shown: how many bars to draw.
    Returns:
        A bar chart whose hover gives each character's share in words.
    """
    characters, shares = list(characters)[:max_shown], np.asarray(shares, dtype=float)[:max_shown]
    positions = np.arange(len(characters))
    figure = go.Figure(go.Bar(
        x=positions, y=shares, marker_color=CHARACTER_COLOUR, customdata=characters,
        name="share of the corpus",
        hovertemplate="%{customdata}: %{y:.1%} of the characters in the corpus<extra></extra>"))
    figure.update_xaxes(tickvals=positions, ticktext=characters, tickangle=0,
                        title_text="character (⏎ newline, ␣ space), most frequent first")
    figure.update_yaxes(title_text="share of the corpus", tickformat=".0%")
    figure.update_layout(title=f"The {len(characters)} most frequent characters: the unigram "
                               "model knows<br>these frequencies and nothing about order",
                         showlegend=False)
    return _readable(figure, 420)
