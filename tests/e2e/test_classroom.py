"""A class in two browsers at the projector's 1024x768: a teacher and a student on one server.

The student cannot cancel or delete the teacher's run (no button, and the library refuses a
call made as the student); the teacher cancels the student's run and the student's page says
who did; a shared link that names the teacher (?owner=Teacher) leaves the student the student;
a reload keeps each person who they are (the signed cookie). And predict, then reveal: the
teacher starts a race, two students lock in their answers while it trains, the answers close
when it ends, and once the teacher presses Reveal both students' pages show the class's guesses.
"""
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from rnnlab.jobs import predictions, runs
from rnnlab.jobs.people import Person
from rnnlab.jobs.predictions import batch_of
from rnnlab.jobs.store import Store
from rnnlab.lessons.predictions import race_question, race_winners, tally
from rnnlab.ui import identity
from tests.e2e.server import Server, join, open_url, wait_idle
from tests.waiting import wait_for

SECRET = "chalk and talk"
# The bundled New York record, windows of 24 hourly readings: a second or two per epoch; 200
# epochs keep a run running while the other browser looks at it (it is cancelled, not finished).
LONG_TINY = "dataset=weather&lookback_hours=24&delay_hours=6&batch_size=32&epochs=200"


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    root = tmp_path_factory.mktemp("classroom")
    (root / "data").mkdir()
    server = Server(root / "home", root / "data", env={"RNNLAB_TEACHER_SECRET": SECRET})
    yield server
    server.stop()


def sidebar(page):
    return page.get_by_test_id("stSidebar")


def train(page, server, seed: int) -> int:
    """Press Train on a long tiny run; returns the new run's id once it is in the link."""
    open_url(page, f"{server.url}/train?{LONG_TINY}&seed={seed}")
    page.get_by_role("button", name="Train", exact=True).click()
    wait_idle(page)
    found = wait_for(lambda: re.search(r"[?&]run=(\d+)", page.evaluate("location.href")), 30)
    return int(found.group(1))


def person_in_store(store: Store, name: str) -> Person:
    """The person the server's store has under `name` (as a crafted request would claim to be)."""
    with store.connect() as conn:
        row = conn.execute("SELECT id, name FROM people WHERE name = ?", (name,)).fetchone()
    return Person(row["id"], row["name"])


def join_as_teacher(page, name: str = "Teacher") -> None:
    """Join under `name` and unlock the teacher's tools with the server's secret."""
    join(page, name)
    sidebar(page).get_by_text("I am the teacher").click()
    sidebar(page).get_by_label("The teacher's secret").fill(SECRET)
    sidebar(page).get_by_role("button", name="Unlock the teacher's tools").click()
    wait_idle(page)
    expect(sidebar(page).get_by_text(f"You are {name} (the teacher).")).to_be_visible()


def test_a_teacher_and_a_student(classroom, projector):
    store = Store(classroom.home)
    teacher, student = projector(), projector()

    open_url(teacher, f"{classroom.url}/")
    join_as_teacher(teacher)
    teachers_run = train(teacher, classroom, seed=1)
    assert store.get(teachers_run).owner == "Teacher"

    open_url(student, f"{classroom.url}/")
    join(student, "Stu")
    # The teacher's shared link names the teacher; the student stays the student.
    open_url(student, f"{classroom.url}/runs?run={teachers_run}&owner=Teacher")
    expect(sidebar(student).get_by_text("You are Stu.")).to_be_visible()
    assert "owner" not in parse_qs(urlparse(student.evaluate("location.href")).query)
    expect(student.get_by_text("Only Teacher or the teacher can cancel or delete this run.")
           ).to_be_visible()
    expect(student.get_by_role("button", name=f"Cancel run #{teachers_run}")).to_have_count(0)
    expect(student.get_by_text(f"I want to delete run #{teachers_run}")).to_have_count(0)
    open_url(student, f"{classroom.url}/train?run={teachers_run}")
    expect(student.get_by_text(re.compile(rf"Run #{teachers_run}:"))).to_be_visible()
    expect(student.get_by_role("button", name="Cancel this run")).to_have_count(0)
    # A request crafted as the student is refused by the library itself.
    stu = person_in_store(store, "Stu")
    with pytest.raises(ValueError, match=f"Run #{teachers_run} is Teacher's: only its owner or "
                                         "the teacher can cancel it."):
        runs.cancel(teachers_run, store=store, by=stu)
    with pytest.raises(ValueError, match="only its owner or the teacher can delete it"):
        runs.delete(teachers_run, store=store, by=stu)
    assert store.get(teachers_run).cancel_requested is None

    # The student's own run: the teacher cancels it, and the student's page says who did.
    students_run = train(student, classroom, seed=2)
    assert store.get(students_run).owner == "Stu"
    expect(student.get_by_role("button", name="Cancel this run")).to_be_visible()
    open_url(teacher, f"{classroom.url}/train?run={students_run}")
    teacher.get_by_role("button", name="Cancel this run").click()
    wait_idle(teacher)
    wait_for(lambda: store.get(students_run).status == "cancelled", 60)
    assert store.get(students_run).cancelled_by == "Teacher"
    expect(student.get_by_text("Cancelled by Teacher.")).to_be_visible(timeout=30_000)

    # A reload (a new session: only the browser's cookie remembers) keeps both people.
    (cookie,) = [c for c in student.context.cookies() if c["name"] == identity.COOKIE]
    assert (cookie["sameSite"], cookie["path"]) == ("Strict", "/") and "." in cookie["value"]
    for page, shown in ((student, "You are Stu."), (teacher, "You are Teacher (the teacher).")):
        page.reload()
        wait_idle(page)
        expect(sidebar(page).get_by_text(shown)).to_be_visible()
    open_url(teacher, f"{classroom.url}/runs?run={teachers_run}")
    teacher.get_by_role("button", name=f"Cancel run #{teachers_run}").click()
    wait_idle(teacher)
    wait_for(lambda: not store.get(teachers_run).active, 60)
    assert not student.get_by_test_id("stException").count()
    assert not teacher.get_by_test_id("stException").count()


# Four epochs of each cell on small New York windows: the race trains long enough for two students
# to answer (they have answered about 25 s after the start; the first run alone takes longer), and
# ends within a few minutes though three browsers share the two cores with the niced worker.
RACE = ("dataset=weather&lookback_hours=24&delay_hours=6&batch_size=32&layers=1&l1_units=8"
        "&epochs=4")


def lock_in(page, answer: str) -> None:
    """Pick `answer` and press Lock in, as a student does: again if the page did not take it.

    The panel redraws itself every 2 s while the race trains, and so does the race chart above
    it. A click that lands while Streamlit is applying such a redraw can be dropped (the radio
    comes back unchecked; the streamlit#10805 family of fragment-rerun bugs). A student sees that
    the page did not say "You answered ..." and clicks again; so does this helper, at most three
    times, and the answer recorded in the store is checked by the caller.
    """
    said = page.get_by_text(re.compile(rf"You answered {answer};")).first
    for _ in range(3):
        page.get_by_role("radiogroup").get_by_text(answer, exact=True).click()
        wait_idle(page)
        if not page.get_by_role("radio", name=answer, exact=True).is_checked():
            continue
        page.get_by_role("button", name="Lock in my answer", exact=True).click()
        wait_idle(page)
        try:
            expect(said).to_be_visible(timeout=4000)
            return
        except AssertionError:
            continue
    expect(said).to_be_visible()


def test_predict_then_reveal_with_two_students_and_the_teacher(classroom, projector):
    store = Store(classroom.home)
    teacher = projector()
    open_url(teacher, f"{classroom.url}/race?{RACE}")
    join_as_teacher(teacher, "Ms Lovelace")  # the first test's "Teacher" is still in the class
    teacher.get_by_role("combobox").first.click()  # the race opens on a lesson-sized preset
    teacher.get_by_text("The model from the Build page").first.click()
    wait_idle(teacher)
    teacher.get_by_role("button", name="Start the race", exact=True).click()
    teacher.wait_for_url(re.compile(r"[?&]race=\d+"))
    racers = [int(i) for i in parse_qs(urlparse(teacher.url).query)["race"][0].split(",")]
    assert [store.get(i).owner for i in racers] == ["Ms Lovelace"] * 3
    link = f"{classroom.url}/race?race={','.join(map(str, racers))}"

    ada, bob = projector(), projector()
    open_url(ada, link)
    join(ada, "Ada")
    expect(ada.get_by_text("Predict, then reveal: Which cell will win?")).to_be_visible()
    lock_in(ada, "LSTM")
    expect(ada.get_by_text(re.compile(r"You answered LSTM; 1 of the class have answered"))
           .first).to_be_visible()
    lock_in(ada, "GRU")  # she changes her mind while it trains
    expect(ada.get_by_text(re.compile(r"You answered GRU; 1 of the class")).first).to_be_visible()
    open_url(bob, link)
    join(bob, "Bob")
    lock_in(bob, "LSTM")
    expect(bob.get_by_text(re.compile(r"You answered LSTM; 2 of the class")).first).to_be_visible()
    assert {store.get(i).status for i in racers} & {"queued", "running"}  # still a prediction
    expect(ada.get_by_role("button", name="Reveal the class's answers")).to_have_count(0)

    # The race ends: every page closes the answers by itself (the panel polls); only the
    # teacher's has the Reveal button.
    for page, closed in ((ada, "you answered GRU."), (bob, "you answered LSTM."),
                         (teacher, "")):
        expect(page.get_by_text(re.compile(r"Answers are closed: 2 of the class answered"
                                           + re.escape(closed and "; " + closed)))
               .first).to_be_visible(timeout=300_000)
        expect(page.get_by_role("button", name="Lock in my answer")).to_have_count(0)
    assert {store.get(i).status for i in racers} == {"done"}
    expect(bob.get_by_role("button", name="Reveal the class's answers")).to_have_count(0)
    teacher.get_by_role("button", name="Reveal the class's answers").click()
    wait_idle(teacher)

    states = [store.get(i) for i in racers]
    winners = race_winners(states)  # one cell, or the cells that tied for the win
    question = race_question(r.config.layers[0].cell for r in states)
    sentence = tally(predictions.standing(batch_of("race", racers), None, store).answers, question,
                     winners).sentence
    assert winners and set(winners) <= {"SimpleRNN", "LSTM", "GRU"}
    for page, mine in ((ada, "GRU"), (bob, "LSTM"), (teacher, None)):
        expect(page.get_by_text(sentence, exact=True)).to_be_visible(timeout=15_000)
        if mine:
            verdict = ("right." if mine in winners
                       else f"the answer was {' or '.join(winners)}.")
            expect(page.get_by_text(f"You guessed {mine}: {verdict}", exact=True)).to_be_visible()
        bars = page.evaluate("[...document.querySelectorAll('.js-plotly-plot')].map(p => "
                             "p.data[0].type === 'bar' ? p.data[0].y : null).filter(Boolean)")
        assert bars == [[{"SimpleRNN": 0, "LSTM": 1, "GRU": 1}[c] for c in question.choices]]
        assert not page.get_by_test_id("stException").count()
