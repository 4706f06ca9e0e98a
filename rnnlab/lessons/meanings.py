"""What a number on a chart means, in words: the one place a score or a gradient is explained.

A tooltip that says "0.86" teaches nothing; "validation accuracy 0.86: right on 86% of reviews
it never trained on" does. The cells say what each of their gates and states means
(rnnlab.cells.cell: `Cell.meanings`); this module says the same for everything else a chart of
the lab draws, so a metric reads the same on every chart and every page:

- the scores Keras reports (`score_meaning`): accuracy, the binary cross-entropy loss, the mean
  absolute error, in the target's unit (°C) when the run's scale is known, and the language
  model's bits per character (`bpc_words`, `against_char_lines`: the unigram and bigram lines);
- the gradient through time (`gradient_reach`): how much of the error still reaches a step, as a
  share of what reaches the last step, and what that does to learning;
- the gate saturation of one unit (`saturation_words`) and the long-memory task's landmarks
  (`memory_verdict`: chance 0.5, "only the recent value" 0.75).

A meaning is a template, as in the cell registry: "{value}" is the number (2 decimals) and
"{percent}" the number as a share ("86%"). `fill` puts a number in (for a sentence on a page);
`hover` puts plotly's placeholders in (for a chart's hovertemplate), so the page and the
tooltip say the same words. No Streamlit, no plotly, no TensorFlow.
"""
from __future__ import annotations

import math

from rnnlab.config.catalog import TEXT_VOCABULARY_SIZE

# What one example of each dataset is, for "right on 86% of reviews it never trained on".
EXAMPLES = {"imdb": "reviews", "memory": "sequences", "weather": "windows", "text": "text"}
# The binary cross-entropy of a 50/50 guess, ln 2: the loss a network that learned nothing scores.
GUESSING_LOSS = math.log(2)
# The long-memory task's landmarks (rnnlab.data.synthetic): guessing, and remembering only the
# recent marked value (right whenever the sum is decided without the first: 3 times in 4).
CHANCE_ACCURACY, RECENT_ONLY_ACCURACY = 0.5, 0.75
# Bits per character of a blind guess among the vocabulary's 97 ids (rnnlab.config.catalog):
# log2(97). A language model that learned nothing about characters scores this.
BLIND_GUESS_BPC = math.log2(TEXT_VOCABULARY_SIZE)


def fill(template: str, value: float) -> str:
    """A meaning with its number: fill("accuracy {value}: right on {percent}", 0.86) ->
    "accuracy 0.86: right on 86%"."""
    return template.format(value=f"{value:.2f}", percent=f"{value:.0%}")


def hover(template: str, number: str = "y") -> str:
    """A meaning as a plotly hovertemplate fragment for the value in `number` ("y" on a curve,
    "z" on a heatmap): "accuracy %{y:.2f}: right on %{y:.0%}"."""
    return template.format(value=f"%{{{number}:.2f}}", percent=f"%{{{number}:.0%}}")


def score_meaning(metric: str, part: str = "validation", dataset: str | None = None,
                  unit: str | None = None) -> str:
    """What one value of a score means, as a template with {value} and {percent}.

    Args:
        metric: "accuracy", "loss", "mae" or "bpc" (bits per character), as Keras names them.
        part: "validation" (measured on examples the network never trains on), "training"
            (the running mean over the batches of the current epoch, as Keras reports it) or
            "whole epoch" (that mean at the epoch's end: the training score of the epoch).
        dataset: the run's dataset, to name its examples ("reviews"); None says "examples".
            A weather run's loss is its MAE (it trains with loss="mae").
        unit: a weather run's unit ("°C") when its errors are drawn in it; "" or None when they
            stay normalized (in standard deviations of the target).
    Returns:
        e.g. "validation accuracy {value}: right on {percent} of reviews it never trained on".
    Raises:
        ValueError: an unknown metric or part.
    """
    wheres = {"validation": "{examples} it never trained on",
              "training": "the training {examples} so far this epoch",
              "whole epoch": "the training {examples} of the whole epoch"}
    if part not in wheres:
        raise ValueError(f"Unknown part {part!r}: use 'validation', 'training' or 'whole epoch'.")
    where = wheres[part].format(examples=EXAMPLES.get(dataset, "examples"))
    part = "validation" if part == "validation" else "training"
    if metric == "accuracy":
        return f"{part} accuracy {{value}}: right on {{percent}} of {where}"
    if metric == "mae" or (metric == "loss" and dataset == "weather"):
        name = "loss = MAE" if metric == "loss" else "MAE"
        if unit:
            return (f"{part} {name} {{value}} {unit}: forecasts off by {{value}} {unit} "
                    f"on average, on {where}")
        return (f"{part} {name} {{value}} (normalized): off by {{value}} standard deviations "
                f"of the target on average, on {where}")
    if metric == "bpc":
        return (f"{part} {{value}} bits per character: it needs {{value}} bits on average to "
                f"be told each next character of {where} (lower is better; a blind guess among "
                f"{TEXT_VOCABULARY_SIZE} needs {BLIND_GUESS_BPC:.2f})")
    if metric == "loss" and dataset == "text":
        return (f"{part} loss {{value}}: its surprise at each next character of {where}, in "
                f"nats (x 1.44 = bits per character; lower is better)")
    if metric == "loss":
        return (f"{part} loss {{value}}: its surprise at the true answers on {where} (lower "
                f"is better; a 50/50 guess scores {GUESSING_LOSS:.2f})")
    raise ValueError(f"Unknown metric {metric!r}: use accuracy, loss, mae or bpc.")


def against_baseline(error: float, baseline: float | None, unit: str) -> str:
    """A weather run's validation MAE against the common-sense baseline, in words.

    Args:
        error: the run's validation MAE in `unit`.
        baseline: the baseline's validation MAE in `unit` (rnnlab.lessons.baseline.Scale), or
            None when it is not known.
        unit: "°C", or "" when the values are normalized.
    Returns:
        "beats the common-sense baseline (2.70 °C) by 0.29 °C", "worse than ... by ...", or ""
        without a baseline.
    """
    if baseline is None:
        return ""
    gap, unit = abs(error - baseline), f" {unit}" if unit else ""
    if gap < 0.005:
        return f"ties the common-sense baseline ({baseline:.2f}{unit})"
    verb = "beats" if error < baseline else "is worse than"
    return f"{verb} the common-sense baseline ({baseline:.2f}{unit}) by {gap:.2f}{unit}"


def bpc_words(bpc: float) -> str:
    """What a score in bits per character means, as a number of equally likely characters.

    b bits per character is as unsure as a fair pick among 2^b characters (the perplexity): 3.2
    bits is a pick among about 9 of the 97, where a blind guess picks among all 97 (6.6 bits).

    Returns:
        e.g. "3.20 bits per character: as unsure, on average, as a fair pick among 9 characters
        (a blind guess picks among all 97)".
    """
    choices = 2.0 ** bpc
    return (f"{bpc:.2f} bits per character: as unsure, on average, as a fair pick among "
            f"{choices:,.0f} character{'s' * (round(choices) != 1)} (a blind guess picks among "
            f"all {TEXT_VOCABULARY_SIZE})")


def against_char_lines(bpc: float, unigram: float, bigram: float) -> str:
    """A language model's bits per character against the two counting models' lines
    (rnnlab.data.char_baselines: the unigram knows how common each character is, the bigram
    also the one character before).

    Returns:
        e.g. "below the bigram line (3.69) by 0.19: it uses more than the one character before".
    """
    if bpc < bigram:
        return (f"below the bigram line ({bigram:.2f}) by {bigram - bpc:.2f}: it uses more "
                "than the one character before")
    if bpc < unigram:
        return (f"below the unigram line ({unigram:.2f}) by {unigram - bpc:.2f}, above the "
                f"bigram line ({bigram:.2f}): it has learned some order, less than one "
                "character of memory gives")
    return (f"above the unigram line ({unigram:.2f}): it has not yet learned even how common "
            "each character is")


def share_words(ratio: float) -> str:
    """A ratio of two gradient sizes for people: "3.2 times", "0.25", "1e-6", "2.5e-4"."""
    if ratio >= 1:
        return f"{ratio:.2g} times"
    if ratio >= 0.01:
        return f"{ratio:.2g}"
    mantissa, exponent = f"{ratio:.1e}".split("e")  # "2.5", "-04"
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


def gradient_reach(ratio: float, reference: str = "the last step") -> str:
    """What a step's gradient, as a share of the last step's, does to learning.

    Args:
        ratio: || dLoss/dx_t || at the step divided by its size at the last step (the one
            nearest the loss); 0 when the gradient vanished below what float32 can hold.
        reference: the step the ratio is taken to, in words (when the last step's gradient is
            0 itself, a chart compares with "the strongest step" instead).
    Returns:
        e.g. "the gradient is 1e-6 of its size at the last step: what the model reads this far
        back barely changes its weights".
    """
    if ratio == 1:
        return f"the gradient at {reference}: the size every other step is compared with"
    if ratio <= 0:
        return ("the gradient vanished to exactly 0: what the model reads this far back cannot "
                "change its weights at all")
    size = (f"the gradient is {share_words(ratio)} {'its' if ratio >= 1 else 'of its'} size "
            f"at {reference}")
    if ratio >= 1:
        return f"{size}: what the model reads here changes its weights as much as {reference}"
    if ratio >= 0.3:
        return f"{size}: what the model reads here changes its weights nearly as much"
    if ratio >= 0.01:
        return f"{size}: what the model reads here still changes its weights, less strongly"
    if ratio >= 1e-4:
        return f"{size}: what the model reads this far back changes its weights only a little"
    return f"{size}: what the model reads this far back barely changes its weights"


def saturation_words(shut: float, wide_open: float) -> str:
    """How one unit's gate behaves over many inputs, from the shares of steps it is nearly shut
    (< 0.1) and nearly wide open (> 0.9).

    Returns:
        e.g. "mostly wide open: a switch left on" or "mostly in between: it blends old and new".
    """
    if wide_open >= 0.5:
        return "mostly wide open: it works like a switch left on"
    if shut >= 0.5:
        return "mostly shut: it works like a switch left off"
    if shut + wide_open >= 0.5:
        return "often at either end: a switch that flips from input to input"
    return "mostly in between: it blends old and new, not a switch"


def memory_verdict(accuracy: float) -> str:
    """A long-memory accuracy against the task's landmarks (guessing 0.5, recent value 0.75).

    Returns:
        e.g. "no better than guessing: neither marked value is kept" for 0.52.
    """
    if accuracy < CHANCE_ACCURACY + 0.05:
        return "no better than guessing (0.5): it kept neither marked value"
    if accuracy < RECENT_ONLY_ACCURACY - 0.05:
        return "below 0.75: it has not yet learned the recent marked value"
    if accuracy < RECENT_ONLY_ACCURACY + 0.05:
        return "about what the recent marked value alone allows (0.75): the start is forgotten"
    if accuracy < 0.95:
        return "above 0.75: it remembers the first marked value some of the time"
    return "near 1: it remembers the first marked value to the end"
