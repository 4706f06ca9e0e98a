"""How fast the Inside-the-cell page recomputes a model in NumPy (the web process has no TensorFlow).

For the book's IMDB setup (10,000 words, 500 tokens, Embedding(32)) with a 2-layer stack of each
cell (32 units), it times, over repeated calls:

- trace: one 500-token review through both layers, every gate and state kept (target < 0.5 s);
- predict: 100 reviews, the final prediction only (the page's right/wrong filter);
- saturation: the gates of layer 2 over 100 reviews (the saturation scatter);

and, side by side in the same run, Keras's own model.predict on the same review for scale.
The weights are seeded random ones of the real Keras model, saved as the worker saves them.

    python bench/gates.py [--repeats 20]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from rnnlab.config import LayerConfig, RunConfig  # noqa: E402
from rnnlab.network import replay  # noqa: E402


def timed(function, repeats: int) -> float:
    """Median seconds of `repeats` calls (after one warm-up call)."""
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    from rnnlab.trainer.models import build_model

    rng = np.random.default_rng(0)
    reviews = rng.integers(1, 10_000, size=(100, 500))
    print(f"{'model':<34}{'trace 1 review':>16}{'predict 100':>13}{'saturation 100':>16}"
          f"{'keras predict 1':>17}")
    for cell in ("SimpleRNN", "LSTM", "GRU"):
        config = RunConfig(layers=(LayerConfig(cell=cell, return_sequences=True),
                                   LayerConfig(cell=cell)))
        model = build_model(config)
        weights = {w.path: np.asarray(w.numpy()) for w in model.weights}
        trace = timed(lambda: replay.trace(config, weights, reviews[0]), args.repeats)
        predict = timed(lambda: replay.predict(config, weights, reviews), max(3, args.repeats // 5))
        saturation = timed(lambda: replay.saturation(config, weights, reviews, layer=2),
                           max(3, args.repeats // 5))
        keras_one = timed(lambda: model.predict(reviews[:1], verbose=0), args.repeats)
        print(f"{config.label():<34}{trace * 1000:>13.1f} ms{predict * 1000:>10.0f} ms"
              f"{saturation * 1000:>13.0f} ms{keras_one * 1000:>14.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
