"""The lab's datasets as Keras inputs: padded review matrices and tf.data pipelines of windows.

rnnlab.data loads every dataset as NumPy and imports no TensorFlow, so the web process can read
it. Two datasets need one more step before model.fit, and Keras's own utilities do it, so it
happens here, in the trainer:

- IMDB reviews have different lengths, but a model reads a (reviews, maxlen) matrix.
  keras.utils.pad_sequences cuts every review to its *last* maxlen tokens and pads shorter ones
  with 0 in front (its defaults, padding="pre", truncating="pre"), so the most recent token
  always sits at the last timestep, where a recurrent layer's final state is read:

      maxlen 4:   [1, 9, 5]           -> [0, 1, 9, 5]
                  [1, 4, 6, 7, 8, 5]  -> [6, 7, 8, 5]

- weather windows overlap almost entirely (window i + 1 is window i moved one row), so building
  them all at once would take L times the record's memory. keras.utils.timeseries_dataset_from_array
  cuts them batch by batch from the normalized record, in a tf.data.Dataset.
"""
from __future__ import annotations

import keras
import numpy as np

from rnnlab.data.weather import WeatherData


def padded_reviews(reviews: list[np.ndarray], maxlen: int) -> np.ndarray:
    """Reviews of any length as one int32 matrix, each cut or padded in front to `maxlen`.

    Args:
        reviews: id arrays, e.g. rnnlab.data.imdb.ImdbData.x_train.
        maxlen: the timesteps the model reads.
    Returns:
        An int32 array of shape (len(reviews), maxlen).
    """
    return keras.utils.pad_sequences(reviews, maxlen=maxlen, dtype="int32")


def weather_dataset(data: WeatherData, split: str, batch_size: int, shuffle: bool = False,
                    seed: int | None = None):
    """The windows of a split as a batched tf.data.Dataset of (x, y), for model.fit.

    keras.utils.timeseries_dataset_from_array does the windowing: a window starts at every row
    from `start_index` on, reads every `sampling_rate`-th row, and is paired with
    `targets[start]`. Shifting the target column by span_rows makes that pairing ours.

    Args:
        data: the loaded record (rnnlab.data.weather.load_weather).
        split: "train", "val" or "test".
        batch_size: windows per batch.
        shuffle: draw windows in random order (training) instead of chronologically.
        seed: the shuffle's seed, for repeatable runs.
    Returns:
        A dataset of (float32 (batch, sequence_length, features), float32 (batch,)) pairs, the
        same windows in the same order as `data.arrays(split)` when shuffle is False.
    Raises:
        ValueError: the split is unknown.
    """
    starts = data.window_starts(split)
    targets = data.values[data.span_rows:, data.target_index]  # targets[i] belongs to window i
    return keras.utils.timeseries_dataset_from_array(
        data.values, targets,
        sequence_length=data.sequence_length,
        sampling_rate=data.step_rows,
        batch_size=batch_size,
        shuffle=shuffle,
        seed=seed,
        start_index=int(starts[0]),
        # The last window starts at starts[-1] and reads up to (L - 1) s rows further.
        end_index=int(starts[-1]) + (data.sequence_length - 1) * data.step_rows + 1,
    )
