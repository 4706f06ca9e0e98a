"""A text run through the real engine writes what it writes after every epoch (samples.json)."""
from rnnlab.config import LayerConfig, RunConfig, TextOptions, TrainingOptions
from rnnlab.jobs import artifacts, runs
from rnnlab.network import sampler
from tests.engine.conftest import tiny_config
from tests.engine.test_engine import TERMINAL
from tests.waiting import wait_for


def tiny_text_config(epochs=2) -> RunConfig:
    """A real language model on 20,000 characters of Python's own source: about a second an
    epoch."""
    return RunConfig(dataset="text", layers=(LayerConfig(cell="GRU", units=8,
                                                         return_sequences=True),),
                     text=TextOptions(window_chars=50, corpus_chars=20_000, char_embedding_dim=8),
                     training=TrainingOptions(optimizer="adam", learning_rate=1e-2,
                                              batch_size=32, epochs=epochs, seed=4))


def test_a_text_run_writes_one_sample_per_epoch_the_last_from_its_saved_weights(store,
                                                                                supervisor):
    run_id = store.submit(tiny_text_config(epochs=2), "ada")
    supervisor()
    wait_for(lambda: store.get(run_id).status in TERMINAL, 120)
    run = store.get(run_id)
    assert run.status == "done", run.error
    samples = runs.samples(run_id, store)
    assert [sample.epoch for sample in samples] == [1, 2]
    assert all(len(sample.text) == sampler.EPOCH_SAMPLE_LENGTH for sample in samples)
    assert samples[0].text != samples[1].text  # the model changed between the epochs
    # The last sample is what the NumPy sampler writes from the saved weights, seed and all.
    config, weights = artifacts.read_trained_model(store.run_dir(run_id))
    assert sampler.epoch_sample(config, weights).text == samples[-1].text
    assert "samples.json" not in runs.artifacts(run_id, store)  # not one of the downloads


def test_other_runs_write_no_samples(store, supervisor):
    run_id = store.submit(tiny_config(epochs=1), "ada")
    supervisor()
    wait_for(lambda: store.get(run_id).status in TERMINAL, 90)
    assert store.get(run_id).status == "done"
    assert runs.samples(run_id, store) == []
    assert not (store.run_dir(run_id) / artifacts.SAMPLES).exists()
