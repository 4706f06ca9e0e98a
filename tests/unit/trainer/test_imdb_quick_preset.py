"""The "Start here" preset teaches on the real reviews: imdb-quick trained as the worker trains it.

It must pass 0.78 best validation accuracy (seeds 1 and 2 reached 0.864 and 0.858) and judge a
clearly negative and a clearly positive typed review the right way, read the way the Inside page
reads a typed review (rnnlab.lessons.inside.typed_review_input, then the NumPy replay of the saved
weights, rnnlab.network.replay.predict). About 20 s of training on two CPU cores.
"""
import numpy as np
import pytest

from rnnlab.config.presets import PRESETS
from rnnlab.data import imdb, paths
from tests.conftest import REAL_DATA_DIR

NEGATIVE = "Terrible. Boring plot, awful acting, a waste of time. I hated it."
POSITIVE = "A wonderful film with brilliant acting and a beautiful story. I loved it."


def real_imdb_files() -> bool:
    """Whether RNNLAB_DATA_DIR holds the reviews and the word index (without downloading)."""
    if not REAL_DATA_DIR:
        return False
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RNNLAB_DATA_DIR", REAL_DATA_DIR)
        return bool(paths.find_file(*imdb.REVIEW_SOURCES)
                    and paths.find_file(imdb.WORD_INDEX_FILE))


@pytest.mark.skipif(not real_imdb_files(),
                    reason="RNNLAB_DATA_DIR does not hold the IMDB reviews and word index "
                           "(CI points it at ../shared/data)")
def test_imdb_quick_passes_078_and_judges_typed_reviews(monkeypatch):
    from rnnlab.lessons.inside import typed_review_input
    from rnnlab.network import replay
    from rnnlab.trainer.training import train

    monkeypatch.setenv("RNNLAB_DATA_DIR", REAL_DATA_DIR)
    config = PRESETS["imdb-quick"].config
    model, result = train(config)
    assert result["best_val_accuracy"] >= 0.78, result["history"]["val_accuracy"]
    weights = {w.path: np.asarray(w.numpy()) for w in model.weights}  # as the worker saves them
    word_index = imdb.load_word_index()
    reviews = [typed_review_input(text, config, word_index).sequence
               for text in (NEGATIVE, POSITIVE)]
    negative, positive = replay.predict(config, weights, np.array(reviews))
    assert negative < 0.3 and positive > 0.7, (negative, positive)
