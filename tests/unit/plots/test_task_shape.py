"""The shape of a task, unrolled: where the inputs go in and where the answers come out."""
import pytest

from rnnlab.plots.task_shape import STEPS_DRAWN, task_shape_diagram


def names(fig, prefix):
    """The steps ("1", "2", "3", "T") of the boxes or arrows whose names start with `prefix`."""
    items = list(fig.layout.shapes) + list(fig.layout.annotations)
    return [item.name.split(":")[1] for item in items if (item.name or "").startswith(prefix)]


ALL_STEPS = ["1", "2", "3", "T"]


def test_many_to_one_reads_every_step_and_answers_after_the_last():
    fig = task_shape_diagram("many-to-one")
    assert STEPS_DRAWN == 4 and fig.layout.title.text == "many-to-one"
    assert names(fig, "input:") == names(fig, "cell:") == ALL_STEPS
    assert names(fig, "output:") == ["T"] and names(fig, "answers:") == ["T"]
    assert names(fig, "state:") == ["2", "3", "T"]  # h passes to the right, from step 1 on
    assert names(fig, "feedback:") == []


def test_many_to_many_answers_at_every_step():
    fig = task_shape_diagram("many-to-many", output_words="next char")
    assert names(fig, "input:") == names(fig, "output:") == ALL_STEPS
    (text,) = [a.text for a in fig.layout.annotations if a.name == "text:output:2"]
    assert text == "next char<sub>2</sub>"


def test_one_to_many_reads_one_input_and_feeds_each_answer_back():
    fig = task_shape_diagram("one-to-many")
    assert names(fig, "input:") == ["1"] and names(fig, "output:") == ALL_STEPS
    assert names(fig, "feedback:") == ["1", "2", "3"]  # output t is read at step t + 1
    (arrow,) = [a for a in fig.layout.annotations if a.name == "feedback:1"]
    (cell,) = [s for s in fig.layout.shapes if s.name == "cell:2"]
    assert cell.x0 <= arrow.x <= cell.x1 and arrow.ay > arrow.y  # from the output, down


def test_an_unknown_shape_is_refused_in_words():
    with pytest.raises(ValueError, match="pick one of many-to-one, many-to-many, one-to-many"):
        task_shape_diagram("one-to-one")
