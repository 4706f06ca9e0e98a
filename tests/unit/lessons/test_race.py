"""The race's rules: equal terms for the three cells, one request in the queue, a measured table."""
import dataclasses

import numpy as np
import pytest

from rnnlab.config import LayerConfig, RunConfig, TrainingOptions
from rnnlab.jobs import runs
from rnnlab.jobs.store import LimitError, Store
from rnnlab.lessons.race import column_formats, race_configs, race_table, race_verdicts, same_race


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setattr("rnnlab.jobs.runs.ensure_supervisor", lambda store: None)
    return Store(tmp_path / "home")


def two_layer_config():
    return RunConfig(layers=(LayerConfig(cell="GRU", units=16, dropout=0.2, return_sequences=True),
                             LayerConfig(cell="GRU", units=8, bidirectional=True)),
                     training=TrainingOptions(epochs=4, seed=7, learning_rate=0.01))


def test_the_racers_differ_only_in_their_cells():
    base = two_layer_config()
    racers = race_configs(base)
    assert [[layer.cell for layer in c.layers] for c in racers] == [
        ["SimpleRNN"] * 2, ["LSTM"] * 2, ["GRU"] * 2]
    for racer in racers:
        assert racer.training == base.training and racer.imdb == base.imdb
        assert [(l.units, l.dropout, l.bidirectional, l.return_sequences) for l in racer.layers] == \
            [(16, 0.2, False, True), (8, 0.0, True, False)]
    assert racers[2] == base


def test_the_book_cells_race_by_default_and_any_cell_on_request():
    from rnnlab.cells import CELLS
    from rnnlab.config import ConfigError
    from rnnlab.lessons.race import RACE_CELLS

    assert RACE_CELLS == ("SimpleRNN", "LSTM", "GRU")
    assert set(RACE_CELLS) <= set(CELLS)
    chosen = race_configs(two_layer_config(), cells=("LSTM", "SimpleRNN"))
    assert [[layer.cell for layer in c.layers] for c in chosen] == [["LSTM"] * 2, ["SimpleRNN"] * 2]
    with pytest.raises(ConfigError, match="'Transformer'"):
        race_configs(two_layer_config(), cells=("GRU", "Transformer"))


def test_the_racers_start_from_the_same_embedding():
    from rnnlab.trainer.models import build_model
    from rnnlab.trainer.training import seed_everything

    tables = []
    for racer in race_configs(RunConfig(layers=(LayerConfig(units=4),))):
        seed_everything(racer.training.seed)
        tables.append(build_model(racer).get_layer("embedding").get_weights()[0])
    np.testing.assert_array_equal(tables[0], tables[1])
    np.testing.assert_array_equal(tables[0], tables[2])


def test_a_race_is_one_request_past_the_owner_limit_but_not_beside_other_runs(store, monkeypatch):
    monkeypatch.setenv("RNNLAB_OWNER_LIMIT", "2")
    submissions = runs.submit_batch(race_configs(RunConfig()), "ada", store=store)
    assert [s.reused for s in submissions] == [False] * 3
    assert [store.get(s.run_id).status for s in submissions] == ["queued"] * 3
    with pytest.raises(LimitError, match="ada already has 3 runs queued or running"):
        runs.submit_batch(race_configs(RunConfig(training=TrainingOptions(seed=2))), "ada",
                          store=store)
    assert len(store.list()) == 3  # nothing of the refused race was queued


def test_finished_twins_are_reused_and_the_table_fills_from_results(store):
    configs = race_configs(RunConfig())
    lstm = store.submit(configs[1], "ada")
    store.claim(5)
    result = {"metric": "accuracy", "best_val_accuracy": 0.88, "test_accuracy": 0.87,
              "params": 328_353, "seconds_per_epoch": 60.0, "peak_memory_mb": 1200.0}
    store.finish(lstm, "done", result=result)
    folder = store.run_dir(lstm)
    folder.mkdir(parents=True)
    np.savez(folder / "gradients.npz", epochs=np.array([0, 1]), seconds=np.array([0.1, 0.1]),
             norms=np.array([[1.0, 2.0, 4.0], [0.5, 1.0, 5.0]]))
    submissions = runs.submit_batch(configs, "ada", store=store)
    assert [s.reused for s in submissions] == [False, True, False]
    assert submissions[1].run_id == lstm
    table = race_table([store.get(s.run_id) for s in submissions], store)
    assert [row["cell"] for row in table] == ["SimpleRNN", "LSTM", "GRU"]
    assert table[1]["best val acc"] == 0.88 and table[1]["params"] == 328_353
    assert table[1]["grad 1st/last"] == pytest.approx(0.1)
    assert table[0]["status"] == "queued" and table[0]["best val acc"] is None


def test_runs_that_differ_only_in_their_cells_could_have_raced():
    config = RunConfig(layers=(LayerConfig(cell="GRU", units=8, return_sequences=True),
                               LayerConfig(cell="LSTM", units=8)))
    for racer in race_configs(config):
        assert same_race(config, racer)
    assert not same_race(config, dataclasses.replace(config, training=TrainingOptions(seed=2)))
    assert not same_race(config, RunConfig())


def test_dense_races_as_a_fourth_lane_and_drops_what_a_dense_layer_does_not_have():
    from rnnlab.lessons.race import RACE_CELLS

    base = two_layer_config()  # a bidirectional top layer, dropout below
    base = dataclasses.replace(base, layers=(base.layers[0], dataclasses.replace(
        base.layers[1], recurrent_dropout=0.3)))
    assert "Dense" not in RACE_CELLS
    *cells, dense = race_configs(base, cells=(*RACE_CELLS, "Dense"))
    assert [c.layers[0].cell for c in cells] == list(RACE_CELLS) and dense.is_feedforward
    assert [(l.cell, l.units, l.dropout, l.bidirectional, l.recurrent_dropout,
             l.return_sequences) for l in dense.layers] == [
        ("Dense", 16, 0.2, False, 0.0, False), ("Dense", 8, 0.0, False, 0.0, False)]
    assert dense.training == base.training and dense.label() == "imdb: Dense(16) > Dense(8)"
    assert all(same_race(base, racer) for racer in (*cells, dense))
    assert not same_race(dense, dataclasses.replace(dense, training=TrainingOptions(seed=2)))


def test_a_dense_model_races_against_the_cells():
    dense = RunConfig(layers=(LayerConfig(cell="Dense", units=8),))
    racers = race_configs(dense)
    assert [(r.layers[0].cell, r.layers[0].units) for r in racers] == [
        ("SimpleRNN", 8), ("LSTM", 8), ("GRU", 8)]
    assert all(same_race(dense, racer) for racer in racers)


def test_the_table_names_the_dense_lane(store):
    ids = [s.run_id for s in runs.submit_batch(
        race_configs(RunConfig(), cells=("GRU", "Dense")), "ada", store=store)]
    assert [row["cell"] for row in race_table([store.get(i) for i in ids], store)] == [
        "GRU", "Dense"]


def test_a_weather_race_table_shows_mae_in_degrees_formats_and_verdicts(store):
    configs = race_configs(RunConfig(dataset="weather", layers=(LayerConfig(units=8),)))
    ids = [store.submit(config, "ada") for config in configs]
    # Training std 8 degC: the baseline's 0.3375 std is 2.70 degC.
    weather = {"metric": "mae", "target_std": 8.0, "target_unit": "degC",
               "baseline_val_mae": 0.3375, "params": 1_233, "seconds_per_epoch": 3.25,
               "peak_memory_mb": 884.2773, "epochs_run": 5}
    for run_id, best, best_epoch in ((ids[0], 0.36375, 5), (ids[1], 0.30125, 4)):
        store.claim(5)
        store.finish(run_id, "done", result={**weather, "best_val_mae": best, "test_mae": best,
                                             "best_epoch": best_epoch})
    racers = [store.get(i) for i in ids]
    table = race_table(racers, store)
    assert [row["best val °C"] for row in table] == pytest.approx([2.91, 2.41, None])
    assert table[1]["test °C"] == pytest.approx(2.41) and table[2]["status"] == "queued"
    formats = column_formats(table)
    assert formats["best val °C"] == formats["test °C"] == "%.2f"
    assert (formats["peak MB"], formats["params"]) == ("%.0f", "localized")
    assert column_formats(race_table([store.get(i) for i in ids[:1]], store)).keys() == \
        formats.keys()
    lost, won = race_verdicts(racers)  # the queued GRU has nothing to judge yet
    assert lost.startswith(f"SimpleRNN (#{ids[0]}): Best validation MAE 2.91 °C does not beat "
                           "the common-sense baseline (2.70 °C)")
    assert won == (f"LSTM (#{ids[1]}): Best validation MAE 2.41 °C beats the common-sense "
                   "baseline (2.70 °C) by 0.29 °C (11 % less error).")


def test_an_imdb_race_table_keeps_accuracy_and_has_no_verdicts(store):
    (run_id,) = [store.submit(race_configs(RunConfig())[0], "ada")]
    store.claim(5)
    store.finish(run_id, "done", result={"metric": "accuracy", "best_val_accuracy": 0.8812,
                                         "test_accuracy": 0.87, "params": 10})
    table = race_table([store.get(run_id)], store)
    assert table[0]["best val acc"] == 0.8812
    assert column_formats(table)["best val acc"] == "%.3f"
    assert race_verdicts([store.get(run_id)]) == []


def test_every_short_header_of_the_race_table_has_a_tooltip_in_full():
    from rnnlab.lessons.race import column_help

    headers = ["best val acc", "test acc", "params", "s/epoch", "peak MB",
               "grad 1st/last", "best val °C"]
    assert all(column_help(header) for header in headers)
    assert column_help("s/epoch").startswith("Seconds per epoch")
    assert column_help("cell") is None


def test_the_table_shows_a_status_only_when_it_carries_a_message():
    from rnnlab.lessons.race import shown_columns

    row = {"cell": "GRU", "run": 3, "status": "running", "best val acc": None, "params": None}
    assert shown_columns([row]) == ["cell", "best val acc", "params"]
    damaged = {**row, "status": "done: gradients.npz is damaged"}
    assert shown_columns([row, damaged]) == ["cell", "status", "best val acc", "params"]
    assert shown_columns([]) == []


def test_a_text_race_has_no_dense_lane_and_its_table_and_verdicts_are_in_bits_per_character(store):
    from rnnlab.config import FEEDFORWARD
    from rnnlab.config.presets import PRESETS
    from rnnlab.lessons.race import RACE_PRESETS, race_kinds

    text = PRESETS["text-quick"].config
    assert "text-quick" in RACE_PRESETS
    assert FEEDFORWARD not in race_kinds(text) and FEEDFORWARD in race_kinds(RunConfig())
    assert set(race_kinds(text)) >= {"SimpleRNN", "LSTM", "GRU"}
    run_id = store.submit(text, "ada")
    store.claim(10)
    store.finish(run_id, "done", result={"metric": "bpc", "best_val_bpc": 3.5, "test_bpc": 3.6,
                                         "unigram_val_bpc": 4.54, "bigram_val_bpc": 3.69})
    (row,) = race_table([store.get(run_id)], store)
    assert row["best val bpc"] == 3.5 and row["test bpc"] == 3.6
    assert column_formats([row])["best val bpc"] == "%.2f"
    (verdict,) = race_verdicts([store.get(run_id)])
    assert verdict.startswith(f"GRU (#{run_id}): 3.50 bits per character: as unsure, on average, "
                              "as a fair pick among 11 characters")
    assert verdict.endswith("below the bigram line (3.69) by 0.19: it uses more than the one "
                            "character before.")
