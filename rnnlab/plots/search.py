"""A search's trials drawn: the score of every finished trial against each hyperparameter.

One small panel per hyperparameter, all sharing the score axis, so a column of good scores over
one value (say, learning_rate 0.01) stands out, and a cloud with no pattern says that setting did
not matter much in this search. The best trial is a star in every panel. Activations sit at
their choices in the space's order; the learning rate is on a log axis. A weather search's
scores (its loss is the MAE) read in the target's unit, with the common-sense baseline dotted
across every panel (rnnlab.lessons.baseline).
"""
from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from rnnlab.config.search import SearchConfig
from rnnlab.jobs.store import Trial
from rnnlab.lessons.baseline import Scale
from rnnlab.lessons.trials import best_trial, hyperparameter_columns
from rnnlab.plots.theme import readable

OBJECTIVE_LABELS = {"val_loss": "validation loss (lower is better)",
                    "val_accuracy": "validation accuracy (higher is better)",
                    "val_mae": "validation MAE, normalized (lower is better)"}
PANELS_PER_ROW = 4


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
    label = OBJECTIVE_LABELS[search.objective]
    if in_unit:
        label = f"validation MAE ({scale.unit}, lower is better)"
        if scale.baseline is not None:
            label += f"<br>dotted: the baseline, {scale.amount(scale.baseline)}"
            figure.add_hline(y=scale.baseline, line=dict(color="#555555", dash="dot", width=3),
                             row="all", col="all")
    figure.update_yaxes(title_text=label, row=1, col=1)
    figure.update_layout(height=280 * rows + 40, margin={"t": 40, "b": 30, "l": 60, "r": 10},
                         title=None if scored else "No finished trial yet")
    return readable(figure)

