"""The unit finder: its features on hand-made text, the ranking, and a replayed run."""
import numpy as np
import pytest

from rnnlab.cells import CELLS
from rnnlab.config import LayerConfig, RunConfig, TextOptions
from rnnlab.data.text import encode
from rnnlab.lessons import unit_finder as finder
from rnnlab.network import replay
from rnnlab.network.naming import layer_name

CODE = 'def f(x):\n    return g(x["a"], [1, 2]) + \'it"s\'\n' * 6


def test_inside_quotes_runs_from_the_opening_quote_to_its_own_kind_closing():
    assert finder.inside_quotes('a "b" c').tolist() == [0, 0, 1, 1, 0, 0, 0]
    # the other kind of quote inside does not close it
    assert finder.inside_quotes("'a\"b' \"c'd\"").tolist() == [1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0]
    # a triple quote opens, closes and opens again: its text is inside, as a docstring's
    assert finder.inside_quotes('"""ab"""x').tolist() == [1, 0, 1, 1, 1, 0, 1, 0, 0]
    assert finder.inside_quotes("").tolist() == []


def test_brackets_count_every_kind_together_and_ignore_a_stray_closing_one():
    assert finder.bracket_depth("([x])").tolist() == [1, 2, 2, 1, 0]
    assert finder.inside_brackets("f(a[b]) {}").tolist() == [0, 1, 1, 1, 1, 1, 0, 0, 1, 0]
    assert finder.inside_brackets(")(a").tolist() == [0, 1, 1]


def test_the_position_in_the_line_counts_from_the_last_newline():
    assert finder.line_position("ab\ncd").tolist() == [1, 2, 0, 1, 2]
    assert finder.line_position("\n\nx").tolist() == [0, 0, 1]


def test_inside_a_word_is_a_letter_a_digit_or_an_underscore():
    assert finder.inside_word("a_1 +b\n").tolist() == [1, 1, 1, 0, 0, 1, 0]
    assert finder.inside_word("é").tolist() == [0]  # ASCII only, as the vocabulary


def test_features_of_several_passages_start_afresh_in_each():
    values = finder.feature_values("position in the line", ["ab", "c\nd"])
    assert values.tolist() == [1, 2, 1, 0, 1]
    with pytest.raises(ValueError, match="no feature 'vowels'"):
        finder.feature_values("vowels", ["ab"])


def test_a_unit_that_is_the_feature_plus_noise_ranks_first_with_a_score_near_one():
    rng = np.random.default_rng(0)
    feature = finder.inside_brackets(CODE)
    trace = rng.normal(0.0, 1.0, (len(CODE), 6))
    trace[:, 4] = feature + rng.normal(0.0, 0.1, len(CODE))
    trace[:, 1] = -0.5 * feature + rng.normal(0.0, 0.3, len(CODE))  # falls inside: ranks too
    trace[:, 2] = 0.25  # never changes
    ranking = finder.rank_units(trace, feature)
    assert [s.unit for s in ranking[:2]] == [4, 1]
    assert ranking[0].correlation > 0.97 and ranking[1].correlation < -0.6
    assert ranking[-1].unit == 2 and ranking[-1].correlation is None
    assert all(abs(s.correlation) < 0.2 for s in ranking[2:-1])
    expected = np.corrcoef(trace[:, 4], feature)[0, 1]
    assert ranking[0].correlation == pytest.approx(expected, abs=1e-12)


def test_a_feature_that_never_changes_is_refused_in_words_not_nan():
    trace = np.random.default_rng(1).normal(size=(5, 3))
    with pytest.raises(ValueError, match="is 0 at every one of these 5 characters"):
        finder.rank_units(trace, finder.inside_quotes("abcde"))
    with pytest.raises(ValueError, match="must cover the same text"):
        finder.rank_units(trace, np.arange(4.0))
    with pytest.raises(ValueError, match="at least two characters"):
        finder.rank_units(trace[:1], np.ones(1))


def test_the_sentence_names_the_unit_the_feature_and_the_score():
    best = finder.UnitScore(7, -0.62)
    assert finder.sentence(best, 1, "hidden state h", "inside brackets", 400) == (
        "Unit 7 of layer 1 (hidden state h) tracks 'inside brackets': correlation -0.62 over "
        "400 characters (it is lower inside brackets than outside).")
    assert finder.sentence(finder.UnitScore(25, -0.93), 1, "cell state c", "position in the line",
                           79_900).endswith("over 79,900 characters (it shrinks along the line).")
    assert finder.sentence(finder.UnitScore(0, None), 2, "cell state c", "inside a word",
                           40).startswith("No unit of layer 2 (cell state c) changes")
    assert finder.sentence(finder.UnitScore(5, 0.22), 1, "hidden state h", "position in the line",
                           500) == (
        "No unit of layer 1 (hidden state h) clearly tracks 'position in the line': the closest, "
        "unit 5, has a correlation of only 0.22 over 500 characters (it grows along the line, "
        "but loosely). Try another feature, more passages, or a larger or longer-trained model.")


def test_lines_of_cuts_the_text_at_newlines_and_wraps_long_lines():
    rows, grid = finder.lines_of("ab\ncdefg", np.arange(8.0), 3)
    assert rows == ["ab\n", "cde", "fg"]
    np.testing.assert_array_equal(grid, [[0, 1, 2], [3, 4, 5], [6, 7, np.nan]])
    with pytest.raises(ValueError, match="one value per character"):
        finder.lines_of("ab", [1.0], 3)


def simple_rnn_run(units: int = 3, seed: int = 0):
    """A SimpleRNN language model and seeded weights under the Keras paths replay reads."""
    layer = LayerConfig(cell="SimpleRNN", units=units)
    config = RunConfig(dataset="text", text=TextOptions(window_chars=20, corpus_chars=20_000,
                                                        char_embedding_dim=4), layers=(layer,))
    rng = np.random.default_rng(seed)
    name = layer_name(1, layer)
    weights = {"embedding/embeddings": rng.normal(0, 1, (97, 4)),
               f"{name}/simple_rnn_cell/kernel": rng.normal(0, 0.5, (4, units)),
               f"{name}/simple_rnn_cell/recurrent_kernel": rng.normal(0, 0.5, (units, units)),
               f"{name}/simple_rnn_cell/bias": rng.normal(0, 0.1, units),
               "next_character/kernel": rng.normal(0, 0.5, (units, 97)),
               "next_character/bias": np.zeros(97)}
    return config, weights


def test_find_units_replays_each_passage_and_ranks_the_layers_units():
    config, weights = simple_rnn_run()
    passages = [encode(CODE[:20]), encode(CODE[20:40])]
    found = finder.find_units(config, weights, passages, 1, "hidden", "inside a word")
    expected = np.concatenate([replay.trace(config, weights, p).layers[0].forward["hidden"]
                               for p in passages])
    np.testing.assert_allclose(found.values, expected)
    assert found.texts == [CODE[:20], CODE[20:40]]
    np.testing.assert_array_equal(found.feature, finder.inside_word(CODE[:20]).tolist()
                                  + finder.inside_word(CODE[20:40]).tolist())
    assert found.ranking == finder.rank_units(expected, found.feature)
    assert sorted(s.unit for s in found.ranking) == [0, 1, 2]


def test_find_units_says_what_it_cannot_score():
    config, weights = simple_rnn_run()
    assert finder.states_of("LSTM") == ["hidden", "cell_state"]
    assert finder.states_of("GRU") == ["hidden"]
    assert all(finder.states_of(cell)[0] == "hidden" for cell in CELLS)
    with pytest.raises(ValueError, match="no 'cell_state' to score"):
        finder.find_units(config, weights, [encode("ab")], 1, "cell_state", "inside a word")
    with pytest.raises(ValueError, match="Layer 2 does not exist"):
        finder.find_units(config, weights, [encode("ab")], 2, "hidden", "inside a word")
    with pytest.raises(ValueError, match="at least one passage"):
        finder.find_units(config, weights, [], 1, "hidden", "inside a word")
    with pytest.raises(ValueError, match="is 0 at every one"):
        finder.find_units(config, weights, [encode("abc")], 1, "hidden", "inside quotes")
