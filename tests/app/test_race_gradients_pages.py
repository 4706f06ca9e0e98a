"""The race and vanishing-gradient pages under AppTest, on a private store."""
import dataclasses
import json

import numpy as np
import pytest

from rnnlab.config import LayerConfig, MemoryOptions, RunConfig
from tests.app.conftest import finished_weather_run, imdb_config, open_page


def test_start_the_race_queues_one_run_per_cell_and_shows_them(store):
    app = open_page("race", {**imdb_config().to_query()}, person="ada")
    assert not app.exception
    app.selectbox(key="race_preset").set_value("build").run()
    app.button(key="race_start").click().run()
    assert not app.exception
    queued = sorted(store.list(), key=lambda r: r.id)
    assert [r.config.layers[0].cell for r in queued] == ["SimpleRNN", "LSTM", "GRU"]
    assert {r.owner for r in queued} == {"ada"} and {r.status for r in queued} == {"queued"}
    assert {r.config.training for r in queued} == {imdb_config().training}
    assert app.query_params["race"] == ",".join(str(r.id) for r in queued)
    waiting = [c.value for c in app.caption if c.value.startswith("#")]
    assert [w.split(":")[0] for w in waiting] == [
        f"#{r.id} {r.config.layers[0].cell}" for r in queued]
    assert all("Waiting" in w for w in waiting)
    assert not app.dataframe  # the table holds finished racers: none yet
    assert store.supervisors_started  # the race asked for a trainer


def test_dense_races_as_an_optional_fourth_lane_of_a_bidirectional_model(store):
    layer = LayerConfig(cell="GRU", units=16, bidirectional=True, recurrent_dropout=0.2)
    config = dataclasses.replace(imdb_config(), layers=(layer,))
    app = open_page("race", {**config.to_query()}, person="ada")
    app.selectbox(key="race_preset").set_value("build").run()
    cells = app.multiselect(key="race_cells")
    assert cells.value == ["SimpleRNN", "LSTM", "GRU"] and "Dense" in cells.options[-1]
    cells.set_value(["SimpleRNN", "LSTM", "GRU", "Dense"]).run()
    app.button(key="race_start").click().run()
    assert not app.exception and not app.error
    queued = sorted(store.list(), key=lambda r: r.id)
    assert [r.config.layers[0].cell for r in queued] == ["SimpleRNN", "LSTM", "GRU", "Dense"]
    assert queued[2].config == config
    dense = queued[3].config.layers[0]
    assert (dense.units, dense.bidirectional, dense.recurrent_dropout) == (16, False, 0.0)
    assert [c.value.split(":")[0] for c in app.caption if c.value.startswith("#")] == [
        f"#{r.id} {cell}" for r, cell in zip(queued, ("SimpleRNN", "LSTM", "GRU", "Dense"))]


def test_the_same_race_twice_is_one_race_and_another_beside_it_is_refused_with_the_reason(store):
    app = open_page("race", person="ada")
    app.button(key="race_start").click().run()
    first = app.query_params["race"]
    app.button(key="race_start").click().run()              # the same race: its runs, joined
    assert not app.exception and not app.error and len(store.list()) == 3
    assert app.query_params["race"] == first
    app.selectbox(key="race_preset").set_value("imdb-quick").run()
    app.button(key="race_start").click().run()
    assert not app.exception and len(store.list()) == 3
    assert "ada already has 3 runs queued or running" in app.error[0].value


def test_gradients_page_without_records_points_to_the_race_and_offers_the_sweep(store):
    app = open_page("gradients")
    assert not app.exception and "No run has recorded its gradients yet" in app.info[0].value
    assert "No run of this sweep yet" in app.info[1].value
    assert app.multiselect(key="gradients_sweep_lengths").value == [10, 20, 50, 100]
    assert app.selectbox(key="gradients_sweep_preset").value == "memory-quick"
    assert any("memory/50: LSTM(16)" in m.value for m in app.markdown)


def test_gradients_page_offers_every_recorded_moment(store, seeded):
    for name, scale in (("done", 1.0), ("done_gru", 0.0)):
        folder = store.run_dir(seeded[name])
        norms = scale * np.array([[1e-3, 1e-2, 1e-1], [1e-6, 1e-3, 1.0]])
        np.savez(folder / "gradients.npz", epochs=np.array([0, 3]), norms=norms,
                 seconds=np.array([0.02, 0.04]))
    app = open_page("gradients")
    assert not app.exception
    # Without a race in the link: the newest run and those that could have raced it (the other
    # run has another seed, so it is offered but not chosen).
    assert app.multiselect(key="gradients_runs").value == [seeded["done_gru"]]
    assert len(app.multiselect(key="gradients_runs").options) == 2
    when = app.select_slider(key="gradients_when")
    assert when.options == ["before training", "after epoch 3"] and when.value == 3
    assert "30 ms on average" in app.caption[0].value
    when.set_value(0).run()
    assert not app.exception


def test_a_dense_runs_gradient_per_input_step_is_drawn_beside_a_cells(store):
    ids = []
    for cell in ("GRU", "Dense"):
        ids.append(store.submit(imdb_config(cell), "ada"))
        store.claim(10)
        store.finish(ids[-1], "done", result={"best_val_accuracy": 0.8})
        folder = store.run_dir(ids[-1])
        folder.mkdir(parents=True, exist_ok=True)
        np.savez(folder / "gradients.npz", epochs=np.array([0, 3]),
                 norms=np.array([[1e-3, 1e-2, 1e-1], [1e-2, 1e-2, 1e-1]]),
                 seconds=np.array([0.02, 0.04]))
    app = open_page("gradients", {"race": ",".join(map(str, ids))})
    assert not app.exception
    assert app.multiselect(key="gradients_runs").value == ids
    assert any("A dense network (Dense, no memory) has no path through time" in m.value
               for m in app.markdown)


def test_the_sweep_queues_three_cells_per_length_and_draws_what_has_finished(store):
    app = open_page("gradients", person="ada")
    app.multiselect(key="gradients_sweep_lengths").set_value([20, 50]).run()
    assert app.button(key="gradients_sweep_start").label.startswith("Run the sweep (6 runs")
    app.button(key="gradients_sweep_start").click().run()
    assert not app.exception and not app.error
    queued = sorted(store.list(), key=lambda r: r.id)
    assert [(r.config.memory.sequence_length, r.config.layers[0].cell) for r in queued] == [
        (20, "SimpleRNN"), (20, "LSTM"), (20, "GRU"), (50, "SimpleRNN"), (50, "LSTM"), (50, "GRU")]
    assert {r.owner for r in queued} == {"ada"} and store.supervisors_started
    assert "0 runs of this sweep done, 6 queued or running" in app.main.caption[-1].value
    assert app.button(key="gradients_sweep_cancel").label == (
        "Cancel the sweep (6 runs still queued or running)")
    for run, best in zip(queued, [0.9, 0.95, 0.97, 0.5, 0.93, 0.96]):
        store.claim(10)
        store.finish(run.id, "done", result={"best_val_accuracy": best})
    app.run()
    assert not app.exception
    assert "6 runs of this sweep done, 0 queued or running" in app.main.caption[-1].value
    assert len(app.get("plotly_chart")) >= 1  # the sweep chart (its lines: tests/unit/lessons/test_sweep.py)
    # Running it again reuses every finished point instead of training it twice.
    app.button(key="gradients_sweep_start").click().run()
    assert len(store.list()) == 6


def test_the_sweep_refuses_too_many_lengths_in_words(store):
    app = open_page("gradients", person="ada")
    app.multiselect(key="gradients_sweep_lengths").set_value([5, 10, 20, 30, 50, 75, 100]).run()
    app.button(key="gradients_sweep_start").click().run()
    assert not app.exception and not store.list()
    assert "Choose at most 6 sequence lengths" in app.error[0].value


def test_the_sweep_follows_a_memory_model_from_the_link(store):
    config = RunConfig(dataset="memory", memory=MemoryOptions(sequence_length=30, examples=500),
                       layers=(LayerConfig(cell="GRU", units=8),))
    app = open_page("gradients", {**config.to_query()}, person="ada")
    assert app.selectbox(key="gradients_sweep_preset").value == "memory-quick"
    app.selectbox(key="gradients_sweep_preset").set_value("build").run()
    assert any("memory/30: GRU(8)" in m.value for m in app.markdown)
    app.multiselect(key="gradients_sweep_lengths").set_value([10]).run()
    app.button(key="gradients_sweep_start").click().run()
    assert {(r.config.memory.examples, r.config.layers[0].units) for r in store.list()} == {(500, 8)}


def test_a_weather_race_reads_in_degrees_and_says_who_beat_the_baseline(store, data_dir):
    loser = finished_weather_run(store, 0.36375, cell="SimpleRNN")   # 2.91 degC against 2.70
    winner = finished_weather_run(store, 0.30125, cell="GRU")        # 2.41 degC
    app = open_page("race", {"race": f"{loser},{winner}"})
    assert not app.exception
    table = app.dataframe[0].value
    assert table["best val °C"].tolist() == pytest.approx([2.91, 2.41])
    shown = json.loads(app.dataframe[0].proto.columns)
    assert shown["best val °C"]["type_config"]["format"] == "%.2f"
    assert shown["peak MB"]["type_config"]["format"] == "%.0f"
    lines = [m.value for m in app.markdown if "common-sense baseline" in m.value]
    assert lines[0].startswith(f"- SimpleRNN (#{loser}): Best validation MAE 2.91 °C does not "
                               "beat the common-sense baseline (2.70 °C)")
    assert lines[1] == (f"- GRU (#{winner}): Best validation MAE 2.41 °C beats the common-sense "
                        "baseline (2.70 °C) by 0.29 °C (11 % less error).")
    chart = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert [a["text"] for a in chart["layout"]["annotations"]] == [
        "training loss = MAE (°C, lower is better),<br>running mean of the epoch",
        "validation<br>MAE (°C, lower is better)"]
    assert [t["name"] for t in chart["data"] if t.get("x") == [None]] == [
        "common-sense baseline 2.70 °C"]               # the baseline line's legend entry
