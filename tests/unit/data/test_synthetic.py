"""The generated long-memory task (the adding problem): shapes, balanced labels that only the two
marked values decide, seeded and separate sets, its settings' messages, and its inputs for the
Inside page."""
import dataclasses

import numpy as np
import pytest

from rnnlab.config import ConfigError, LayerConfig, MemoryOptions, RunConfig, TrainingOptions
from rnnlab.data import synthetic
from rnnlab.data.spec import data_spec
from rnnlab.lessons import inside

SMALL = MemoryOptions(sequence_length=12, examples=200)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test generates afresh, so determinism is tested, not the cache."""
    synthetic.memory_split.cache_clear()
    yield
    synthetic.memory_split.cache_clear()


def test_sets_have_the_sizes_and_shapes_the_network_reads():
    data = synthetic.load_memory(SMALL, 0.25, seed=1)
    assert synthetic.split_sizes(SMALL, 0.25) == {"train": 150, "val": 50, "test": 50}
    for x, y, count in ((data.x_train, data.y_train, 150), (data.x_val, data.y_val, 50),
                        (data.x_test, data.y_test, 50)):
        assert x.shape == (count, 12, 2) and x.dtype == np.float32
        assert y.shape == (count,) and y.dtype == np.float32
    assert synthetic.split_sizes(MemoryOptions(), 0.2) == {"train": 3200, "val": 800, "test": 800}
    spec = data_spec(RunConfig(dataset="memory", memory=SMALL))
    assert (spec.task, spec.timesteps, spec.features, spec.is_text) == ("binary", 12, 2, False)


def test_two_steps_are_marked_one_at_the_start_and_one_in_the_second_half():
    x, _ = synthetic.generate(4000, 30, np.random.default_rng(0))
    markers = x[..., 1]
    assert set(np.unique(markers)) == {0.0, 1.0}
    assert (markers.sum(axis=1) == 2).all()
    assert synthetic.start_steps(30) == 3 and synthetic.start_steps(5) == 1
    first = markers[:, :3].argmax(axis=1)
    assert (markers[:, :3].sum(axis=1) == 1).all() and set(first) == {0, 1, 2}
    assert (markers[:, 15:].sum(axis=1) == 1).all()  # the other one in steps 15 to 29
    np.testing.assert_array_equal(synthetic.marked_steps(x[0]), np.flatnonzero(markers[0]))
    # The shortest task still has two different marked steps.
    tiny, _ = synthetic.generate(10, 2, np.random.default_rng(0))
    assert (tiny[..., 1] == 1).all()


def test_the_label_is_whether_the_marked_values_add_up_to_more_than_one():
    x, y = synthetic.generate(4000, 30, np.random.default_rng(0))
    values, markers = x[..., 0], x[..., 1]
    sums = (values * markers).sum(axis=1)
    np.testing.assert_array_equal(y, (sums > 1).astype(np.float32))
    assert values.min() >= 0 and values.max() < 1


def test_values_are_uniform_and_only_the_marked_ones_say_anything():
    x, y = synthetic.generate(4000, 30, np.random.default_rng(0))
    values, markers = x[..., 0], x[..., 1]
    # Balancing mirrors some marked pairs (v -> 1 - v); the values stay uniform on [0, 1).
    assert values.mean() == pytest.approx(0.5, abs=0.01)
    assert values.std() == pytest.approx(1 / np.sqrt(12), abs=0.005)
    marked = values[markers == 1].reshape(-1, 2)
    assert marked.mean() == pytest.approx(0.5, abs=0.02)
    # Unmarked values carry no information: the same mean for both answers at every step.
    unmarked = np.where(markers == 0, values, np.nan)
    gaps = np.nanmean(unmarked[y == 1], axis=0) - np.nanmean(unmarked[y == 0], axis=0)
    assert np.abs(gaps).max() < 0.03
    # Each marked value alone predicts the answer 75% of the time (say yes above 0.5): the most
    # a network that remembers only the recent one can score.
    for column in (0, 1):
        assert ((marked[:, column] > 0.5) == y).mean() == pytest.approx(0.75, abs=0.02)


@pytest.mark.parametrize("count", [100, 101, 4000])
def test_every_set_is_half_positive(count):
    _, y = synthetic.generate(count, 5, np.random.default_rng(3))
    assert y.sum() == count // 2  # guessing scores 0.5 (to within one sequence)
    assert 0 < y[: count // 2].sum() < count // 2  # shuffled, not sorted


def test_same_seed_same_sets_other_seed_other_sets():
    first = synthetic.load_memory(SMALL, 0.2, seed=7)
    synthetic.memory_split.cache_clear()
    again = synthetic.load_memory(SMALL, 0.2, seed=7)
    synthetic.memory_split.cache_clear()
    other = synthetic.load_memory(SMALL, 0.2, seed=8)
    for name in ("x_train", "y_train", "x_val", "y_val", "x_test", "y_test"):
        np.testing.assert_array_equal(getattr(first, name), getattr(again, name))
    assert not np.array_equal(first.x_train, other.x_train)
    assert not np.array_equal(first.x_test, other.x_test)


def test_the_three_sets_share_no_sequence():
    data = synthetic.load_memory(SMALL, 0.2, seed=1)
    rows = {row.tobytes() for row in data.x_train}
    assert not any(row.tobytes() in rows for row in data.x_val)
    assert not any(row.tobytes() in rows for row in data.x_test)
    assert not np.array_equal(data.x_val, data.x_test)


def test_cached_sets_are_read_only():
    x, y = synthetic.memory_split(SMALL, 0.2, 1, "test")
    assert synthetic.memory_split(SMALL, 0.2, 1, "test")[0] is x  # the second call is cached
    with pytest.raises(ValueError):
        x[0, 0, 0] = 5.0
    with pytest.raises(ValueError, match="Unknown split 'validation'"):
        synthetic.memory_split(SMALL, 0.2, 1, "validation")


# (options, the problem's field, words the message must contain)
INVALID = [
    (MemoryOptions(sequence_length=1), "memory.sequence_length",
     ["Sequence length is 1", "2 to 1,000", "one step near the start"]),
    (MemoryOptions(sequence_length=5000), "memory.sequence_length", ["5000", "2 to 1,000"]),
    (MemoryOptions(sequence_length=2.5), "memory.sequence_length", ["2.5", "whole number"]),
    (MemoryOptions(examples=50), "memory.examples", ["Examples is 50", "100 to 100,000"]),
    (MemoryOptions(examples=200_000), "memory.examples", ["200000", "100 to 100,000"]),
    (MemoryOptions(sequence_length=1000, examples=50_000), "memory.examples",
     ["50,000,000 readings", "at most 20,000,000", "fewer examples or shorter sequences"]),
]


@pytest.mark.parametrize("options, field, words", INVALID, ids=[case[1] + str(i) for i, case in
                                                                enumerate(INVALID)])
def test_bad_settings_are_refused_in_words(options, field, words):
    with pytest.raises(ConfigError) as caught:
        RunConfig(dataset="memory", memory=options)
    assert [p.field for p in caught.value.problems] == [field]
    for word in words:
        assert word in str(caught.value)


def test_the_largest_allowed_task_is_allowed_and_one_more_example_is_not():
    longest = MemoryOptions(sequence_length=1000, examples=20_000)  # exactly 20,000,000 readings
    most = MemoryOptions(sequence_length=2, examples=100_000)
    assert RunConfig(dataset="memory", memory=longest).memory == longest
    assert RunConfig(dataset="memory", memory=most).memory == most
    with pytest.raises(ConfigError, match="20,001,000 readings, but at most 20,000,000"):
        RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=1000, examples=20_001))
    with pytest.raises(ConfigError, match="100001, but it must be a whole number from 100 to "
                                          "100,000"):
        RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=2, examples=100_001))


def test_a_memory_config_describes_itself():
    config = RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=80),
                       layers=(LayerConfig(cell="GRU", units=16),))
    assert (config.task, config.metric) == ("binary", "accuracy")
    assert config.label() == "memory/80: GRU(16)"


# -- inputs for the Inside-the-cell page --------------------------------------------------------


def memory_config(length=6, examples=100, seed=1):
    return RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=length,
                                                            examples=examples),
                     training=TrainingOptions(seed=seed))


def test_a_test_sequence_is_named_step_by_step():
    config = memory_config()
    x, y = synthetic.memory_split(config.memory, 0.2, 1, "test")
    index = int(np.flatnonzero(y == 0)[0])
    step = inside.memory_input(config, index)
    np.testing.assert_array_equal(step.sequence, x[index])
    first, second = np.flatnonzero(x[index][:, 1])
    a, b = x[index][first, 0], x[index][second, 0]
    expected = [f"t={t}" for t in range(6)]
    expected[first], expected[second] = f"t={first} (marked {a:.2f})", f"t={second} (marked {b:.2f})"
    assert step.labels == expected and first == 0 and second >= 3
    assert step.target == 0.0 and step.first_real == 0
    assert step.description == (f"test sequence {index} (its marked values {a:.2f} + {b:.2f} = "
                                f"{a + b:.2f} add up to not more than 1, so the answer is 0)")
    positive = int(np.flatnonzero(y == 1)[0])
    assert "add up to more than 1, so the answer is 1" in inside.memory_input(
        config, positive).description
    with pytest.raises(ValueError, match="There is no test sequence 20: the test set holds 20"):
        inside.memory_input(config, 20)


def test_the_saturation_sample_is_the_first_test_sequences():
    config = memory_config()
    sample = inside.memory_sequences(config, 7)
    assert sample.shape == (7, 6, 2)
    np.testing.assert_array_equal(sample, inside.memory_test_set(config)[0][:7])
    assert inside.memory_sequences(config, 500).shape == (20, 6, 2)  # all there is


def test_side_by_side_needs_the_same_kind_of_input():
    fifty = memory_config(length=50)
    assert inside.same_input(fifty, memory_config(length=50, examples=900, seed=4))
    assert not inside.same_input(fifty, memory_config(length=20))
    assert not inside.same_input(fifty, RunConfig())
    assert inside.same_input(RunConfig(), RunConfig(layers=(LayerConfig(cell="GRU"),)))
    weather = RunConfig(dataset="weather")
    longer = RunConfig(dataset="weather",
                       weather=dataclasses.replace(weather.weather, lookback_hours=48))
    assert not inside.same_input(weather, longer) and inside.same_input(weather, weather)
