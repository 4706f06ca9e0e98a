"""The three-cell race: one model trained with SimpleRNN, with LSTM and with GRU, on equal terms.

Tutorials repeat a table ("GRU has fewer parameters and trains faster; LSTM remembers longer") as
received wisdom. The race measures it: the three runs share the data, the seed, the depth, the
units and every training option; only each layer's cell differs. Because the seed fixes the
random generator and the Embedding is built before the recurrent layers, the three models even
start from the same word vectors. The racers are the registry's cells that race by default
(rnnlab.cells: the book's three); `race_configs` races any other cell on request, and Dense, the
network with no memory (rnnlab.config.FEEDFORWARD), as a lane of its own: what it scores is what
the task gives without recurrence, so the gap to the cells is what recurrence buys. A Dense
racer drops the settings a dense layer does not have (bidirectional, recurrent dropout; the
config turns them off) and keeps everything else.

`race_table` turns the three finished runs into that familiar table, filled with measured
numbers: best validation score, test score, parameters, seconds per epoch, peak memory, and how
much gradient still reached the first step of the input at the end of training. On weather the
scores are in degrees C, and `race_verdicts` says of each racer whether it beat the common-sense
baseline. On text (the character-level language model) the score is validation bits per
character, lower is better, and the verdicts place each racer against the unigram and bigram
lines (rnnlab.lessons.text_baselines); Dense cannot race there (the language model needs a
prediction at every step, which only a recurrent layer gives: `race_kinds`).
"""
from __future__ import annotations

import dataclasses
from typing import Sequence

from rnnlab.cells import CELLS
from rnnlab.config import FEEDFORWARD, LAYER_KINDS, RunConfig
from rnnlab.data.spec import data_spec
from rnnlab.jobs import runs
from rnnlab.jobs.artifacts import DamagedArtifact
from rnnlab.jobs.store import Run, Store
from rnnlab.lessons import baseline, text_baselines
from rnnlab.lessons.chance import AT_CHANCE, DEFAULT_CHANCE

# The cells a race trains unless told otherwise: SimpleRNN, LSTM and GRU, in teaching order.
RACE_CELLS = tuple(name for name, cell in CELLS.items() if cell.races_by_default)
# The setups the race page offers (rnnlab.config.presets), lesson-sized first: memory-quick's
# race ends in about a minute and teaches the most (GRU and LSTM learn, SimpleRNN stays at
# chance); the book's IMDB setup takes over 20 minutes on two CPU cores.
RACE_PRESETS = ("memory-quick", "imdb-quick", "nyc-quick", "text-quick", "imdb-lstm", "nyc-gru",
                "jena-gru")
# The table's headers are short, so that it fits a 1024 px projector without scrolling; each
# column's tooltip (`column_help`) says in full what it holds.
GRADIENT_COLUMN = "grad 1st/last"
COLUMN_HELP = {
    "best val": "The best validation score over the epochs (accuracy, the MAE in the unit "
                "shown, or bits per character: lower is better).",
    "test": "The score on the test set, which no run ever trained or was chosen on.",
    "params": "Trainable parameters: the numbers the network learns.",
    "s/epoch": "Seconds per epoch, measured while it trained on this server.",
    "peak MB": "The most memory the worker process used while training, in megabytes.",
    GRADIENT_COLUMN: "How much of the error reaches the first step of the input, relative to "
                     "the last step, at the end of training: near 1 it arrives whole, 1e-10 "
                     "means it vanished.",
}


def race_configs(config: RunConfig, cells: Sequence[str] = RACE_CELLS) -> list[RunConfig]:
    """`config` once per cell, every layer switched to that cell.

    Args:
        config: the model to race.
        cells: the racing cells, in the order of the runs (by default RACE_CELLS); "Dense" races
            the network with no memory.
    Returns:
        One config per cell.
    Raises:
        ValueError: a name that is neither a cell of the registry nor Dense
            (rnnlab.config.ConfigError says so).
    """
    return [dataclasses.replace(config, layers=tuple(dataclasses.replace(layer, cell=cell)
                                                     for layer in config.layers))
            for cell in cells]


def race_kinds(config: RunConfig) -> list[str]:
    """The layer kinds that can race `config`: every cell, and Dense except on text (the
    language model predicts at every step, which a Dense stack cannot; the config refuses it)."""
    return [kind for kind in LAYER_KINDS if not (kind == FEEDFORWARD and config.dataset == "text")]


def same_race(config: RunConfig, other: RunConfig) -> bool:
    """Whether `other` could have raced `config`: the same config once every layer's cell is the
    same. Where either is a Dense network, the settings a dense layer does not have are left out
    of the comparison (by making both Dense)."""
    placeholder = (FEEDFORWARD if config.is_feedforward or other.is_feedforward
                   else RACE_CELLS[0])

    def cells_erased(c: RunConfig) -> RunConfig:
        return dataclasses.replace(c, layers=tuple(dataclasses.replace(layer, cell=placeholder)
                                                   for layer in c.layers))
    return cells_erased(config) == cells_erased(other)


def first_step_gradient(run_id: int, store: Store | None = None) -> float | None:
    """|| dLoss/dx_1 || relative to || dLoss/dx_T || at the run's last gradient record.

    Raises:
        rnnlab.jobs.artifacts.DamagedArtifact: the finished run's gradient records are damaged.
    """
    records = runs.gradient_records(run_id, store)
    if records is None or not len(records.epochs):
        return None
    last = records.norms[-1]
    return float(last[0] / last[-1]) if last[-1] > 0 else None


def race_table(racers: list[Run], store: Store | None = None) -> list[dict]:
    """One row per racer, the scores blank until it has finished.

    A weather race's MAE columns are in the target's unit ("best val °C"), from each
    finished racer's result (rnnlab.lessons.baseline); a text race's are in bits per character
    ("best val bpc"). A racer whose gradient records are damaged
    says so in its status, and its gradient is blank. `column_formats` says how to show each
    number.
    """
    scales = [baseline.scale_from_result(run.result) for run in racers]
    unit = next((scale.unit for scale in scales if scale is not None), "")
    rows = []
    for run, scale in zip(racers, scales):
        result = run.result or {}
        metric = run.config.metric
        status, gradient = run.status, None
        try:
            gradient = first_step_gradient(run.id, store) if result else None
        except DamagedArtifact as err:
            status = f"{run.status}: {err}"
        label = {"mae": unit or "MAE", "bpc": "bpc"}.get(metric, "acc")
        factor = scale.factor if scale is not None else 1.0  # weather: into the target's unit
        best, test = (result.get(f"{key}_{metric}") for key in ("best_val", "test"))
        rows.append({
            "cell": run.config.layers[0].cell,
            "run": run.id,
            "status": status,
            f"best val {label}": best * factor if best is not None else None,
            f"test {label}": test * factor if test is not None else None,
            "params": result.get("params"),
            "s/epoch": result.get("seconds_per_epoch"),
            "peak MB": result.get("peak_memory_mb"),
            GRADIENT_COLUMN: gradient,
        })
    return rows


def column_formats(table: list[dict]) -> dict[str, str]:
    """How each number column of a race table reads for people, as printf formats.

    Accuracy to three decimals, an MAE in degrees C to two, seconds to one, memory in whole MB,
    parameters with thousands separators ("localized"), the gradient ratio in powers of ten.
    """
    formats = {"params": "localized", "s/epoch": "%.1f", "peak MB": "%.0f",
               GRADIENT_COLUMN: "%.1e"}
    for column in (table[0] if table else {}):
        if column.startswith(("best val", "test")):
            formats[column] = "%.3f" if column.endswith("acc") else "%.2f"
    return formats


def shown_columns(table: list[dict]) -> list[str]:
    """The race table's columns worth their width on a 1024 px projector: the run's id is in the
    chart's legend, and its status above the chart, so both are left out, except a status that
    carries a message (damaged gradient records) for the row that has one."""
    messages = any(":" in str(row["status"]) for row in table)
    return [name for name in (table[0] if table else {})
            if name != "run" and (name != "status" or messages)]


def column_help(column: str) -> str | None:
    """A race table column's tooltip: what its short header means in full."""
    return next((words for start, words in COLUMN_HELP.items() if column.startswith(start)), None)


def race_verdicts(racers: list[Run]) -> list[str]:
    """For each finished weather racer, its cell and id ("GRU (#4): ") and the sentence judging it
    against the common-sense baseline (rnnlab.lessons.baseline.run_verdict); for a text racer,
    against the unigram and bigram lines (rnnlab.lessons.text_baselines.run_verdict); nothing for
    other datasets."""
    lines = []
    for run in racers:
        judged = (baseline.run_verdict(run.result, run.config)
                  or text_baselines.run_verdict(run.result))
        if judged is not None:
            lines.append(f"{run.config.layers[0].cell} (#{run.id}): {judged.sentence}")
    return lines


# Two best scores closer than this are a tie: a different seed moves a run's best validation
# accuracy by about a point, and a weather MAE (or bits per character) by about 2 % of itself.
TIE_ACCURACY, TIE_RELATIVE_MAE = 0.01, 0.02


def chance_level(run: Run) -> float | None:
    """The accuracy of guessing for a classification run (its result's `chance_accuracy`, else
    0.5: both classification tasks are balanced); None for a regression (weather) run."""
    if run.config.metric != "accuracy":
        return None
    return float((run.result or {}).get("chance_accuracy", DEFAULT_CHANCE))


def _name(run: Run, racers: list[Run]) -> str:
    """A racer's name in a sentence: its cell, with its id when two racers share the cell."""
    cell = run.config.layers[0].cell
    twins = sum(other.config.layers[0].cell == cell for other in racers)
    return cell if twins == 1 else f"{cell} (#{run.id})"


def _others(scored: list[tuple[Run, float]], shown, racers: list[Run]) -> str:
    """ "LSTM's 0.69 and SimpleRNN's 0.51" for the racers after the first."""
    parts = [f"{_name(run, racers)}'s {shown(score)}" for run, score in scored]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _why_at_chance(run: Run, epochs: int) -> str:
    """Why a recurrent racer stayed at chance while another learned the task."""
    name, steps = run.config.layers[0].cell, data_spec(run.config).timesteps
    what = "the first marked value" if run.config.dataset == "memory" else "its first words"
    if name == "SimpleRNN":
        return (f"SimpleRNN stayed at chance: its gradient fades over {steps} steps, so it "
                f"cannot carry {what} to the end.")
    if run.config.is_feedforward:
        return ("Dense stayed at chance: with no memory it has to find the clue among all "
                f"{steps} steps at once, and in {epochs} epochs it did not.")
    return (f"{name} stayed at chance: in {epochs} epochs it had not yet learned to keep "
            f"{what}; its gates start half closed (see the Vanishing gradients page), and a "
            "longer run or another seed can open them.")


def race_leaders(racers: list[Run]) -> list[Run]:
    """The racers that share the lead once every racer has ended, best first: the winner alone,
    or every racer tied with it (within TIE_ACCURACY of the best validation accuracy, or within
    TIE_RELATIVE_MAE of the lowest validation MAE or bits per character).

    Returns:
        The leaders; empty while a racer is queued or running, or when fewer than two racers
        finished with a score (then there is no race to win).
    """
    if any(run.active for run in racers):
        return []
    metric = racers[0].config.metric if racers else "accuracy"
    scored = sorted(((run, float(run.result[f"best_val_{metric}"])) for run in racers
                     if run.status == "done"
                     and (run.result or {}).get(f"best_val_{metric}") is not None),
                    key=lambda pair: pair[1], reverse=metric == "accuracy")
    if len(scored) < 2:
        return []
    best = scored[0][1]

    def level_with_best(score: float) -> bool:
        if metric == "accuracy":
            return best - score < TIE_ACCURACY
        return score - best <= TIE_RELATIVE_MAE * abs(best)

    return [run for run, score in scored if level_with_best(score)]


def race_sentence(racers: list[Run]) -> str | None:
    """Who won the race, by how much, and why, once every racer has ended.

    Accuracy: the highest best validation accuracy wins, measured against chance; a regression
    (weather): the lowest best validation MAE, in the target's unit, against the common-sense
    baseline; text: the lowest validation bits per character, against the unigram and bigram
    lines. The racers level with the best (race_leaders) share the win. A racer that
    stayed within AT_CHANCE of chance gets a reason; a Dense lane is read as what the task gives
    without memory.

    Args:
        racers: the race's runs.
    Returns:
        The sentences, or None while a racer is queued or running or fewer than two finished.
    """
    leaders = race_leaders(racers)
    if not leaders:
        return None
    metric = racers[0].config.metric
    finished = [run for run in racers
                if run.status == "done" and (run.result or {}).get(f"best_val_{metric}") is not None]
    tied = len(leaders) > 1
    scale = next((s for s in map(lambda r: baseline.scale_from_result(r.result), finished)
                  if s is not None), None)
    factor = scale.factor if scale is not None else 1.0
    lower_wins = metric != "accuracy"
    scored = sorted(((run, float(run.result[f"best_val_{metric}"]) * factor) for run in finished),
                    key=lambda pair: pair[1], reverse=not lower_wins)
    lines_of = next((t for t in (text_baselines.from_result(r.result) for r in finished)
                     if t is not None), None)
    if lower_wins:
        shown = scale.amount if scale is not None else (lambda value: f"{value:.3f}")
        what = "validation bits per character" if metric == "bpc" else "validation MAE"
        reference = (f" (the common-sense baseline is {scale.amount(scale.baseline)}; lower is "
                     "better)" if scale is not None and scale.baseline is not None
                     else f" (the unigram line is {lines_of.unigram:.2f} and the bigram line "
                     f"{lines_of.bigram:.2f}; lower is better)" if lines_of is not None
                     else " (lower is better)")
    else:
        def shown(value: float) -> str:
            return f"{value:.2f}"
        what = "validation accuracy"
        chance = chance_level(scored[0][0])
        reference = f" (chance is {chance:.2f})"
        if all(score - chance < AT_CHANCE for _, score in scored):
            return ("Nobody won: every racer stayed at chance ("
                    + ", ".join(f"{_name(r, racers)} {shown(s)}" for r, s in scored)
                    + f"; chance is {chance:.2f}). None of them found the clue in "
                    f"{scored[0][0].config.training.epochs} epochs: train longer, or make the "
                    "task easier (a shorter sequence).")
    winner, best = scored[0]
    if tied:
        level = scored[:len(leaders)]  # race_leaders: the same order, best first
        names = " and ".join(_name(run, racers) for run, _ in level)
        lines = [f"{names} tied at {shown(best)} best {what}"
                 + (f", ahead of {_others(scored[len(level):], shown, racers)}"
                    if len(level) < len(scored) else "") + f"{reference}."]
    else:
        lines = [f"{_name(winner, racers)} won: {shown(best)} best {what} against "
                 f"{_others(scored[1:], shown, racers)}{reference}."]
    if lower_wins and scale is not None and scale.baseline is not None:
        beat = [_name(run, racers) for run, score in scored if score < scale.baseline]
        lines.append("None of them beat the common-sense baseline." if not beat else
                     "All of them beat the common-sense baseline." if len(beat) == len(scored)
                     else f"Only {' and '.join(beat)} beat the common-sense baseline.")
    if lines_of is not None:
        lines.append(_against_bigram([_name(run, racers) for run, score in scored
                                      if score < lines_of.bigram], len(scored)))
    if not lower_wins:
        epochs = winner.config.training.epochs
        lines += [_why_at_chance(run, epochs) for run, score in scored[1:]
                  if score - chance < AT_CHANCE and best - chance >= AT_CHANCE]
    dense = [(run, score) for run, score in scored if run.config.is_feedforward]
    if dense and dense[0][0] is winner:
        lines.append("Dense, which remembers nothing, won: on this task reading the whole input "
                     "at once is enough, and recurrence buys nothing.")
    elif dense and not (not lower_wins and dense[0][1] - chance < AT_CHANCE):
        lines.append(f"Dense, which remembers nothing, scored {shown(dense[0][1])}: the gap to "
                     f"{_name(winner, racers)} is what recurrence buys on this task.")
    return " ".join(lines)


def _against_bigram(below: list[str], racers: int) -> str:
    """Which text racers went below the bigram line (one character of memory), in a sentence."""
    if not below:
        return ("None of them went below the bigram line: none yet uses more than the one "
                "character before.")
    if len(below) == racers:
        return "All of them went below the bigram line: each uses more than the character before."
    return (f"Only {' and '.join(below)} went below the bigram line, using more than the "
            "character before.")
