"""The first IMDB preparation, before and after issue 18's faster tokenizer, side by side.

The first load_corpus() reads every raw Stanford review, tokenizes it and writes the token cache
(later loads read only the cache). This times that first load, alternately, with the loader as it
was before issue 18 (rnnlab/data/imdb.py at commit BEFORE, read from git) and the current one,
each in a fresh cache folder, checks that both give the same arrays, and prints the seconds, their
ratio and the load average beside them (two shared cores make single timings noisy). The current
one also reports its progress; the bench prints how many reports came and the largest gap
between two, which should stay near imdb.PROGRESS_SECONDS.

    RNNLAB_DATA_DIR=../shared/data python bench/imdb_prep.py [--rounds 2]
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from rnnlab.data import imdb  # noqa: E402

BEFORE = "b7cc32c"  # the last commit with the review-by-review tokenizer


def loader_before(folder: Path):
    """rnnlab.data.imdb as it was at BEFORE, imported from git under another name (its file is
    written in `folder`)."""
    source = subprocess.run(["git", "show", f"{BEFORE}:rnnlab/data/imdb.py"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    (folder / "imdb_before.py").write_text(source)
    spec = importlib.util.spec_from_file_location("imdb_before", folder / "imdb_before.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def first_load(load, folder: Path) -> tuple[float, float, object]:
    """Wall and CPU seconds of `load()` in a new empty cache folder in `folder`, and its result.

    On a busy machine the wall time mostly says how long the process waited for a core; the CPU
    time (this process's, os.times) is the work done, and compares far more steadily.
    """
    os.environ["RNNLAB_CACHE_DIR"] = tempfile.mkdtemp(dir=folder)
    start, cpu = time.perf_counter(), time.process_time()
    corpus = load()
    return time.perf_counter() - start, time.process_time() - cpu, corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="alternations of before and after")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="imdb-prep-") as scratch:  # ~45 MB a cache
        before = loader_before(Path(scratch))
        print(f"source: {imdb.paths.find_file(*imdb.REVIEW_SOURCES)}")
        print(f"{'round':>5}  {'before s (CPU)':>15}  {'after s (CPU)':>14}  {'ratio (CPU)':>12}  "
              f"{'reports':>7}  {'max gap s':>9}  load average (1, 5 min)")
        for round_ in range(1, args.rounds + 1):
            old_seconds, old_cpu, old = first_load(before.load_corpus, Path(scratch))
            calls = []
            new_seconds, new_cpu, new = first_load(lambda: imdb.load_corpus(
                progress=lambda fraction, words: calls.append((time.perf_counter(), fraction))),
                Path(scratch))
            for name in imdb.CACHE_ARRAYS:
                a, b = getattr(old, name), getattr(new, name)
                assert a.dtype == b.dtype and np.array_equal(a, b), f"{name} differs"
            gaps = np.diff([t for t, _ in calls]) if len(calls) > 1 else np.zeros(1)
            load1, load5, _ = os.getloadavg()
            print(f"{round_:>5}  {old_seconds:>6.2f} ({old_cpu:>5.2f})  "
                  f"{new_seconds:>6.2f} ({new_cpu:>5.2f})  "
                  f"{old_seconds / new_seconds:>4.1f}x ({old_cpu / new_cpu:>3.1f}x)  "
                  f"{len(calls):>7}  {gaps.max():>9.2f}  {load1:.2f}, {load5:.2f}")
        print("The arrays of both loaders are identical in every round.")


if __name__ == "__main__":
    main()
