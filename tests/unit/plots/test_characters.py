"""One unit's value under the characters of a passage, a row per line."""
import numpy as np
import pytest

from rnnlab.plots import characters


def test_each_character_sits_on_its_value_one_row_per_line():
    text = "ab\ncd"
    figure = characters.coloured_text(text, [0.5, -0.5, 0.0, 1.0, -2.0], "Unit 1",
                                      "hidden state %{z:.2f}: what it outputs", "inside a word",
                                      [1, 1, 0, 1, 1])
    (heatmap,) = figure.data
    assert heatmap.z.shape == (2, characters.WIDTH)
    np.testing.assert_array_equal(heatmap.z[:, :3], [[0.5, -0.5, 0.0], [1.0, -2.0, np.nan]])
    assert np.isnan(heatmap.z[:, 3:]).all()
    assert [list(row[:3]) for row in heatmap.text] == [["a", "b", "⏎"], ["c", "d", ""]]
    assert (heatmap.zmin, heatmap.zmax, heatmap.zmid) == (-2.0, 2.0, 0.0)  # symmetric, white at 0
    # what a hover says for "c": the character, where it is, its value and the feature there
    assert list(heatmap.customdata[1][0]) == ["c", 3, "1"]
    assert list(heatmap.customdata[0][2]) == ["⏎", 2, "0"]
    assert "hidden state %{z:.2f}" in heatmap.hovertemplate
    assert "inside a word here: %{customdata[2]}" in heatmap.hovertemplate
    assert figure.layout.title.text == "Unit 1"


def test_a_long_line_wraps_and_a_space_stays_a_space_to_read():
    text = "x " * characters.WIDTH  # 128 characters, no newline
    figure = characters.coloured_text(text, np.ones(len(text)), "Unit 0", "%{z}", "f",
                                      np.zeros(len(text)))
    assert figure.data[0].z.shape == (2, characters.WIDTH)
    assert list(figure.data[0].text[0][:2]) == ["x", " "]
    assert figure.data[0].customdata[0][1][0] == "␣"  # the hover names it
    with pytest.raises(ValueError, match="one value per character"):
        characters.coloured_text("abc", [1.0], "Unit 0", "%{z}", "f", [0, 0, 0])
