"""The shape of each task in words: many-to-one, or many-to-many and one-to-many for text."""
from rnnlab.config import LayerConfig, RunConfig, TextOptions
from rnnlab.lessons.task_shapes import task_shapes


def test_the_language_model_is_many_to_many_and_one_to_many_when_it_writes():
    config = RunConfig(dataset="text", text=TextOptions(window_chars=50),
                       layers=(LayerConfig(cell="GRU", units=16),))
    (training, shape), (writing, written) = task_shapes(config)
    assert (training, writing) == (config.shape, "one-to-many") == ("many-to-many", "one-to-many")
    assert "a window of 50 characters" in shape and "one window gives 50 answers" in shape
    assert "no pooling" in shape
    assert "reads the character it just picked as its next input" in written


def test_the_other_tasks_are_many_to_one_and_say_what_the_head_reads():
    (shape, words), = task_shapes(RunConfig())
    assert shape == "many-to-one" and "reads a review word by word" in words
    assert "the probability that the review is positive" in words
    assert "only the top layer's last state h_T" in words
    pooled = RunConfig(dataset="weather", layers=(LayerConfig(return_sequences=True),))
    assert "the average of the top layer's states h_1 ... h_T" in task_shapes(pooled)[0][1]
    memory = task_shapes(RunConfig(dataset="memory"))[0][1]
    assert "whether the two marked values add up to more than 1" in memory
    dense = task_shapes(RunConfig(layers=(LayerConfig(cell="Dense", units=8),)))[0][1]
    assert "without steps: a dense network reads a review all at once" in dense
