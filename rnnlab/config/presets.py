"""Named starting points: the book's experiments and quick classroom setups.

Each preset is a complete RunConfig. The IMDB ones follow Chollet, *Deep Learning with Python*,
ch. 6 (10,000 words, reviews cut to 500 tokens, Embedding(32), one 32-unit layer, rmsprop,
batch 128, 10 epochs, 20 % validation), where the book reports about 85 % best validation accuracy
for SimpleRNN and 89 % for LSTM. The weather presets are the steps of the book's weather lesson
(rnnlab.config.weather_lesson) on New York's JFK airport (offline) and on Jena, where the book's
common-sense baseline scores an MAE of 0.29 (2.57 degC) and its GRU about 0.265 (2.35 degC).

The language-model preset trains a 16-unit GRU on the Python standard library's source (offline,
every machine has it): 400,000 characters in windows of 100, 1.4 s an epoch on two CPU cores. A
first run (seed 1) went from 4.15 bits per character after epoch 1 to 3.50 after epoch 6, against
4.54 for the unigram model and 3.69 for the bigram model on the same validation text.

The quick IMDB preset ("Start here") trades the book's long reviews for many short ones: all
20,000 training reviews cut to their last 120 words, a 16-unit GRU (on XLA, see
rnnlab.config.execution_path), adam at 0.01, batch 128, early stopping after 2 epochs without a
better validation loss, keeping the best weights. Its race through the engine (bench/race.py
--preset imdb-quick, seed 1, two CPU cores at load 1.5) took 48 s for all three cells: best
validation accuracy 0.864 for the GRU (test 0.850), 0.846 LSTM, 0.726 SimpleRNN, 2.3-3.2 s an
epoch. Measured earlier through `python -m rnnlab train --preset imdb-quick` at load 5-10: 0.864
(seed 1) and 0.858 (seed 2), both at epoch 2, and both called "Terrible. Boring plot, awful
acting, a waste of time. I hated it." negative (P(positive) 0.01-0.02) and a glowing review
positive (0.92-0.99). The former preset (2,000 reviews of 200 words, a 16-unit LSTM, rmsprop, 3
epochs) peaked at 0.675 and called that review positive. Longer cuts did no better in more time
(maxlen 200 with 32 units: 0.864 at about twice the seconds an epoch); 8,000 reviews of 120 words
reached 0.845.

The quick New York preset (nyc-quick, the JFK record, 72 h in, 24 h ahead, a 16-unit GRU, 6
epochs) beat the common-sense baseline's 2.145 degC on the validation months with seeds 1, 2 and
3: best validation MAE 2.073, 2.069 and 2.123 degC (epoch 3 each), test MAE 3.13-3.19 against
the baseline's 3.67; 2.6-6.4 s an epoch on two CPU cores at load 5-11, XLA path. Its race
(seed 1, load 2.0, 35 s in all): GRU 2.073, SimpleRNN 2.158, LSTM 2.183 degC: only the GRU beats
the baseline, which is the lesson of the book's weather chapter in miniature.

The long-memory preset is the adding problem at length 50 (rnnlab.data.synthetic), 8,000 sequences
(4,000 before issue 18: on the XLA path the LSTM then reached only 0.85 in 8 epochs). Its race
through the engine (bench/race.py --preset memory-quick: SimpleRNN, LSTM, GRU one after another,
seed 1, two CPU cores at load 1.7) took 30 s from submission to the last result: best validation
accuracy 0.503, 0.981 and 0.986, 0.5-0.8 s an epoch (76 s at load 10). With seed 2 the LSTM reached
0.93 and the GRU 0.97. Its sweep with 4,000 sequences through the lab's engine (bench/sweep.py, seed
1, two shared CPU cores, 1-4.5 s an epoch, before the XLA path) gave
best validation accuracy

    length      10     20     50    100
    SimpleRNN  0.81   0.67   0.51   0.53
    LSTM       0.96   0.94   0.96   0.53
    GRU        0.97   0.96   0.95   0.92

and at the end of training the gradient at step 0 relative to the last step was 2.7e-4 for the
SimpleRNN at length 50 (6e-14 at 100), against 1.3 to 3.1 for the gated cells that learned it.
"""
from __future__ import annotations

from dataclasses import dataclass

from rnnlab.config.options import (
    ImdbOptions,
    LayerConfig,
    MemoryOptions,
    TextOptions,
    TrainingOptions,
    WeatherOptions,
)
from rnnlab.config.run import RunConfig
from rnnlab.config.weather_lesson import RECORDS, STEPS, preset_name, step_config


@dataclass(frozen=True)
class Preset:
    title: str          # one line for a selectbox
    description: str    # what to expect, for the learner
    config: RunConfig


def _book_imdb(cell: str, expected: str) -> Preset:
    return Preset(
        title=f"Book: IMDB with one 32-unit {cell}",
        description=f"Chollet ch. 6 on all 25,000 training reviews. The book reports {expected} "
                    "best validation accuracy. About 10 epochs of a few minutes each on a laptop.",
        config=RunConfig(dataset="imdb", layers=(LayerConfig(cell=cell, units=32),)),
    )


def _weather_lesson() -> dict[str, Preset]:
    """The five trainable steps of the book's weather lesson on each record (weather_lesson)."""
    presets = {}
    for source, (record, _, _) in RECORDS.items():
        download = " Downloads the 13 MB Jena record once." if source == "jena" else ""
        for number, step in enumerate(STEPS, start=1):
            presets[preset_name(source, step)] = Preset(
                title=f"Weather lesson {number} ({record}): {step.title}",
                description=step.lesson + download, config=step_config(source, step))
    return presets


PRESETS: dict[str, Preset] = {
    "imdb-simplernn": _book_imdb("SimpleRNN", "about 85 %"),
    "imdb-lstm": _book_imdb("LSTM", "about 89 %"),
    "imdb-gru": _book_imdb("GRU", "no figure for GRU, but close to the LSTM"),
    "imdb-quick": Preset(
        title="Classroom: IMDB in a minute",
        description="All 20,000 training reviews cut to their last 120 words, a 16-unit GRU, "
                    "adam at a learning rate of 0.01, batches of 128: validation accuracy passes "
                    "0.85 within two epochs (about 0.86 at best), then the network starts to "
                    "memorise its reviews and early stopping keeps the best weights. Under half "
                    "a minute of training on two CPU cores; then type a review of your own and "
                    "let it judge.",
        config=RunConfig(
            dataset="imdb",
            imdb=ImdbOptions(maxlen=120),
            layers=(LayerConfig(cell="GRU", units=16),),
            training=TrainingOptions(optimizer="adam", learning_rate=1e-2, batch_size=128,
                                     epochs=6, early_stopping_patience=2),
        ),
    ),
    "nyc-quick": Preset(
        title="Classroom: New York weather in a minute, offline",
        description="Three days of hourly readings at JFK airport (8 measurements) forecast the "
                    "temperature 24 h ahead, with a 16-unit GRU. Bundled data, no download, "
                    "about a minute on two CPU cores. The common-sense baseline misses by about "
                    "2.1 degC on the validation months; the GRU gets below it (2.07-2.12 degC "
                    "at its best epoch with seeds 1-3), narrowly: a lesson in how hard that "
                    "baseline is to beat.",
        config=RunConfig(
            dataset="weather",
            weather=WeatherOptions(source="nyc-jfk", lookback_hours=72, delay_hours=24),
            layers=(LayerConfig(cell="GRU", units=16),),
            training=TrainingOptions(batch_size=64, epochs=6),
        ),
    ),
    **_weather_lesson(),
    "memory-quick": Preset(
        title="Classroom: the long-memory task (generated, offline)",
        description="Sequences of 50 steps, each a random value and a marker; two values are "
                    "marked, one near the start and one in the second half: do they add up to "
                    "more than 1? The adding problem, 8,000 sequences generated, no download, "
                    "about 10 s a run on two CPU cores. Race the three cells (half a "
                    "minute to a minute in all): SimpleRNN stays at chance (0.5) while LSTM "
                    "and GRU pass 0.9 within 8 epochs. Then compare their gradients, and sweep "
                    "the sequence length on the Vanishing gradients page.",
        config=RunConfig(
            dataset="memory",
            memory=MemoryOptions(sequence_length=50, examples=8000),
            layers=(LayerConfig(cell="LSTM", units=16),),
            training=TrainingOptions(optimizer="adam", learning_rate=1e-2, batch_size=32,
                                     epochs=8),
        ),
    ),
    "text-quick": Preset(
        title="Classroom: a language model that learns to write Python (offline)",
        description="A 16-unit GRU reads the Python standard library's own source, 100 "
                    "characters at a time, and learns to predict the next character. No "
                    "download, about a minute on two CPU cores. After each epoch it writes a "
                    "sample: watch gibberish turn into indented lines and keywords. Its bits per "
                    "character drop below the unigram model's (letters counted, no order) "
                    "within the first epoch and below the bigram model's (one character of "
                    "memory) a few epochs later.",
        config=RunConfig(
            dataset="text",
            text=TextOptions(corpus="python", window_chars=100, corpus_chars=400_000),
            layers=(LayerConfig(cell="GRU", units=16),),
            training=TrainingOptions(optimizer="adam", learning_rate=1e-2, batch_size=64,
                                     epochs=20),
        ),
    ),
}


def preset_of(config: RunConfig) -> str | None:
    """The name of the preset whose setup `config` is, seed included; None if it is no preset's.

    A setup carried by a link (Home's "Start here", a reload, a shared URL) is named by this, so the
    Train page can say which preset it is and what to expect from it.
    """
    return next((name for name, preset in PRESETS.items() if preset.config == config), None)
