"""A run's data, written out as notebook cells: the lab's preprocessing, in plain NumPy and Keras.

The notebook a student takes home (rnnlab.network.notebook) must feed its model exactly what the
lab fed the run, or its curves would differ. These cells re-implement the lab's loaders, readable
top to bottom:

- IMDB (rnnlab.data.imdb): Keras's `imdb.npz`, or the raw Stanford reviews (an `aclImdb` folder
  or tarball) tokenized like Keras (lowercase, `<br />` and punctuation removed, split on spaces)
  with the Keras word index; ids shifted so 0 pads, 1 starts and 2 stands for a rare word; both
  sets shuffled with Keras's seed 113; `num_words`, the subset and the validation cut; reviews
  padded and cut in front to `maxlen` (rnnlab.trainer.inputs). The lab caches the token ids; the
  notebook does not need to.
- the long-memory task (rnnlab.data.synthetic): the same generator, NumPy stream for stream.
- weather: see rnnlab.network.notebook_weather.
- text for the language model: see rnnlab.network.notebook_text.

The constants (seeds, ids, URLs, file names) are written from the lab's own modules.

This module only writes text: it imports no TensorFlow.
"""
from __future__ import annotations

from rnnlab.config import RunConfig
from rnnlab.config.catalog import IMDB_INDEX_FROM, IMDB_OOV_ID, IMDB_START_ID
from rnnlab.data import imdb, synthetic
from rnnlab.network.notebook_text import text_cells
from rnnlab.network.notebook_weather import Cell, weather_cells

# Keras's Tokenizer filters, as rnnlab.data.imdb tokenizes with them (a test holds the two equal).
PUNCTUATION = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
FIND_FILE = '''def find_file(*names):
    """The first of `names` (patterns allowed) in DATA_DIR or one of its folders, else None."""
    for name in names:
        matches = sorted(DATA_DIR.glob(name)) + sorted(DATA_DIR.glob(f"*/{name}"))
        if matches:
            return matches[0]
    return None'''


def _imdb_cells(config: RunConfig) -> list[Cell]:
    options, training = config.imdb, config.training
    explain = (
        "## The data: IMDB movie reviews\n\n"
        "The Large Movie Review Dataset (Maas et al., 2011): 25,000 training and 25,000 test "
        "reviews, half positive, half negative. A network cannot read words, so each review "
        "becomes a list of whole numbers:\n\n"
        "- id 0 pads, 1 marks the start of a review, 2 stands for a word outside the "
        "vocabulary;\n"
        "- the word of frequency rank r gets id r + 3 (\"the\" has rank 1, so id 4);\n"
        f"- only ids below `num_words` = {options.num_words:,} are kept (the "
        f"{options.num_words - 3:,} most frequent words); rarer words become 2.\n\n"
        "The reviews are read from `imdb.npz` (Keras's file, downloaded into `DATA_DIR` when no "
        "copy is there), or else from the raw Stanford reviews (an `aclImdb` folder or "
        "`aclImdb_v1.tar.gz`, with `imdb_word_index.json`), tokenized the way the Keras word "
        "index was built."
        + (f" Like the run, only the first {options.train_subset:,} training and test reviews "
           "are used." if options.train_subset else ""))
    preparing = (
        "### From reviews to a matrix\n\n"
        f"Both sets are shuffled with Keras's seed, {imdb.KERAS_SHUFFLE_SEED}; the last "
        f"{training.validation_split:.0%} of the training reviews validate. Every review is cut "
        f"to its *last* {options.maxlen} ids, and shorter ones are padded with 0 in front "
        "(`keras.utils.pad_sequences`), so the most recent word always sits at the last "
        "timestep, where a recurrent layer's final state is read.")
    reading = f'''import re
import tarfile

NUM_WORDS, MAXLEN, TRAIN_SUBSET = {options.num_words}, {options.maxlen}, {options.train_subset}
START_ID, OOV_ID, INDEX_FROM = {IMDB_START_ID}, {IMDB_OOV_ID}, {IMDB_INDEX_FROM}
KERAS_ORIGIN = "{imdb.KERAS_ORIGIN}"
# Keras's tokenizer filters: each becomes a space. The apostrophe is kept: "don't" is one word.
PUNCTUATION = {PUNCTUATION!r}
TO_SPACES = str.maketrans(PUNCTUATION, " " * len(PUNCTUATION))
REVIEW_FILE = re.compile(r"(?:^|/)aclImdb/(train|test)/(neg|pos)/(\\d+)_(\\d+)\\.txt$")


def read_keras_npz(path):
    """Keras's file stores frequency ranks: add the start id and shift by INDEX_FROM."""
    with np.load(path, allow_pickle=True) as saved:
        def split(x, y):
            return ([[START_ID] + [int(rank) + INDEX_FROM for rank in review] for review in x],
                    [int(label) for label in y])
        return split(saved["x_train"], saved["y_train"]), split(saved["x_test"], saved["y_test"])


def tokenize(text):
    return text.replace("<br />", " ").lower().translate(TO_SPACES).split()


def read_stanford(path, word_index):
    """The raw reviews, sorted by set, label and file number, as ids."""
    texts = {{}}
    if path.is_dir():
        files = ((file.as_posix(), file.read_text) for file in path.rglob("*.txt"))
        for name, read in files:
            if (match := REVIEW_FILE.search(name)):
                texts[match.groups()] = read(encoding="utf-8")
    else:
        with tarfile.open(path) as tar:
            for member in tar:
                if member.isfile() and (match := REVIEW_FILE.search(member.name)):
                    texts[match.groups()] = tar.extractfile(member).read().decode("utf-8")
    sets = []
    for split in ("train", "test"):
        keys = sorted((key for key in texts if key[0] == split), key=lambda k: (k[1], int(k[2])))
        reviews = [[START_ID] + [word_index[word] + INDEX_FROM if word in word_index else OOV_ID
                                 for word in tokenize(texts[key])] for key in keys]
        sets.append((reviews, [1 if key[1] == "pos" else 0 for key in keys]))
    return sets[0], sets[1]


source = find_file({", ".join(repr(name) for name in imdb.REVIEW_SOURCES)})
if source is None:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    source = Path(keras.utils.get_file("imdb.npz", origin=KERAS_ORIGIN + "imdb.npz",
                                       cache_dir=str(DATA_DIR), cache_subdir="."))
if source.name.endswith(".npz"):
    train, test = read_keras_npz(source)
else:
    index_file = find_file("{imdb.WORD_INDEX_FILE}") or Path(keras.utils.get_file(
        "{imdb.WORD_INDEX_FILE}", origin=KERAS_ORIGIN + "{imdb.WORD_INDEX_FILE}",
        cache_dir=str(DATA_DIR), cache_subdir="."))
    train, test = read_stanford(source, json.loads(index_file.read_text(encoding="utf-8")))
print("Reviews read from", source)'''
    matrix = f'''# Shuffle as keras.datasets.imdb.load_data does: one
# RandomState({imdb.KERAS_SHUFFLE_SEED}), the training set first.
shuffler = np.random.RandomState({imdb.KERAS_SHUFFLE_SEED})
shuffled = []
for reviews, labels in (train, test):
    order = np.arange(len(reviews))
    shuffler.shuffle(order)
    shuffled.append(([reviews[i] for i in order], np.asarray(labels, dtype=np.int32)[order]))
(train_reviews, train_labels), (test_reviews, test_labels) = shuffled
if TRAIN_SUBSET:
    train_reviews, train_labels = train_reviews[:TRAIN_SUBSET], train_labels[:TRAIN_SUBSET]
    test_reviews, test_labels = test_reviews[:TRAIN_SUBSET], test_labels[:TRAIN_SUBSET]


def to_matrix(reviews):
    """Rare words become OOV_ID; each review is cut or padded in front to MAXLEN ids."""
    kept = [[word_id if word_id < NUM_WORDS else OOV_ID for word_id in review]
            for review in reviews]
    return keras.utils.pad_sequences(kept, maxlen=MAXLEN, dtype="int32")


# The last VALIDATION_SPLIT of the training reviews validate, cut where Keras's own
# fit(validation_split=...) would cut.
split_at = int(np.ceil(len(train_reviews) * (1.0 - VALIDATION_SPLIT)))
x_train, y_train = to_matrix(train_reviews[:split_at]), train_labels[:split_at]
x_val, y_val = to_matrix(train_reviews[split_at:]), train_labels[split_at:]
x_test, y_test = to_matrix(test_reviews), test_labels
print(f"{{len(x_train):,}} training, {{len(x_val):,}} validation and {{len(x_test):,}} test "
      f"reviews of {{MAXLEN}} ids each")'''
    return [("markdown", explain), ("code", FIND_FILE), ("code", reading),
            ("markdown", preparing), ("code", matrix)]


def _memory_cells(config: RunConfig) -> list[Cell]:
    options, training = config.memory, config.training
    sizes = synthetic.split_sizes(options, training.validation_split)
    length = options.sequence_length
    explain = (
        "## The data: the long-memory task\n\n"
        "The adding problem (Hochreiter and Schmidhuber, 1997), as a yes/no question. Every "
        f"sequence has {length} steps of two readings: a random value between 0 and 1, and a "
        "marker, 1 at exactly two steps: one among the first "
        f"{synthetic.start_steps(length)} steps (the start) and one in the second half. The "
        "answer is 1 when the two marked values add up to more than 1.\n\n"
        "The network answers from its state after the last step, so it must carry the early "
        f"value through at least {length - synthetic.start_steps(length)} steps. Guessing scores "
        "0.5 (each set is exactly half positive); remembering only the recent value scores 0.75 "
        "at best.\n\n"
        f"The data is generated, never downloaded: {sizes['train']:,} training, "
        f"{sizes['val']:,} validation and {sizes['test']:,} test sequences, each set from its "
        f"own NumPy random stream seeded with the run's seed, {training.seed}, so the three "
        "never share a sequence. A pair whose sum is on the wrong side of 1 is mirrored (both "
        "marked values v become 1 - v) to make the sets exactly half positive.")
    code = f'''SEQUENCE_LENGTH = {length}
SIZES = {sizes!r}
STREAMS = {{"train": 0, "val": 1, "test": 2}}  # each set has its own random stream
START_STEPS = max(1, SEQUENCE_LENGTH // 10)      # the first marker lies among these steps


def generate(count, rng):
    """`count` sequences (count, SEQUENCE_LENGTH, 2) of (value, marker), and their 0/1 answers."""
    labels = rng.permutation(np.arange(count) % 2).astype(np.float32)
    values = rng.random((count, SEQUENCE_LENGTH), dtype=np.float32)
    rows = np.arange(count)
    first = rng.integers(0, START_STEPS, count)
    second = rng.integers(SEQUENCE_LENGTH // 2, SEQUENCE_LENGTH, count)
    # Mirror the pairs on the wrong side of 1, so that exactly half the answers are "yes".
    wrong_side = (values[rows, first] + values[rows, second] > 1) != labels.astype(bool)
    for marked in (first, second):
        values[rows[wrong_side], marked[wrong_side]] = 1 - values[rows[wrong_side],
                                                                  marked[wrong_side]]
    markers = np.zeros_like(values)
    markers[rows, first] = markers[rows, second] = 1
    return np.stack([values, markers], axis=-1), labels


def make(split):
    return generate(SIZES[split], np.random.default_rng([SEED, STREAMS[split]]))


(x_train, y_train), (x_val, y_val), (x_test, y_test) = make("train"), make("val"), make("test")
print("First training sequence, marked steps:", np.flatnonzero(x_train[0, :, 1]),
      "values there:", x_train[0, x_train[0, :, 1] > 0.5, 0].round(3), "answer:", y_train[0])'''
    return [("markdown", explain), ("code", code)]


def data_cells(config: RunConfig) -> list[Cell]:
    """The cells that load `config`'s data exactly as the lab does.

    Args:
        config: a valid RunConfig.
    Returns:
        (kind, text) pairs, "markdown" or "code", in notebook order. The code expects
        `DATA_DIR`, `SEED`, `BATCH_SIZE`, `VALIDATION_SPLIT`, `json`, `np`, `pd`, `Path` and
        `keras` from the settings cell, and leaves x_train, y_train, x_val, y_val, x_test,
        y_test (arrays), or for weather train_data, val_data, test_data (datasets),
        baseline_mae and target_std; for text also baselines (the unigram and bigram models'
        bits per character).
    """
    if config.dataset == "imdb":
        return _imdb_cells(config)
    if config.dataset == "memory":
        return _memory_cells(config)
    if config.dataset == "text":
        cells = text_cells(config)
        return cells[:1] + [("code", FIND_FILE)] + cells[1:] if config.text.corpus == "imdb" \
            else cells
    heading = ("markdown", f"## The data: the weather of the {config.weather.source} record\n\n"
               "Given the last few days of weather, what will the temperature be later? A long "
               "record of measurements is cut into many overlapping (window, target) pairs "
               "(Chollet, *Deep Learning with Python*, section 6.3).")
    return [heading, ("code", FIND_FILE), *weather_cells(config)]
