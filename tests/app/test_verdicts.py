"""A run that learned nothing says so in words on Train and Runs; a run that learned does not.

Accuracy runs are judged against chance (rnnlab.lessons.chance), weather runs against the
common-sense baseline, language models against the unigram line; a stopped run is judged from its
epoch rows, since it has no result.
"""
import dataclasses

import pytest

from rnnlab.config import MemoryOptions, RunConfig, TrainingOptions
from tests.app.conftest import finished_weather_run, imdb_config, open_page

AT_CHANCE_IMDB = ("Best validation accuracy 0.52 is at chance (0.50): this network is right about "
                  "as often as a coin toss on reviews it never trained on, after 3 epochs: it has "
                  "learned nothing yet. Try a gated cell")


def epoch_rows(store, run_id, metric, values):
    store.add_metrics(run_id, [row for epoch, value in enumerate(values, start=1)
                               for row in (("epoch", epoch, epoch, "loss", 0.69),
                                           ("epoch", epoch, epoch, f"val_{metric}", value))])


def done_run(store, config: RunConfig, best: float) -> int:
    run_id = store.submit(config, "ada")
    store.claim(10)
    epoch_rows(store, run_id, "accuracy", [best - 0.01, best, best - 0.02])
    store.finish(run_id, "done", result={
        "dataset": config.dataset, "metric": "accuracy", "best_val_accuracy": best,
        "final_val_accuracy": best - 0.02, "test_accuracy": best, "seconds_per_epoch": 2.0,
        "params": 1_000, "epochs_run": 3, "best_epoch": 2, "chance_accuracy": 0.5})
    return run_id


def warnings_on(page: str, run_id: int) -> list[str]:
    app = open_page(page, {"run": str(run_id)})
    assert not app.exception, app.exception
    return [w.value for w in app.warning]


@pytest.mark.parametrize("page", ["train", "runs"])
def test_a_finished_run_at_chance_says_so_and_a_good_one_does_not(page, store):
    at_chance = done_run(store, imdb_config(), 0.52)
    good = done_run(store, imdb_config(seed=2), 0.86)
    (warning,) = [w for w in warnings_on(page, at_chance) if "chance" in w]
    assert warning.startswith(AT_CHANCE_IMDB)
    assert not [w for w in warnings_on(page, good) if "chance" in w]


@pytest.mark.parametrize("page", ["train", "runs"])
def test_a_memory_run_at_chance_points_to_a_gated_cell(page, store):
    config = dataclasses.replace(RunConfig(dataset="memory", memory=MemoryOptions(examples=400)),
                                 training=TrainingOptions(epochs=3))
    (warning,) = [w for w in warnings_on(page, done_run(store, config, 0.51)) if "chance" in w]
    assert "on sequences it never trained on" in warning
    assert "a SimpleRNN's gradient vanishes before it reaches the first marked value" in warning


@pytest.mark.parametrize("page", ["train", "runs"])
def test_a_stopped_run_is_judged_from_its_epoch_rows(page, store):
    stopped = store.submit(imdb_config(), "ada")
    store.claim(10)
    epoch_rows(store, stopped, "accuracy", [0.50, 0.52])
    store.request_cancel(stopped)
    store.finish(stopped, "cancelled")
    (warning,) = [w for w in warnings_on(page, stopped) if "chance" in w]
    assert warning.startswith("Best validation accuracy 0.52 is at chance (0.50): this network "
                              "is right about as often as a coin toss on reviews it never "
                              "trained on, after 2 epochs")
    learning = store.submit(imdb_config(seed=3), "ada")
    store.claim(10)
    epoch_rows(store, learning, "accuracy", [0.61, 0.74])
    store.request_cancel(learning)
    store.finish(learning, "cancelled")
    assert not [w for w in warnings_on(page, learning) if "chance" in w]


@pytest.mark.parametrize("page", ["train", "runs"])
def test_a_weather_run_that_loses_to_the_baseline_says_so_and_a_winner_does_not(page, store,
                                                                                data_dir):
    loser = finished_weather_run(store, 0.36375)       # 2.91 degC against the baseline's 2.70
    winner = finished_weather_run(store, 0.30125, seed=2)
    (warning,) = warnings_on(page, loser)
    assert warning.startswith("Best validation MAE 2.91 °C does not beat the common-sense "
                              "baseline (2.70 °C)")
    assert "Try" in warning or "train it for more epochs" in warning
    assert not warnings_on(page, winner)
