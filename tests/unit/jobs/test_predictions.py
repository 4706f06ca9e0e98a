"""The class's predictions in the store: answer, change, closed once the batch ends, revealed
only by the teacher and only after the end."""
import pytest

from rnnlab.config import RunConfig, TrainingOptions
from rnnlab.jobs import predictions
from rnnlab.jobs.people import Person
from rnnlab.jobs.predictions import batch_of
from rnnlab.jobs.store import Store

pytestmark = pytest.mark.usefixtures("store_backend")  # each test on SQLite and PostgreSQL

ADA, BOB = Person(1, "Ada"), Person(2, "Bob")
TEACHER = Person(3, "Ms Lovelace", teacher=True)
CHOICES = ("SimpleRNN", "LSTM", "GRU")


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path)


def race(store) -> list[int]:
    """Three queued runs, as a race starts."""
    return [store.submit(RunConfig(training=TrainingOptions(seed=s)), "teacher") for s in (1, 2, 3)]


def finish_all(store, ids) -> None:
    for run_id in ids:
        store.claim(10)
    for run_id in ids:
        store.finish(run_id, "done", result={"best_val_accuracy": 0.8})


def test_a_batch_is_named_by_its_sorted_run_ids():
    assert batch_of("race", [5, 3, 4]).key == "race 3,4,5"
    assert batch_of("sweep", (9, 9, 2)).run_ids == (2, 9)
    with pytest.raises(ValueError, match="This race has no runs yet: start it first"):
        batch_of("race", [])


def test_each_voter_answers_once_and_may_change_it_while_the_batch_runs(store):
    batch = batch_of("race", race(store))
    predictions.predict(batch, ADA, "LSTM", CHOICES, store)
    predictions.predict(batch, BOB, "GRU", CHOICES, store)
    predictions.predict(batch, ADA, "GRU", CHOICES, store)  # changed her mind
    now = predictions.standing(batch, ADA, store)
    assert now.mine == "GRU"
    assert [(a.voter_name, a.answer) for a in now.answers] == [("Bob", "GRU"), ("Ada", "GRU")]
    assert (now.finished, now.revealed) == (False, False)
    assert predictions.standing(batch, TEACHER, store).mine is None
    assert predictions.standing(batch, None, store).mine is None  # a visitor has no answer
    other = batch_of("race", [99])
    assert predictions.standing(other, ADA, store).answers == []  # answers belong to their batch


def test_answers_are_refused_in_words_when_not_a_choice_or_without_a_name(store):
    batch = batch_of("race", race(store))
    with pytest.raises(ValueError, match="'Dense' is not one of the answers: pick one of "
                                         "SimpleRNN, LSTM, GRU."):
        predictions.predict(batch, ADA, "Dense", CHOICES, store)
    with pytest.raises(ValueError, match="Join with your name in the sidebar first"):
        predictions.predict(batch, None, "GRU", CHOICES, store)
    assert predictions.standing(batch, ADA, store).answers == []


def test_answers_close_when_every_run_of_the_batch_has_ended(store):
    ids = race(store)
    batch = batch_of("race", ids)
    predictions.predict(batch, ADA, "LSTM", CHOICES, store)
    store.claim(10)
    store.finish(ids[0], "done", result={})
    assert not predictions.standing(batch, ADA, store).finished  # two still queued or running
    predictions.predict(batch, ADA, "GRU", CHOICES, store)
    finish_all(store, ids[1:])
    assert predictions.standing(batch, ADA, store).finished
    with pytest.raises(ValueError, match="This race has finished, so answers are closed"):
        predictions.predict(batch, ADA, "SimpleRNN", CHOICES, store)
    with pytest.raises(ValueError, match="answers are closed"):
        predictions.predict(batch, BOB, "LSTM", CHOICES, store)
    now = predictions.standing(batch, ADA, store)
    assert [(a.voter_key, a.answer) for a in now.answers] == [("ada", "GRU")]
    assert (now.mine, now.finished, now.revealed) == ("GRU", True, False)


def test_only_the_teacher_reveals_and_only_after_the_batch_ends(store):
    ids = race(store)
    batch = batch_of("race", ids)
    with pytest.raises(ValueError, match="once the race has finished"):
        predictions.reveal(batch, TEACHER, store)
    finish_all(store, ids)
    with pytest.raises(ValueError, match="Only the teacher can reveal the class's answers."):
        predictions.reveal(batch, ADA, store)
    assert not predictions.revealed(batch, store)
    predictions.reveal(batch, TEACHER, store)
    predictions.reveal(batch, TEACHER, store)  # twice is harmless
    assert predictions.revealed(batch, store)
    assert predictions.standing(batch, None, store).revealed
    assert not predictions.revealed(batch_of("race", [ids[0]]), store)
