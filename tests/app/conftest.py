"""AppTest fixtures: a private run store, no real supervisor, and a store seeded with every status."""
import dataclasses
import json
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from rnnlab.config import ImdbOptions, LayerConfig, RunConfig, TrainingOptions, WeatherOptions
from rnnlab.jobs import people
from rnnlab.jobs.store import Store
from rnnlab.ui import identity, polling

ROOT = Path(__file__).resolve().parents[2]
TEACHER_SECRET = "chalk"


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch) -> Store:
    """Every app test gets an empty store of its own; starting a supervisor is only recorded;
    the server has a teacher's secret (TEACHER_SECRET)."""
    monkeypatch.setenv("RNNLAB_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("RNNLAB_TEACHER_SECRET", TEACHER_SECRET)
    started = []
    monkeypatch.setattr("rnnlab.jobs.supervisor.ensure_supervisor", lambda store: started.append(store))
    monkeypatch.setattr("rnnlab.jobs.runs.ensure_supervisor", lambda store: started.append(store))
    store = Store()
    store.supervisors_started = started
    return store


@pytest.fixture
def timers(monkeypatch) -> list[float | None]:
    """The timer (run_every) of each live panel declared, in the order they are declared."""
    declared = []
    fragment = polling.st.fragment

    def recorded(*args, run_every=None, **kwargs):
        declared.append(run_every)
        return fragment(*args, run_every=run_every, **kwargs)

    monkeypatch.setattr(polling.st, "fragment", recorded)
    return declared


def join(name: str, teacher: bool = False) -> str:
    """Put a person called `name` in the test's class, as the sidebar's Join does; returns the
    signed token a browser would keep (with teacher=True, the teacher's)."""
    store = Store()
    with store.connect() as conn:  # the same name twice in one test: the same person
        row = conn.execute("SELECT id, name FROM people WHERE key = ?",
                           (people.Person(0, name).key,)).fetchone()
    person = people.Person(row["id"], row["name"]) if row else people.join(name, store)
    if teacher:
        person = people.promote(person, TEACHER_SECRET, TEACHER_SECRET, store)
    return people.token(person, store)


def open_page(page: str, params: dict | None = None, person: str | None = None,
              teacher: bool = False) -> AppTest:
    """Run the app from its entry point, switched to pages/<page>.py, with URL parameters.

    Args:
        person: join the class under this name first (None: a visitor who has not joined).
        teacher: the person is the teacher.
    """
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if person is not None:
        app.session_state[identity.SESSION_TOKEN] = join(person, teacher)
    for key, value in (params or {}).items():
        app.query_params[key] = value
    app.run()
    if page != "home":
        app.switch_page(f"pages/{page}.py")
        for key, value in (params or {}).items():
            app.query_params[key] = value
        app.run()
    return app


def as_read(markdown: str) -> str:
    """A Markdown body as a reader sees it: messages that repeat a user's string or a link's value
    are shown with every Markdown character escaped (rnnlab.ui.frame.plain); this drops the
    backslashes again."""
    return re.sub(r"\\(.)", r"\1", markdown)


def imdb_config(cell="LSTM", seed=1) -> RunConfig:
    return RunConfig(imdb=ImdbOptions(maxlen=100, train_subset=1000),
                     layers=(LayerConfig(cell=cell, units=16),),
                     training=TrainingOptions(epochs=3, seed=seed))


def weather_config() -> RunConfig:
    return RunConfig(dataset="weather", weather=WeatherOptions(lookback_hours=48),
                     layers=(LayerConfig(cell="GRU", units=8),), training=TrainingOptions(epochs=3))


def add_curves(store, run_id, metric, epochs, start=0.7, batches_per_epoch=4):
    """Batch rows (running means) and epoch rows that look like a real run's."""
    step = 0
    rows = []
    for epoch in range(1, epochs + 1):
        for _ in range(batches_per_epoch):
            step += 1
            rows += [("batch", step, epoch, "loss", start / step ** 0.3),
                     ("batch", step, epoch, metric, 0.5 + 0.4 * (1 - 1 / step))]
        rows += [("epoch", step, epoch, "loss", start / epoch), ("epoch", step, epoch, metric, 0.6 + 0.1 * epoch),
                 ("epoch", step, epoch, "val_loss", start / epoch + 0.05),
                 ("epoch", step, epoch, f"val_{metric}", 0.55 + 0.1 * epoch),
                 ("epoch", step, epoch, "seconds", 2.0)]
    store.add_metrics(run_id, rows)


@pytest.fixture
def seeded(store):
    """Runs in every state the pages must show: done (two), running, failed, cancelled, queued."""
    return seed_every_state(store)


def seed_every_state(store) -> dict[str, int]:
    """Write runs in every state into `store`; returns their ids by name (see `seeded`)."""
    ids = {}
    for name, config in (("done", imdb_config()), ("done_gru", imdb_config("GRU", seed=2))):
        run_id = store.submit(config, "ada")
        store.claim(10)
        add_curves(store, run_id, "accuracy", 3)
        folder = store.run_dir(run_id)
        folder.mkdir(parents=True)
        (folder / "config.json").write_text(config.to_json())
        (folder / "summary.txt").write_text('Model: "imdb_lstm"\n Total params: 12,345\n')
        (folder / "history.csv").write_text("epoch,loss\n1,0.7\n2,0.35\n3,0.23\n")
        with zipfile.ZipFile(folder / "model.keras", "w") as archive:  # a .keras file is a zip
            archive.writestr("config.json", "{}")
        np.savez(folder / "weights.npz", kernel=np.zeros((2, 2)))
        result = {"metric": "accuracy", "best_val_accuracy": 0.85, "final_val_accuracy": 0.85,
                  "test_accuracy": 0.84, "seconds_per_epoch": 2.0, "params": 12_345,
                  "epochs_run": 3, "peak_memory_mb": 900.0}
        (folder / "result.json").write_text(json.dumps(result))
        store.finish(run_id, "done", result=result)
        ids[name] = run_id
    ids["running"] = store.submit(weather_config(), "bob")
    store.claim(10)
    add_curves(store, ids["running"], "mae", 1)
    ids["failed"] = store.submit(imdb_config(seed=5), "cy")
    store.claim(10)
    store.finish(ids["failed"], "failed", error="imdb.npz is truncated or not Keras's imdb.npz")
    ids["cancelled"] = store.submit(imdb_config(seed=6), "cy")
    store.request_cancel(ids["cancelled"])
    ids["queued"] = store.submit(imdb_config(seed=7), "dee")
    assert [store.get(ids[k]).status for k in ("done", "running", "failed", "cancelled", "queued")] == [
        "done", "running", "failed", "cancelled", "queued"]
    return ids


# A finished weather run's result as rnnlab.trainer.training.summarize_result writes it. The
# target's training std is 8 degC, so the baseline's 0.3375 std reads 2.70 degC.
WEATHER_STD, WEATHER_BASELINE = 8.0, 0.3375


def finished_weather_run(store, best_val_mae: float, seed: int = 1, cell: str = "GRU",
                         best_epoch: int = 3) -> int:
    """A done weather run (the config's default record) whose best validation MAE is
    `best_val_mae` normalized, i.e. 8 x that in degC; its curves are add_curves' for "mae"."""
    config = dataclasses.replace(weather_config(), training=TrainingOptions(epochs=3, seed=seed))
    config = dataclasses.replace(config, layers=(LayerConfig(cell=cell, units=8),))
    run_id = store.submit(config, "ada")
    store.claim(10)
    add_curves(store, run_id, "mae", 3)
    result = {"dataset": "weather", "metric": "mae", "best_val_mae": best_val_mae,
              "final_val_mae": best_val_mae, "test_mae": best_val_mae + 0.01,
              "seconds_per_epoch": 3.0, "params": 1_233, "epochs_run": 3,
              "best_epoch": best_epoch, "target_std": WEATHER_STD, "target_unit": "degC",
              "baseline_val_mae": WEATHER_BASELINE, "baseline_test_mae": WEATHER_BASELINE}
    store.finish(run_id, "done", result=result)
    return run_id


def trained_run(store, config: RunConfig, weights: dict, result: dict, rows=()) -> int:
    """A done run of `config` with real weights, saved as the worker saves them (config.json,
    weights.npz, result.json), with `rows` (store.add_metrics's) as its curves."""
    run_id = store.submit(config, "ada")
    store.claim(10)
    folder = store.run_dir(run_id)
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(config.to_json())
    np.savez(folder / "weights.npz", **weights)
    (folder / "result.json").write_text(json.dumps(result))
    if rows:
        store.add_metrics(run_id, rows)
    store.finish(run_id, "done", result=result)
    return run_id
