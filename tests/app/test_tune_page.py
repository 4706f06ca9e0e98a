"""The Tune page under AppTest, on a private store: settings in the link, a refused space in
words, the trial table filling from the store, the best trial opened on Build and raced."""
from urllib.parse import parse_qs

from rnnlab.config import LayerConfig, MemoryOptions, RunConfig, TrainingOptions
from rnnlab.config.search import SearchConfig, SearchSpace
from rnnlab.jobs import runs
from tests.app.conftest import open_page

BASE = RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=20, examples=400),
                 layers=(LayerConfig(cell="GRU", units=8),), training=TrainingOptions(epochs=4))
SEARCH = SearchConfig(base=BASE, space=SearchSpace(depths=(1, 2), units_max=32,
                                                   learning_rates=(0.01, 0.001)),
                      max_trials=4, epochs=2, objective="val_accuracy")


def link(app, label_start: str) -> dict:
    found = [p for p in app.get("page_link") if p.proto.label.startswith(label_start)]
    assert found, [p.proto.label for p in app.get("page_link")]
    return {k: v[0] for k, v in parse_qs(found[0].proto.query_string).items()}


def search_with_trials(store) -> int:
    """A search that finished three trials and failed a fourth."""
    run_id = store.submit_search(SEARCH, "ada")
    store.claim(5)
    values = [
        {"layers": 1, "units_1": 8, "activation_1": "tanh", "dropout_1": 0.1,
         "learning_rate": 0.001},
        {"layers": 2, "units_1": 16, "activation_1": "relu", "dropout_1": 0.0, "units_2": 24,
         "activation_2": "tanh", "dropout_2": 0.2, "learning_rate": 0.01},
        {"layers": 1, "units_1": 32, "activation_1": "relu", "dropout_1": 0.3,
         "learning_rate": 0.01},
        {"layers": 1, "units_1": 8, "activation_1": "relu", "dropout_1": 0.0,
         "learning_rate": 0.01},
    ]
    for number, (hp, score, status) in enumerate(zip(values, (0.62, 0.81, 0.55, None),
                                                     ("completed",) * 3 + ("failed",)), start=1):
        store.start_trial(run_id, number, f"{number - 1}", hp)
        store.end_trial(run_id, number, status, score, epochs=2, seconds=3.0 + number)
    store.finish(run_id, "done", result={"seconds": 20.0, "best_score": 0.81})
    return run_id


def test_start_queues_the_search_the_link_describes(store):
    app = open_page("tune", {**BASE.to_query(), **SEARCH.to_query()}, person="ada")
    assert not app.exception
    assert app.multiselect(key="tune_depths").value == [1, 2]
    assert app.number_input(key="tune_units_max").value == 32
    assert app.selectbox(key="tune_objective").options == ["val_loss", "val_accuracy"]
    assert "at most 4 trials, 8 epochs of training in all" in app.markdown[2].value
    app.button(key="tune_start").click().run()
    assert not app.exception
    [queued] = runs.searches(store=store)
    assert (queued.search, queued.owner, queued.status) == (SEARCH, "ada", "queued")
    assert app.query_params["search"] == str(queued.id)
    assert app.info[0].value == "Waiting: it is next. It should start in under a minute."
    assert store.supervisors_started


def test_an_invalid_space_is_refused_with_a_clear_message(store):
    app = open_page("tune", {**BASE.to_query(), **SEARCH.to_query()})
    app.number_input(key="tune_units_min").set_value(64).run()
    assert not app.exception
    assert app.error[0].value == ("Smallest units is 64, above the largest units 32: the range "
                                  "would be empty. Lower the smallest or raise the largest.")
    assert app.number_input(key="tune_units_min").value == 8  # springs back
    assert "tune_units_min" not in app.query_params
    app.multiselect(key="tune_activations").set_value([]).run()
    assert "Activations to try are (none)" in app.error[0].value
    app.number_input(key="tune_units_max").set_value(128).run()
    assert app.query_params["tune_units_max"] == "128" and not app.error


def test_a_link_with_a_broken_search_shows_why_and_the_defaults(store):
    app = open_page("tune", {**BASE.to_query(), "tune_units_step": "0"})
    assert not app.exception
    assert "Some search settings in this link are not allowed" in app.error[0].value
    assert "Units step is 0" in app.error[0].value
    assert app.number_input(key="tune_units_step").value == 8


def test_the_trials_show_as_a_table_with_the_best_opened_on_build_and_raced(store):
    run_id = search_with_trials(store)
    app = open_page("tune", {"search": str(run_id), **BASE.to_query()}, person="ada")
    assert not app.exception
    table = app.dataframe[0].value
    assert table["trial"].tolist() == [1, 2, 3, 4]
    assert table["val_accuracy"].tolist()[:3] == [0.62, 0.81, 0.55]
    assert table["best"].tolist() == ["", "★", "", ""]
    assert table["status"].tolist() == ["done", "done", "done", "failed (loss blew up)"]
    assert table["units_2"].isna().tolist() == [True, False, True, True]  # one layer: blank
    assert app.dataframe[0].proto.placeholder == ""
    assert table.columns.tolist() == ["trial", "status", "val_accuracy", "best", "layers",
                                      "units_1", "activation_1", "dropout_1", "units_2",
                                      "activation_2", "dropout_2", "learning_rate", "epochs",
                                      "seconds"]
    assert "trial 2, val_accuracy 0.8100: memory/20: GRU(16) > GRU(24)" in app.main.markdown[-1].value
    query = link(app, "Train this")
    best = RunConfig.from_query(query)
    assert [(l.units, l.activation, l.dropout) for l in best.layers] == [(16, "relu", 0.0),
                                                                      (24, "tanh", 0.2)]
    assert best.training.learning_rate == 0.01 and best.training.epochs == 2
    assert "owner" not in query  # a link never carries a person
    app.button(key="tune_race_start").click().run()
    assert not app.exception
    tuned, untuned = sorted(runs.runs(store=store), key=lambda r: r.id)
    assert tuned.config == best
    assert untuned.config.layers == BASE.layers and untuned.config.training.epochs == 2
    assert link(app, "Watch them side by side")["compare"] == f"{tuned.id},{untuned.id}"


def test_a_search_row_does_not_break_the_pages_that_expect_trained_runs(store, seeded):
    search_id = search_with_trials(store)
    for page in ("runs", "inside", "gradients", "train", "race"):
        app = open_page(page)
        assert not app.exception, page
    listed = [label.split()[0] for label in open_page("runs").selectbox(key="runs_open").options]
    assert f"#{seeded['done']}" in listed and f"#{search_id}" not in listed


def test_a_link_naming_only_a_search_opens_on_its_own_settings(store):
    search_id = search_with_trials(store)
    app = open_page("tune", {"search": str(search_id)})
    assert not app.exception
    assert RunConfig.from_query({k: v for k, v in app.query_params.items()
                                 if k not in ("search", "owner") and not k.startswith("tune_")}
                                ) == BASE
    assert app.multiselect(key="tune_depths").value == [1, 2]
    assert app.selectbox(key="tune_objective").value == "val_accuracy"
    assert app.number_input(key="tune_max_trials").value == 4
    # A link that carries its own settings keeps them.
    app = open_page("tune", {"search": str(search_id), "tune_max_trials": "7"})
    assert app.number_input(key="tune_max_trials").value == 7


def test_a_search_opened_on_the_train_page_points_to_tune(store):
    search_id = search_with_trials(store)
    app = open_page("train", {"run": str(search_id)})
    assert not app.exception
    assert "is a hyperparameter search" in app.info[0].value
    assert link(app, "See search")["search"] == str(search_id)


def test_a_search_whose_trials_all_scored_at_chance_says_so_and_stars_nothing(store):
    run_id = store.submit_search(SEARCH, "ada")
    store.claim(5)
    hyperparameters = {"layers": 1, "units_1": 8, "activation_1": "tanh", "dropout_1": 0.1,
                       "learning_rate": 0.001}
    for number, score in enumerate((0.5, 0.5042, 0.4958), start=1):
        store.start_trial(run_id, number, f"{number - 1}", hyperparameters)
        store.end_trial(run_id, number, "completed", score, epochs=2, seconds=3.0)
    store.finish(run_id, "done", result={"seconds": 20.0, "best_score": 0.5042})
    app = open_page("tune", {"search": str(run_id)})
    assert not app.exception
    assert [w.value for w in app.warning] == [
        "All 3 finished trials scored at chance: val_accuracy 0.4958 to 0.5042, where guessing "
        "scores 0.5000. None of these models learned anything, so no trial is the best and none "
        "is starred; the differences between them are noise. Try more epochs per trial, larger "
        "learning rates, or shorter sequences."]
    assert app.dataframe[0].value["best"].tolist() == ["", "", ""]
    assert not [m for m in app.markdown if m.value.startswith("**Best so far:**")]
