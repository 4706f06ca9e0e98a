"""The race and vanishing-gradient pages under AppTest, on a private store."""
import json

import numpy as np

from rnnlab.config import RunConfig
from tests.app.conftest import imdb_config, open_page


def test_start_the_race_queues_one_run_per_cell_and_shows_them(store):
    app = open_page("race", {"owner": "ada", **imdb_config().to_query()})
    assert not app.exception
    app.button(key="race_start").click().run()
    assert not app.exception
    queued = sorted(store.list(), key=lambda r: r.id)
    assert [r.config.layers[0].cell for r in queued] == ["SimpleRNN", "LSTM", "GRU"]
    assert {r.owner for r in queued} == {"ada"} and {r.status for r in queued} == {"queued"}
    assert {r.config.training for r in queued} == {imdb_config().training}
    assert app.query_params["race"] == ",".join(str(r.id) for r in queued)
    table = app.dataframe[0].value
    assert table["cell"].tolist() == ["SimpleRNN", "LSTM", "GRU"]
    assert table["status"].tolist() == ["queued"] * 3
    assert store.supervisors_started  # the race asked for a trainer


def test_a_second_race_beside_the_first_is_refused_with_the_reason(store):
    app = open_page("race", {"owner": "ada"})
    app.button(key="race_start").click().run()
    app.button(key="race_start").click().run()
    assert not app.exception and len(store.list()) == 3
    assert "ada already has 3 runs queued or running" in app.error[0].value


def test_gradients_page_without_records_points_to_the_race(store):
    app = open_page("gradients")
    assert not app.exception and "No run has recorded its gradients yet" in app.info[0].value


def test_gradients_page_offers_every_recorded_moment(store, seeded):
    for name, scale in (("done", 1.0), ("done_gru", 0.0)):
        folder = store.run_dir(seeded[name])
        norms = scale * np.array([[1e-3, 1e-2, 1e-1], [1e-6, 1e-3, 1.0]])
        np.savez(folder / "gradients.npz", epochs=np.array([0, 3]), norms=norms,
                 seconds=np.array([0.02, 0.04]))
    app = open_page("gradients")
    assert not app.exception
    assert sorted(app.multiselect(key="gradients_runs").value) == sorted(
        [seeded["done"], seeded["done_gru"]])
    when = app.select_slider(key="gradients_when")
    assert when.options == ["before training", "after epoch 3"] and when.value == 3
    assert "30 ms on average" in app.caption[0].value
    when.set_value(0).run()
    assert not app.exception
