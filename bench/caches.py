"""What the data caches save: the first load of IMDB and of the Jena record against the second.

The first load parses the source (IMDB: tokenizes every review; Jena: parses every CSV row and
its date) and writes the processed arrays to the cache folder; the second reads only the cache.
Both are timed in a fresh cache folder, side by side, with their ratio. (The unit tests check
that the second load reads the cache and parses nothing; how long each takes is measured here.)

- IMDB: the real reviews when RNNLAB_DATA_DIR holds aclImdb*.tar.gz or imdb.npz (and the word
  index), else `--reviews` generated ones in the Stanford layout;
- Jena: a generated record of `--days` days in the real file's format (the real one is 2,920
  days, 420,551 rows), since the real file is not among the shared data.

    RNNLAB_DATA_DIR=../shared/data python bench/caches.py [--days 730] [--reviews 5000]
"""
from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from rnnlab.config.catalog import JENA_COLUMNS  # noqa: E402
from rnnlab.data import imdb, jena, paths  # noqa: E402

WORDS = ["the", "movie", "was", "great", "bad", "plot", "acting", "boring", "loved", "it"]


def first_and_second(load) -> tuple[float, float]:
    """Seconds of `load()` with an empty cache folder, then again with the cache it wrote."""
    os.environ["RNNLAB_CACHE_DIR"] = tempfile.mkdtemp(prefix="rnnlab-caches-")
    seconds = []
    for _ in range(2):
        start = time.perf_counter()
        load()
        seconds.append(time.perf_counter() - start)
    return seconds[0], seconds[1]


def generated_imdb(folder: Path, reviews: int) -> None:
    """`reviews` short reviews per split in the Stanford tarball layout, and a word index."""
    rng = np.random.default_rng(0)
    (folder / "imdb_word_index.json").write_text(json.dumps(
        {word: rank for rank, word in enumerate(WORDS, start=1)}))
    with tarfile.open(folder / "aclImdb_v1.tar.gz", "w:gz") as tar:
        for split in ("train", "test"):
            for number in range(reviews):
                label, rating = ("pos", 8) if number % 2 else ("neg", 2)
                text = " ".join(rng.choice(WORDS, size=200)).encode()
                info = tarfile.TarInfo(f"aclImdb/{split}/{label}/{number}_{rating}.txt")
                info.size = len(text)
                tar.addfile(info, io.BytesIO(text))


def generated_jena(folder: Path, days: int) -> int:
    """A Jena CSV of `days` days, one row every 10 minutes, as the real file writes it; its rows."""
    rows = days * 144
    rng = np.random.default_rng(0)
    times = pd.date_range("2009-01-01 00:10:00", periods=rows, freq="10min")
    values = 10 + rng.normal(size=(rows, len(JENA_COLUMNS)))
    header = ",".join(f'"{name}"' for name in ("Date Time", *JENA_COLUMNS))
    body = pd.DataFrame(values).round(2).astype(str).agg(",".join, axis=1)
    dates = pd.Series(times.strftime("%d.%m.%Y %H:%M:%S"))
    (folder / jena.JENA_CSV).write_text("\n".join([header, *(dates + "," + body)]))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=730, help="days of the generated Jena record")
    parser.add_argument("--reviews", type=int, default=5000,
                        help="generated reviews per split when no real IMDB files are found")
    args = parser.parse_args()
    figures = []

    if paths.find_file("imdb.npz", "aclImdb", "aclImdb*.tar.gz") is not None:
        what = f"IMDB, real ({paths.find_file('imdb.npz', 'aclImdb', 'aclImdb*.tar.gz').name})"
    else:
        os.environ["RNNLAB_DATA_DIR"] = tempfile.mkdtemp(prefix="rnnlab-imdb-")
        generated_imdb(Path(os.environ["RNNLAB_DATA_DIR"]), args.reviews)
        what = f"IMDB, {2 * args.reviews:,} generated reviews"
    figures.append((what, *first_and_second(imdb.load_corpus)))

    os.environ["RNNLAB_DATA_DIR"] = tempfile.mkdtemp(prefix="rnnlab-jena-")
    rows = generated_jena(Path(os.environ["RNNLAB_DATA_DIR"]), args.days)
    figures.append((f"Jena, {rows:,} generated rows", *first_and_second(jena.read_jena)))

    print(f"{'':<36}{'first load':>12}{'second load':>13}{'first/second':>14}")
    for what, first, second in figures:
        print(f"{what:<36}{first:>10.2f} s{second:>11.3f} s{first / second:>13.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
