"""The class's guesses as bars: one per choice, in the cells' colours, the true answer marked."""
from rnnlab.cells import CELLS
from rnnlab.jobs.predictions import Prediction
from rnnlab.lessons.predictions import race_question, sweep_question, tally
from rnnlab.plots.predictions import MARK_COLOUR, NEUTRAL_COLOUR, guesses_chart

QUESTION = race_question(["SimpleRNN", "LSTM", "GRU"])


def votes(*choices) -> list[Prediction]:
    return [Prediction(f"s{i}", f"S{i}", c, float(i)) for i, c in enumerate(choices)]


def test_a_bar_per_choice_in_the_cells_colours_with_the_winner_outlined_and_labelled():
    result = tally(votes("GRU", "GRU", "LSTM"), QUESTION, ("GRU",))
    figure = guesses_chart(result, QUESTION, ("GRU",))
    (bars,) = figure.data
    assert list(bars.x) == ["SimpleRNN", "LSTM", "GRU"] and list(bars.y) == [0, 1, 2]
    assert list(bars.marker.color) == [CELLS[c].colour for c in ("SimpleRNN", "LSTM", "GRU")]
    assert list(bars.marker.line.width) == [0, 0, 4] and bars.marker.line.color == MARK_COLOUR
    (mark,) = figure.layout.annotations
    assert (mark.x, mark.y, mark.text) == ("GRU", 2, "<b>the winner</b>")
    assert figure.layout.title.text == "Which cell will win? How the class guessed (3 answers)"
    assert figure.layout.yaxis.dtick == 1  # whole students


def test_lengths_are_neutral_bars_and_no_result_marks_nothing():
    question = sweep_question([10, 50])
    figure = guesses_chart(tally(votes("10"), question, ()), question, ())
    (bars,) = figure.data
    assert list(bars.x) == ["10", "50", "none of them"] and list(bars.y) == [1, 0, 0]
    assert list(bars.marker.color) == [NEUTRAL_COLOUR] * 3
    assert list(bars.marker.line.width) == [0, 0, 0] and not figure.layout.annotations
    assert figure.layout.title.text.endswith("How the class guessed (1 answer)")


def test_each_bar_says_how_many_of_the_class_guessed_it_and_whether_it_was_right():
    result = tally(votes("GRU", "GRU", "LSTM"), QUESTION, ("GRU",))
    (bars,) = guesses_chart(result, QUESTION, ("GRU",)).data
    assert bars.hovertemplate == "%{y} of 3 students guessed %{x}<br>%{customdata}<extra></extra>"
    assert list(bars.customdata) == ["it was not the winner", "it was not the winner",
                                     "it was the winner"]
    question = sweep_question([10, 50])
    (open_bars,) = guesses_chart(tally(votes("10"), question, ()), question, ()).data
    assert set(open_bars.customdata) == {"the answer is not known yet"}
