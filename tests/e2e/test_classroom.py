"""A class in two browsers at the projector's 1024x768: a teacher and a student on one server.

The student cannot cancel or delete the teacher's run (no button, and the library refuses a
call made as the student); the teacher cancels the student's run and the student's page says
who did; a shared link that names the teacher (?owner=Teacher) leaves the student the student;
a reload keeps each person who they are (the signed cookie).
"""
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from rnnlab.jobs import runs
from rnnlab.jobs.people import Person
from rnnlab.jobs.store import Store
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


@pytest.fixture
def projector(browser):
    """Browser contexts of their own (separate cookies) with the projector's viewport."""
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1024, "height": 768})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(60_000)
        return page

    yield make
    for context in contexts:
        context.close()


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


def test_a_teacher_and_a_student(classroom, projector):
    store = Store(classroom.home)
    teacher, student = projector(), projector()

    open_url(teacher, f"{classroom.url}/")
    join(teacher, "Teacher")
    sidebar(teacher).get_by_text("I am the teacher").click()
    sidebar(teacher).get_by_label("The teacher's secret").fill(SECRET)
    sidebar(teacher).get_by_role("button", name="Unlock the teacher's tools").click()
    wait_idle(teacher)
    expect(sidebar(teacher).get_by_text("You are Teacher (the teacher).")).to_be_visible()
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
