"""The shape of a config's task in the standard RNN lesson's words, one sentence per shape.

A recurrent network reads a sequence one step at a time; what makes tasks differ is where the
answers come out (Karpathy, "The unreasonable effectiveness of recurrent neural networks", 2015):

    many-to-one    the whole sequence in, one answer after its last step (sentiment, forecast,
                   the long-memory task): the head reads h_T, or the average of h_1 .. h_T
    many-to-many   an answer at every step (the language model: the next character after each
                   character), so the top layer must return its whole sequence
    one-to-many    one start, then an answer at every step, each fed back as the next input (the
                   language model writing from a prompt)

The Build page names the shape of the task with these sentences beside the diagrams of
rnnlab.plots.task_shape; `RunConfig.shape` says which shape a config trains.
"""
from __future__ import annotations

from rnnlab.config import RunConfig

# What one example is, how it is read step by step, and its one answer (many-to-one datasets).
_MANY_TO_ONE = {
    "imdb": ("a review", "word by word", "the probability that the review is positive"),
    "weather": ("a window of readings", "hour by hour", "the temperature forecast"),
    "memory": ("a sequence of values and markers", "step by step",
               "whether the two marked values add up to more than 1"),
}


def task_shapes(config: RunConfig) -> list[tuple[str, str]]:
    """The shapes the config's model takes, each with a sentence that says what goes in and out.

    Args:
        config: a valid RunConfig.
    Returns:
        [(shape, sentence)]: one pair ("many-to-one") for the review, weather and long-memory
        tasks; two for the language model, "many-to-many" while it trains and "one-to-many"
        when it writes from a prompt.
    """
    if config.shape == "many-to-many":
        window = config.text.window_chars
        return [
            ("many-to-many",
             f"**Many-to-many** while it trains: the model reads a window of {window} "
             f"characters and answers at every step. After each character, the same Dense "
             f"softmax gives every character of the vocabulary a probability of coming next, "
             f"so one window gives {window} answers, each scored against the character that "
             f"really came next. That is why every layer, the top one too, returns its whole "
             f"sequence, and why there is no pooling."),
            ("one-to-many",
             "**One-to-many** when it writes from a prompt: it reads the prompt (or nothing), "
             "picks a next character from its probabilities, then reads the character it just "
             "picked as its next input, again and again: one start, many characters out."),
        ]
    example, stepwise, answer = _MANY_TO_ONE[config.dataset]
    if config.is_feedforward:
        return [("many-to-one",
                 f"**Many-to-one**, without steps: a dense network reads {example} all at once "
                 f"and answers once: {answer}.")]
    head = ("the average of the top layer's states h_1 ... h_T" if
            config.layers[-1].return_sequences else "only the top layer's last state h_T")
    return [("many-to-one",
             f"**Many-to-one**: the network reads {example} {stepwise} and answers once, after "
             f"the last step: {answer}. The head reads {head}.")]
