"""IMDB loading on tiny generated files in the real formats, and on the real data when it is there."""
import io
import json
import tarfile

import numpy as np
import pytest

from rnnlab.config import ImdbOptions
from rnnlab.data import imdb, imdb_sources, paths
from rnnlab.data.paths import DataError
from tests.conftest import REAL_DATA_DIR

WORD_INDEX = {"the": 1, "movie": 2, "was": 3, "great": 4, "bad": 5, "don't": 6, "it": 7}
# (split, label, file id, text): the Stanford layout is aclImdb/<split>/<label>/<id>_<rating>.txt
REVIEWS = [
    ("train", "pos", 0, "The movie was GREAT!<br /><br />Don't miss it."),
    ("train", "pos", 1, "great great great"),
    ("train", "neg", 0, "The movie was bad, bad, bad..."),
    ("train", "neg", 1, "Bad. It was a zombie movie."),
    ("train", "pos", 2, "It was the great movie"),
    ("test", "pos", 0, "great movie"),
    ("test", "neg", 0, "bad movie"),
]


def write_stanford_folder(root):
    for split, label, file_id, text in REVIEWS:
        folder = root / "aclImdb" / split / label
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{file_id}_{8 if label == 'pos' else 2}.txt").write_text(text, encoding="utf-8")
    (root / "aclImdb" / "imdb.vocab").write_text("the\nmovie\n")


def write_tarball(path, members):
    with tarfile.open(path, "w:gz") as tar:
        for name, text in members:
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def stanford_members():
    return [(f"aclImdb/{s}/{l}/{i}_{8 if l == 'pos' else 2}.txt", t) for s, l, i, t in REVIEWS]


@pytest.fixture
def word_index_file(data_dir):
    (data_dir / "imdb_word_index.json").write_text(json.dumps(WORD_INDEX))
    return data_dir / "imdb_word_index.json"


def expected_ids(text):
    return [1] + [WORD_INDEX[w] + 3 if w in WORD_INDEX else 2 for w in imdb.tokenize(text)]


def keras_order(n, rng):
    order = np.arange(n)
    rng.shuffle(order)
    return order


def test_tokenize_drops_line_breaks_and_punctuation_and_keeps_apostrophes():
    assert imdb.tokenize("The movie was GREAT!<br /><br />Don't miss it.") == [
        "the", "movie", "was", "great", "don't", "miss", "it"]


def test_encode_follows_keras_ids_and_num_words():
    assert imdb.encode("The movie, bad!", WORD_INDEX) == [1, 4, 5, 8]
    assert imdb.encode("zombie", WORD_INDEX) == [1, 2]
    # num_words=7 keeps ids 0-6: "the" (4), "movie" (5) and "was" (6); "bad" (id 8) becomes 2
    assert imdb.encode("the movie was bad", WORD_INDEX, num_words=7) == [1, 4, 5, 6, 2]


def test_decode_inverts_encode():
    text = "It was the great movie, don't miss"
    assert imdb.decode([0, 0] + imdb.encode(text, WORD_INDEX), WORD_INDEX) == [
        "<start>", "it", "was", "the", "great", "movie", "don't", "<unknown>"]


def test_stanford_folder_is_tokenized_and_shuffled_like_keras(data_dir, word_index_file):
    write_stanford_folder(data_dir)
    corpus = imdb.load_corpus()
    rng = np.random.RandomState(113)
    for split in ("train", "test"):
        # before shuffling: sorted by label (neg first) then file id
        ordered = sorted((r for r in REVIEWS if r[0] == split), key=lambda r: (r[1], r[2]))
        order = keras_order(len(ordered), rng)
        got = [list(map(int, s)) for s in corpus.sequences(split)]
        assert got == [expected_ids(ordered[i][3]) for i in order]
        assert corpus.labels(split).tolist() == [int(ordered[i][1] == "pos") for i in order]
    assert corpus.lengths("train").tolist() == [len(s) for s in corpus.sequences("train")]


def test_tarball_gives_the_same_corpus_as_the_folder(tmp_path, data_dir, word_index_file):
    write_stanford_folder(tmp_path / "folder")
    write_tarball(data_dir / "aclImdb_v1.tar.gz", stanford_members())
    from_tar = imdb.load_corpus()
    data_dir.joinpath("aclImdb_v1.tar.gz").unlink()
    write_stanford_folder(data_dir)
    from_folder = imdb.load_corpus()
    for split in ("train", "test"):
        assert np.array_equal(from_tar.sequences(split)[0], from_folder.sequences(split)[0])
        assert np.array_equal(getattr(from_tar, f"{split}_tokens"), getattr(from_folder, f"{split}_tokens"))


def write_keras_npz(path, x_train, y_train, x_test, y_test):
    as_objects = lambda rows: np.array([list(r) for r in rows] + [None], dtype=object)[:-1]
    np.savez(path, x_train=as_objects(x_train), y_train=np.array(y_train),
             x_test=as_objects(x_test), y_test=np.array(y_test))


def test_keras_npz_stores_ranks_and_is_preferred_over_raw_reviews(data_dir, word_index_file):
    write_tarball(data_dir / "aclImdb_v1.tar.gz", stanford_members())
    write_keras_npz(data_dir / "imdb.npz", [[1, 2], [5, 5, 5], [9]], [1, 0, 1], [[3]], [0])
    corpus = imdb.load_corpus()
    assert corpus.source.endswith("imdb.npz")
    order = keras_order(3, np.random.RandomState(113))
    expected = [[1, 4, 5], [1, 8, 8, 8], [1, 12]]
    assert [s.tolist() for s in corpus.sequences("train")] == [expected[i] for i in order]
    assert corpus.sequences("test")[0].tolist() == [1, 6]


def test_load_imdb_maps_rare_words_keeps_lengths_and_splits_like_keras(data_dir, word_index_file):
    """Padding to maxlen is the trainer's (tests/unit/trainer/test_inputs.py); here: the ids."""
    x = [[7] * n for n in (2, 3, 4, 5, 6, 7, 8, 9, 10, 11)]
    x[0] = [3, 4]  # ids 6 and 7 after the shift: the second is outside num_words=7
    write_keras_npz(data_dir / "imdb.npz", x, [0, 1] * 5, [[1, 2, 3, 4, 5, 6]], [1])
    data = imdb.load_imdb(ImdbOptions(num_words=7, maxlen=4), validation_split=0.25)
    # Keras: split_at = ceil(10 * 0.75) = 8 training reviews, 2 for validation
    assert (len(data.x_train), len(data.x_val), len(data.x_test)) == (8, 2, 1)
    assert (len(data.y_train), len(data.y_val), len(data.y_test)) == (8, 2, 1)
    pool = [review.tolist() for review in data.x_train + data.x_val]
    # Not cut to maxlen: every review keeps its start id and its own length (3 to 12 ids).
    assert sorted(len(review) for review in pool) == list(range(3, 13))
    assert [1, 6, 2] in pool  # id 7 >= num_words became 2
    assert all(review[0] == 1 and set(review[1:]) == {2} for review in pool if len(review) > 3)
    assert data.x_test[0].tolist() == [1, 4, 5, 6, 2, 2, 2]
    assert set(np.concatenate([data.y_train, data.y_val]).tolist()) == {0, 1}


def test_train_subset_cuts_training_and_test_reviews(data_dir, word_index_file):
    write_keras_npz(data_dir / "imdb.npz", [[4]] * 40, [1, 0] * 20, [[4]] * 30, [1, 0] * 15)
    data = imdb.load_imdb(ImdbOptions(train_subset=25, maxlen=3), validation_split=0.2)
    assert (len(data.x_train), len(data.x_val), len(data.x_test)) == (20, 5, 25)


def test_second_load_comes_from_the_cache(data_dir, word_index_file, monkeypatch):
    """Tokenizing 50,000 reviews takes seconds, reading the cache well under one (bench/caches.py
    measures both); here: the second load reads the cache once and tokenizes nothing."""
    cache_reads = []
    read_cache = imdb._read_cache
    monkeypatch.setattr(imdb, "_read_cache",
                        lambda *args: cache_reads.append(args) or read_cache(*args))
    write_tarball(data_dir / "aclImdb_v1.tar.gz", stanford_members())
    first = imdb.load_corpus()
    assert cache_reads == [] and len(list(paths.cache_dir().glob("imdb-*.npz"))) == 1

    def no_second_tokenizing(*args):
        raise AssertionError("the cache was not used")

    monkeypatch.setattr(imdb_sources, "read_stanford", no_second_tokenizing)
    second = imdb.load_corpus()
    assert len(cache_reads) == 1
    assert np.array_equal(first.train_tokens, second.train_tokens)
    assert np.array_equal(first.test_labels, second.test_labels)


def test_truncated_tarball_names_the_file(data_dir, word_index_file):
    write_tarball(data_dir / "aclImdb_v1.tar.gz", stanford_members() * 20)
    whole = (data_dir / "aclImdb_v1.tar.gz").read_bytes()
    (data_dir / "aclImdb_v1.tar.gz").write_bytes(whole[: len(whole) // 2])
    with pytest.raises(DataError, match=r"aclImdb_v1\.tar\.gz is truncated or damaged"):
        imdb.load_corpus()


def test_tarball_without_reviews_says_what_was_expected(data_dir, word_index_file):
    write_tarball(data_dir / "aclImdb_v1.tar.gz", [("aclImdb/README", "hello")])
    with pytest.raises(DataError, match=r"holds no train reviews.*aclImdb/train/pos/123_8\.txt"):
        imdb.load_corpus()


def test_malformed_word_index_names_the_file(data_dir):
    write_tarball(data_dir / "aclImdb_v1.tar.gz", stanford_members())
    (data_dir / "imdb_word_index.json").write_text('{"the": 1, "movie": ')
    with pytest.raises(DataError, match=r"imdb_word_index\.json is not a readable word index"):
        imdb.load_corpus()
    (data_dir / "imdb_word_index.json").write_text('["the", "movie"]')
    with pytest.raises(DataError, match="expected a JSON object of word -> rank"):
        imdb.load_word_index()


def test_broken_npz_names_the_file(data_dir):
    (data_dir / "imdb.npz").write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(DataError, match=r"imdb\.npz is truncated or not Keras's imdb\.npz"):
        imdb.load_corpus()


def test_without_local_files_the_error_says_where_to_put_them_and_nothing_is_fetched(data_dir):
    """Downloading is the trainer's (tests/unit/trainer/test_downloads.py): the loader only reads."""
    with pytest.raises(DataError) as caught:
        imdb.load_corpus()
    message = str(caught.value)
    assert message.startswith("The IMDB reviews are not on this computer: no imdb.npz, aclImdb "
                              "folder or aclImdb*.tar.gz in ")
    assert str(data_dir) in message and str(paths.download_dir()) in message
    assert message.endswith(imdb.WHERE_TO_PUT_IT)
    assert "Put imdb.npz, or the Stanford aclImdb folder" in message
    with pytest.raises(DataError, match="The IMDB word index is not on this computer: no "
                                        r"imdb_word_index\.json in .*Put imdb_word_index\.json "
                                        r"\(the Keras word index\) in the data folder\."):
        imdb.load_word_index()
    assert list(data_dir.iterdir()) == [] and not any(paths.download_dir().iterdir())


def test_raw_reviews_without_the_word_index_say_where_to_put_it(data_dir):
    write_tarball(data_dir / "aclImdb_v1.tar.gz", stanford_members())
    with pytest.raises(DataError, match="The IMDB word index is not on this computer"):
        imdb.load_corpus()


real_data = pytest.mark.skipif(not REAL_DATA_DIR, reason="RNNLAB_DATA_DIR is not set (CI sets it)")


@real_data
def test_real_imdb_counts_labels_and_vocabulary(monkeypatch):
    monkeypatch.setenv("RNNLAB_DATA_DIR", REAL_DATA_DIR)
    corpus = imdb.load_corpus()
    assert len(corpus.train_labels) == 25_000 and len(corpus.test_labels) == 25_000
    assert corpus.train_labels.sum() == 12_500 and corpus.test_labels.sum() == 12_500
    assert corpus.train_tokens.max() < 88_584 + 4
    # "the" (id 4) is the most frequent word, as its rank 1 promises
    counts = np.bincount(corpus.train_tokens)
    assert int(np.argmax(counts[3:])) + 3 == 4
    # the labels are shuffled, not in folder order
    assert 0.4 < corpus.train_labels[:1000].mean() < 0.6
    data = imdb.load_imdb(ImdbOptions(), validation_split=0.2)
    assert (len(data.x_train), len(data.x_val), len(data.x_test)) == (20_000, 5_000, 25_000)
    assert max(int(review.max()) for review in data.x_train) == 9_999


@real_data
def test_real_review_round_trips_through_encode_and_decode(monkeypatch):
    monkeypatch.setenv("RNNLAB_DATA_DIR", REAL_DATA_DIR)
    word_index = imdb.load_word_index()
    assert len(word_index) == 88_584 and word_index["the"] == 1
    text = ("I rented this movie because of the great reviews.<br /><br />What a waste: the plot "
            "doesn't make sense, and the acting is wooden!")
    ids = imdb.encode(text, word_index)
    assert imdb.decode(ids, word_index) == ["<start>"] + imdb.tokenize(text)
    short = imdb.encode(text, word_index, num_words=100)
    assert imdb.decode(short, word_index).count("<unknown>") == sum(i == 2 for i in short) > 0


# Reviews that test the batch tokenizer's joins: a capital "A" word (the separator is "A" after
# lowercasing), non-ASCII letters, a no-break space (whitespace to str.split), a review ending in
# half a "<br />" before the next begins, an empty review.
TRICKY = [
    ("train", "pos", 3, "A great movie: A+ for it, caf\u00e9 cr\u00e8me\u00a0great"),
    ("train", "neg", 2, "bad <br"),
    ("train", "neg", 3, " />bad ... \u00c9T\u00c9 movie"),
    ("train", "pos", 4, ""),
]


def tricky_members():
    return stanford_members() + [(f"aclImdb/{s}/{l}/{i}_{8 if l == 'pos' else 2}.txt", t)
                                 for s, l, i, t in TRICKY]


def test_batches_tokenize_every_review_exactly_as_encode_does(data_dir, word_index_file,
                                                             monkeypatch):
    monkeypatch.setattr(imdb_sources, "TOKENIZE_BATCH", 3)  # 11 reviews: batches of 3, 3, 3 and 2
    write_tarball(data_dir / "aclImdb_v1.tar.gz", tricky_members())
    corpus = imdb.load_corpus()
    rng = np.random.RandomState(113)
    for split in ("train", "test"):
        ordered = sorted((r for r in REVIEWS + TRICKY if r[0] == split), key=lambda r: (r[1], r[2]))
        order = keras_order(len(ordered), rng)
        got = [s.tolist() for s in corpus.sequences(split)]
        assert got == [imdb.encode(ordered[i][3], WORD_INDEX) for i in order]
    train = [s.tolist() for s in corpus.sequences("train")]
    # "a" (twice), "for", "café" and "crème" are not in the index; the no-break space splits
    assert [1, 2, 7, 5, 2, 2, 10, 2, 2, 7] in train
    assert [1, 8, 2] in train and [1, 8, 2, 5] in train  # "br" did not meet "/>" across files
    assert [1] in train  # the empty review: its start id alone


def write_folder(root, members):
    for name, text in members:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def test_progress_grows_to_one_and_leaves_the_corpus_unchanged(tmp_path, data_dir,
                                                               word_index_file, monkeypatch):
    """In a folder the share read is the share of the files: exact, one batch after another."""
    write_folder(data_dir, tricky_members())
    without = imdb.load_corpus()
    monkeypatch.setenv("RNNLAB_CACHE_DIR", str(tmp_path / "second-cache"))
    monkeypatch.setattr(imdb_sources, "TOKENIZE_BATCH", 2)
    monkeypatch.setattr(imdb, "PROGRESS_SECONDS", 0.0)  # every report passes the throttle
    calls = []
    with_progress = imdb.load_corpus(progress=lambda *report: calls.append(report))
    for name in imdb.CACHE_ARRAYS:
        assert np.array_equal(getattr(without, name), getattr(with_progress, name))
    fractions = [fraction for fraction, _ in calls]
    # 11 reviews in batches of 2: five full batches, the last one, then the cache is saved
    share = imdb.READING_SHARE
    assert fractions == pytest.approx([share * n / 11 for n in (2, 4, 6, 8, 10, 11)] + [1.0])
    assert calls[0][1] == "Tokenizing the IMDB reviews (first time only): 2 reviews done"
    assert calls[-1][1] == "Prepared 11 IMDB reviews (first time only)."
    later = []
    imdb.load_corpus(progress=lambda *args: later.append(args))
    assert later == []  # read from the cache: nothing to report


def test_progress_is_reported_at_most_every_progress_seconds(data_dir, word_index_file,
                                                             monkeypatch):
    monkeypatch.setattr(imdb_sources, "TOKENIZE_BATCH", 1)
    clock = iter(np.arange(0.0, 100.0, 0.1))  # each batch takes 0.1 s
    monkeypatch.setattr(imdb.time, "monotonic", lambda: next(clock))
    write_tarball(data_dir / "aclImdb_v1.tar.gz", tricky_members())
    calls = []
    imdb.load_corpus(progress=lambda fraction, words: calls.append(fraction))
    # 13 reports asked for (11 batches, the final flush, the end) 0.1 s apart: every other one
    # passes PROGRESS_SECONDS = 0.2, and the last (1.0) always does
    assert len(calls) == 7 and calls[-1] == 1.0


def test_word_index_ranks_start_at_one(data_dir):
    (data_dir / "imdb_word_index.json").write_text('{"the": 1, "movie": 0}')
    with pytest.raises(DataError, match=r"word -> rank \(1 = the most frequent word\)"):
        imdb.load_word_index()


def test_a_tarball_reports_the_share_of_its_bytes_read(data_dir, word_index_file, monkeypatch):
    """Reviews that do not compress (random letters) fill the tarball over many gzip reads."""
    rng = np.random.default_rng(0)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz "))
    members = stanford_members() + [(f"aclImdb/train/pos/{100 + k}_8.txt",
                                     "".join(rng.choice(letters, 400))) for k in range(300)]
    write_tarball(data_dir / "aclImdb_v1.tar.gz", members)
    monkeypatch.setattr(imdb_sources, "TOKENIZE_BATCH", 50)
    monkeypatch.setattr(imdb, "PROGRESS_SECONDS", 0.0)
    fractions = []
    imdb.load_corpus(progress=lambda fraction, words: fractions.append(fraction))
    # 307 reviews in batches of 50: six full batches, the last 7, then the cache is saved
    assert len(fractions) == 8 and fractions[-2:] == [imdb.READING_SHARE, 1.0]
    assert fractions[0] < 0.3 and all(a <= b for a, b in zip(fractions, fractions[1:]))
    assert len(set(fractions)) >= 5
