"""The language model's two reference lines, and a run's bits per character judged against them.

A character-level language model is scored in bits per character (bpc, lower is better; see
rnnlab.data.char_baselines). Two models that only count draw the lines it must cross:

- the **unigram** line: how common each character is, and nothing about order;
- the **bigram** line: the character before, one character of memory.

A run above the unigram line has learned less than letter frequencies; between the lines it has
learned some order; below the bigram line it uses more than the one character before, which is
what the recurrent state is for. A finished run's result carries both lines on its validation
text (rnnlab.trainer.training); for a run still training they are counted here from the same
text (`from_text`), so the curves get their lines from the first epoch.
"""
from __future__ import annotations

from dataclasses import dataclass

from rnnlab.data.char_baselines import bigram_bits, unigram_bits
from rnnlab.data.text import TextData
from rnnlab.lessons.baseline import Verdict
from rnnlab.lessons.meanings import against_char_lines, bpc_words


@dataclass(frozen=True)
class CharBaselines:
    """The counting models' bits per character on one run's validation text."""

    unigram: float   # letters counted, no order
    bigram: float    # pairs counted: one character of memory

    def labels(self) -> list[tuple[str, float]]:
        """(label, value) of each line, as a chart's legend names them."""
        return [(f"unigram model {self.unigram:.2f}: letters counted", self.unigram),
                (f"bigram model {self.bigram:.2f}: one character back", self.bigram)]


def from_result(result: dict | None) -> CharBaselines | None:
    """The lines a finished text run's result carries, or None (another dataset, or no result)."""
    if not result or "unigram_val_bpc" not in result or "bigram_val_bpc" not in result:
        return None
    return CharBaselines(float(result["unigram_val_bpc"]), float(result["bigram_val_bpc"]))


def from_text(data: TextData) -> CharBaselines:
    """The lines counted on `data`'s training text and scored on its validation text, as the
    trainer counts them for the result.

    Raises:
        ValueError: the validation text has fewer than two characters.
    """
    return CharBaselines(unigram_bits(data.ids["train"], data.ids["val"]),
                         bigram_bits(data.ids["train"], data.ids["val"]))


def verdict(bpc: float, lines: CharBaselines) -> Verdict:
    """A text run's validation bits per character against the lines, in one sentence; it
    "beats" the counting when it is below the unigram line.

    Returns:
        e.g. Verdict(True, "3.50 bits per character: as unsure, on average, as a fair pick among
        11 characters (...); below the bigram line (3.69) by 0.19: it uses more than the one
        character before.")
    """
    beats = bpc < lines.unigram
    advice = "" if beats else (" Train it for more epochs, or faster: adam with a learning rate "
                               "of 0.01.")
    return Verdict(beats=beats, sentence=f"{bpc_words(bpc)}; "
                                         f"{against_char_lines(bpc, lines.unigram, lines.bigram)}."
                                         f"{advice}")


def run_verdict(result: dict | None) -> Verdict | None:
    """The verdict on a finished text run from its result, or None when it has no lines."""
    lines = from_result(result)
    if lines is None or "best_val_bpc" not in result:
        return None
    return verdict(float(result["best_val_bpc"]), lines)
