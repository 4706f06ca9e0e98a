"""A weather run judged against the common-sense baseline: the scale into degrees C, the guess in
words that follow the delay, and the sentence that says whether the run beats it, in numbers."""
import numpy as np
import pandas as pd
import pytest

from rnnlab.config import LayerConfig, RunConfig, WeatherOptions
from rnnlab.data.weather import load_weather
from rnnlab.lessons.baseline import (
    Scale,
    advice,
    forecast_when,
    normalized_scale,
    persistence_guess,
    run_verdict,
    scale_from_record,
    scale_from_result,
    verdict,
)

# A finished run as rnnlab.trainer.training.summarize_result writes it: the target's training std
# is 8 degC, so the baseline's 0.3375 std is 2.70 degC and the best 0.30125 std is 2.41 degC.
RESULT = {"metric": "mae", "best_val_mae": 0.30125, "test_mae": 0.3, "best_epoch": 4,
          "epochs_run": 5, "target_std": 8.0, "target_unit": "degC", "baseline_val_mae": 0.3375}
CELSIUS = Scale(8.0, "°C", 2.7)


def test_a_finished_runs_result_gives_its_scale_in_degrees():
    scale = scale_from_result(RESULT)
    assert (scale.factor, scale.unit) == (8.0, "°C") and scale.baseline == pytest.approx(2.7)
    assert scale.in_unit and scale.unit_words == "°C"
    assert scale.convert([0.3, 0.25]) == pytest.approx([2.4, 2.0])
    assert scale.amount(2.4123) == "2.41 °C"
    assert scale.baseline_label == "common-sense baseline 2.70 °C"
    humidity = scale_from_result({**RESULT, "target_std": 20.0, "target_unit": "%"})
    assert humidity.unit == "%" and humidity.baseline_label == "common-sense baseline 6.75 %"
    # Not a weather run's result, or none yet: nothing to convert with.
    assert scale_from_result({"metric": "accuracy", "best_val_accuracy": 0.8}) is None
    assert scale_from_result(None) is None


def test_a_running_run_gets_its_scale_from_the_record(monkeypatch):
    # Hourly 0, 2, 0, 2, ... degC: the training std is exactly 1, and a guess one hour ahead
    # that repeats the last reading is always 2 degC off.
    options = WeatherOptions(lookback_hours=4, step_hours=1, delay_hours=1)
    hours = pd.date_range("2013-01-01", periods=200, freq="h", name="Date Time")
    record = pd.DataFrame({options.target: np.tile([0.0, 2.0], 100)}, index=hours)
    monkeypatch.setattr("rnnlab.data.weather.load_series", lambda source: record)
    scale = scale_from_record(load_weather(options, validation_split=0.2))
    assert scale.factor == pytest.approx(1.0) and scale.unit == "°C"
    assert scale.baseline == pytest.approx(2.0)


def test_without_the_record_the_values_stay_normalized_and_say_so():
    scale = normalized_scale()
    assert not scale.in_unit and scale.baseline is None and scale.baseline_label is None
    assert scale.convert([0.29]) == [0.29] and scale.amount(0.29) == "0.290"
    assert scale.unit_words == "normalized: the weather record could not be read here"


def test_the_forecast_time_reads_in_hours_tomorrow_or_days():
    assert forecast_when(6) == "6 h from now"
    assert forecast_when(12) == "12 h from now"
    assert forecast_when(24) == "tomorrow at this hour (24 h from now)"
    assert forecast_when(36) == "36 h from now"
    assert forecast_when(72) == "in 3 days at this hour (72 h from now)"


def test_the_guess_follows_the_delay_and_the_target():
    assert persistence_guess(WeatherOptions(delay_hours=6)) == (
        "the temperature 6 h from now equals the temperature now")
    assert persistence_guess(WeatherOptions(delay_hours=48)) == (
        "the temperature in 2 days at this hour (48 h from now) equals the temperature now")
    humidity = WeatherOptions(source="jena", target="rh (%)", delay_hours=6)
    assert persistence_guess(humidity) == "the rh 6 h from now equals the rh now"


def test_a_run_that_beats_the_baseline_says_by_how_much():
    judged = verdict(2.41, 2.70, CELSIUS, "the temperature tomorrow equals the temperature now")
    assert judged.beats
    assert judged.sentence == ("Best validation MAE 2.41 °C beats the common-sense baseline "
                               "(2.70 °C) by 0.29 °C (11 % less error).")


def test_a_run_that_loses_to_the_baseline_says_so_and_what_to_try():
    guess = "the temperature 6 h from now equals the temperature now"
    judged = verdict(2.91, 2.70, CELSIUS, guess, best_epoch=3, epochs_run=10)
    assert not judged.beats
    assert judged.sentence.startswith(
        "Best validation MAE 2.91 °C does not beat the common-sense baseline (2.70 °C): this "
        "network has learned less than 'the temperature 6 h from now equals the temperature "
        "now'. Its validation error was lowest at epoch 3 of 10 and rose after")
    assert "dropout and recurrent dropout" in judged.sentence


def test_errors_that_read_the_same_are_a_tie_and_a_tie_does_not_beat_it():
    judged = verdict(2.703, 2.699, CELSIUS, "tomorrow equals today")
    assert not judged.beats
    assert judged.sentence.startswith("Best validation MAE 2.70 °C only ties the common-sense "
                                      "baseline (2.70 °C): this network has learned no more than")
    slightly_better = verdict(2.694, 2.706, CELSIUS, "tomorrow equals today")
    assert slightly_better.beats and "by 0.01 °C (0 % less error)" in slightly_better.sentence


def test_a_target_in_percent_reads_in_percent():
    judged = verdict(11.5, 12.0, Scale(20.0, "%", 12.0), "the rh 6 h from now equals the rh now")
    assert judged.sentence == ("Best validation MAE 11.50 % beats the common-sense baseline "
                               "(12.00 %) by 0.50 % (4 % less error).")


def test_the_advice_reads_the_validation_curve():
    assert advice(10, 10) == ("Its validation error was still falling at the last epoch (10): "
                              "train it for more epochs.")
    assert advice(2, 8).startswith("Its validation error was lowest at epoch 2 of 8 and rose after")
    assert "a GRU reads the readings in order" in advice(None, None)


def test_a_finished_runs_verdict_comes_from_its_result_and_its_delay():
    judged = run_verdict(RESULT, RunConfig(dataset="weather"))
    assert judged.beats and judged.sentence.startswith(
        "Best validation MAE 2.41 °C beats the common-sense baseline (2.70 °C) by 0.29 °C")
    losing = run_verdict({**RESULT, "best_val_mae": 0.36375, "best_epoch": 5},
                         RunConfig(dataset="weather"))
    assert not losing.beats
    assert "Best validation MAE 2.91 °C does not beat" in losing.sentence
    assert "'the temperature tomorrow at this hour (24 h from now) equals the temperature now'" \
        in losing.sentence
    assert "still falling at the last epoch (5)" in losing.sentence
    assert run_verdict({"metric": "accuracy", "best_val_accuracy": 0.9}, RunConfig()) is None
    assert run_verdict(None, RunConfig(dataset="weather")) is None


def test_a_dense_network_that_loses_is_told_about_order_not_recurrent_dropout():
    dense = RunConfig(dataset="weather", layers=(LayerConfig(cell="Dense", units=32),))
    losing = run_verdict({**RESULT, "best_val_mae": 0.36375, "best_epoch": 3}, dense)
    assert not losing.beats
    assert "lowest at epoch 3 of 5 and rose after: it has begun to memorise its training " \
           "period. Try dropout, or fewer units. A dense network sees the window with no " \
           "sense of order" in losing.sentence
    assert "recurrent dropout" not in losing.sentence
    assert advice(2, 8, recurrent=False).count("recurrent dropout") == 0
