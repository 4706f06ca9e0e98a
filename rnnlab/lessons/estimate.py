"""How long a batch of runs (a race, a sweep) will take, said before anyone presses Start.

A class waits for a race together, so the teacher needs to know before starting whether it
takes two minutes or forty. The estimate is arithmetic on measured seconds per epoch:

    seconds = sum over the runs to train of (epochs x seconds per epoch + RUN_OVERHEAD_SECONDS)

divided by the number of runs trained at once (the supervisor's workers, one by default: the
runs go one after another). A run whose identical twin already finished is reused, not
retrained (rnnlab.jobs.runs.submit_batch), and costs nothing.

Where each run's seconds per epoch come from, best first:

1. **This server's own finished runs of the same size**: the median `seconds_per_epoch` of the
   finished runs that have the same `pace_key` (the same data and data options, the same layers,
   batch size and validation split; the seed, the optimizer, the learning rate and the number of
   epochs change what a run learns, not how long an epoch takes).
2. **A figure measured on this machine** (`MEASURED`, two CPU cores, with
   `bench/race.py --preset NAME`), for the presets' data, scaled
   in proportion to the examples times the timesteps a run reads per epoch (a sweep's lengths).
   A cell without a figure of its own (the peephole LSTM, Dense) takes the slowest measured cell
   of that data: an estimate that errs long is one a class can plan around.
3. Nothing: the data has never been measured (the Jena record before its first run on this
   server); the page says so instead of guessing.

Early stopping can end a run before its last epoch, so the estimate is an upper bound for those.
"""
from __future__ import annotations

import dataclasses
import math
import statistics
from dataclasses import dataclass
from typing import Sequence

from rnnlab.config import RunConfig
from rnnlab.config.options import TrainingOptions
from rnnlab.data.spec import data_spec
from rnnlab.jobs.store import DONE, Run

# Seconds a run costs beyond its epochs: building the model, the test set's evaluation and
# saving its files (a standby worker has already imported TensorFlow). Measured on this machine
# as a run's wall time minus its epochs, for the memory-quick preset: 4 to 6 s.
RUN_OVERHEAD_SECONDS = 5.0


@dataclass(frozen=True)
class Measured:
    """Seconds per epoch measured for one data setup, by cell."""

    data: str                        # what `data_key` returns for the setup measured
    examples_times_steps: int        # training examples x timesteps of the setup measured
    seconds_per_epoch: dict          # cell -> seconds per epoch


# Figures measured on this machine (two CPU cores), with the presets' data, layer sizes and batch
# sizes: the mean seconds per epoch of each racer in `bench/race.py --preset NAME` (its first epoch,
# which waits for the XLA compiler, included), at a load average of 1.5-2 on 2026-12-01. The text
# figures predate the XLA path (rnnlab.config.execution_path): upper bounds.
MEASURED = (
    Measured("memory/50/8000", 6400 * 50, {"SimpleRNN": 0.5, "LSTM": 0.7, "GRU": 0.8}),
    Measured("imdb/120/all", 20_000 * 120, {"SimpleRNN": 2.6, "LSTM": 3.2, "GRU": 2.3}),
    Measured("weather/nyc-jfk/72/24", 72, {"SimpleRNN": 1.0, "LSTM": 1.2, "GRU": 1.5}),
    # text-quick: 400,000 characters of Python source, of which 240,000 train each epoch.
    Measured("text/python/100/400000", 240_000, {"SimpleRNN": 2.0, "LSTM": 1.8, "GRU": 1.5}),
)
IMDB_TRAINING_REVIEWS = 25_000  # Keras's IMDB training set, when no subset is chosen


@dataclass(frozen=True)
class Estimate:
    """How long a batch will take, and why."""

    runs: int                        # runs that will train (reused ones left out)
    reused: int                      # runs already trained, shown at once
    epochs: int                      # epochs per run (the most, if they differ)
    seconds_per_epoch: tuple         # (fewest, most) seconds per epoch among the runs to train
    seconds: float                   # the whole batch, start to end
    from_this_server: bool           # True: from finished runs here; False: from MEASURED
    workers: int = 1                 # runs trained at once

    def sentence(self) -> str:
        """The estimate in words, e.g. "About 3 minutes: 3 runs x 6 epochs at about 9 s per
        epoch, one after another on this machine." """
        if self.runs == 0:
            return (f"All {self.reused} runs have already been trained: they are shown at once, "
                    "nothing is queued.")
        fewest, most = (format_seconds_per_epoch(s) for s in self.seconds_per_epoch)
        pace = f"about {fewest} s" if fewest == most else f"{fewest} to {most} s"
        runs = f"{self.runs} run{'s' * (self.runs != 1)}"
        order = ("one after another" if self.workers == 1 else f"{self.workers} at a time") \
            if self.runs > 1 else "alone"
        where = "measured on this server's earlier runs" if self.from_this_server else \
            "on this machine"
        reused = (f" {self.reused} of the runs {'were' if self.reused != 1 else 'was'} already "
                  "trained and will be shown at once." if self.reused else "")
        return (f"{rough_duration(self.seconds)}: {runs} x {self.epochs} epochs at {pace} per "
                f"epoch, {order}, {where}.{reused}")


def rough_duration(seconds: float) -> str:
    """A wait in words: "Under a minute", "About 1 minute", "About 25 minutes", "About 1.5
    hours"."""
    if seconds < 60:
        return "Under a minute"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"About {minutes} minute{'s' * (minutes != 1)}"
    return f"About {seconds / 3600:.1f} hours"


def format_seconds_per_epoch(seconds: float) -> str:
    """Seconds to two significant figures at most, as people say them: "0.9", "4", "12", "150"."""
    if seconds >= 10:
        return str(int(round(seconds)))
    return f"{seconds:.1f}".rstrip("0").rstrip(".") if seconds >= 1 else f"{seconds:.1g}"


def pace_key(config: RunConfig) -> RunConfig:
    """What decides an epoch's duration: `config` with the settings that do not (seed,
    optimizer, learning rate, epochs, early stopping) set to their defaults."""
    training = config.training
    return dataclasses.replace(config, training=TrainingOptions(
        batch_size=training.batch_size, validation_split=training.validation_split))


def data_key(config: RunConfig) -> str:
    """The data a run reads, apart from the sequence length: "memory/50/4000" is the long-memory
    task at length 50 with 4,000 examples, "imdb/200/2000" IMDB cut to 200 tokens, 2,000 reviews,
    "weather/nyc-jfk/72/24" a weather record's window, "text/python/100/400000" the language
    model's corpus, windows of 100 characters from its first 400,000."""
    if config.dataset == "text":
        text = config.text
        return f"text/{text.corpus}/{text.window_chars}/{text.corpus_chars}"
    if config.dataset == "memory":
        return f"memory/{config.memory.sequence_length}/{config.memory.examples}"
    if config.dataset == "imdb":
        return f"imdb/{config.imdb.maxlen}/{config.imdb.train_subset or 'all'}"
    weather = config.weather
    return f"weather/{weather.source}/{weather.lookback_hours}/{weather.delay_hours}"


def examples_times_steps(config: RunConfig) -> int:
    """Training examples x timesteps per epoch, in proportion. A weather record's windows number
    about the same whatever their length (the record's hours), so there it is the timesteps
    alone: a figure measured on one record scales to another window of the same record only.
    The language model reads every training character once an epoch, whatever the window."""
    if config.dataset == "text":  # training text: the corpus less validation and test
        return int(config.text.corpus_chars * (1 - 2 * config.training.validation_split))
    steps = data_spec(config).timesteps
    if config.dataset == "memory":
        return int(config.memory.examples * (1 - config.training.validation_split)) * steps
    if config.dataset == "imdb":
        reviews = config.imdb.train_subset or IMDB_TRAINING_REVIEWS
        return int(reviews * (1 - config.training.validation_split)) * steps
    return steps


def measured_pace(config: RunConfig, measured: Sequence[Measured] = MEASURED) -> float | None:
    """Seconds per epoch from the figures measured on this machine, scaled to `config`'s data.

    A setup measured for the same data (`data_key`) is used as it is; otherwise one of the same
    dataset (the same record, for weather) is scaled by examples x timesteps (the long-memory
    task at another length). Returns None when nothing measured fits.
    """
    cell = config.layers[0].cell
    family = data_key(config).split("/")[:2 if config.dataset == "weather" else 1]
    for figure in measured:
        scale = 1.0
        if figure.data != data_key(config):
            if figure.data.split("/")[:len(family)] != family:
                continue
            scale = examples_times_steps(config) / figure.examples_times_steps
        pace = figure.seconds_per_epoch.get(cell, max(figure.seconds_per_epoch.values()))
        return pace * scale
    return None


def server_paces(finished: Sequence[Run]) -> dict[RunConfig, float]:
    """The median seconds per epoch of this server's finished runs, by their pace_key."""
    paces: dict[RunConfig, list[float]] = {}
    for run in finished:
        if run.status == DONE and run.result and run.result.get("seconds_per_epoch"):
            paces.setdefault(pace_key(run.config), []).append(
                float(run.result["seconds_per_epoch"]))
    return {key: statistics.median(seconds) for key, seconds in paces.items()}


def run_pace(config: RunConfig, here: dict[RunConfig, float],
             measured: Sequence[Measured] = MEASURED) -> tuple[float | None, bool]:
    """A run's seconds per epoch, and whether they come from this server's finished runs
    (`here`, server_paces) rather than from the figures measured on this machine; (None, False)
    when neither knows its size."""
    pace = here.get(pace_key(config))
    return (pace, True) if pace is not None else (measured_pace(config, measured), False)


def estimate(configs: Sequence[RunConfig], finished: Sequence[Run], workers: int = 1,
             measured: Sequence[Measured] = MEASURED) -> Estimate | None:
    """How long training `configs` as one batch will take.

    Each finished run is looked at once (the Race page asks on every drawing, and a term's
    server holds hundreds): its twin is found by the fingerprint the store keeps
    (`config_hash`, which the store's own reuse looks up too), its pace grouped by pace_key.

    Args:
        configs: the batch's runs (rnnlab.lessons.race.race_configs, sweep.sweep_configs).
        finished: this server's runs (rnnlab.jobs.runs.runs()); done ones are the twins that
            will be reused and the measurements preferred to `measured`.
        workers: runs trained at once (rnnlab.jobs.supervisor's workers).
        measured: the figures measured on this machine.
    Returns:
        The Estimate, or None when a run to train has no measured figure of any kind.
    """
    done = {run.config_hash for run in finished if run.status == DONE}
    to_train = [config for config in configs if config.fingerprint() not in done]
    here = server_paces(finished)
    paces = [run_pace(config, here, measured) for config in to_train]
    if any(pace is None for pace, _ in paces):
        return None
    seconds = sum(config.training.epochs * pace + RUN_OVERHEAD_SECONDS
                  for config, (pace, _) in zip(to_train, paces))
    batches = math.ceil(len(to_train) / max(1, workers))
    return Estimate(
        runs=len(to_train), reused=len(configs) - len(to_train),
        epochs=max((config.training.epochs for config in to_train), default=0),
        seconds_per_epoch=(min((p for p, _ in paces), default=0.0),
                           max((p for p, _ in paces), default=0.0)),
        seconds=seconds * batches / max(1, len(to_train)) if to_train else 0.0,
        from_this_server=bool(paces) and all(here for _, here in paces), workers=workers)
