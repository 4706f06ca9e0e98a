"""Text for the character-level language model: a corpus, its characters as ids, and windows.

A language model reads characters one at a time and, after each, gives a probability to every
character that could come next. Trained on windows of `window_chars` characters, it is asked at
every step for the character that follows (many-to-many): the targets are the window itself,
shifted by one character,

    text     "def f(x):"
    inputs   d e f _ f ( x )        (ids of "def f(x)")
    targets  e f _ f ( x ) :        (ids of "ef f(x):")

Two corpora (`TextOptions.corpus`):

- "python": the Python standard library's own source, the public top-level modules (`abc.py`,
  `argparse.py`, `ast.py`, ... in name order, those whose names start with "_" left out) of the
  interpreter running the lab, read until `corpus_chars` characters. Every machine that runs the
  lab has it, so the lesson needs no data folder; its exact text depends on the Python version.
- "imdb": the raw text of the IMDB training reviews (the Stanford aclImdb folder or tarball in
  the data folder), one review after another, "<br />" read as a line break.

Characters become ids with the fixed vocabulary of `rnnlab.config.catalog.TEXT_VOCABULARY` (the
newline and the 95 printable ASCII characters); any other character gets the last id. The text is
split in order, not shuffled: training first, then validation, then test, the last two each
`validation_split` of the text, so the model is scored on a stretch of text it never read.
"""
from __future__ import annotations

import functools
import platform
import re
import sysconfig
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rnnlab.config import TextOptions
from rnnlab.config.catalog import TEXT_UNKNOWN, TEXT_VOCABULARY, TEXT_VOCABULARY_SIZE
from rnnlab.data import paths
from rnnlab.data.paths import DataError

UNKNOWN_ID = TEXT_VOCABULARY_SIZE - 1
_RAW_REVIEWS = ("aclImdb", "aclImdb*.tar.gz")
_TRAIN_REVIEW = re.compile(r"(?:^|/)aclImdb/train/(?:neg|pos)/\d+_\d+\.txt$")


@dataclass(frozen=True)
class TextData:
    """A corpus as ids, split in order into training, validation and test text."""

    ids: dict[str, np.ndarray]  # "train", "val", "test" -> int32 ids of that stretch of text
    window_chars: int
    source: str                 # where the text came from, in words

    def windows(self, split: str) -> tuple[np.ndarray, np.ndarray]:
        """The split's text cut into consecutive, non-overlapping windows, with their targets.

        Returns:
            (inputs, targets), both int32 of shape (windows, window_chars); targets[i, t] is the
            id of the character after inputs[i, t].
        Raises:
            KeyError: `split` is not "train", "val" or "test".
        """
        ids, length = self.ids[split], self.window_chars
        count = (len(ids) - 1) // length
        inputs = ids[:count * length].reshape(count, length)
        targets = ids[1:count * length + 1].reshape(count, length)
        return inputs, targets


def encode(text: str) -> np.ndarray:
    """Each character's id in the fixed vocabulary (unknown characters get UNKNOWN_ID)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return np.where(codes < 128, _id_of_code()[np.minimum(codes, 127)], UNKNOWN_ID).astype(np.int32)


@functools.cache
def _id_of_code() -> np.ndarray:
    """Character code -> id for the codes 0-127 (a code outside the vocabulary -> UNKNOWN_ID).

    Built at the first use rather than with the module, which the Home page imports without
    NumPy (rnnlab.ui.numpy_after_home).
    """
    ids = np.full(128, UNKNOWN_ID, dtype=np.int32)
    ids[[ord(c) for c in TEXT_VOCABULARY]] = np.arange(len(TEXT_VOCABULARY), dtype=np.int32)
    return ids


def unknown_characters(text: str) -> list[str]:
    """The characters of `text` outside the vocabulary, each once, in their first order: all
    of them are read as the one unknown id, so a prompt of them means little to a model."""
    return list(dict.fromkeys(c for c in text if c not in TEXT_VOCABULARY))


def decode(ids) -> str:
    """The characters of `ids`; the unknown id prints as TEXT_UNKNOWN."""
    return "".join(TEXT_VOCABULARY[i] if i < len(TEXT_VOCABULARY) else TEXT_UNKNOWN
                   for i in np.asarray(ids, dtype=int).ravel())


def load_text(options: TextOptions, validation_split: float) -> TextData:
    """The corpus `options` names, as ids, split into training, validation and test text.

    Raises:
        DataError: the corpus is not on this computer, damaged, or shorter than asked.
    """
    text, source = read_corpus(options.corpus, options.corpus_chars)
    if len(text) < options.corpus_chars:
        raise DataError(f"The {options.corpus} corpus has {len(text):,} characters here "
                        f"({source}), fewer than the {options.corpus_chars:,} asked for. Ask for "
                        "fewer characters.")
    ids = encode(text)
    held_out = int(len(ids) * validation_split)
    train_end = len(ids) - 2 * held_out
    return TextData(ids={"train": ids[:train_end], "val": ids[train_end:train_end + held_out],
                         "test": ids[train_end + held_out:]},
                    window_chars=options.window_chars, source=source)


def read_corpus(corpus: str, chars: int) -> tuple[str, str]:
    """The first `chars` characters of `corpus` ("python" or "imdb") and where they came from.

    Raises:
        DataError: the IMDB reviews' raw text is not in the data folder, or is damaged.
    """
    if corpus == "python":
        return _python_source(chars)
    return _imdb_reviews(chars)


def python_source_files() -> list[Path]:
    """The standard library's public top-level modules, in name order (the "python" corpus)."""
    library = Path(sysconfig.get_paths()["stdlib"])
    return sorted(p for p in library.glob("*.py") if not p.name.startswith("_"))


def _python_source(chars: int) -> tuple[str, str]:
    parts, total, used = [], 0, []
    for file in python_source_files():
        if total >= chars:
            break
        part = file.read_text(encoding="utf-8", errors="replace")
        parts.append(part)
        used.append(file.name)
        total += len(part)
    text = "".join(parts)[:chars]
    # The files by name, not the folder: a page shows this to the class, and the folder is where
    # Python is installed on the server, which is nobody's business there.
    library = f"Python {platform.python_version()}'s standard library"
    return text, (f"{len(used)} source files of {library} ({used[0]} to {used[-1]})" if used
                  else f"no source files in {library}")


def _imdb_reviews(chars: int) -> tuple[str, str]:
    found = paths.require_file(*_RAW_REVIEWS, missing=(
        "The IMDB review text is not on this computer: the language model reads the raw "
        "reviews, the Stanford aclImdb folder or aclImdb*.tar.gz, in "
        f"{paths.data_dir()} (imdb.npz holds word ids, not text). Put one there, or pick the "
        "python corpus, which every machine has."))
    parts, total = [], 0
    try:
        for review in _train_reviews(found):
            parts.append(review.replace("<br />", "\n") + "\n\n")
            total += len(parts[-1])
            if total >= chars:
                break
    except (tarfile.TarError, EOFError, OSError, zlib.error, UnicodeDecodeError) as err:
        raise DataError(f"{found} is truncated or damaged ({err}). Delete it and copy it "
                        "again.") from err
    return "".join(parts)[:chars], f"{len(parts):,} IMDB training reviews from {found}"


def _train_reviews(found: Path):
    """The training reviews' text, in the folder's name order or the tarball's stored order."""
    if found.is_dir():
        for file in sorted(found.rglob("*.txt")):
            if _TRAIN_REVIEW.search(file.as_posix()):
                yield file.read_text(encoding="utf-8")
        return
    with tarfile.open(found) as tar:
        for member in tar:
            if member.isfile() and _TRAIN_REVIEW.search(member.name):
                yield tar.extractfile(member).read().decode("utf-8")
