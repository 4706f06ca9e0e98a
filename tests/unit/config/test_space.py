"""SearchSpace: the values a trial can draw, and how many different models the space holds."""
from rnnlab.config.search import SearchSpace


def test_the_space_lists_its_values_and_counts_its_models():
    space = SearchSpace(depths=(1, 2), units_min=8, units_max=32, units_step=8,
                        activations=("tanh",), dropout_min=0.0, dropout_max=0.0,
                        learning_rates=(0.01, 0.001))
    assert space.units_values() == [8, 16, 24, 32] and space.dropout_values() == [0.0]
    assert space.size() == 2 * (4 + 4 ** 2)
    assert SearchSpace(dropout_min=0.1, dropout_max=0.45, dropout_step=0.1).dropout_values() == [
        0.1, 0.2, 0.3, 0.4]
