"""Setting widgets: one widget bound to one value of the tab's config or search.

Every setting on every page follows the same three rules:

1. The config (or search) from the URL decides what the widget shows, so a shared link, a preset
   or a page switch wins over whatever the widget held before.
2. A change is checked in the widget's on_change callback: the callback builds the changed
   config, and a config validates itself when it is built (rnnlab.config raises ConfigError).
   An allowed change becomes the tab's config, in the URL and in the session's carrier
   (rnnlab.ui.state).
3. A refused change is explained in words twice: right under the widget (or in the box the page
   names), the config's own reason ("Layer 1 units is 0, but it must be a whole number from 1 to
   1,024: ..."); and where the page calls `setting_error()`, a sentence saying that nothing
   changed and what the config still holds ("The model below did not change: it still has 32
   units in layer 1."). The widget springs back to the config's value when the page redraws.

A number box gets no min_value or max_value in the browser: there, a value out of range only
turns the box red with a tooltip and never reaches the server, so the student is not told in
words and the page silently keeps the old model. The bounds a page gives are checked here instead,
after the config's own checks, and refused the same way.

A widget is bound to one *place* in the config: a dotted path through its dataclasses, such as
"training.epochs", "layers.0.units" (the bottom layer: a tuple is indexed from 0) or, in a
search, "space.units_min"; or a `Place` with its own read and write for a value that is not one
field, such as the number of layers (`DEPTH`) or a layer's cell (`cell_of`: a stack is all Dense or
all recurrent, so switching one layer between the two switches them all).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Callable

import streamlit as st

from rnnlab.config import FEEDFORWARD, ConfigError, RunConfig
from rnnlab.config.search import SearchConfig
from rnnlab.ui import state

_SETTING_ERROR = "ui_setting_error"


@dataclass(frozen=True)
class Refusal:
    """A refused setting change: which widget, why (in words) and what the config still holds."""

    key: str       # the widget's key
    reason: str    # the config's message, e.g. "Epochs is 0, but it must be ..."
    unchanged: str  # e.g. "it still has 32 units in layer 1"


@dataclass(frozen=True)
class Place:
    """Where a widget's value lives in a config (or search), and how to change it there."""

    read: Callable[[Any], Any]        # config -> the value the widget shows
    write: Callable[[Any, Any], Any]  # (config, new value) -> the changed config (may raise)


def field(path: str) -> Place:
    """The place of one field, by its dotted path, e.g. field("layers.0.units").

    Writing builds a changed copy of every dataclass (and tuple) along the path, so the config
    validates itself as a whole.
    """
    parts = path.split(".")

    def read(source):
        for part in parts:
            source = source[int(part)] if isinstance(source, tuple) else getattr(source, part)
        return source

    def write(source, value):
        return _replaced(source, parts, value)

    return Place(read, write)


def labelled(path: str, labels: dict) -> Place:
    """The place of a field whose widget shows a label for each value, e.g. the Data page's tabs:
    labelled("dataset", {"imdb": "IMDB movie reviews", ...}) reads "imdb" as its label."""
    plain = field(path)
    values = {label: value for value, label in labels.items()}
    return Place(read=lambda source: labels[plain.read(source)],
                 write=lambda source, label: plain.write(source, values[label]))


def _replaced(source, parts: list[str], value):
    head, rest = parts[0], parts[1:]
    if isinstance(source, tuple):
        items = list(source)
        items[int(head)] = _replaced(items[int(head)], rest, value) if rest else value
        return tuple(items)
    inner = _replaced(getattr(source, head), rest, value) if rest else value
    return dataclasses.replace(source, **{head: inner})


def with_depth(config: RunConfig, depth: int) -> RunConfig:
    """`config` with `depth` recurrent layers.

    A new layer starts as a copy of the layer below it. Whatever the depth, the top layer keeps
    the top's return_sequences choice, so going from 1 to 2 layers and back gives the same model.
    """
    top = config.layers[-1]
    layers = list(config.layers[:depth])
    while len(layers) < depth:
        layers.append(layers[-1])
    layers[-1] = dataclasses.replace(layers[-1], return_sequences=top.return_sequences)
    return dataclasses.replace(config, layers=tuple(layers))


DEPTH = Place(read=lambda config: len(config.layers), write=with_depth)


def with_cell(config: RunConfig, index: int, cell: str) -> RunConfig:
    """`config` with layer `index`'s (0 = bottom) cell set to `cell`.

    A stack is all Dense or all recurrent (the config refuses a mix), so a change between the
    two kinds changes every layer: Dense on one layer of an LSTM stack makes the whole stack
    Dense, a GRU on one layer of a Dense stack makes it a GRU stack. Between recurrent cells only
    the chosen layer changes. Units, activation and dropout stay as they were.
    """
    if (cell == FEEDFORWARD) == config.is_feedforward:
        layers = tuple(dataclasses.replace(layer, cell=cell) if i == index else layer
                       for i, layer in enumerate(config.layers))
    else:
        layers = tuple(dataclasses.replace(layer, cell=cell) for layer in config.layers)
    return dataclasses.replace(config, layers=layers)


def cell_of(index: int) -> Place:
    """The place of layer `index`'s (0 = bottom) cell, written by `with_cell`."""
    return Place(read=lambda config: config.layers[index].cell,
                 write=lambda config, cell: with_cell(config, index, cell))


def from_widget(value):
    """A widget's value as a config holds it.

    A multiselect's list becomes a tuple. A float loses the binary noise of the browser's
    arithmetic (ten significant digits), so a slider's 0.30000000000000004 is 0.3 in the link.
    """
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, float):
        return float(f"{value:.10g}")
    return value


def shown_value(value) -> str:
    """A config value as a sentence quotes it: 1,024 with a thousands comma, 0.001 not 0.00100."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def _outside_bounds(label: str, value, low, high) -> str | None:
    """Why `value` is outside the page's bounds for a number box, or None when it is inside."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    if (low is not None and value < low) or (high is not None and value > high):
        return (f"{label} is {shown_value(value)}, but this box takes {shown_value(low)} to "
                f"{shown_value(high)}.")
    return None


def setting(widget, label: str | list[str], source: RunConfig | SearchConfig,
            place: str | Place, key: str, unchanged: str | None = None, message_at=None,
            **kwargs):
    """Draw `widget` bound to one value of the tab's config or search.

    Example: setting(st.number_input, "Epochs", config, "training.epochs", "train_epochs",
    min_value=1).

    Args:
        widget: a Streamlit widget function, e.g. st.selectbox or a column's .slider.
        label: the widget's label (for st.tabs, the tabs' labels).
        source: the config (or search) the page drew, from rnnlab.ui.state: what the widget shows.
        place: a dotted path into `source` (see `field`) or a Place such as DEPTH.
        key: the widget key, named after the page (e.g. "train_epochs").
        unchanged: what the config still holds after a refused change, with {} for the value,
            e.g. "it still has {} units in layer 1"; by default '"Epochs" is still {}'.
        message_at: the container that shows a refusal's reason (e.g. the layer's box); by
            default the one the widget is drawn in, right under it.
        **kwargs: passed on to the widget (options, min_value, help...). A number box's
            min_value and max_value are checked here rather than in the browser (see above).
    Returns:
        What the widget returns.
    """
    place = field(place) if isinstance(place, str) else place
    if isinstance(source, SearchConfig):
        latest, remember = state.latest_search, state.remember_search
    else:
        latest, remember = state.latest_config, state.remember_config
    value = place.read(source)
    shown = list(value) if isinstance(value, tuple) else value
    if st.session_state.get(key) != shown:
        st.session_state[key] = shown
    kwargs.update(_default_of(getattr(widget, "__name__", ""), shown, kwargs.get("options")))
    low = high = None
    if getattr(widget, "__name__", "") == "number_input":
        low, high = kwargs.pop("min_value", None), kwargs.pop("max_value", None)
        if isinstance(value, int):
            # Without bounds Streamlit would make the box a float box (it starts from 0.0).
            kwargs.setdefault("step", 1)
    sentence = (unchanged or f"\u201c{label}\u201d is still {{}}").format(shown_value(value))

    def apply() -> None:
        # The latest config, not `source`: see rnnlab.ui.state.latest_config.
        typed = from_widget(st.session_state[key])
        try:
            changed = place.write(latest(), typed)
        except ConfigError as err:
            st.session_state[_SETTING_ERROR] = Refusal(key, str(err), sentence)
            return
        reason = _outside_bounds(label, typed, low, high)
        if reason:
            st.session_state[_SETTING_ERROR] = Refusal(key, reason, sentence)
            return
        remember(changed)

    drawn = widget(label, key=key, on_change=apply, **kwargs)
    refusal = st.session_state.get(_SETTING_ERROR)
    if isinstance(refusal, Refusal) and refusal.key == key:
        (message_at or getattr(widget, "__self__", st)).error(refusal.reason)
    return drawn


def _default_of(kind: str, shown, options) -> dict:
    """The widget argument that makes `shown` (the config's value) the widget's own default.

    The session state decides what the widget shows. The default is what Streamlit's browser
    side falls back to for a widget it draws without a value of its own, and what it sends back
    with the next change of any other widget; the first option or zero would then be a change
    nobody made. In CI a Build page once turned its LSTM into a SimpleRNN (the first cell) when
    Units was typed into; that was not reproduced here, and this is its likely path. With the
    config's value as the default, whatever the browser sends back is what the config holds.

    Args:
        kind: the widget function's name, e.g. "selectbox".
        shown: the config's value as the widget holds it (a list for a tuple).
        options: the widget's options, for a choice widget.
    Returns:
        The keyword argument (e.g. {"index": 1}), or {} where `shown` is not among the options.
    """
    choices = list(options) if options is not None else []
    if kind in ("selectbox", "radio"):
        return {"index": choices.index(shown)} if shown in choices else {}
    if kind == "multiselect":
        return {"default": shown} if all(value in choices for value in shown) else {}
    if kind == "tabs":
        return {"default": shown}
    return {"value": shown}  # number_input, slider, checkbox, toggle


def setting_error(subject: str = "The settings") -> None:
    """Say (once) that the last refused change changed nothing, and what is kept.

    Call it after the page's settings, where the student looks next, e.g. above the model
    summary: "The model below did not change: it still has 32 units in layer 1." The reason
    itself is shown under the refused widget by `setting`.

    Args:
        subject: what did not change, e.g. "The model below".
    """
    refusal = st.session_state.pop(_SETTING_ERROR, None)
    if isinstance(refusal, Refusal):
        st.warning(f"{subject} did not change: {refusal.unchanged}.")
