"""Who is who in the app: joining in the sidebar, a name nobody else can take, a link that
carries nobody, Cancel and Delete only where the person may use them, and the teacher's tools."""
from rnnlab.jobs import people, runs
from rnnlab.ui import identity
from tests.app.conftest import as_read, imdb_config, join, open_page


def sidebar_text(app) -> str:
    """The sidebar's sentences as a reader sees them (a name is shown in bold)."""
    return " ".join(as_read(e.value) for e in (*app.sidebar.markdown, *app.sidebar.warning,
                                                *app.sidebar.caption))


def test_joining_in_the_sidebar_keeps_the_name_and_refuses_a_taken_one(store):
    app = open_page("home")
    app.text_input(key="identity_name").input("Ada")
    app.button(key="identity_join").click().run()
    assert "You are **Ada**." in sidebar_text(app)
    ada = people.restore(app.session_state[identity.SESSION_TOKEN], store)
    assert (ada.name, ada.teacher) == ("Ada", False)
    other = open_page("home")
    other.text_input(key="identity_name").input("ADA")
    other.button(key="identity_join").click().run()
    assert "Someone in this class already goes by ADA: add an initial" in sidebar_text(other)
    assert other.session_state[identity.SESSION_TOKEN] is None
    # The name box waits in the "Join the class" popover; the refusal is drawn above it, where an
    # open popover cannot cover it.
    kinds = [getattr(child, "type", "") for child in other.sidebar.children.values()]
    assert kinds.index("warning") < kinds.index("popover")
    popover = other.sidebar.children[kinds.index("popover")]
    assert popover.proto.popover.label == "Join the class"
    assert popover.text_input(key="identity_name").value == "ADA"
    app.button(key="identity_leave").click().run()
    assert app.text_input(key="identity_name") is not None  # the join form is back
    other.button(key="identity_join").click().run()  # the name is free now
    assert "You are **ADA**." in sidebar_text(other)


def test_a_link_with_someone_elses_name_changes_nobody(store):
    app = open_page("train", {"owner": "Teacher", **imdb_config().to_query()}, person="Stu")
    assert "You are **Stu**." in sidebar_text(app) and "owner" not in app.query_params
    app.button(key="train_start").click().run()
    assert [r.owner for r in store.list()] == ["Stu"]


def test_a_changed_token_is_ignored_with_a_sentence(store):
    app = open_page("home", person="Ada")
    token = app.session_state[identity.SESSION_TOKEN]
    forged = open_page("home")
    forged.session_state[identity.SESSION_TOKEN] = token[:-3] + "abc"
    forged.run()
    assert "Your saved sign-in was not used: The saved sign-in was not signed by this server, " \
           "or it was changed." in sidebar_text(forged)
    assert identity.COOKIE not in sidebar_text(forged) and forged.text_input(key="identity_name")


def test_a_visitor_who_has_not_joined_may_look_but_not_train(store):
    train = open_page("train", imdb_config().to_query())
    assert "Join with your name in the sidebar first" in train.caption[0].value
    train.button(key="train_start").click().run()
    assert "Join with your name in the sidebar first." in as_read(train.error[0].value)
    race = open_page("race", imdb_config().to_query())
    race.button(key="race_start").click().run()
    assert "Join with your name in the sidebar first." in as_read(race.error[0].value)
    assert store.list() == []


def test_cancel_and_delete_are_absent_on_runs_that_are_not_ones_own(seeded, store):
    running = open_page("runs", {"run": str(seeded["running"])}, person="ada")  # bob's
    assert all(b.key != "runs_cancel" for b in running.button)
    assert "Only bob or the teacher can cancel or delete this run." in [
        as_read(c.value) for c in running.main.caption]
    done = open_page("runs", {"run": str(seeded["done"])}, person="cy")  # ada's
    assert all(c.key != "runs_confirm_delete" for c in done.checkbox)
    train = open_page("train", {"run": str(seeded["running"])}, person="cy")
    assert all(not b.key.startswith("train_cancel") for b in train.button)
    teacher = open_page("train", {"run": str(seeded["running"])}, person="Teacher", teacher=True)
    teacher.button(key=f"train_cancel_{seeded['running']}").click().run()
    assert store.get(seeded["running"]).cancelled_by == "Teacher"


def test_a_run_the_teacher_cancelled_says_who(store):
    run_id = store.submit(imdb_config(), "Stu")
    store.request_cancel(run_id, by="Teacher")
    app = open_page("train", {"run": str(run_id)}, person="Stu")
    assert app.warning[0].value == "Cancelled by Teacher."
    table = open_page("runs", person="Stu").dataframe[0].value
    assert table["cancelled by"].tolist() == ["Teacher"]


def test_only_my_runs(seeded):
    app = open_page("runs", person="dee")
    app.toggle(key="runs_only_mine").set_value(True).run()
    assert app.dataframe[0].value["owner"].tolist() == ["dee"]
    nobody = open_page("runs")
    assert nobody.toggle(key="runs_only_mine").disabled


def test_the_teacher_unlocks_with_the_operators_secret_only(store, monkeypatch):
    monkeypatch.delenv("RNNLAB_TEACHER_SECRET")
    app = open_page("home", person="Ms Smith")
    assert "No teacher's secret is set on this server" in sidebar_text(app)
    monkeypatch.setenv("RNNLAB_TEACHER_SECRET", "s3cret")
    app.run()
    app.text_input(key="identity_secret").input("guess")
    app.button(key="identity_promote").click().run()
    assert "That is not the teacher's secret." in sidebar_text(app)
    app.text_input(key="identity_secret").input("s3cret")
    app.button(key="identity_promote").click().run()
    assert "You are **Ms Smith** (the teacher)." in sidebar_text(app)
    assert people.restore(app.session_state[identity.SESSION_TOKEN], store).teacher
    monkeypatch.delenv("RNNLAB_TEACHER_SECRET")  # the operator takes the secret away
    app.run()
    assert "You are **Ms Smith**." in sidebar_text(app)


def test_the_teacher_sets_the_limit_and_clears_the_class(seeded, store):
    student = open_page("runs", person="ada")
    assert all(n.key != "teacher_owner_limit" for n in student.number_input)
    app = open_page("runs", person="Teacher", teacher=True)
    app.number_input(key="teacher_owner_limit").set_value(5).run()
    assert runs.owner_limit(store) == 5
    assert all(b.key != "teacher_clear" for b in app.button)  # not before confirming
    app.checkbox(key="teacher_confirm_clear").check().run()
    app.button(key="teacher_clear").click().run()
    assert "Deleted 5 runs and signed 1 student out. 1 running run was asked to stop" in \
           app.success[0].value
    assert [r.id for r in store.list()] == [seeded["running"]]


def test_a_refusal_that_repeats_a_name_is_plain_text(store):
    image = "![t](http://127.0.0.1:9/x.png)"
    join(image)
    app = open_page("home")
    app.text_input(key="identity_name").input(image)
    app.button(key="identity_join").click().run()
    (warning,) = app.sidebar.warning
    assert "![t](" not in warning.value
    shown = as_read(warning.value).replace("\u2060", "")  # a word joiner keeps http: no link
    assert shown.startswith(f"Someone in this class already goes by {image}:")
