"""A language model's writing on the Train and Runs pages: the samples after each epoch appear as
the worker writes them, newest last, and a finished run writes on demand with the NumPy sampler.

run_every never fires under AppTest, so the worker is stood in for: samples.json is written
through rnnlab.jobs.artifacts, then the page runs again and must show it.
"""
import numpy as np
import pytest

from rnnlab.cells import CELLS
from rnnlab.config import LayerConfig, RunConfig, TextOptions, TrainingOptions
from rnnlab.config.catalog import TEXT_VOCABULARY_SIZE
from rnnlab.jobs import artifacts
from rnnlab.jobs.artifacts import Sample
from rnnlab.network import sampler
from tests.app.conftest import open_page

CONFIG = RunConfig(dataset="text", layers=(LayerConfig(cell="GRU", units=6,
                                                       return_sequences=True),),
                   text=TextOptions(window_chars=20, corpus_chars=20_000, char_embedding_dim=4),
                   training=TrainingOptions(epochs=6))


def random_weights(seed=0):
    """Weights of CONFIG's model under the worker's Keras paths, without Keras."""
    rng = np.random.default_rng(seed)
    weights = {"embedding/embeddings": rng.normal(size=(TEXT_VOCABULARY_SIZE, 4)),
               "next_character/kernel": rng.normal(size=(6, TEXT_VOCABULARY_SIZE)),
               "next_character/bias": rng.normal(size=TEXT_VOCABULARY_SIZE)}
    for name, shapes in CELLS["GRU"].weight_shapes(4, 6).items():
        weights[f"gru_1/gru_cell/{name}"] = rng.normal(0, 0.6, size=shapes[0])
    return weights


def running_text_run(store):
    run_id = store.submit(CONFIG, "ada")
    store.claim(1)
    store.run_dir(run_id).mkdir(parents=True)
    return run_id


def finished_text_run(store, samples=()):
    run_id = store.submit(CONFIG, "ada")
    store.claim(1)
    folder = store.run_dir(run_id)
    folder.mkdir(parents=True)
    artifacts.write_config(folder, CONFIG)
    artifacts.write_weights(folder, random_weights())
    artifacts.write_samples(folder, list(samples))
    store.finish(run_id, "done", result={"metric": "bpc", "best_val_bpc": 3.5, "test_bpc": 3.6,
                                         "seconds_per_epoch": 1.4, "params": 1_000})
    return run_id


def shown_samples(app):
    labels = [m.value for m in app.markdown if m.value.startswith("**After epoch")]
    return labels, writing_blocks(app)


def writing_blocks(app):
    """The monospace blocks of writing (the page's own code, under "Show the code", left out)."""
    return [code.value for code in app.code if code.language != "python"]


def test_the_train_page_shows_each_epochs_sample_as_it_arrives_newest_last(store):
    run_id = running_text_run(store)
    app = open_page("train", {"run": str(run_id)})
    assert not app.exception, app.exception
    assert "The first sample appears when epoch 1 ends." in [i.value for i in app.info]
    folder = store.run_dir(run_id)
    written = [Sample(1, "e  t_ se\nrr"), Sample(2, "def se(self):\n    ret")]
    artifacts.write_samples(folder, written)
    app.run()
    assert shown_samples(app) == (["**After epoch 1**", "**After epoch 2**"],
                                  ["def e  t_ se\nrr", "def def se(self):\n    ret"])
    written += [Sample(epoch, f"text {epoch}") for epoch in range(3, 7)]
    artifacts.write_samples(folder, written)
    app.run()
    labels, texts = shown_samples(app)
    assert labels[-1] == "**After epoch 6**" and texts[-1] == "def text 6"
    assert texts == [f"def {sample.text}" for sample in written]  # the older in an expander
    assert [e.label for e in app.expander if e.label.startswith("Epoch")] == ["Epochs 1 to 2"]
    artifacts.write_samples(folder, written[:5])  # one older sample: not "Epochs 1 to 1"
    app.run()
    assert [e.label for e in app.expander if e.label.startswith("Epoch")] == ["Epoch 1"]
    assert all(b.key != f"train_generate_{run_id}" for b in app.button)  # not while training


def test_a_damaged_samples_file_is_named_for_a_run_that_has_ended(store):
    run_id = finished_text_run(store)
    (store.run_dir(run_id) / "samples.json").write_text("[{")
    app = open_page("train", {"run": str(run_id)})
    assert not app.exception, app.exception
    assert f"Run #{run_id}'s samples of writing are damaged: retrain it or delete it." in [
        w.value for w in app.warning]


@pytest.mark.parametrize("page", ["train", "runs"])
def test_a_finished_run_writes_what_the_numpy_sampler_writes(store, page):
    run_id = finished_text_run(store, [Sample(1, "ab"), Sample(2, "cd")])
    app = open_page(page, {"run": str(run_id)})
    assert not app.exception, app.exception
    assert shown_samples(app) == (["**After epoch 1**", "**After epoch 2**"], ["def ab", "def cd"])
    assert any("Low (towards 0)" in c.value for c in app.caption)
    app.text_input(key=f"{page}_prompt_{run_id}").set_value("class ")
    app.number_input(key=f"{page}_length_{run_id}").set_value(120)
    app.slider(key=f"{page}_temperature_{run_id}").set_value(1.3)
    app.button(key=f"{page}_generate_{run_id}").click().run()
    assert not app.exception, app.exception
    first = sampler.generate(CONFIG, random_weights(), "class ", 120, 1.3, seed=1)
    assert writing_blocks(app)[-1] == "class " + first.text
    assert "120 characters after the prompt, temperature 1.3, seed 1:" in [
        c.value for c in app.caption]
    app.slider(key=f"{page}_temperature_{run_id}").set_value(0.0)
    app.button(key=f"{page}_generate_{run_id}").click().run()
    greedy = sampler.generate(CONFIG, random_weights(), "class ", 120, 0.0, seed=2)
    assert writing_blocks(app)[-1] == "class " + greedy.text != writing_blocks(app)[-2]


def test_a_prompt_s_unknown_characters_are_named_and_what_the_model_made_of_them(store):
    run_id = finished_text_run(store)
    app = open_page("train", {"run": str(run_id)})
    app.button(key=f"train_generate_{run_id}").click().run()  # the default prompt, "def "
    assert not [i for i in app.info if "Not among" in i.value]
    app.text_input(key=f"train_prompt_{run_id}").set_value("héllo → wörld\t")
    app.button(key=f"train_generate_{run_id}").click().run()
    assert not app.exception, app.exception
    (said,) = [i.value for i in app.info if "Not among" in i.value]
    assert said.startswith("Not among the 96 characters it learned (the newline and printable "
                           "ASCII): é → ö \\t. It read each of them as one and the same unknown")
    written = sampler.generate(CONFIG, random_weights(), "héllo → wörld\t", 300, 0.8, seed=2)
    assert writing_blocks(app)[-1] == "héllo → wörld\t" + written.text  # written all the same


def test_damaged_weights_are_named_in_words_when_asked_to_write(store):
    """(A length out of 1..2000 never reaches the page: the box's bounds hold it in the browser,
    and the sampler refuses it in words, tests/unit/network/test_sampler.py.)"""
    run_id = finished_text_run(store)
    (store.run_dir(run_id) / "weights.npz").write_bytes(b"PK\x03\x04 cut short")
    app = open_page("runs", {"run": str(run_id)})
    app.button(key=f"runs_generate_{run_id}").click().run()
    assert not app.exception, app.exception
    assert f"Run #{run_id}'s saved weights are damaged: retrain it or delete it." in [
        e.value for e in app.error]


def test_other_runs_show_no_writing(seeded):
    app = open_page("runs", {"run": str(seeded["done"])})
    assert not app.exception
    assert not [m for m in app.markdown if "What it writes" in m.value]
