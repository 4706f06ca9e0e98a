"""Judging a weather run: its error in the target's unit, against the common-sense baseline.

The network trains on normalized values, z = (raw - mean) / std with the training rows' statistics
(rnnlab.data.weather), so Keras reports its loss and MAE (the loss is the MAE, loss="mae") in
standard deviations: "0.29" means 0.29 std. An error is a difference of two values, so the mean
cancels and only the division has to be undone:

    MAE in the target's unit = normalized MAE * std_T    (std_T: the target's std, training rows)

The score every network is judged against is the common-sense baseline (Chollet, *Deep Learning
with Python*, section 6.3): "the temperature d hours from now equals the temperature now", the
window's last reading. Both std_T and the baseline's validation MAE are known before the first
epoch ends, so the charts draw the baseline from the start:

- a finished run carries them in its result (`target_std`, `target_unit`, `baseline_val_mae`,
  written by rnnlab.trainer.training.summarize_result): `scale_from_result`;
- for a run still training the web process loads the same record with NumPy and computes them
  (`scale_from_record`, fed by rnnlab.ui.loaders.weather_scale);
- when the record cannot be read here (the Jena file is gone), the values stay normalized and
  every axis title says so (`normalized_scale`).

`verdict` then says in one sentence whether the best validation MAE beats the baseline, by how
much, and, when it does not, what that means and what to try. No Streamlit, no TensorFlow.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from rnnlab.config import RunConfig, WeatherOptions
from rnnlab.config.catalog import WEATHER_SOURCES
from rnnlab.data.explain import unit_label

NOT_READ = "normalized: the weather record could not be read here"


@dataclass(frozen=True)
class Scale:
    """How a weather run's normalized errors read in the target's unit, and the score to beat."""

    factor: float             # multiply a normalized error by this: std_T, or 1 when not known
    unit: str                 # the unit as it reads on screen ("°C", "%"); "" = still normalized
    baseline: float | None    # the baseline's validation MAE in `unit`; None when not known

    @property
    def in_unit(self) -> bool:
        """Whether the values are in the target's unit (False: normalized, the record unread)."""
        return bool(self.unit)

    @property
    def unit_words(self) -> str:
        """The unit for an axis title: "°C", or why the values are still normalized."""
        return self.unit if self.in_unit else NOT_READ

    def convert(self, normalized: Sequence[float]) -> list[float]:
        """Normalized errors (a loss or MAE curve) in the scale's unit."""
        return [value * self.factor for value in normalized]

    def amount(self, value: float) -> str:
        """A value in the scale's unit for people: "2.41 °C", or "0.290" when normalized."""
        return f"{value:.2f} {self.unit}" if self.in_unit else f"{value:.3f}"

    @property
    def baseline_label(self) -> str | None:
        """The baseline line's label, "common-sense baseline 2.70 °C"; None when not known."""
        if self.baseline is None:
            return None
        return f"common-sense baseline {self.amount(self.baseline)}"


def scale_from_result(result: dict | None) -> Scale | None:
    """The scale a finished weather run measured, from its result.

    Args:
        result: a run's result dict (see rnnlab.trainer.training.summarize_result).
    Returns:
        The Scale in the target's unit, or None when the result is not a weather run's (no
        `target_std`, `target_unit` and `baseline_val_mae`).
    """
    if not result or not {"target_std", "target_unit", "baseline_val_mae"} <= result.keys():
        return None
    factor = float(result["target_std"])
    baseline = float(result["baseline_val_mae"]) * factor
    return Scale(factor, unit_label(result["target_unit"]), baseline)


def scale_from_record(data) -> Scale:
    """The scale of a run still training, from the record it trains on, loaded with NumPy.

    Args:
        data: the run's rnnlab.data.weather.WeatherData (same options, same validation split).
    Returns:
        The Scale in the target's unit, with the baseline's validation MAE on the same windows
        the run is validated on.
    """
    return Scale(data.to_target_units(1.0), unit_label(data.target_unit),
                 data.to_target_units(data.baseline_mae("val")))


def normalized_scale() -> Scale:
    """The fallback when the record cannot be read: values left normalized, no baseline line."""
    return Scale(1.0, "", None)


# -- the baseline in words ----------------------------------------------------------------------


def forecast_when(delay_hours: int) -> str:
    """When the forecast is for, counted from the window's last reading, in words.

    Returns:
        "6 h from now"; "tomorrow at this hour (24 h from now)" for 24 h; "in 3 days at this
        hour (72 h from now)" for a whole number of days beyond one.
    """
    if delay_hours == 24:
        return "tomorrow at this hour (24 h from now)"
    if delay_hours > 24 and delay_hours % 24 == 0:
        return f"in {delay_hours // 24} days at this hour ({delay_hours} h from now)"
    return f"{delay_hours} h from now"


def target_name(options: WeatherOptions) -> str:
    """The forecast quantity in words: "the temperature" for the source's temperature column,
    otherwise the column's name without its unit ("rh (%)" -> "the rh")."""
    source = WEATHER_SOURCES.get(options.source)
    if source is not None and options.target == source.temperature_column:
        return "the temperature"
    return "the " + re.sub(r"\s*\([^()]*\)\s*$", "", options.target)


def persistence_guess(options: WeatherOptions) -> str:
    """The baseline's guess for these settings: "the temperature 6 h from now equals the
    temperature now"."""
    name = target_name(options)
    return f"{name} {forecast_when(options.delay_hours)} equals {name} now"


# -- the verdict ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """Whether a run beat the baseline, and the sentence that says so."""

    beats: bool
    sentence: str


def verdict(best: float, baseline: float, scale: Scale, guess: str,
            best_epoch: int | None = None, epochs_run: int | None = None,
            recurrent: bool = True) -> Verdict:
    """One sentence judging a best validation MAE against the baseline's, both in `scale`'s unit.

    Two errors that read the same at the shown precision (two decimals) are a tie, and a tie does
    not beat the baseline: the network has learned nothing the guess did not already know.

    Args:
        best: the run's best validation MAE, in the scale's unit.
        baseline: the baseline's validation MAE, in the same unit.
        scale: how the numbers read (scale.amount).
        guess: the baseline's guess in words (persistence_guess).
        best_epoch, epochs_run: when the best came and how many epochs ran (1-based), for the
            advice when the run loses; None gives general advice.
        recurrent: False for a dense network, whose advice differs (see advice).
    Returns:
        A Verdict; e.g. "Best validation MAE 2.41 °C beats the common-sense baseline (2.70 °C) by
        0.29 °C (11 % less error)."
    """
    said = f"Best validation MAE {scale.amount(best)}"
    against = f"the common-sense baseline ({scale.amount(baseline)})"
    if scale.amount(best) == scale.amount(baseline):
        return Verdict(False, f"{said} only ties {against}: this network has learned no more "
                              f"than '{guess}'. {advice(best_epoch, epochs_run, recurrent)}")
    if best > baseline:
        return Verdict(False, f"{said} does not beat {against}: this network has learned less "
                              f"than '{guess}'. {advice(best_epoch, epochs_run, recurrent)}")
    share = f" ({(baseline - best) / baseline * 100:.0f} % less error)" if baseline > 0 else ""
    return Verdict(True, f"{said} beats {against} by {scale.amount(baseline - best)}{share}.")


def advice(best_epoch: int | None, epochs_run: int | None, recurrent: bool = True) -> str:
    """Why a run may have lost to the baseline and what to try, read from its validation curve.

    Args:
        best_epoch, epochs_run: when the best validation error came, of how many epochs.
        recurrent: False for a dense network: it has no recurrent state to drop out, and its
            first remedy is a recurrent layer, which reads the readings in order.
    Returns:
        Still improving at the last epoch: train longer. Best early and worse after: it
        overfits, so regularize. Unknown: the usual remedies.
    """
    regularize = "dropout and recurrent dropout" if recurrent else "dropout"
    order = "" if recurrent else (" A dense network sees the window with no sense of order: a "
                                  "recurrent layer (a GRU) reads the readings one after another.")
    if best_epoch is not None and epochs_run is not None:
        if best_epoch >= epochs_run:
            return (f"Its validation error was still falling at the last epoch ({epochs_run}): "
                    f"train it for more epochs.{order}")
        return (f"Its validation error was lowest at epoch {best_epoch} of {epochs_run} and rose "
                f"after: it has begun to memorise its training period. Try {regularize}, or "
                f"fewer units.{order}")
    return (f"Try more epochs, a recurrent layer (a GRU reads the readings in order), or "
            f"{regularize}.")


def run_verdict(result: dict | None, config: RunConfig) -> Verdict | None:
    """The verdict on a finished weather run, from its result and its config.

    Args:
        result: the run's result (see scale_from_result); None or another dataset's gives None.
        config: the run's config: its weather settings give the baseline's guess in words, its
            layers whether the advice is a recurrent network's or a dense one's.
    Returns:
        The Verdict in the target's unit, or None when there is nothing to judge.
    """
    scale = scale_from_result(result)
    if scale is None or "best_val_mae" not in result:
        return None
    return verdict(result["best_val_mae"] * scale.factor, scale.baseline, scale,
                   persistence_guess(config.weather), result.get("best_epoch"),
                   result.get("epochs_run"), recurrent=not config.is_feedforward)
