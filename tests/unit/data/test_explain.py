"""The Data page's review as the network reads it: words beside the integer ids, padding and cut."""
import numpy as np
import pytest

from rnnlab.data import explain


def test_a_short_review_is_padded_in_front_and_each_word_has_its_id():
    ids = [1, 4, 5, 12]  # <start>, two words in the vocabulary, one rare word
    words = ["<start>", "the", "movie", "zyzzyva"]
    cut = explain.review_cut(ids, num_words=10, maxlen=8)
    assert cut.network_ids.tolist() == [0, 0, 0, 0, 1, 4, 5, 2]
    rows = explain.network_input_rows(words, cut)
    assert rows == [
        {"position": "1 to 4", "word": "(padding)", "id the network reads": "0",
         "why": "zeros in front: the review is shorter than maxlen"},
        {"position": "5", "word": "<start>", "id the network reads": "1",
         "why": "the start marker"},
        {"position": "6", "word": "the", "id the network reads": "4", "why": ""},
        {"position": "7", "word": "movie", "id the network reads": "5", "why": ""},
        {"position": "8", "word": "zyzzyva", "id the network reads": "2",
         "why": "outside the vocabulary (its own id would be 12): every such word is 2"},
    ]


def test_a_long_review_shows_its_cut_start_then_the_first_ids_read_then_how_many_more():
    ids = [1, *range(3, 60)]  # 58 tokens
    words = ["<start>", *(f"w{i}" for i in range(3, 60))]
    cut = explain.review_cut(ids, num_words=1000, maxlen=50)
    rows = explain.network_input_rows(words, cut, count=5)
    assert rows[0] == {"position": "not read", "word": "the first 8 tokens",
                       "id the network reads": "-", "why": "cut off: the review is longer than "
                       "maxlen, and the network reads only its last maxlen tokens"}
    # The network's first position holds the 9th token: w10, whose id is 10.
    assert [(r["position"], r["word"], r["id the network reads"]) for r in rows[1:6]] == [
        ("1", "w10", "10"), ("2", "w11", "11"), ("3", "w12", "12"), ("4", "w13", "13"),
        ("5", "w14", "14")]
    assert rows[6] == {"position": "6 to 50", "word": "45 more tokens",
                       "id the network reads": "...", "why": ""}
    listed = [int(r["id the network reads"]) for r in rows[1:6]]
    assert listed == cut.network_ids[:5].tolist()
    assert len(cut.network_ids) == 50 and not np.any(cut.network_ids == 0)


def test_words_and_ids_of_different_reviews_are_refused():
    cut = explain.review_cut([1, 4], num_words=10, maxlen=5)
    with pytest.raises(ValueError, match="3 words for 2 ids"):
        explain.network_input_rows(["<start>", "a", "b"], cut)
