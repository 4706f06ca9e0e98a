"""Who is who: one person per name (case and look-alike letters folded), a token that restores
them only while they are in the class, the teacher only with the operator's secret, and who may
cancel or delete which run, enforced by rnnlab.jobs.runs itself."""
import pytest

from rnnlab.config import RunConfig, TrainingOptions
from rnnlab.jobs import limits, people, runs, tokens
from rnnlab.jobs.people import OPERATOR, Person
from rnnlab.jobs.store import Store
from rnnlab.jobs.tokens import TokenError

pytestmark = pytest.mark.usefixtures("store_backend")  # each test on SQLite and PostgreSQL


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setattr(runs, "ensure_supervisor", lambda store: None)
    monkeypatch.delenv("RNNLAB_OWNER_LIMIT", raising=False)
    monkeypatch.delenv("RNNLAB_SECRET", raising=False)
    return Store(tmp_path)


def config(seed=1):
    return RunConfig(training=TrainingOptions(seed=seed))


def test_a_name_is_one_persons_at_a_time_whatever_its_case_or_lookalike_letters(store):
    ada = people.join("  Ada ", store)
    assert (ada.name, ada.key, ada.teacher) == ("Ada", "ada", False)
    for typed in ("ada", "ADA", "A\u200bda", "\u0410da", "Ａｄａ"):  # zero-width, Cyrillic, full-width
        with pytest.raises(ValueError, match="Someone in this class already goes by"):
            people.join(typed, store)
    with pytest.raises(ValueError, match="add an initial"):
        people.join("Ada", store)
    assert people.join("Ada B.", store).key == "ada b."
    for nothing in ("", "   ", "\u200b", "anonymous"):
        with pytest.raises(ValueError, match="Type your name"):
            people.join(nothing, store)


def test_leaving_or_expiring_frees_the_name_and_voids_the_token(store):
    ada = people.join("Ada", store)
    token = people.token(ada, store)
    assert people.restore(token, store) == ada
    people.leave(ada, store)
    with pytest.raises(TokenError, match="no longer in this class"):
        people.restore(token, store)
    again = people.join("Ada", store)
    assert again.id != ada.id
    with pytest.raises(TokenError, match="no longer in this class"):  # the old Ada is not her
        people.restore(token, store)
    later = 1000.0 + tokens.TOKEN_SECONDS + 1
    bob = people.join("Bob", store, now=1000.0)
    assert people.join("bob", store, now=later).id != bob.id  # Bob's day ended: the name is free


def test_a_token_claiming_another_name_or_the_teacher_is_refused(store):
    ada = people.join("Ada", store)
    secret = tokens.server_secret(store.home)
    forged = tokens.sign({"id": ada.id, "name": "Teacher", "teacher": True}, b"guessed")
    with pytest.raises(TokenError, match="not signed by this server"):
        people.restore(forged, store)
    # Even one signed with the real secret must name the person the store has under that id.
    wrong_name = tokens.sign({"id": ada.id, "name": "Bob", "teacher": False}, secret)
    with pytest.raises(TokenError, match="no longer in this class"):
        people.restore(wrong_name, store)


def test_the_teacher_needs_the_operators_secret(store):
    ada = people.join("Ada", store)
    with pytest.raises(ValueError, match="has no teacher's secret, so nobody is the teacher"):
        people.promote(ada, "anything", None, store)
    with pytest.raises(ValueError, match="not the teacher's secret"):
        people.promote(ada, "wrong", "right", store)
    teacher = people.promote(ada, "right", "right", store)
    assert teacher.teacher and people.restore(people.token(teacher, store), store).teacher


def test_guesses_at_the_teachers_secret_are_limited_for_the_whole_class(store):
    guessers = [people.join(f"Guesser {i}", store) for i in range(2)]
    for i in range(limits.SECRET_GUESSES):  # two students share one count
        with pytest.raises(ValueError, match="not the teacher's secret"):
            people.promote(guessers[i % 2], f"guess {i}", "right", store, now=1000.0 + i)
    with pytest.raises(limits.LimitError, match="typed wrong 20 times in the last 10 minutes, "
                                                "so nobody may try again for 10 minutes"):
        people.promote(guessers[0], "right", "right", store, now=1020.0)
    # Ten minutes after the first wrong guess, one more try is allowed again: the right one.
    assert people.promote(guessers[0], "right", "right", store, now=1600.5).teacher


def test_a_student_cancels_and_deletes_only_their_own_runs_and_the_teacher_any(store):
    student, other = people.join("Stu", store), people.join("Teacher", store)
    teacher = Person(other.id, other.name, teacher=True)
    theirs = runs.submit(config(1), "Teacher", store=store).run_id
    own = runs.submit(config(2), "stu", store=store).run_id  # the same owner key as Stu
    with pytest.raises(ValueError, match=f"Run #{theirs} is Teacher's: only its owner or the "
                                         "teacher can cancel it."):
        runs.cancel(theirs, store=store, by=student)
    with pytest.raises(ValueError, match="only its owner or the teacher can delete it"):
        runs.delete(theirs, store=store, by=student)
    with pytest.raises(ValueError, match="Join with your name in the sidebar first"):
        runs.cancel(theirs, store=store, by=None)
    assert store.get(theirs).status == "queued"
    assert runs.cancel(own, store=store, by=student) == "cancelled"
    assert runs.cancel(theirs, store=store, by=teacher) == "cancelled"
    assert store.get(theirs).cancelled_by == "Teacher" and store.get(own).cancelled_by == "Stu"
    runs.delete(own, store=store, by=student)
    runs.delete(theirs, store=store, by=teacher)
    assert store.list() == []
    assert people.may_manage(teacher, store.get(runs.submit(config(3), "Stu", store=store).run_id))


def test_only_someone_who_joined_may_queue(store):
    for submit in (lambda: runs.submit(config(), "", store=store),
                   lambda: runs.submit_batch([config()], "anonymous", store=store)):
        with pytest.raises(ValueError, match="Join with your name in the sidebar first"):
            submit()
    assert store.list() == []


def test_the_teacher_sets_the_per_student_limit_and_nobody_else_can(store, monkeypatch):
    student = people.join("Stu", store)
    teacher = people.promote(people.join("Teacher", store), "s", "s", store)
    assert runs.owner_limit(store) == 3
    with pytest.raises(ValueError, match="Only the teacher"):
        runs.set_owner_limit(5, by=student, store=store)
    for bad in (0, 51, 2.5, True):
        with pytest.raises(ValueError, match="whole number from 1 to 50"):
            runs.set_owner_limit(bad, by=teacher, store=store)
    runs.set_owner_limit(1, by=teacher, store=store)
    monkeypatch.setenv("RNNLAB_OWNER_LIMIT", "7")  # the teacher's setting wins over the default
    assert runs.owner_limit(store) == 1
    runs.submit(config(1), "Stu", store=store)
    with pytest.raises(ValueError, match="the most one person may have at once \\(1\\)"):
        runs.submit(config(2), "Stu", store=store)


def test_clearing_the_class_cancels_deletes_and_signs_everyone_else_out(store):
    student = people.join("Stu", store)
    teacher = people.promote(people.join("Teacher", store), "s", "s", store)
    student_token = people.token(student, store)
    queued = runs.submit(config(1), "Stu", store=store).run_id
    running = runs.submit(config(2), "Teacher", store=store).run_id
    finished = runs.submit(config(3), "Stu", store=store).run_id
    store.claim(5), store.claim(5), store.claim(5)
    store.finish(finished, "done")
    store.run_dir(finished).mkdir(parents=True)
    with pytest.raises(ValueError, match="Only the teacher"):
        runs.clear_class(by=student, store=store)
    assert (queued, running) and len(store.list()) == 3
    cleared = runs.clear_class(by=teacher, store=store)
    assert (cleared.deleted, cleared.stopping, cleared.people) == (1, 2, 1)
    assert not store.run_dir(finished).exists()
    assert {r.status for r in store.list()} == {"running"}  # asked to stop, removed next time
    assert {r.cancelled_by for r in store.list()} == {"Teacher"}
    with pytest.raises(TokenError):
        people.restore(student_token, store)
    assert people.restore(people.token(teacher, store), store) == teacher
    for run in store.list():
        store.finish(run.id, "cancelled")
    assert runs.clear_class(by=teacher, store=store).deleted == 2 and store.list() == []


def test_the_operator_manages_every_run(store):
    run_id = runs.submit(config(), "Ada", store=store).run_id
    assert runs.cancel(run_id, store=store, by=OPERATOR) == "cancelled"
