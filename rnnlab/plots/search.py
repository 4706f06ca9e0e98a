"""A search's trials drawn: the score of every finished trial against each hyperparameter.

One small panel per hyperparameter, all sharing the score axis, so a column of good scores over
one value (say, learning_rate 0.01) stands out, and a cloud with no pattern says that setting did
not matter much in this search. The best trial is a star in every panel. Activations sit at
their choices in the space's order; the learning rate is on a log axis. A weather search's
scores (its loss is the MAE) read in the target's unit, with the common-sense baseline dotted
across every panel (rnnlab.lessons.baseline); a two-class search has the score of guessing dotted
instead (rnnlab.lessons.trials.chance_score), and a search at chance stars nothing.

Two axis rules keep the picture honest. Scores that differ by 0.0003 are noise, and stretching
them over the whole axis would draw them as a landscape: the score axis spans at least
`MIN_SCORE_SPAN` around their middle. A whole-number hyperparameter (units, layers) gets ticks on
whole numbers only (`whole_number_ticks`): there is no model with 39.5 units.
"""
from __future__ import annotations

import math

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from rnnlab.config.search import SearchConfig
from rnnlab.jobs.store import Trial
from rnnlab.lessons.baseline import Scale
from rnnlab.lessons.trials import best_trial, chance_score, hyperparameter_columns
from rnnlab.plots.theme import readable

OBJECTIVE_LABELS = {"val_loss": "validation loss (lower is better)",
                    "val_accuracy": "validation accuracy (higher is better)",
                    "val_mae": "validation MAE, normalized (lower is better)",
                    "val_bpc": "validation bits per character (lower is better)"}
PANELS_PER_ROW = 4
# The least the score axis spans, in the objective's own units (before a weather search's scale):
# a loss or an accuracy 0.05 apart is a visible difference, closer ones are drawn close.
MIN_SCORE_SPAN = 0.05


def whole_number_ticks(values: list[int]) -> dict:
    """Axis settings for a whole-number hyperparameter: ticks on whole numbers, 1, 2 or 5 x 10^k
    apart (at most about six of them), and a range half a tick past the values at each end.

    Example: [16, 40, 64] -> {"tickmode": "linear", "tick0": 10, "dtick": 10,
    "range": [11.0, 69.0], "tickformat": "d"}; a single value 40 -> ticks at 40 only.
    """
    low, high = min(values), max(values)
    wanted = (high - low) / 6
    step = 1
    while step < wanted:
        step = _next_nice(step)
    return {"tickmode": "linear", "tick0": low - low % step, "dtick": step,
            "range": [low - step / 2, high + step / 2], "tickformat": "d"}


def _next_nice(step: int) -> int:
    """The next of 1, 2, 5, 10, 20, 50, ... after `step`."""
    power = 10 ** int(math.log10(step))
    leading = step // power
    return {1: 2, 2: 5, 5: 10}[leading] * power


def score_range(scores: list[float], span: float) -> list[float] | None:
    """The score axis's range: None (plotly's own) when the scores spread over `span` or more,
    else `span` centred on their middle, so noise is drawn as small as it is."""
    if not scores or max(scores) - min(scores) >= span:
        return None
    middle = (max(scores) + min(scores)) / 2
    return [middle - span / 2, middle + span / 2]


def score_by_hyperparameter(trials: list[Trial], search: SearchConfig,
                            scale: Scale | None = None) -> go.Figure:
    """Scatter panels: the objective (y) against each hyperparameter's value (x), one dot a trial.

    Args:
        trials: the search's trials; those without a score are left out.
        search: the search (its space orders the axes, its objective names the score).
        scale: a weather search's scale (rnnlab.ui.loaders.weather_scale): an MAE objective then
            reads in the target's unit against the baseline. None keeps the scores as they are.
    """
    in_unit = scale is not None and scale.in_unit and search.objective in ("val_mae", "val_loss")
    factor = scale.factor if in_unit else 1.0
    names = hyperparameter_columns(trials, search)
    scored = [t for t in trials if t.score is not None]
    best = best_trial(trials, search)
    rows = max(1, -(-len(names) // PANELS_PER_ROW))
    columns = min(PANELS_PER_ROW, max(1, len(names)))
    figure = make_subplots(rows=rows, cols=columns, shared_yaxes=True, subplot_titles=names,
                           horizontal_spacing=0.04, vertical_spacing=0.22)
    for index, name in enumerate(names):
        row, column = divmod(index, PANELS_PER_ROW)
        having = [t for t in scored if t.hyperparameters.get(name) is not None]
        for group, symbol, size in (([t for t in having if t is not best], "circle", 9),
                                    ([t for t in having if t is best], "star", 16)):
            if not group:
                continue
            figure.add_trace(go.Scatter(
                x=[t.hyperparameters[name] for t in group],
                y=[t.score * factor for t in group], mode="markers",
                marker={"symbol": symbol, "size": size,
                        "color": "#d62728" if symbol == "star" else "#1f77b4"},
                name="best trial" if symbol == "star" else "trial", showlegend=False,
                text=[f"trial {t.number}" for t in group],
                hovertemplate=f"%{{text}}<br>{name} = %{{x}}<br>{search.objective} = "
                              "%{y:.4f}<extra></extra>"), row=row + 1, col=column + 1)
        where = {"row": row + 1, "col": column + 1}
        if name == "learning_rate":
            rates = sorted(search.space.learning_rates)
            figure.update_xaxes(type="log", tickvals=rates, ticktext=[f"{r:g}" for r in rates],
                                **where)
        elif name == "layers":
            figure.update_xaxes(tickvals=list(search.space.depths), **where)
        elif name.startswith("activation"):
            figure.update_xaxes(type="category", categoryorder="array",
                                categoryarray=list(search.space.activations), **where)
        elif having and all(isinstance(t.hyperparameters[name], int) for t in having):
            figure.update_xaxes(**whole_number_ticks([t.hyperparameters[name] for t in having]),
                                **where)
    label = OBJECTIVE_LABELS[search.objective]
    if in_unit:
        label = f"validation MAE ({scale.unit}, lower is better)"
        if scale.baseline is not None:
            label += f"<br>dotted: the baseline, {scale.amount(scale.baseline)}"
            figure.add_hline(y=scale.baseline, line=dict(color="#555555", dash="dot", width=3),
                             row="all", col="all")
    chance = None if in_unit else chance_score(search)
    if chance is not None:
        label += f"<br>dotted: guessing, {chance:.4f}"
        figure.add_hline(y=chance, line=dict(color="#555555", dash="dot", width=3),
                         row="all", col="all")
    figure.update_yaxes(title_text=label, row=1, col=1)
    padded = score_range([t.score * factor for t in scored], MIN_SCORE_SPAN * factor)
    if padded is not None:
        figure.update_yaxes(range=padded, autorange=False)
    figure.update_layout(height=280 * rows + 40, margin={"t": 40, "b": 30, "l": 60, "r": 10},
                         title=None if scored else "No finished trial yet")
    return readable(figure)

