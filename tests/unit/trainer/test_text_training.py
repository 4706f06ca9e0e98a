"""The language model's lesson holds on the offline corpus: the quick preset, trained for its
whole budget, ends below both counting models (it has learned more than letter frequencies and
more than one character of memory)."""
from rnnlab.config.presets import PRESETS
from rnnlab.trainer.training import train


def test_the_quick_preset_writes_better_than_counting_letters():
    config = PRESETS["text-quick"].config
    assert (config.layers[0].cell, config.layers[0].units, config.text.corpus) == (
        "GRU", 16, "python")
    _, result = train(config)
    curve = result["history"]["val_bpc"]
    assert len(curve) == config.training.epochs
    assert curve[0] < result["unigram_val_bpc"]          # below the unigram after one epoch
    assert result["final_val_bpc"] < result["bigram_val_bpc"] - 0.2
    assert result["test_bpc"] < result["bigram_test_bpc"]
    assert 4.0 < result["unigram_val_bpc"] < 5.0 and 3.0 < result["bigram_val_bpc"] < 4.0
