"""The book's weather lesson as a path of presets: from common sense to a bidirectional GRU.

Chollet's *Deep Learning with Python* (1st ed., section 6.3) forecasts the temperature 24 hours
ahead and walks through a sequence of models, each answering the question the previous one
raised:

0. the common-sense baseline: "the temperature 24 h from now equals the temperature now"
   (no training; the Data page shows its error);
1. a small densely connected network on the flattened window: it sees every reading at once but
   has no notion of order or of time flowing, and in the book it does not beat the baseline;
2. one GRU(32): a recurrent layer reads the window in order, and beats the baseline;
3. the same GRU with dropout and recurrent dropout: it overfits later, so it trains longer;
4. two stacked GRUs (32 then 64 units), both with dropout: more capacity, slightly better;
5. a bidirectional GRU: reading the window backwards too does not help on weather, where the
   recent past matters most (it helps on text, where it does).

`lesson_steps(source)` returns the trainable steps 1-5 for a record as presets: "nyc-jfk" works
offline (rnnlab.data.nyc); "jena" is the book's own record, downloaded once. The New York windows
read 5 days (120 h, the book's prose says 720 ten-minute rows, 5 days) of one record of a single
year, so 60 % / 20 % / 20 % for training, validation and test (January to August, August to
October, October to December); Jena's read 10 days of eight years, split 50 / 25 / 25 as in the
book. Early stopping keeps each run inside a lesson and keeps its best epoch's weights.
"""
from __future__ import annotations

from dataclasses import dataclass

from rnnlab.config.options import LayerConfig, TrainingOptions, WeatherOptions
from rnnlab.config.run import RunConfig


@dataclass(frozen=True)
class LessonStep:
    """One model of the weather lesson, independent of the record it runs on."""

    key: str                        # the preset's name after the record's, e.g. "gru-dropout"
    title: str
    lesson: str                     # what the step shows, for the learner
    layers: tuple[LayerConfig, ...]
    epochs: int


STEPS = (
    LessonStep(
        "dense", "a small dense network, no memory",
        "Flatten the window and feed every reading to a Dense(32, relu) layer: the network sees "
        "all of it at once, but nothing tells it that readings come in order. Expect it not to "
        "beat the common-sense baseline: finding the simple answer 'tomorrow is like today' "
        "among all the functions a dense network can express is hard.",
        (LayerConfig(cell="Dense", units=32, activation="relu"),), epochs=10),
    LessonStep(
        "gru", "one 32-unit GRU",
        "A recurrent layer reads the window reading by reading, in order. In the book it is the "
        "first model to beat the baseline; watch its validation error fall below the line, then "
        "rise again as it starts to overfit.",
        (LayerConfig(cell="GRU", units=32),), epochs=10),
    LessonStep(
        "gru-dropout", "the GRU with dropout and recurrent dropout",
        "Drop 20 % of the inputs and 20 % of the recurrent state at every step while training: "
        "the network overfits later, so it gets twice the epochs. Recurrent dropout leaves "
        "Keras's fused kernel, so each epoch is slower.",
        (LayerConfig(cell="GRU", units=32, dropout=0.2, recurrent_dropout=0.2),), epochs=20),
    LessonStep(
        "gru-stacked", "two stacked GRUs",
        "A GRU(32) returning its whole sequence feeds a GRU(64), both with dropout: more capacity "
        "once overfitting is under control. In the book it helps a little, at twice the cost.",
        (LayerConfig(cell="GRU", units=32, dropout=0.1, recurrent_dropout=0.5),
         LayerConfig(cell="GRU", units=64, activation="relu", dropout=0.1,
                     recurrent_dropout=0.5)), epochs=20),
    LessonStep(
        "gru-bidirectional", "a bidirectional GRU",
        "A second GRU reads the window backwards, from the latest reading to the oldest, and the "
        "two final states are joined. On weather the recent past matters most, so the backward "
        "half adds little; on text (try it on IMDB) reading both ways helps.",
        (LayerConfig(cell="GRU", units=32, bidirectional=True),), epochs=10),
)

# Per record: its window and the share held out for validation (and again for test).
RECORDS = {
    "nyc-jfk": ("New York JFK", WeatherOptions(source="nyc-jfk", lookback_hours=120), 0.2),
    "jena": ("Jena", WeatherOptions(source="jena", lookback_hours=240), 0.25),
}


def step_config(source: str, step: LessonStep) -> RunConfig:
    """The run of one lesson step on one record (a key of RECORDS)."""
    _, weather, validation_split = RECORDS[source]
    return RunConfig(dataset="weather", weather=weather, layers=step.layers,
                     training=TrainingOptions(epochs=step.epochs,
                                              validation_split=validation_split,
                                              early_stopping_patience=4))


def preset_name(source: str, step: LessonStep) -> str:
    """The preset's key: "nyc-gru-dropout", "jena-dense"."""
    return f"{source.split('-')[0]}-{step.key}"
