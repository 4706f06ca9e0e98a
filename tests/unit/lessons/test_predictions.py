"""The questions a race and a sweep ask, their true answers, and the tally in numbers and words."""
import dataclasses

from rnnlab.config import LayerConfig, RunConfig, WeatherOptions
from rnnlab.jobs.predictions import Prediction
from rnnlab.jobs.store import Run
from rnnlab.lessons.predictions import (NEVER, race_question, race_winners, sweep_failure,
                                        sweep_question, tally)


def racer(cell: str, score: float | None, status: str = "done", dataset: str = "imdb") -> Run:
    config = RunConfig(dataset=dataset, weather=WeatherOptions(),
                       layers=(LayerConfig(cell=cell, units=8),))
    metric = config.metric
    result = None if score is None else {f"best_val_{metric}": score}
    return Run(id=1, owner="t", config=config, config_hash="", status=status, created=0.0,
               started=None, finished=None, pid=None, heartbeat=None, cancel_requested=None,
               error=None, result=result, kind="train", search=None, queue_position=None)


def answers(*pairs) -> list[Prediction]:
    return [Prediction(name.lower(), name, answer, float(i)) for i, (name, answer) in
            enumerate(pairs)]


RACE = race_question(["SimpleRNN", "LSTM", "GRU"])


def test_the_race_is_won_by_the_best_validation_score_once_every_racer_is_done():
    assert race_winners([racer("SimpleRNN", 0.51), racer("LSTM", 0.86), racer("GRU", 0.88)]) == (
        "GRU",)
    assert race_winners([racer("SimpleRNN", 0.51), racer("LSTM", 0.86, "running")]) == ()
    assert race_winners([racer("SimpleRNN", 0.51), racer("LSTM", None, "failed")]) == ()
    # Weather: the lowest MAE wins.
    weather = [racer("GRU", 0.31, dataset="weather"), racer("LSTM", 0.29, dataset="weather")]
    assert race_winners(weather) == ("LSTM",)


def test_a_tie_has_every_tied_cell_as_its_answer_as_the_race_sentence_says():
    # Within a point of accuracy (TIE_ACCURACY) or 2 % of the best MAE: the race page says
    # "LSTM and GRU tied", so a guess of either is right.
    assert race_winners([racer("SimpleRNN", 0.51), racer("LSTM", 0.875), racer("GRU", 0.88)]) == (
        "GRU", "LSTM")
    weather = [racer("SimpleRNN", 0.2513, dataset="weather"),
               racer("LSTM", 0.2427, dataset="weather"), racer("GRU", 0.2449, dataset="weather")]
    assert race_winners(weather) == ("LSTM", "GRU")
    votes = answers(("Ada", "GRU"), ("Bob", "LSTM"), ("Cy", "SimpleRNN"))
    result = tally(votes, RACE, ("LSTM", "GRU"))
    assert result.right == ["Ada", "Bob"]
    assert result.sentence == "2 of 3 guessed LSTM or GRU, tied for the win; 1 guessed SimpleRNN."


def test_the_sweep_fails_at_the_first_length_where_simplernn_is_at_chance():
    lengths = [10, 20, 50, 100]
    question = sweep_question([50, 10, 100, 20, 10])
    assert question.text == "At which length will SimpleRNN fail?"
    assert question.choices == ("10", "20", "50", "100", NEVER)
    points = {"SimpleRNN": [(10, 0.97), (20, 0.74), (50, 0.52), (100, 0.50)],
              "LSTM": [(10, 0.99), (20, 0.99), (50, 0.98), (100, 0.96)]}
    assert sweep_failure(points, lengths) == "50"
    assert sweep_failure({"SimpleRNN": [(10, 0.9), (20, 0.56)]}, [10, 20]) == NEVER
    assert sweep_failure({"SimpleRNN": [(10, 0.9)]}, [10, 20]) is None  # 20 not finished


def test_the_tally_counts_every_choice_and_names_who_was_right():
    votes = answers(*[(f"S{i}", "GRU") for i in range(9)], *[(f"L{i}", "LSTM") for i in range(4)],
                    ("Zed", "SimpleRNN"))
    result = tally(votes, RACE, ("GRU",))
    assert result.counts == {"SimpleRNN": 1, "LSTM": 4, "GRU": 9}
    assert result.total == 14
    assert result.right == [f"S{i}" for i in range(9)]
    assert result.sentence == ("9 of 14 guessed GRU, the winner; 4 guessed LSTM; "
                               "1 guessed SimpleRNN.")


def test_the_tally_says_when_nobody_was_right_nobody_answered_or_there_is_no_result():
    votes = answers(("Ada", "LSTM"), ("Bob", "LSTM"), ("Cy", "SimpleRNN"))
    assert tally(votes, RACE, ("GRU",)).sentence == (
        "Nobody guessed GRU, the winner: 2 guessed LSTM; 1 guessed SimpleRNN.")
    assert tally([], RACE, ("GRU",)).sentence == "Nobody answered this time."
    assert tally(votes, RACE, ()).sentence == (
        "There is no result to compare with: 2 guessed LSTM; 1 guessed SimpleRNN.")
    assert tally(answers(("Ada", "GRU")), RACE, ("GRU",)).sentence == "1 of 1 guessed GRU, the winner."
    sweep = sweep_question([10, 50])
    assert tally(answers(("Ada", "50"), ("Bob", NEVER)), sweep, ("50",)).sentence == (
        "1 of 2 guessed 50, where SimpleRNN first fell to chance; 1 guessed none of them.")
    assert dataclasses.asdict(tally([], RACE, ()))["counts"] == {
        "SimpleRNN": 0, "LSTM": 0, "GRU": 0}


def test_a_text_race_is_won_by_the_fewest_bits_per_character():
    text = [racer("SimpleRNN", 3.9, dataset="text"), racer("LSTM", 3.99, dataset="text"),
            racer("GRU", 3.5, dataset="text")]
    assert race_winners(text) == ("GRU",)
    # Within 2 % of the fewest bits a racer shares the win: 3.95 does, 3.99 (0.09 more) does not.
    assert race_winners([*text[:2], racer("GRU", 3.95, dataset="text")]) == ("SimpleRNN", "GRU")
