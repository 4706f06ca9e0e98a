"""Validation of a search config: the tuner, the budget, the objective and the space, in words.

`validate_search(search)` returns the `Problem`s of a SearchConfig (empty when it can run);
SearchConfig raises them as one `ConfigError` when it is created. Besides each setting's range it
checks what only makes sense together: a range's smallest value may not exceed its largest (the
range would be empty), a list to try may not repeat a value, and the objective must be one the
base model's task reports (its loss, or its metric on the validation data).

The base model was checked when it was made (`rnnlab.config.run_validation`), so only the search's
own settings are checked here, with the same checks (`rnnlab.config.checks`).
"""
from __future__ import annotations

from typing import Any

from rnnlab.config.checks import (
    Problem,
    check_choice,
    check_whole_number,
    is_number,
    is_whole_number,
    shown,
)
from rnnlab.config.options import ACTIVATIONS, MAX_LAYERS, MAX_UNITS
from rnnlab.config.run import RunConfig
from rnnlab.config.space import MAX_DROPOUT, MAX_EPOCHS, MAX_TRIALS, TUNERS, SearchSpace


def allowed_objectives(base: RunConfig) -> tuple[str, ...]:
    """The objectives that make sense for the base model's task: its loss, or its metric."""
    return ("val_loss", f"val_{base.metric}")


def validate_search(search) -> list[Problem]:
    """Every problem of a search config; empty if it can run.

    Args:
        search: a SearchConfig (any object with its fields: base, space, tuner, max_trials,
            epochs, factor, objective), checked whatever types its fields hold.

    Returns:
        The problems found, each naming the setting, the value and what is allowed.
    """
    problems: list[Problem] = []
    if not isinstance(search.base, RunConfig):
        return [Problem("base", search.base, "The search needs a base RunConfig.")]
    if not isinstance(search.space, SearchSpace):
        return [Problem("space", search.space, "The search needs a SearchSpace.")]
    check_choice(problems, "tuner", "Tuner", search.tuner, TUNERS,
                 "keras-tuner's random search, Hyperband and Bayesian optimization")
    check_choice(problems, "objective", "Objective", search.objective,
                 allowed_objectives(search.base),
                 f"the {search.base.dataset} task is scored by its loss or its "
                 f"{search.base.metric} on the validation data")
    check_whole_number(problems, "max_trials", "Number of trials", search.max_trials, 1, MAX_TRIALS,
                       "each trial trains one model, and more than that does not fit a lesson")
    check_whole_number(problems, "epochs", "Epochs per trial" if search.tuner != "hyperband" else
                       "Most epochs per model", search.epochs, 1, MAX_EPOCHS,
                       "each trial trains at least one epoch")
    check_whole_number(problems, "factor", "Hyperband factor", search.factor, 2, 10,
                       "Hyperband keeps the best 1 in factor models at each round, so at least 2")
    return problems + _validate_space(search.space)


def _validate_space(space: SearchSpace) -> list[Problem]:
    problems: list[Problem] = []
    depths = space.depths
    if (not isinstance(depths, tuple) or not depths
            or not all(is_whole_number(d) and 1 <= d <= MAX_LAYERS for d in depths)):
        problems.append(Problem("space.depths", depths,
                                f"Depths to try are {_show(depths)}, but they must be one or more "
                                f"whole numbers from 1 to {MAX_LAYERS}: a stack has at least one "
                                "recurrent layer, and deeper stacks train too slowly for a "
                                "lesson."))
    elif len(set(depths)) != len(depths):
        problems.append(Problem("space.depths", depths, f"Depths to try are {_show(depths)}: "
                                                        "each depth may appear only once."))
    units_ok = True
    for name, label in (("units_min", "Smallest units"), ("units_max", "Largest units")):
        before = len(problems)
        check_whole_number(problems, f"space.{name}", label, getattr(space, name), 1, MAX_UNITS,
                           "units is the size of a layer's hidden state")
        units_ok = units_ok and len(problems) == before
    before = len(problems)
    check_whole_number(problems, "space.units_step", "Units step", space.units_step, 1, MAX_UNITS,
                       "the units tried go from the smallest up in steps of this many")
    units_ok = units_ok and len(problems) == before
    if units_ok and space.units_min > space.units_max:
        problems.append(Problem("space.units_min", space.units_min,
                                f"Smallest units is {space.units_min}, above the largest units "
                                f"{space.units_max}: the range would be empty. Lower the "
                                "smallest or raise the largest."))
    if (not isinstance(space.activations, tuple) or not space.activations
            or not all(a in ACTIVATIONS for a in space.activations)):
        problems.append(Problem("space.activations", space.activations,
                                f"Activations to try are {_show(space.activations)}, but they "
                                f"must be one or more of {', '.join(ACTIVATIONS)}: pick at least "
                                "one for the search to choose from."))
    elif len(set(space.activations)) != len(space.activations):
        problems.append(Problem("space.activations", space.activations,
                                "Each activation may appear only once."))
    dropout_ok = True
    for name, label in (("dropout_min", "Smallest dropout"), ("dropout_max", "Largest dropout")):
        value = getattr(space, name)
        if not is_number(value) or not 0 <= value <= MAX_DROPOUT:
            dropout_ok = False
            problems.append(Problem(f"space.{name}", value,
                                    f"{label} is {shown(value)}, but it must be a number from 0 to "
                                    f"{MAX_DROPOUT}: it is the share of a layer's inputs "
                                    "dropped while training, and dropping more than 90 % "
                                    "leaves nothing to learn from."))
    step = space.dropout_step
    if not is_number(step) or not 0 < step <= MAX_DROPOUT:
        dropout_ok = False
        problems.append(Problem("space.dropout_step", step,
                                f"Dropout step is {shown(step)}, but it must be a number above 0 and "
                                f"at most {MAX_DROPOUT}: the dropout values tried go from the "
                                "smallest up in steps of this size."))
    if dropout_ok and space.dropout_min > space.dropout_max:
        problems.append(Problem("space.dropout_min", space.dropout_min,
                                f"Smallest dropout is {space.dropout_min}, above the largest "
                                f"dropout {space.dropout_max}: the range would be empty. Lower "
                                "the smallest or raise the largest."))
    rates = space.learning_rates
    if (not isinstance(rates, tuple) or not rates
            or not all(is_number(r) and 0 < r <= 1 for r in rates)):
        problems.append(Problem("space.learning_rates", rates,
                                f"Learning rates to try are {_show(rates)}, but they must be one "
                                "or more numbers above 0 and at most 1 (try 0.01, 0.001 and "
                                "0.0001): a zero step never learns."))
    elif len(set(rates)) != len(rates):
        problems.append(Problem("space.learning_rates", rates,
                                "Each learning rate may appear only once."))
    return problems


def _show(values: Any) -> str:
    if isinstance(values, tuple):
        return "(none)" if not values else ", ".join(map(str, values))
    return repr(values)
