"""How training reports: the CurveWriter's rows from Keras's logs (throttled batch rows, epoch rows,
counting across fits, the divergence and cancel checks) and the Outbox writing to a real store."""
import math
import threading
import time
import types

import numpy as np
import pytest

from rnnlab.config import RunConfig
from rnnlab.jobs.store import Store
from rnnlab.trainer import reporting
from rnnlab.trainer.reporting import (
    Cancelled,
    CurveWriter,
    Diverged,
    Outbox,
    epoch_printer,
    keras_callback,
)
from tests.waiting import wait_for


class FakeOutbox:
    """What a CurveWriter needs of an outbox: put(rows) and a cancel event."""

    def __init__(self):
        self.rows, self.cancel = [], threading.Event()

    def put(self, rows):
        self.rows.extend(rows)


@pytest.fixture
def clock(monkeypatch):
    """The writer's monotonic clock, set by the test: clock.now = 100.25."""
    fake = types.SimpleNamespace(now=1000.0)
    fake.monotonic = lambda: fake.now
    monkeypatch.setattr(reporting, "time", fake)
    return fake


def test_batch_rows_are_the_loss_and_metric_at_most_every_quarter_second(clock):
    outbox = FakeOutbox()
    writer = CurveWriter(outbox, "accuracy")
    for now, loss in [(1000.0, 0.9), (1000.1, 0.8), (1000.25, 0.7), (1000.3, 0.6), (1000.6, 0.5)]:
        clock.now = now
        writer.batch({"loss": loss, "accuracy": 1 - loss, "precision": 0.3})
    assert reporting.BATCH_ROW_SECONDS == 0.25
    assert outbox.rows == [  # batches 1, 3 and 5: 2 and 4 came too soon after the last row
        ("batch", 1, 1, "loss", 0.9), ("batch", 1, 1, "accuracy", pytest.approx(0.1)),
        ("batch", 3, 1, "loss", 0.7), ("batch", 3, 1, "accuracy", pytest.approx(0.3)),
        ("batch", 5, 1, "loss", 0.5), ("batch", 5, 1, "accuracy", pytest.approx(0.5))]
    assert (writer.step, writer.batch_in_epoch, writer.epochs_done) == (5, 5, 0)


def test_a_batch_row_holds_only_the_values_keras_reported(clock):
    outbox = FakeOutbox()
    CurveWriter(outbox, "mae").batch({"loss": 2.5})
    assert outbox.rows == [("batch", 1, 1, "loss", 2.5)]


def test_epoch_rows_carry_every_value_and_the_seconds(clock):
    outbox = FakeOutbox()
    writer = CurveWriter(outbox, "mae")
    for _ in range(4):
        writer.batch({"loss": 1.0, "mae": 0.8})
    outbox.rows.clear()
    writer.epoch({"loss": 0.9, "mae": 0.75, "val_loss": 1.1, "val_mae": 0.85}, seconds=2.5)
    assert outbox.rows == [("epoch", 4, 1, "loss", 0.9), ("epoch", 4, 1, "mae", 0.75),
                           ("epoch", 4, 1, "val_loss", 1.1), ("epoch", 4, 1, "val_mae", 0.85),
                           ("epoch", 4, 1, "seconds", 2.5)]
    assert writer.epochs == [{"epoch": 1, "loss": 0.9, "mae": 0.75, "val_loss": 1.1,
                              "val_mae": 0.85, "seconds": 2.5}]
    assert (writer.epochs_done, writer.batch_in_epoch) == (1, 0)
    assert all(type(row[4]) is float for row in outbox.rows)  # NumPy scalars become floats


def test_steps_and_epochs_keep_counting_across_the_fits_of_a_search(clock):
    outbox = FakeOutbox()
    writer = CurveWriter(outbox, "accuracy")
    for fit_epochs in (2, 1):  # one trial of 2 epochs, then one of 1, with the same writer
        for _ in range(fit_epochs):
            for _ in range(3):
                clock.now += 1
                writer.batch({"loss": 0.5})
            writer.epoch({"loss": 0.5})
    assert (writer.step, writer.epochs_done) == (9, 3)
    assert [(kind, step, epoch) for kind, step, epoch, _, _ in outbox.rows if kind == "epoch"] == [
        ("epoch", 3, 1), ("epoch", 6, 2), ("epoch", 9, 3)]
    assert [step for kind, step, _, _, _ in outbox.rows if kind == "batch"] == list(range(1, 10))
    batch_epochs = [epoch for kind, _, epoch, _, _ in outbox.rows if kind == "batch"]
    assert batch_epochs == [1, 1, 1, 2, 2, 2, 3, 3, 3]


@pytest.mark.parametrize("loss", [math.nan, math.inf, -math.inf])
def test_a_loss_that_is_not_finite_stops_training_with_advice(clock, loss):
    outbox = FakeOutbox()
    writer = CurveWriter(outbox, "accuracy")
    for _ in range(3):
        writer.batch({"loss": 0.7})
    writer.epoch({"loss": 0.7})
    writer.batch({"loss": 0.8})
    outbox.rows.clear()
    with pytest.raises(Diverged) as caught:
        writer.batch({"loss": np.float32(loss)})
    assert str(caught.value) == (
        f"The loss became {float(loss)} in epoch 2, batch 2: the weights blew up. Lower the "
        "learning rate (e.g. ten times) or use tanh instead of relu.")
    assert outbox.rows == []  # the bad value is never drawn


def test_a_cancel_request_stops_training_at_the_next_batch(clock):
    outbox = FakeOutbox()
    writer = CurveWriter(outbox, "accuracy")
    writer.batch({"loss": 0.7})
    writer.check_cancel()  # nothing asked yet
    outbox.cancel.set()
    with pytest.raises(Cancelled):
        writer.batch({"loss": 0.6})
    with pytest.raises(Cancelled):
        writer.check_cancel()


def test_a_search_chooses_its_own_exceptions(clock):
    class TrialDiverged(Exception):
        pass

    class SearchCancelled(Exception):
        pass

    outbox = FakeOutbox()
    writer = CurveWriter(outbox, "accuracy", cancelled=SearchCancelled, diverged=TrialDiverged)
    with pytest.raises(TrialDiverged, match="The loss became nan in epoch 1, batch 1"):
        writer.batch({"loss": math.nan})
    outbox.cancel.set()
    with pytest.raises(SearchCancelled):
        writer.batch({"loss": 0.5})


def test_the_keras_callback_feeds_the_writer_during_fit():
    import keras

    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    x, y = np.ones((8, 3), dtype="float32"), np.zeros((8,), dtype="float32")
    outbox = FakeOutbox()
    writer = CurveWriter(outbox, "mae")
    model.fit(x, y, batch_size=4, epochs=2, validation_data=(x, y), verbose=0,
              callbacks=[keras_callback(writer)])
    assert (writer.step, writer.epochs_done) == (4, 2)  # 8 examples / 4 = 2 batches, 2 epochs
    assert [sorted(epoch) for epoch in writer.epochs] == [
        ["epoch", "loss", "mae", "seconds", "val_loss", "val_mae"]] * 2
    assert all(epoch["seconds"] > 0 for epoch in writer.epochs)
    assert [row[1:3] for row in outbox.rows if row[0] == "epoch" and row[3] == "loss"] == [
        (2, 1), (4, 2)]


def test_the_epoch_printer_prints_loss_and_metric_of_training_and_validation(capsys):
    printer = epoch_printer("mae")
    printer.set_params({"epochs": 3})
    printer.on_epoch_end(0, {"loss": 0.123456, "mae": 0.3, "val_loss": 0.25, "val_mae": 0.41,
                             "learning_rate": 0.001})
    printer.on_epoch_end(2, {"loss": 0.1})
    assert capsys.readouterr().out.splitlines() == [
        "epoch 1/3  loss 0.1235  mae 0.3000  val_loss 0.2500  val_mae 0.4100",
        "epoch 3/3  loss 0.1000"]


# -- the outbox, on a real store -----------------------------------------------------------------


@pytest.fixture
def claimed(tmp_path):
    store = Store(tmp_path)
    run_id = store.submit(RunConfig(), "ada")
    store.claim(1)
    return store, run_id


def test_flush_writes_the_queued_rows_once(claimed):
    store, run_id = claimed
    outbox = Outbox(store, run_id)
    outbox.put([("batch", 1, 1, "loss", 0.9), ("batch", 1, 1, "accuracy", 0.5)])
    outbox.put([("epoch", 2, 1, "val_loss", 0.7)])
    assert store.metrics_since(run_id) == []  # queued, not written: training never waits
    outbox.flush()
    outbox.flush()  # nothing new: nothing written twice
    assert [(m.kind, m.step, m.epoch, m.name, m.value) for m in store.metrics_since(run_id)] == [
        ("batch", 1, 1, "loss", 0.9), ("batch", 1, 1, "accuracy", 0.5),
        ("epoch", 2, 1, "val_loss", 0.7)]


def test_the_running_outbox_writes_beats_and_hears_a_cancel(claimed):
    store, run_id = claimed
    claimed_beat = store.get(run_id).heartbeat
    outbox = Outbox(store, run_id)
    outbox.start()
    try:
        outbox.put([("batch", 1, 1, "loss", 0.9)])
        wait_for(lambda: store.metrics_since(run_id), 10)
        wait_for(lambda: store.get(run_id).heartbeat > claimed_beat, 10)
        assert not outbox.cancel.is_set()
        store.request_cancel(run_id)
        wait_for(outbox.cancel.is_set, 10)
        outbox.put([("epoch", 1, 1, "loss", 0.8)])
    finally:
        outbox.close()
    assert not outbox.is_alive()
    assert [(m.kind, m.value) for m in store.metrics_since(run_id)] == [("batch", 0.9),
                                                                        ("epoch", 0.8)]


def test_the_runs_first_rows_are_written_at_once_and_later_ones_at_the_outboxs_pace(claimed,
                                                                                 monkeypatch):
    """The first point after Train does not wait out FLUSH_SECONDS; the rows after it do."""
    monkeypatch.setattr(reporting, "FLUSH_SECONDS", 60.0)
    store, run_id = claimed
    outbox = Outbox(store, run_id)
    outbox.start()
    try:
        outbox.put([("batch", 1, 1, "loss", 0.9)])
        wait_for(lambda: store.metrics_since(run_id), 10)  # not 60 s
        outbox.put([("batch", 2, 1, "loss", 0.8)])
        time.sleep(0.5)
        assert len(store.metrics_since(run_id)) == 1  # queued until the next turn (or the close)
    finally:
        outbox.close()
    assert not outbox.is_alive()
    assert [m.value for m in store.metrics_since(run_id)] == [0.9, 0.8]
