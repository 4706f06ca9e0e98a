"""A page's cost must not grow with the class's runs where it need not: no page opens the run
store once per run. Opening a Store checks the database's schema (a connection of its own, about
0.6 ms on two cores): the Vanishing gradients page opened one per run to look for its gradient
records, and the Inside page one per finished run to look for its weights, 0.5 s of each page
run on a class's 300 runs."""
import pytest

from rnnlab.jobs.store import Store
from tests.app.conftest import imdb_config, open_page

RESULT = {"metric": "accuracy", "best_val_accuracy": 0.8, "test_accuracy": 0.8,
          "seconds_per_epoch": 1.0, "params": 10}
PAGES = ["home", "data", "build", "train", "runs", "inside", "gradients", "race", "tune"]


@pytest.mark.parametrize("page", PAGES)
def test_a_page_opens_the_store_as_often_for_many_runs_as_for_few(page, store, data_dir,
                                                                 monkeypatch):
    opened, open_store = [], Store.__init__

    def counted(self, *args, **kwargs):
        opened.append(self)
        open_store(self, *args, **kwargs)

    def page_opens(finished: int) -> int:
        """Add `finished` done runs to the store, then count the Stores one page run opens."""
        for _ in range(finished):
            store.submit(imdb_config(seed=100 + len(store.list())), "ada")
            store.claim(100)
        for run in store.list(status="running"):
            store.finish(run.id, "done", result=RESULT)
        opened.clear()
        app = open_page(page)
        assert not app.exception, app.exception
        return len(opened)

    monkeypatch.setattr(Store, "__init__", counted)
    assert page_opens(2) == page_opens(10)
