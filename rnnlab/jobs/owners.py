"""Owners: the name a student joins with, cleaned for showing, and the key that tells people apart.

A run's owner is the name of the person who queued it: the name they joined the class with in the
sidebar (rnnlab.jobs.people; a link never carries it). It is data, never markup (the pages show
it as plain text), and one person must not pass for another, or get a fresh quota, by typing a
name differently. So a name has two forms:

    the display name   what is stored with the run and shown: display_name(text)
        1. Unicode NFKC: full-width letters, ligatures and other compatibility forms become the
           plain letters they stand for ("Ｂｏｂ" -> "Bob");
        2. invisible characters removed: control characters (Unicode category Cc) and format
           characters (Cf: zero-width spaces and joiners, direction marks, the byte-order mark);
        3. any run of whitespace becomes one space, none at either end;
        4. cut to MAX_NAME_CHARS characters (the sidebar box allows as many);
        5. nothing left is "anonymous".
    the owner key      what tells people apart: owner_key(text)
        the display name case-folded ("BOB", "Bob" and "bob" are one owner), with the few
        Cyrillic and Greek letters that look exactly like Latin ones (CONFUSABLES) read as the
        Latin letter, so "Bоb" with a Cyrillic "о" is Bob too.

The display name keeps the case and script the student chose; the key is what is compared: one
person per key in the class (rnnlab.jobs.people.join refuses a taken one), the per-owner limits
count by it (rnnlab.jobs.limits), and a student may cancel and delete the runs whose owner has
their key (rnnlab.jobs.people.may_manage). The
confusables table is short and hand-made (the Python standard library has no Unicode confusables
data, and the lab adds no dependency for it): it covers the lowercase letters of Cyrillic and
Greek that are drawn like Latin ones in common fonts, after case folding, not every lookalike of
Unicode's full list (UTS #39). It guards a classroom's names and quotas, not a bank account.

The library enforces these rules itself (rnnlab.jobs.store), whatever a page sent: a name of a
million characters is cut, a batch larger than MAX_BATCH runs is refused.
"""
from __future__ import annotations

import re
import unicodedata

# The longest display name: the sidebar's "Your name" box allows as many characters.
MAX_NAME_CHARS = 40
# The most runs one request may queue for one owner. The largest a page asks for is the
# sequence-length sweep: rnnlab.lessons.sweep.MAX_LENGTHS (6) lengths x 3 racing cells = 18
# runs; the race queues at most one run per registered cell (4). A test holds these together.
MAX_BATCH = 18
ANONYMOUS = "anonymous"

# Cyrillic and Greek lowercase letters drawn like a Latin one (after case folding).
CONFUSABLES = str.maketrans({
    "а": "a", "е": "e", "һ": "h", "і": "i", "ј": "j", "о": "o", "р": "p", "с": "c", "ѕ": "s",
    "у": "y", "х": "x", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ι": "i", "ν": "v", "ο": "o", "ρ": "p",
})
_WHITESPACE = re.compile(r"\s+")


def _visible(character: str) -> bool:
    """False for control characters (Cc) and format characters (Cf, e.g. U+200B zero-width space)."""
    return unicodedata.category(character) not in ("Cc", "Cf") or character in "\t\n\r"


def display_name(text: str) -> str:
    """The owner's name as stored and shown: NFKC, invisible characters out, spaces collapsed, cut.

    Args:
        text: what was typed or carried in the link (any length; None or "" is anonymous).
    Returns:
        At most MAX_NAME_CHARS characters, never empty: "anonymous" when nothing is left.
    """
    name = unicodedata.normalize("NFKC", text or "")
    name = "".join(character for character in name if _visible(character))
    name = _WHITESPACE.sub(" ", name).strip()[:MAX_NAME_CHARS].rstrip()
    return name or ANONYMOUS


def owner_key(text: str) -> str:
    """The key the per-owner limit counts by: the display name case-folded, confusables folded.

    "Bob", "BOB", "bob" with a zero-width space and "Bоb" with a Cyrillic о all give "bob".
    """
    return display_name(text).casefold().translate(CONFUSABLES)
