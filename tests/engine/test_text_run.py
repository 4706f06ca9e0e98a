"""The language model through the real engine: a worker trains it, scores it in bits per
character against the counting baselines, and saves what the pages read."""
import numpy as np
import pytest

from rnnlab.config import LayerConfig, RunConfig, TextOptions, TrainingOptions
from rnnlab.config.catalog import TEXT_VOCABULARY_SIZE
from rnnlab.jobs import artifacts, runs
from tests.waiting import wait_for

TERMINAL = ("done", "failed", "cancelled", "interrupted", "diverged")


def test_a_text_run_trains_in_a_worker_with_its_baselines_and_artifacts(store, supervisor):
    config = RunConfig(dataset="text",
                       text=TextOptions(window_chars=20, corpus_chars=12_000,
                                        char_embedding_dim=4),
                       layers=(LayerConfig(cell="GRU", units=6),),
                       training=TrainingOptions(optimizer="adam", learning_rate=1e-2,
                                                batch_size=32, epochs=2))
    run_id = store.submit(config, "ada")
    supervisor()
    wait_for(lambda: store.get(run_id).status in TERMINAL, 120)
    run = store.get(run_id)
    assert run.status == "done", run.error
    result = run.result
    assert result["metric"] == "bpc" and result["epochs_run"] == 2
    # 12,000 characters: 7,200 for training, 2,400 each for validation and test, in windows of 20
    assert (result["train_examples"], result["validation_examples"]) == (359, 119)
    assert 0 < result["bigram_val_bpc"] < result["unigram_val_bpc"] < np.log2(TEXT_VOCABULARY_SIZE)
    assert result["best_val_bpc"] == min(result["history"]["val_bpc"])
    epoch_rows = [m for m in store.metrics_since(run_id) if m.kind == "epoch"]
    assert [m.value for m in epoch_rows if m.name == "val_bpc"] == pytest.approx(
        result["history"]["val_bpc"], rel=1e-6)
    folder = runs.artifacts(run_id, store)["weights.npz"].parent
    saved_config, weights = artifacts.read_trained_model(folder)
    assert saved_config == config
    assert weights["next_character/kernel"].shape == (6, TEXT_VOCABULARY_SIZE)
    assert weights["embedding/embeddings"].shape == (TEXT_VOCABULARY_SIZE, 4)
    gradients = runs.gradient_records(run_id, store)
    assert gradients.epochs.tolist() == [0, 1, 2] and gradients.norms.shape == (3, 20)
