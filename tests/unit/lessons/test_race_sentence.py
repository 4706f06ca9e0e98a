"""The sentence that ends a race: who won, by how much, and why."""
import dataclasses

from rnnlab.config import LayerConfig
from rnnlab.config.presets import PRESETS
from rnnlab.jobs.store import Run
from rnnlab.lessons.race import race_configs, race_sentence

MEMORY = PRESETS["memory-quick"].config   # length 50, 8 epochs
WEATHER = PRESETS["nyc-quick"].config


def racer(config, best: float, run_id: int, status: str = "done", **result) -> Run:
    metric = config.metric
    return Run(id=run_id, owner="ada", config=config, config_hash=config.fingerprint(),
               status=status, created=0.0, started=0.0, finished=1.0, pid=None, heartbeat=None,
               cancel_requested=None, error=None,
               result={f"best_val_{metric}": best, "chance_accuracy": 0.5, **result},
               kind="train", search=None, queue_position=None)


def race(scores, config=MEMORY, cells=("SimpleRNN", "LSTM", "GRU"), **result):
    return [racer(c, s, k, **result) for k, (c, s) in
            enumerate(zip(race_configs(config, cells), scores), start=1)]


def test_a_clear_win_names_the_winner_the_margins_and_why_simplernn_stayed_at_chance():
    assert race_sentence(race([0.51, 0.69, 0.92])) == (
        "GRU won: 0.92 best validation accuracy against LSTM's 0.69 and SimpleRNN's 0.51 (chance "
        "is 0.50). SimpleRNN stayed at chance: its gradient fades over 50 steps, so it cannot "
        "carry the first marked value to the end.")


def test_a_gated_cell_at_chance_is_told_apart_from_the_simplernns_reason():
    sentence = race_sentence(race([0.5, 0.52, 0.95]))
    assert "LSTM stayed at chance: in 8 epochs it had not yet learned" in sentence
    assert "SimpleRNN stayed at chance: its gradient fades over 50 steps" in sentence


def test_scores_within_a_point_are_a_tie():
    sentence = race_sentence(race([0.51, 0.953, 0.957]))
    assert sentence.startswith("GRU and LSTM tied at 0.96 best validation accuracy, ahead of "
                               "SimpleRNN's 0.51 (chance is 0.50).")


def test_everyone_at_chance_is_nobody_winning():
    assert race_sentence(race([0.5, 0.52, 0.51])) == (
        "Nobody won: every racer stayed at chance (LSTM 0.52, GRU 0.51, SimpleRNN 0.50; chance "
        "is 0.50). None of them found the clue in 8 epochs: train longer, or make the task "
        "easier (a shorter sequence).")


def test_a_regression_race_is_won_by_the_lowest_error_in_degrees():
    weather = dict(target_std=8.0, target_unit="degC", baseline_val_mae=0.3375)
    sentence = race_sentence(race([0.36375, 0.33, 0.30125], config=WEATHER, **weather))
    assert sentence == ("GRU won: 2.41 °C best validation MAE against LSTM's 2.64 °C and "
                        "SimpleRNN's 2.91 °C (the common-sense baseline is 2.70 °C; lower is "
                        "better). Only GRU and LSTM beat the common-sense baseline.")
    worse = race_sentence(race([0.36375, 0.35, 0.34], config=WEATHER, **weather))
    assert worse.endswith("None of them beat the common-sense baseline.")


def test_a_dense_lane_is_read_as_what_the_task_gives_without_memory():
    cells = ("SimpleRNN", "LSTM", "GRU", "Dense")
    sentence = race_sentence(race([0.51, 0.9, 0.93, 0.7], cells=cells))
    assert sentence.startswith("GRU won: 0.93 best validation accuracy against LSTM's 0.90, "
                               "Dense's 0.70 and SimpleRNN's 0.51")
    assert sentence.endswith("Dense, which remembers nothing, scored 0.70: the gap to GRU is what "
                             "recurrence buys on this task.")
    dense_wins = race_sentence(race([0.8, 0.85, 0.86, 0.95], config=PRESETS["imdb-quick"].config,
                                    cells=cells))
    assert dense_wins.startswith("Dense won: 0.95")
    assert dense_wins.endswith("Dense, which remembers nothing, won: on this task reading the "
                               "whole input at once is enough, and recurrence buys nothing.")


def test_no_sentence_while_a_racer_is_still_training_or_fewer_than_two_finished():
    racers = race([0.51, 0.69, 0.92])
    assert race_sentence([*racers[:2], dataclasses.replace(racers[2], status="running")]) is None
    failed = [dataclasses.replace(r, status="failed", result=None) for r in racers[1:]]
    assert race_sentence([racers[0], *failed]) is None


def test_two_racers_of_one_cell_are_named_by_their_ids():
    config = dataclasses.replace(MEMORY, layers=(LayerConfig(cell="GRU", units=16),))
    sentence = race_sentence([racer(config, 0.9, 4), racer(config, 0.6, 5)])
    assert sentence.startswith("GRU (#4) won: 0.90 best validation accuracy against GRU (#5)'s "
                               "0.60")


TEXT = PRESETS["text-quick"].config
TEXT_LINES = dict(unigram_val_bpc=4.54, bigram_val_bpc=3.69)


def test_a_text_race_is_won_by_the_fewest_bits_per_character_against_the_counting_lines():
    sentence = race_sentence(race([4.2, 3.6, 3.5], config=TEXT, **TEXT_LINES))
    assert sentence == ("GRU won: 3.500 best validation bits per character against LSTM's 3.600 "
                        "and SimpleRNN's 4.200 (the unigram line is 4.54 and the bigram line "
                        "3.69; lower is better). Only GRU and LSTM went below the bigram line, "
                        "using more than the character before.")
    none_below = race_sentence(race([4.2, 4.0, 3.9], config=TEXT, **TEXT_LINES))
    assert none_below.endswith("None of them went below the bigram line: none yet uses more "
                               "than the one character before.")
    # 2 % of 3.5 bits apart: a tie, as for an MAE.
    assert race_sentence(race([4.2, 3.56, 3.5], config=TEXT, **TEXT_LINES)).startswith(
        "GRU and LSTM tied at 3.500 best validation bits per character, ahead of SimpleRNN's")
