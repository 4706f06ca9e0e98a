"""A language model run's data, written out as notebook cells: the lab's text, in plain Python.

The notebook a student takes home (rnnlab.network.notebook) must cut the same windows from the
same characters as the lab (rnnlab.data.text), or its curves would differ, and it draws the same
reference lines (rnnlab.data.char_baselines). The cells, readable top to bottom:

1. read the corpus: the Python standard library's public top-level modules of the running
   interpreter, in name order, until `corpus_chars` characters (the same files as the lab's only
   with the same Python version), or the IMDB training reviews' raw text from an `aclImdb` folder
   or tarball in DATA_DIR, "<br />" read as a line break;
2. characters to ids with the fixed vocabulary (the newline and the 95 printable ASCII
   characters; any other character gets the last id), the ordered split (training, then
   validation, then test), and windows whose targets are the inputs shifted by one character;
3. the unigram and bigram models' bits per character, counted on the training text, add-one
   smoothed, scored on the validation and test text.

The constants (the vocabulary, its size) are written from the lab's own modules.

This module only writes text: it imports no TensorFlow.
"""
from __future__ import annotations

from rnnlab.config import RunConfig
from rnnlab.config.catalog import TEXT_VOCABULARY, TEXT_VOCABULARY_SIZE
from rnnlab.network.notebook_weather import Cell

PYTHON_CORPUS = '''import sysconfig

LIBRARY = Path(sysconfig.get_paths()["stdlib"])
# The public top-level modules, in name order: those whose names start with "_" are left out.
files = sorted(path for path in LIBRARY.glob("*.py") if not path.name.startswith("_"))
parts, total, used = [], 0, []
for file in files:
    if total >= CORPUS_CHARS:
        break
    parts.append(file.read_text(encoding="utf-8", errors="replace"))
    used.append(file.name)
    total += len(parts[-1])
text = "".join(parts)[:CORPUS_CHARS]
print(f"{len(text):,} characters from {len(used)} source files in {LIBRARY} "
      f"({used[0]} to {used[-1]})")'''

IMDB_CORPUS = '''import re
import tarfile

TRAIN_REVIEW = re.compile(r"(?:^|/)aclImdb/train/(?:neg|pos)/\\d+_\\d+\\.txt$")


def train_reviews(found):
    """The training reviews' text, in the folder's name order or the tarball's stored order."""
    if found.is_dir():
        for file in sorted(found.rglob("*.txt")):
            if TRAIN_REVIEW.search(file.as_posix()):
                yield file.read_text(encoding="utf-8")
        return
    with tarfile.open(found) as tar:
        for member in tar:
            if member.isfile() and TRAIN_REVIEW.search(member.name):
                yield tar.extractfile(member).read().decode("utf-8")


source = find_file("aclImdb", "aclImdb*.tar.gz")
if source is None:
    raise FileNotFoundError(f"Put the Stanford aclImdb folder or aclImdb*.tar.gz in {DATA_DIR}.")
parts, total = [], 0
for review in train_reviews(source):
    parts.append(review.replace("<br />", "\\n") + "\\n\\n")
    total += len(parts[-1])
    if total >= CORPUS_CHARS:
        break
text = "".join(parts)[:CORPUS_CHARS]
print(f"{len(text):,} characters from {len(parts):,} IMDB training reviews in {source}")'''

BASELINES = '''def unigram_bits(train, scored):
    """P(c) = how often c occurs in the training text (add-one smoothed): no memory at all."""
    counts = np.bincount(train, minlength=VOCABULARY_SIZE) + 1.0
    probabilities = counts / counts.sum()
    return float(-np.mean(np.log2(probabilities[np.asarray(scored, dtype=np.int64)])))


def bigram_bits(train, scored):
    """P(c | the character before) from the training text's pairs: one character of memory."""
    pairs = np.bincount(train[:-1] * VOCABULARY_SIZE + train[1:],
                        minlength=VOCABULARY_SIZE * VOCABULARY_SIZE)
    counts = pairs.reshape(VOCABULARY_SIZE, VOCABULARY_SIZE) + 1.0
    probabilities = counts / counts.sum(axis=1, keepdims=True)
    scored = np.asarray(scored, dtype=np.int64)
    return float(-np.mean(np.log2(probabilities[scored[:-1], scored[1:]])))


baselines = {split: {"unigram": unigram_bits(ids["train"], ids[split]),
                     "bigram": bigram_bits(ids["train"], ids[split])} for split in ("val", "test")}
print("Bits per character to beat on the validation text:",
      {name: round(bits, 3) for name, bits in baselines["val"].items()})'''


def text_cells(config: RunConfig) -> list[Cell]:
    """The cells that read `config`'s corpus and cut its windows exactly as the lab does.

    Args:
        config: a valid RunConfig of the "text" dataset.
    Returns:
        (kind, text) pairs, "markdown" or "code", in notebook order. The code expects
        `DATA_DIR`, `VALIDATION_SPLIT`, `np`, `Path` and (for the imdb corpus) `find_file`, and
        leaves x_train, y_train, x_val, y_val, x_test, y_test (int32 arrays of shape
        (windows, window_chars)) and baselines ({"val" | "test": {"unigram" | "bigram": bits}}).
    """
    options = config.text
    python = options.corpus == "python"
    where = ("the Python standard library's own source files, read from this computer's Python "
             "(the same files as the lab's only with the same Python version)" if python else
             "the IMDB training reviews' raw text, from an `aclImdb` folder or tarball in "
             "`DATA_DIR`")
    explain = (
        "## The data: text, one character at a time\n\n"
        f"The corpus is {where}: its first {options.corpus_chars:,} characters.")
    encoding = (
        "### From characters to windows\n\n"
        "Each character becomes an id: the newline and the {len(TEXT_VOCABULARY) - 1} printable ASCII "
        f"characters are ids 0 to {len(TEXT_VOCABULARY) - 1}, any other character is "
        f"{TEXT_VOCABULARY_SIZE - 1}. The text is split in order, not shuffled: training first, "
        f"then the last {config.training.validation_split:.0%} twice, validation and test, so the "
        f"model is scored on text it never read. Each split is cut into windows of "
        f"{options.window_chars} characters; the targets are the same windows shifted by one "
        "character, so the model is asked for the next character at every step.")
    reading = (f"CORPUS_CHARS, WINDOW_CHARS = {options.corpus_chars}, {options.window_chars}\n"
               + (PYTHON_CORPUS if python else IMDB_CORPUS))
    first, last = ord(TEXT_VOCABULARY[1]), ord(TEXT_VOCABULARY[-1])  # the printable ASCII
    windows = f'''VOCABULARY = "\\n" + "".join(chr(code) for code in range({first}, {last + 1}))
VOCABULARY_SIZE = {TEXT_VOCABULARY_SIZE}  # the vocabulary, and one id for any other character
index = {{character: i for i, character in enumerate(VOCABULARY)}}
all_ids = np.array([index.get(character, VOCABULARY_SIZE - 1) for character in text],
                   dtype=np.int32)
held_out = int(len(all_ids) * VALIDATION_SPLIT)
train_end = len(all_ids) - 2 * held_out
ids = {{"train": all_ids[:train_end], "val": all_ids[train_end:train_end + held_out],
       "test": all_ids[train_end + held_out:]}}


def windows(part):
    """Consecutive windows of WINDOW_CHARS ids, and the id of the character after each."""
    count = (len(part) - 1) // WINDOW_CHARS
    inputs = part[:count * WINDOW_CHARS].reshape(count, WINDOW_CHARS)
    targets = part[1:count * WINDOW_CHARS + 1].reshape(count, WINDOW_CHARS)
    return inputs, targets


(x_train, y_train), (x_val, y_val), (x_test, y_test) = (
    windows(ids["train"]), windows(ids["val"]), windows(ids["test"]))
print(f"{{len(x_train):,}} training, {{len(x_val):,}} validation and {{len(x_test):,}} test "
      f"windows of {{WINDOW_CHARS}} characters")'''
    baselines = (
        "### The bars to clear\n\n"
        "Two models that only count: the **unigram** model knows how often each character "
        "occurs and nothing of order; the **bigram** model knows which character tends to "
        "follow which, one character of memory. Their bits per character on the validation "
        "text are the reference lines of the curves: a model above the unigram line has "
        "learned nothing about order, one below the bigram line remembers more than one "
        "character.")
    return [("markdown", explain), ("code", reading), ("markdown", encoding), ("code", windows),
            ("markdown", baselines), ("code", BASELINES)]
