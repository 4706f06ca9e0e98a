"""The race in class: a lesson-sized preset, an estimate before starting, one Cancel for the whole
race and the sentence that says who won."""
import json

from rnnlab.config.presets import PRESETS
from rnnlab.lessons.race import race_configs
from rnnlab.ui import batches
from tests.app.conftest import add_curves, open_page


def test_the_race_opens_on_memory_quick_with_an_estimate_and_offers_the_books_setup(store):
    app = open_page("race", person="ada")
    assert not app.exception
    picker = app.selectbox(key="race_preset")
    assert picker.value == "memory-quick" and "The model from the Build page" in picker.options
    assert any("memory/50: LSTM(16)" in m.value for m in app.markdown)
    # 8 epochs x (0.5 + 0.7 + 0.8) s measured on this machine for the preset's 8,000 sequences,
    # plus 5 s a run.
    assert ("Under a minute: 3 runs x 8 epochs at 0.5 to 0.8 s per epoch, one after another, "
            "on this machine.") in [c.value for c in app.caption]
    picker.set_value("imdb-lstm").run()
    assert any(c.value.startswith("About 6 minutes: 3 runs x 10 epochs") for c in app.caption)


def test_the_estimate_prefers_this_servers_runs_and_counts_what_is_queued_before(store):
    racer = race_configs(PRESETS["memory-quick"].config)[0]
    done = store.submit(racer, "ada")
    store.claim(10)
    store.finish(done, "done", result={"seconds_per_epoch": 30.0, "best_val_accuracy": 0.5})
    store.submit(PRESETS["nyc-quick"].config, "bob")
    app = open_page("race", person="ada")
    (estimate,) = [c.value for c in app.caption if "per epoch" in c.value]
    assert estimate.startswith("Under a minute: 2 runs x 8 epochs at 0.7 to 0.8 s per epoch")
    assert "1 of the runs was already trained" in estimate
    assert estimate.endswith("1 run is queued or running on the server already, and will "
                             "finish first.")


def test_the_estimate_keeps_counting_the_runs_ahead_until_they_have_ended(store, timers):
    """Other people's runs end while a student reads the page: the caption is a live panel that
    reads the store every ESTIMATE_POLL_SECONDS while a run is queued or running, then stops."""
    queued = store.submit(PRESETS["nyc-quick"].config, "bob")
    app = open_page("race", person="ada")
    assert timers == [batches.ESTIMATE_POLL_SECONDS]
    assert any(c.value.endswith("1 run is queued or running on the server already, and will "
                                "finish first.") for c in app.caption)
    store.claim(1)
    store.finish(queued, "done", result={"seconds_per_epoch": 1.0})
    app.run()
    assert timers[-1] is None  # nothing ahead any more: no timer
    assert not any("queued or running on the server" in c.value for c in app.caption)


def test_one_cancel_stops_every_run_of_the_race(store):
    app = open_page("race", person="ada")
    app.button(key="race_start").click().run()
    store.claim(10)                      # the first racer trains, the others wait
    app.run()
    second, third = sorted(store.list(), key=lambda r: r.id)[1:]
    captions = [c.value for c in app.caption]
    soon = "It should start in under a minute."  # the lesson's racers train in seconds
    assert f"#{second.id} LSTM: Waiting: it is next. {soon}" in captions
    assert f"#{third.id} GRU: Waiting: 1 run ahead of it. {soon}" in captions
    assert "Each racer joins the table when it finishes." in captions
    assert not app.dataframe  # no row of blank scores while nothing has finished
    cancel = app.button(key="race_cancel")
    assert cancel.label == "Cancel the race (3 runs still queued or running)"
    cancel.click().run()
    assert not app.exception
    racers = sorted(store.list(), key=lambda r: r.id)
    assert racers[0].cancel_requested is not None                # asked; its worker stops it
    assert [r.status for r in racers[1:]] == ["cancelled", "cancelled"]
    store.finish(racers[0].id, "cancelled")  # its worker has stopped it: nothing left to train
    app.run()
    assert "Each racer joins the table when it finishes." not in [c.value for c in app.caption]


def test_a_finished_race_says_who_won_and_draws_chance(store):
    ids = []
    for config, best in zip(race_configs(PRESETS["memory-quick"].config), (0.51, 0.69, 0.92)):
        ids.append(store.submit(config, "ada"))
        store.claim(10)
        add_curves(store, ids[-1], "accuracy", 2)
        store.finish(ids[-1], "done", result={
            "metric": "accuracy", "best_val_accuracy": best, "test_accuracy": best,
            "chance_accuracy": 0.5, "seconds_per_epoch": 1.9212, "peak_memory_mb": 884.2773,
            "params": 977})
    app = open_page("race", {"race": ",".join(map(str, ids))})
    assert not app.exception
    assert app.success[0].value == (
        "GRU won: 0.92 best validation accuracy against LSTM's 0.69 and SimpleRNN's 0.51 (chance "
        "is 0.50). SimpleRNN stayed at chance: its gradient fades over 50 steps, so it cannot "
        "carry the first marked value to the end.")
    assert not [b for b in app.button if b.key == "race_cancel"]   # nothing left to cancel
    assert "Each racer joins the table when it finishes." not in [c.value for c in app.caption]
    assert list(app.dataframe[0].value["cell"]) == ["SimpleRNN", "LSTM", "GRU"]
    shown = json.loads(app.dataframe[0].proto.columns)
    assert [shown[c]["type_config"]["format"] for c in ("best val acc", "s/epoch",
                                                          "peak MB")] == ["%.3f", "%.1f", "%.0f"]
    chart = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert [t["name"] for t in chart["data"] if t.get("x") == [None]][0] == "chance 0.5"


def test_the_sweep_says_how_long_it_takes_and_cancels_as_one(store):
    app = open_page("gradients", person="ada")
    # 12 runs: lengths 10, 20, 50 and 100 are 0.2, 0.4, 1 and 2 times the measured length 50,
    # with the preset's 8,000 sequences, as measured.
    assert ("About 2 minutes: 12 runs x 8 epochs at 0.1 to 1.6 s per epoch, one after another, "
            "on this machine.") in [c.value for c in app.caption]
    app.multiselect(key="gradients_sweep_lengths").set_value([10, 20]).run()
    app.button(key="gradients_sweep_start").click().run()
    app.button(key="gradients_sweep_cancel").click().run()
    assert not app.exception and {r.status for r in store.list()} == {"cancelled"}
    assert not [b for b in app.button if b.key == "gradients_sweep_cancel"]


def test_a_race_with_a_missing_or_deleted_run_says_so_in_words(store):
    """A link naming a run that never was, after two that train (the check must not stop at the
    first active one), and a racer deleted while the page watches: a warning, never a traceback."""
    app = open_page("race", person="ada")
    app.button(key="race_start").click().run()
    store.claim(10)
    first, second, third = sorted(r.id for r in store.list())
    gone = "A run of this race was deleted, or never existed; start a new race."

    linked = open_page("race", {"race": f"{first},{second},99999"}, person="ada")
    assert not linked.exception
    assert [w.value for w in linked.warning] == [gone]
    assert not linked.get("plotly_chart")

    app.run()
    assert not app.exception and app.get("plotly_chart")
    store.request_cancel(third)  # queued: cancelled at once
    store.delete(third)
    app.run()  # the panel's next redraw
    assert not app.exception
    assert gone in [w.value for w in app.warning]
