"""The shared checks: a problem per bad value, in words, and one error that lists them all."""
from rnnlab.config.checks import (
    ConfigError,
    Problem,
    check_bool,
    check_choice,
    check_number,
    check_whole_number,
    is_number,
    is_whole_number,
)


def test_a_bool_is_neither_a_whole_number_nor_a_number():
    assert is_whole_number(3) and not is_whole_number(True) and not is_whole_number(3.0)
    assert is_number(3) and is_number(0.5) and not is_number(False) and not is_number("3")


def test_each_check_appends_one_problem_that_names_the_value_and_the_range():
    problems: list[Problem] = []
    check_whole_number(problems, "training.epochs", "Epochs", 2.0, 1, 5000, "why")
    check_number(problems, "layers.1.dropout", "Dropout", 1.5, 0.0, 0.9, "why")
    check_choice(problems, "dataset", "Dataset", "mnist", ("imdb", "weather"), "why")
    check_bool(problems, "imdb.mask_padding", "Mask padding", "yes")
    check_whole_number(problems, "training.epochs", "Epochs", 3, 1, 5000, "why")
    assert [(p.field, p.value, p.message) for p in problems] == [
        ("training.epochs", 2.0,
         "Epochs is 2.0, but it must be a whole number from 1 to 5,000: why."),
        ("layers.1.dropout", 1.5, "Dropout is 1.5, but it must be a number from 0.0 to 0.9: why."),
        ("dataset", "mnist", "Dataset is 'mnist', but it must be one of imdb, weather: why."),
        ("imdb.mask_padding", "yes", "Mask padding is 'yes', but it must be true or false."),
    ]


def test_a_config_error_is_a_value_error_with_one_line_per_problem():
    error = ConfigError([Problem("a", 1, "First."), Problem("b", 2, "Second.")])
    assert isinstance(error, ValueError)
    assert str(error) == "First.\nSecond."
    assert [p.field for p in error.problems] == ["a", "b"]
