"""The Train and Runs pages under AppTest, with the store written directly to stand in for workers.

run_every never fires under AppTest, so live updates are tested the way they happen: rows are
written to the store, then the page runs again and must show them.
"""
import dataclasses
import json
import re

import pandas as pd
import pytest

from rnnlab.config import LayerConfig, RunConfig, WeatherOptions
from rnnlab.config.presets import PRESETS
from rnnlab.data.weather import load_weather
from rnnlab.jobs import artifacts
from tests.app.conftest import (
    add_curves,
    as_read,
    finished_weather_run,
    imdb_config,
    open_page,
    weather_config,
)

PAGES = ["home", "data", "build", "train", "runs"]
TITLES = {"home": "RNN Lab", "data": "Data", "build": "Build", "train": "Train",
          "runs": "Runs and compare"}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_from_a_fresh_store(page, data_dir):
    app = open_page(page)
    assert not app.exception, app.exception
    assert [title.value for title in app.title] == [TITLES[page]]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_from_a_store_with_runs_in_every_state(page, seeded, data_dir):
    for run_id in seeded.values():
        app = open_page(page, {"run": str(run_id), "compare": f"{seeded['done']},{seeded['running']}"})
        assert not app.exception, (run_id, app.exception)
        assert [title.value for title in app.title] == [TITLES[page]], run_id


def test_train_button_queues_the_url_config_and_watches_it(store):
    config = imdb_config(cell="GRU")
    app = open_page("train", {**config.to_query()}, person="ada")
    app.button(key="train_start").click().run()
    (run,) = store.list()
    assert run.config == config and run.owner == "ada" and run.status == "queued"
    assert app.query_params["run"] == str(run.id)
    assert store.supervisors_started  # submitting makes sure a supervisor is running
    assert "Waiting: it is next. It should start in under a minute." in [i.value for i in app.info]
    assert app.button(key=f"train_cancel_{run.id}")


def test_the_live_panel_shows_new_rows_progress_and_the_end(store):
    run_id = store.submit(imdb_config(), "ada")
    store.claim(1)
    app = open_page("train", {"run": str(run_id)})
    assert app.get("progress")[0].proto.text == "Epoch 1 of 3 · estimating the time left"
    add_curves(store, run_id, "accuracy", 1)
    app.run()
    assert re.fullmatch(r"Epoch 1 of 3 · about \d+ s left", app.get("progress")[0].proto.text)
    add_curves(store, run_id, "accuracy", 2)
    store.finish(run_id, "done", result={"metric": "accuracy", "best_val_accuracy": 0.8765,
                                         "test_accuracy": 0.86, "seconds_per_epoch": 3.0,
                                         "params": 4321})
    app.run()
    assert not app.get("progress")
    assert [(m.label, m.value) for m in app.metric][:2] == [
        ("best validation accuracy", "0.8765"), ("test accuracy", "0.8600")]


def test_a_finished_run_says_which_execution_path_it_trained_on(store):
    result = {"metric": "accuracy", "best_val_accuracy": 0.8765, "test_accuracy": 0.86,
              "seconds_per_epoch": 3.0, "params": 4321, "execution_path": "XLA"}
    older, newer = store.submit(imdb_config(), "ada"), store.submit(imdb_config(), "ada")
    for run_id, first_batch in ((older, {}), (newer, {"first_batch_eager": True})):
        store.claim(1)
        add_curves(store, run_id, "accuracy", 2)
        store.finish(run_id, "done", result={**result, **first_batch})
    for page in ("train", "runs"):
        for run_id in (older, newer):
            app = open_page(page, {"run": str(run_id)})
            path = [c.value for c in app.caption if c.value.startswith("Trained on the ")]
            assert path and path[0].startswith("Trained on the XLA path: TensorFlow compiled the "
                                               "whole training step"), page
            # Runs trained since the first batch runs eagerly say so; older ones do not.
            assert ("Its first batch ran uncompiled" in path[0]) == (run_id == newer), page


def test_failed_and_cancelled_runs_say_so(seeded):
    failed = open_page("train", {"run": str(seeded["failed"])})
    assert "imdb.npz is truncated" in failed.error[0].value
    cancelled = open_page("train", {"run": str(seeded["cancelled"])})
    assert cancelled.warning[0].value == "This run was cancelled."


def test_cancel_button_flags_the_run(store):
    run_id = store.submit(imdb_config(), "ada")
    store.claim(1)
    app = open_page("train", {"run": str(run_id)}, person="ada")
    app.button(key=f"train_cancel_{run_id}").click().run()
    assert store.get(run_id).cancel_requested is not None
    assert store.get(run_id).cancelled_by == "ada"


def test_preset_and_training_options_go_into_the_url(store):
    app = open_page("train")
    app.selectbox(key="train_preset").select("nyc-quick").run()
    assert RunConfig.from_query(app.query_params) == PRESETS["nyc-quick"].config
    expect = PRESETS["nyc-quick"].description
    assert [c.value for c in app.caption if c.value == expect] == [expect]  # what to expect
    app.number_input(key="train_epochs").set_value(7).run()
    config = RunConfig.from_query(app.query_params)
    assert config.training.epochs == 7 and config.dataset == "weather"
    assert app.number_input(key="train_epochs").value == 7
    assert expect not in [c.value for c in app.caption]  # not the preset now: it would mislead


def test_a_link_to_a_presets_setup_opens_on_that_preset_and_says_what_to_expect(store):
    """Home's "Start here" link carries the preset's setup, not its name: the page names it."""
    app = open_page("train", PRESETS["memory-quick"].config.to_query())
    assert app.selectbox(key="train_preset").value == "memory-quick"
    assert PRESETS["memory-quick"].description in [c.value for c in app.caption]
    other = open_page("train", {**PRESETS["memory-quick"].config.to_query(), "epochs": "3"})
    assert other.selectbox(key="train_preset").value == "(the model from the Build page)"
    assert PRESETS["memory-quick"].description not in [c.value for c in other.caption]


def test_owner_limit_is_explained(store, monkeypatch):
    monkeypatch.setenv("RNNLAB_OWNER_LIMIT", "1")
    app = open_page("train", person="ada")
    app.button(key="train_start").click().run()
    app.number_input(key="train_seed").set_value(2).run()
    app.button(key="train_start").click().run()
    assert "ada already has 1 run queued or running, the most one person may have at once (1)" in as_read(
        app.error[0].value)
    assert len(store.list()) == 1


def test_an_identical_finished_run_is_offered_instead_of_retraining(seeded, store):
    config = store.get(seeded["done"]).config
    app = open_page("train", config.to_query(), person="cy")
    app.button(key="train_start").click().run()
    assert f"already finished as run #{seeded['done']}" in app.info[0].value
    assert len(store.list()) == 6
    app.button(key="train_again").click().run()
    assert len(store.list()) == 7


def test_a_deleted_run_in_the_url_is_explained(store):
    app = open_page("train", {"run": "999"})
    assert "Run #999 no longer exists" in app.warning[0].value


def test_runs_table_lists_every_run_with_its_best_score(seeded):
    app = open_page("runs")
    table = app.dataframe[0].value.set_index("run")
    assert len(table) == 6
    assert table.loc[seeded["done"], "status"] == "done"
    assert table.loc[seeded["done"], "best validation"] == 0.85
    assert table.loc[seeded["failed"], "status"] == "failed"
    # A run with no score yet shows a blank cell, not Streamlit's grey "None".
    assert pd.isna(table.loc[seeded["running"], "best validation"])
    assert app.dataframe[0].proto.placeholder == ""


def test_the_machine_that_trained_a_run_is_shown_only_for_a_class_on_several_machines(seeded,
                                                                                     store):
    store.set_node(seeded["done"], "lab-pc-07")
    app = open_page("runs", {"run": str(seeded["done"])})
    assert "machine" not in app.dataframe[0].proto.column_order  # one machine: nothing to tell
    assert "**Status:** done; trained on lab-pc-07" in [as_read(m.value) for m in app.markdown]
    store.set_node(seeded["done_gru"], "lab-pc-12")
    table = open_page("runs").dataframe[0]
    assert "machine" in table.proto.column_order
    assert table.value.set_index("run").loc[seeded["done_gru"], "machine"] == "lab-pc-12"


def test_compare_selection_comes_from_and_goes_to_the_url(seeded):
    app = open_page("runs", {"compare": f"{seeded['done']},{seeded['done_gru']}"})
    assert app.multiselect(key="runs_compare").value == [seeded["done"], seeded["done_gru"]]
    app.multiselect(key="runs_compare").unselect(seeded["done_gru"]).run()
    assert app.query_params["compare"] == str(seeded["done"])


def test_one_run_shows_scores_summary_downloads_and_a_build_link(seeded):
    app = open_page("runs", {"run": str(seeded["done"])})
    assert [m.label for m in app.metric][:2] == ["best validation accuracy", "test accuracy"]
    assert "Total params: 12,345" in app.code[0].value
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == ["Model (.keras)", "History (CSV)", "Config (JSON)", "Download as notebook"]
    (link,) = [c.value for c in app.caption if "/build?" in c.value]
    assert "l1_units=16" in link


def test_failed_run_shows_its_error_on_the_runs_page(seeded):
    app = open_page("runs", {"run": str(seeded["failed"])})
    assert "imdb.npz is truncated" in app.error[0].value


def test_delete_needs_a_confirmation_and_an_active_run_offers_cancel_instead(seeded, store):
    app = open_page("runs", {"run": str(seeded["done"])}, person="ada")  # ada's own run
    assert all(b.key != "runs_delete" for b in app.button)  # not before confirming
    app.checkbox(key="runs_confirm_delete").check().run()
    app.button(key="runs_delete").click().run()
    assert seeded["done"] not in [r.id for r in store.list()]
    active = open_page("runs", {"run": str(seeded["running"])}, person="bob")  # bob's, running
    assert all(c.key != "runs_confirm_delete" for c in active.checkbox)
    active.button(key="runs_cancel").click().run()
    assert not active.exception
    assert store.get(seeded["running"]).cancel_requested is not None


def test_the_memory_preset_trains_from_the_train_page(store):
    app = open_page("train", person="ada")
    app.selectbox(key="train_preset").select("memory-quick").run()
    assert not app.exception
    assert RunConfig.from_query(app.query_params) == PRESETS["memory-quick"].config
    assert any(block.value.startswith("**Model:** memory/50: LSTM(16) &nbsp; (1,233 parameters)")
               for block in app.markdown)
    app.button(key="train_start").click().run()
    (run,) = store.list()
    assert run.config == PRESETS["memory-quick"].config and run.status == "queued"


def finished(store, config, best) -> int:
    run_id = store.submit(config, "ada")
    store.claim(10)
    add_curves(store, run_id, "accuracy", 3)
    store.finish(run_id, "done", result={
        "metric": "accuracy", "best_val_accuracy": best, "final_val_accuracy": best,
        "test_accuracy": best, "seconds_per_epoch": 1.5, "params": 1_233, "epochs_run": 3})
    return run_id


def test_a_finished_memory_run_shows_its_scores_and_compares_beside_imdb(store):
    memory = finished(store, PRESETS["memory-quick"].config, 1.0)
    imdb = finished(store, imdb_config(), 0.85)
    app = open_page("train", {"run": str(memory)})
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["best validation accuracy"] == "1.0000" and metrics["parameters"] == "1,233"
    app = open_page("runs", {"run": str(memory), "compare": f"{memory},{imdb}"})
    assert not app.exception
    assert app.multiselect(key="runs_compare").value == [memory, imdb]
    table = app.dataframe[0].value.set_index("run")
    assert table.loc[memory, "model"] == "memory/50: LSTM(16)"
    assert table.loc[memory, "best validation"] == 1.0


def figure(app, index=0) -> dict:
    """The plotly figure of the page's `index`-th chart, as the browser receives it."""
    return json.loads(app.get("plotly_chart")[index].proto.spec)


def annotations(chart: dict) -> list[str]:
    return [a["text"] for a in chart["layout"].get("annotations", [])]


def reference_names(chart: dict) -> list[str]:
    """The reference lines as the legend names them (they draw as shapes)."""
    return [t["name"] for t in chart["data"] if t.get("x") == [None]]


def test_a_finished_weather_run_is_shown_in_degrees_and_judged_in_words(store, data_dir):
    winner = finished_weather_run(store, 0.30125)            # 2.41 degC against 2.70
    app = open_page("train", {"run": str(winner)})
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["best validation MAE"] == "2.41 °C" and metrics["test MAE"] == "2.49 °C"
    assert metrics["common-sense baseline"] == "2.70 °C"
    assert [s.value for s in app.success] == [
        "Best validation MAE 2.41 °C beats the common-sense baseline (2.70 °C) by 0.29 °C "
        "(11 % less error)."]
    chart = figure(app)
    assert annotations(chart) == ["loss = MAE (°C, lower is better)", "MAE (°C, lower is better)"]
    assert reference_names(chart) == ["common-sense baseline 2.70 °C"]
    validation = [t for t in chart["data"] if t["name"] == "validation" and t["xaxis"] == "x2"]
    assert validation[0]["y"] == pytest.approx([8 * 0.65, 8 * 0.75, 8 * 0.85])  # 8 x normalized


def test_a_weather_run_that_loses_to_the_baseline_says_so_on_the_runs_page(store, data_dir):
    winner = finished_weather_run(store, 0.30125)
    loser = finished_weather_run(store, 0.36375, seed=2)     # 2.91 degC against 2.70
    app = open_page("runs", {"run": str(loser), "compare": f"{winner},{loser}"})
    assert not app.exception
    (warning,) = [w.value for w in app.warning]
    assert warning.startswith("Best validation MAE 2.91 °C does not beat the common-sense "
                              "baseline (2.70 °C): this network has learned less than 'the "
                              "temperature tomorrow at this hour (24 h from now) equals the "
                              "temperature now'.")
    table = app.dataframe[0].value.set_index("run")
    assert table.loc[loser, "metric"] == "MAE (°C)"
    assert table.loc[loser, "best validation"] == pytest.approx(2.91)
    chart = figure(app)
    assert chart["layout"]["yaxis"]["title"]["text"] == "validation MAE (°C, lower is better)"
    assert reference_names(chart) == ["common-sense baseline 2.70 °C"]  # shared by both runs


def test_a_training_weather_run_has_its_baseline_in_degrees_from_the_first_epoch(seeded, store,
                                                                                 data_dir):
    running = store.get(seeded["running"])   # one epoch of curves, no result yet
    data = load_weather(running.config.weather, running.config.training.validation_split)
    baseline = data.to_target_units(data.baseline_mae("val"))
    app = open_page("train", {"run": str(seeded["running"])})
    assert not app.exception
    chart = figure(app)
    assert annotations(chart)[:2] == ["loss = MAE (°C, lower is better)",
                                      "MAE (°C, lower is better)"]
    assert reference_names(chart) == [f"common-sense baseline {baseline:.2f} °C"]
    assert chart["layout"]["shapes"][0]["y0"] == pytest.approx(baseline)
    validation = [t for t in chart["data"] if t["name"] == "validation" and t["xaxis"] == "x2"]
    assert validation[0]["y"] == pytest.approx([data.to_target_units(0.65)])


def test_without_the_record_a_training_weather_run_stays_normalized_and_says_so(store, data_dir):
    config = dataclasses.replace(weather_config(), weather=WeatherOptions(source="jena"))
    run_id = store.submit(config, "bob")   # the data folder is empty: no Jena file here
    store.claim(10)
    add_curves(store, run_id, "mae", 1)
    app = open_page("train", {"run": str(run_id)})
    assert not app.exception
    chart = figure(app)
    assert annotations(chart) == [
        "loss = MAE (normalized: the weather record could not be read here, lower is better)",
        "MAE (normalized: the weather record could not be read here, lower is better)"]
    assert "shapes" not in chart["layout"] or not chart["layout"]["shapes"]


def test_a_dense_model_trains_from_its_link_and_compares_beside_a_cell(store):
    dense = RunConfig(dataset="memory", layers=(LayerConfig(cell="Dense", units=16),))
    app = open_page("train", {**dense.to_query()}, person="ada")
    assert not app.exception
    assert any(block.value.startswith("**Model:** memory/50: Dense(16) &nbsp; (1,633 parameters)")
               for block in app.markdown)  # 100 x 16 + 16, then 16 + 1
    app.button(key="train_start").click().run()
    (run,) = store.list()
    assert run.config == dense and run.status == "queued"
    store.claim(10)
    add_curves(store, run.id, "accuracy", 3)
    store.finish(run.id, "done", result={
        "metric": "accuracy", "best_val_accuracy": 0.75, "final_val_accuracy": 0.75,
        "test_accuracy": 0.74, "seconds_per_epoch": 0.5, "params": 1_633, "epochs_run": 3})
    memory = finished(store, PRESETS["memory-quick"].config, 1.0)
    app = open_page("runs", {"run": str(run.id), "compare": f"{run.id},{memory}"})
    assert not app.exception
    table = app.dataframe[0].value.set_index("run")
    assert table.loc[run.id, "model"] == "memory/50: Dense(16)"
    assert app.multiselect(key="runs_compare").value == [run.id, memory]


def test_a_run_downloads_as_a_notebook_on_runs_and_on_train_once_it_has_ended(seeded,
                                                                              monkeypatch):
    def notebook_buttons(app):
        return [b for b in app.get("download_button") if b.proto.label == "Download as notebook"]

    runs = open_page("runs", {"run": str(seeded["done"])})
    (button,) = notebook_buttons(runs)
    assert "plain Keras, no RNN Lab needed" in button.proto.help
    assert len(notebook_buttons(open_page("train", {"run": str(seeded["done"])}))) == 1
    # A running run's panel redraws every second: its notebook waits for the end.
    assert notebook_buttons(open_page("train", {"run": str(seeded["running"])})) == []

    def refuse(*args, **kwargs):
        raise ValueError("the notebook written is not a valid Jupyter notebook (a test)")

    monkeypatch.setattr("rnnlab.network.notebook.notebook_text", refuse)
    refused = open_page("runs", {"run": str(seeded["done"])})
    assert notebook_buttons(refused) == []
    assert (f"Run #{seeded['done']} cannot be written as a notebook: the notebook written is not "
            "a valid Jupyter notebook (a test)") in [w.value for w in refused.warning]


def test_a_run_preparing_its_data_says_so_then_counts_epochs(store):
    """A worker that tokenizes IMDB for the first time writes how far it is; the Train page shows
    that instead of "Epoch 1" until the first metric row, and epochs after it."""
    run_id = store.submit(imdb_config(), "bob")
    store.claim(10)
    folder = store.run_dir(run_id)
    folder.mkdir(parents=True)
    artifacts.write_preparing(folder, 0.4, "Tokenizing the IMDB reviews (first time only): "
                                           "20,000 reviews done")
    app = open_page("train", {"run": str(run_id)})
    assert not app.exception
    assert [(bar.value, bar.text) for bar in app.get("progress")] == [
        (40, "Tokenizing the IMDB reviews (first time only): 20,000 reviews done")]
    artifacts.clear_preparing(folder)
    add_curves(store, run_id, "accuracy", 1)
    app.run()
    assert [bar.text.split(" · ")[0] for bar in app.get("progress")] == ["Epoch 1 of 3"]
