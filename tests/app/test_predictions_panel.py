"""Predict, then reveal, under AppTest: two students answer a race while it runs, answers close
when it ends, the teacher reveals them, and every viewer then sees the class's guesses."""
from streamlit.testing.v1 import AppTest

from tests.app.conftest import imdb_config, open_page

KEY = "predict_race_{}"


def race(store) -> list[int]:
    """A race of three cells, queued."""
    return [store.submit(imdb_config(cell), "teacher") for cell in ("SimpleRNN", "LSTM", "GRU")]


def finish(store, ids, scores=(0.51, 0.86, 0.88)) -> None:
    for _ in ids:
        store.claim(10)
    for run_id, score in zip(ids, scores):
        store.finish(run_id, "done", result={"best_val_accuracy": score})


def texts(app) -> list[str]:
    return [block.value for block in app.markdown]


def student(ids, name: str) -> AppTest:
    return open_page("race", {"race": ",".join(map(str, ids))}, person=name)


def test_two_students_predict_the_teacher_reveals_and_everyone_sees_the_guesses(store):
    ids = race(store)
    key = KEY.format(",".join(map(str, ids)))
    ada = student(ids, "Ada")
    assert not ada.exception
    assert "**Predict, then reveal: Which cell will win?**" in texts(ada)
    assert ada.radio(key=f"{key}_choice").options == ["SimpleRNN", "LSTM", "GRU"]
    assert "Answer before the race finishes: 0 of the class have answered." in texts(ada)
    ada.radio(key=f"{key}_choice").set_value("LSTM")
    ada.button(key=f"{key}_lock").click().run()
    assert ("You answered **LSTM**; 1 of the class have answered. You can change your answer "
            "until the race finishes.") in texts(ada)
    ada.radio(key=f"{key}_choice").set_value("GRU")
    ada.button(key=f"{key}_lock").click().run()  # changed her mind: still one answer
    assert any(t.startswith("You answered **GRU**; 1 of the class") for t in texts(ada))

    bob = student(ids, "Bob")
    assert bob.radio(key=f"{key}_choice").value is None  # Ada's answer is hers
    bob.radio(key=f"{key}_choice").set_value("LSTM")
    bob.button(key=f"{key}_lock").click().run()
    assert any(t.startswith("You answered **LSTM**; 2 of the class") for t in texts(bob))

    finish(store, ids)  # GRU wins, 0.88
    ada.run()
    assert "Answers are closed: 2 of the class answered; you answered **GRU**." in texts(ada)
    assert not [r for r in ada.radio if r.key == f"{key}_choice"]  # closed: nothing to pick
    assert not [b for b in ada.button if b.key == f"{key}_reveal"]  # a student cannot reveal
    assert "The teacher will reveal the class's answers when everyone is ready." in texts(ada)

    teacher = open_page("race", {"race": ",".join(map(str, ids))}, person="Ms Lovelace",
                        teacher=True)
    assert not teacher.exception
    assert "Answers are closed: 2 of the class answered." in texts(teacher)
    teacher.button(key=f"{key}_reveal").click().run()
    assert not teacher.exception
    assert "1 of 2 guessed GRU, the winner; 1 guessed LSTM." in texts(teacher)
    assert teacher.get("plotly_chart")  # the bar chart of the guesses

    ada.run()
    assert "1 of 2 guessed GRU, the winner; 1 guessed LSTM." in texts(ada)
    assert "You guessed **GRU**: right." in texts(ada)
    bob.run()
    assert "You guessed **LSTM**: the answer was **GRU**." in texts(bob)


def test_a_visitor_who_has_not_joined_is_refused_an_answer_in_words(store):
    ids = race(store)
    key = KEY.format(",".join(map(str, ids)))
    app = open_page("race", {"race": ",".join(map(str, ids))})
    app.radio(key=f"{key}_choice").set_value("GRU")
    app.button(key=f"{key}_lock").click().run()
    assert any("Join with your name in the sidebar first" in e.value for e in app.error)
    assert "Answer before the race finishes: 0 of the class have answered." in texts(app)


def test_the_sweep_asks_at_which_length_simplernn_fails(store):
    from rnnlab.config.presets import PRESETS
    from rnnlab.lessons import sweep
    base = PRESETS["memory-quick"].config
    for config in sweep.sweep_configs(base, [10, 50]):
        store.submit(config, "teacher")
    app = open_page("gradients", person="Ada")
    assert not app.exception
    assert "**Predict, then reveal: At which length will SimpleRNN fail?**" in texts(app)
    (choice,) = [r for r in app.radio if r.key.endswith("_choice")]
    assert choice.options == ["10", "50", "none of them"]


def test_the_sweep_asks_nothing_until_it_spans_two_lengths(store):
    """A race of the sweep's model leaves three finished runs at one length, which the sweep
    reuses: no question opens closed over them; the sweep's other length brings it, open."""
    from rnnlab.config.presets import PRESETS
    from rnnlab.lessons import sweep
    base = PRESETS["memory-quick"].config
    for config in sweep.sweep_configs(base, [50]):  # what the race on this model left
        run_id = store.submit(config, "teacher")
        store.claim(1)
        store.finish(run_id, "done", result={"metric": "accuracy", "best_val_accuracy": 0.9})
    app = open_page("gradients", person="Ada")
    assert not app.exception
    assert not any("Predict, then reveal" in t or "Answers are closed" in t for t in texts(app))
    for config in sweep.sweep_configs(base, [10]):  # the teacher runs the sweep of 10 and 50
        store.submit(config, "teacher")
    app.run()
    assert "**Predict, then reveal: At which length will SimpleRNN fail?**" in texts(app)
    (choice,) = [r for r in app.radio if r.key.endswith("_choice")]
    assert choice.options == ["10", "50", "none of them"]
