"""Predict, then reveal, in real browsers against a real server, supervisor and workers: the
teacher starts a race, two students open its link and lock in their answers while it trains,
answers close when it ends, and once the teacher reveals them both students' pages show the
class's guesses and the winner without a click.

On this branch the teacher's reveal is the library call (rnnlab.jobs.predictions.reveal with a
teacher voter): the teacher's identity in the browser comes with the identity work.
"""
import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from rnnlab.jobs import predictions
from rnnlab.jobs.predictions import Voter, batch_of
from rnnlab.jobs.store import Store
from rnnlab.lessons.predictions import race_question, race_winner, tally
from tests.e2e.server import open_url, wait_idle

# The bundled New York record, small windows: a few seconds per epoch; six epochs per cell keep
# the race running while the students answer.
RACE = ("dataset=weather&lookback_hours=24&delay_hours=6&batch_size=32&layers=1&l1_units=8"
        "&epochs=6")


def lock_in(page, answer: str) -> None:
    page.get_by_role("radiogroup").get_by_text(answer, exact=True).click()
    wait_idle(page)
    page.get_by_role("button", name="Lock in my answer", exact=True).click()
    wait_idle(page)


def test_two_students_predict_the_race_and_see_the_class_guesses_once_revealed(server, new_page):
    store = Store(server.home)
    teacher = new_page()
    open_url(teacher, f"{server.url}/race?{RACE}&owner=teacher")
    teacher.get_by_role("button", name="Start the race", exact=True).click()
    teacher.wait_for_url(re.compile(r"[?&]race=\d+"))
    racers = [int(i) for i in parse_qs(urlparse(teacher.url).query)["race"][0].split(",")]
    link = f"{server.url}/race?race={','.join(map(str, racers))}"

    ada, bob = new_page(), new_page()
    open_url(ada, f"{link}&owner=Ada")
    expect(ada.get_by_text("Predict, then reveal: Which cell will win?")).to_be_visible()
    lock_in(ada, "LSTM")
    expect(ada.get_by_text(re.compile(r"You answered LSTM; 1 of the class have answered"))
           .first).to_be_visible()
    lock_in(ada, "GRU")  # she changes her mind while it trains
    expect(ada.get_by_text(re.compile(r"You answered GRU; 1 of the class")).first).to_be_visible()
    open_url(bob, f"{link}&owner=Bob")
    lock_in(bob, "LSTM")
    expect(bob.get_by_text(re.compile(r"You answered LSTM; 2 of the class")).first).to_be_visible()
    assert {store.get(i).status for i in racers} & {"queued", "running"}  # still a prediction

    # The race ends: both pages close the answers by themselves (the panel polls).
    for page, mine in ((ada, "GRU"), (bob, "LSTM")):
        expect(page.get_by_text(re.compile(rf"Answers are closed: 2 of the class answered; you "
                                           rf"answered {mine}\.")).first).to_be_visible(
            timeout=300_000)
        expect(page.get_by_role("button", name="Lock in my answer")).to_have_count(0)
    assert {store.get(i).status for i in racers} == {"done"}

    batch = batch_of("race", racers)
    predictions.reveal(batch, Voter("Teacher", "teacher", teacher=True), store)
    states = [store.get(i) for i in racers]
    winner = race_winner(states)
    question = race_question(r.config.layers[0].cell for r in states)
    sentence = tally(predictions.answers(batch, store), question, winner).sentence
    assert winner in ("SimpleRNN", "LSTM", "GRU")
    for page, mine in ((ada, "GRU"), (bob, "LSTM")):
        expect(page.get_by_text(sentence, exact=True)).to_be_visible(timeout=15_000)
        verdict = "right." if mine == winner else f"the answer was {winner}."
        expect(page.get_by_text(f"You guessed {mine}: {verdict}", exact=True)).to_be_visible()
        bars = page.evaluate("[...document.querySelectorAll('.js-plotly-plot')].map(p => "
                             "p.data[0].type === 'bar' ? p.data[0].y : null).filter(Boolean)")
        counts = {"SimpleRNN": 0, "LSTM": 1, "GRU": 1}
        assert bars == [[counts[c] for c in question.choices]]
        assert not page.get_by_test_id("stException").count()
