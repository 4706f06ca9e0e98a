"""Faults injected into real run folders: a damaged file is named in words for its run only.

Each file a run leaves is cut short, overwritten with garbage, or replaced by a well-formed file
holding the wrong thing (an .npz with other arrays, JSON that is not a config, a CSV whose rows do
not fit its header). The reader must raise DamagedArtifact with "Run #N's <file in words> ...
damaged: retrain it or delete it." and no server path, and every page that reads the file must
show that message, raise nothing, and still show the healthy run beside it.

Before the fix a finished run's damaged gradients.npz read silently as "no records yet", a
damaged weights.npz or config.json broke Inside the cell (which opens the newest run) with an
exception box showing the server path, a garbage summary.txt raised UnicodeDecodeError on Runs,
and a damaged model, history or config was offered for download as if whole.
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from rnnlab.jobs import artifacts
from rnnlab.jobs.artifacts import DamagedArtifact
from rnnlab.lessons.race import GRADIENT_COLUMN, race_table
from tests.app.conftest import open_page, seeded, store  # noqa: F401  (fixtures)
from tests.app.test_inside_page import finished_run, memory_run_config, prediction_line


def truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def garbage(path):
    path.write_bytes(b"\xff\xfe\x00garbage \xe9\x80" * 20)


def wrong_arrays(path):
    np.savez(path, something=np.arange(3), other=np.array(["a", "b"]))


def wrong_json(path):
    path.write_text(json.dumps(["not", "a", "config"]))


def latin_1(path):
    path.write_bytes('{"layers": [{"cell": "GRÜ"}]}'.encode("latin-1"))


def uneven_rows(path):
    path.write_text("epoch,loss,val_loss\n1,0.7,0.8\n2,0.5\n")


def cut_mid_character(path):
    path.write_bytes("Model: ┃ lstm ┃".encode("utf-8")[:9])


# file -> (how a message names it, the damages, how it is read)
KINDS = {
    artifacts.GRADIENTS: ("gradient records are", (truncate, garbage, wrong_arrays),
                          artifacts.read_gradients),
    artifacts.WEIGHTS: ("saved weights are", (truncate, garbage, wrong_arrays),
                        artifacts.read_trained_model),
    artifacts.CONFIG: ("config is", (truncate, garbage, wrong_json, latin_1),
                       artifacts.read_config),
    artifacts.SUMMARY: ("model summary is", (garbage, cut_mid_character), artifacts.read_summary),
    artifacts.HISTORY: ("history is", (garbage, uneven_rows),
                        lambda folder: artifacts.read_download(folder, artifacts.HISTORY)),
    artifacts.RESULT: ("scores are", (truncate, garbage, wrong_json),
                       lambda folder: artifacts.read_download(folder, artifacts.RESULT)),
    artifacts.MODEL: ("saved model is", (truncate, garbage),
                      lambda folder: artifacts.read_download(folder, artifacts.MODEL)),
}
CASES = [(name, damage) for name, (_, damages, _) in KINDS.items() for damage in damages]


def add_gradients(store, run_id, scale=1.0):
    artifacts.write_gradients(store.run_dir(run_id), artifacts.GradientRecords(
        np.array([0, 3]), scale * np.array([[1e-3, 1e-2, 1e-1], [1e-6, 1e-3, 1.0]]),
        np.array([0.02, 0.04])))


def damaged(run_id: int, name: str) -> str:
    return f"Run #{run_id}'s {KINDS[name][0]} damaged: retrain it or delete it."


@pytest.mark.parametrize("name, damage", CASES, ids=[f"{n}-{d.__name__}" for n, d in CASES])
def test_every_reader_names_the_run_and_the_file_in_words(store, seeded, name, damage):
    run_id = seeded["done"]
    folder = store.run_dir(run_id)
    add_gradients(store, run_id)
    read = KINDS[name][2]
    read(folder)  # whole, it reads
    damage(folder / name)
    with pytest.raises(DamagedArtifact) as caught:
        read(folder)
    assert str(caught.value) == damaged(run_id, name)
    assert str(store.home) not in str(caught.value) and "/" not in str(caught.value)


def test_a_running_runs_half_written_gradients_read_as_not_yet(store, seeded):
    folder = store.run_dir(seeded["running"])
    folder.mkdir(parents=True, exist_ok=True)
    add_gradients(store, seeded["running"])
    truncate(folder / artifacts.GRADIENTS)
    assert artifacts.read_gradients(folder, still_writing=True) is None


@pytest.mark.parametrize("damage", [truncate, garbage, wrong_arrays])
def test_vanishing_gradients_names_the_damaged_run_and_draws_the_other(store, seeded, damage):
    add_gradients(store, seeded["done"])
    add_gradients(store, seeded["done_gru"], scale=0.5)
    damage(store.run_dir(seeded["done"]) / artifacts.GRADIENTS)
    app = open_page("gradients")
    assert not app.exception
    assert [w.value for w in app.warning] == [damaged(seeded["done"], artifacts.GRADIENTS)]
    assert list(app.multiselect(key="gradients_runs").options) == [
        f"#{seeded['done_gru']} imdb: GRU(16) (done)"]
    assert app.multiselect(key="gradients_runs").value == [seeded["done_gru"]]
    assert "ms on average" in app.caption[0].value  # the healthy run is drawn


@pytest.mark.parametrize("name, damage", [(artifacts.SUMMARY, garbage),
                                          (artifacts.MODEL, truncate),
                                          (artifacts.HISTORY, uneven_rows),
                                          (artifacts.CONFIG, latin_1)])
def test_runs_names_the_damaged_file_and_offers_the_others(store, seeded, name, damage):
    run_id = seeded["done"]
    damage(store.run_dir(run_id) / name)
    app = open_page("runs", {"run": str(run_id)})
    assert not app.exception
    assert damaged(run_id, name) in [w.value for w in app.warning]
    offered = [b.proto.label for b in app.get("download_button")]
    # The run's files that are still whole, and the notebook, written from the store's config.
    assert offered[-1] == "Download as notebook"
    assert len(offered[:-1]) == (3 if name == artifacts.SUMMARY else 2)
    assert len(app.dataframe[0].value) == 6  # every run still listed
    app = open_page("runs", {"run": str(seeded["done_gru"])})  # the other run is untouched
    assert not app.exception and not app.warning
    assert [b.proto.label for b in app.get("download_button")][-1] == "Download as notebook"
    assert len(app.get("download_button")) == 4  # its three files and its notebook


def test_the_race_table_and_page_name_the_damaged_run(store, seeded):
    add_gradients(store, seeded["done"])
    add_gradients(store, seeded["done_gru"], scale=0.5)
    garbage(store.run_dir(seeded["done"]) / artifacts.GRADIENTS)
    rows = race_table([store.get(seeded["done"]), store.get(seeded["done_gru"])], store)
    assert rows[0]["status"] == f"done: {damaged(seeded['done'], artifacts.GRADIENTS)}"
    assert rows[0][GRADIENT_COLUMN] is None
    assert rows[1]["status"] == "done"
    assert rows[1][GRADIENT_COLUMN] == pytest.approx(1e-6)
    app = open_page("race", {"race": f"{seeded['done']},{seeded['done_gru']}"})
    assert not app.exception
    statuses = list(app.dataframe[0].value["status"])
    assert statuses == [f"done: {damaged(seeded['done'], artifacts.GRADIENTS)}", "done"]


@pytest.mark.parametrize("name, damage", [(artifacts.WEIGHTS, truncate),
                                          (artifacts.WEIGHTS, garbage),
                                          (artifacts.CONFIG, wrong_json)])
def test_inside_names_the_damaged_newest_run_and_lets_the_student_pick_another(
        store, data_dir, name, damage):
    healthy = finished_run(store, memory_run_config("LSTM"), seed=1)
    newest = finished_run(store, memory_run_config("GRU"), seed=2)
    damage(store.run_dir(newest) / name)
    app = open_page("inside")
    assert not app.exception
    assert [e.value for e in app.error] == [damaged(newest, name)]
    box = app.selectbox(key="inside_run")
    assert box.value == newest and list(box.options) == [
        f"#{newest} {memory_run_config('GRU').label()} (ada)",
        f"#{healthy} {memory_run_config('LSTM').label()} (ada)"]
    box.set_value(healthy).run()
    assert not app.exception and not app.error
    assert f"#{healthy} LSTM:" in prediction_line(app)


def test_inside_shows_the_healthy_run_alone_when_the_side_by_side_run_is_damaged(store, data_dir):
    healthy = finished_run(store, memory_run_config("LSTM"), seed=1)
    other = finished_run(store, memory_run_config("SimpleRNN"), seed=2)
    truncate(store.run_dir(other) / artifacts.WEIGHTS)
    app = open_page("inside", {"run": str(healthy)})
    app.selectbox(key="inside_other").set_value(other).run()
    assert not app.exception
    assert [e.value for e in app.error] == [damaged(other, artifacts.WEIGHTS)]
    line = prediction_line(app)
    assert f"#{healthy} LSTM:" in line and f"#{other}" not in line
