"""How long a worker takes to load what every run needs, with Keras's scikit-learn and without.

A standby worker (rnnlab.trainer.worker --standby) loads Keras, TensorFlow and the trainer's
modules before its first run; a worker started for a run does the same before its first batch.
That import is most of the wait between a fresh server's start and the first point on the Train
page (bench/ui.py's cold Train). This starts fresh Pythons alternately, each importing what a
standby imports, either with a plain `import keras` (which loads scikit-learn with it) or through
rnnlab.trainer.keras_import (which does not), and prints the wall and CPU seconds, their ratio
and the load average. It also times `import ml_dtypes` alone, which TensorFlow imports: ml_dtypes
0.7.0 took 0.7 s of it, registering its NumPy loops, against 0.01 s for 0.6.0 (requirements.txt).

    python bench/worker_start.py [--rounds 5]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TIMED = """
import json, sys, time
wall, cpu = time.perf_counter(), time.process_time()
{load}
print(json.dumps({{"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                   "sklearn": "sklearn" in sys.modules}}))
"""
TRAINER = "from rnnlab.trainer import gradients, training"
WAYS = {
    "plain `import keras`": f"import keras\n{TRAINER}",
    "keras_import.import_keras()": "from rnnlab.trainer.keras_import import import_keras\n"
                                   f"import_keras()\n{TRAINER}",
    "`import ml_dtypes` alone": "import ml_dtypes",
}


def timed(load: str) -> dict:
    """Run `load` in a fresh Python from the project's root; its wall and CPU seconds."""
    done = subprocess.run([sys.executable, "-c", TIMED.format(load=load)], cwd=ROOT, check=True,
                          capture_output=True, text=True,
                          env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="fresh Pythons per way")
    rounds = parser.parse_args().rounds
    import ml_dtypes  # noqa: PLC0415  (only to name its version)

    print(f"ml_dtypes {ml_dtypes.__version__}; {rounds} rounds, the ways alternating")
    results: dict[str, list[dict]] = {way: [] for way in WAYS}
    for round_number in range(rounds):
        for way, load in WAYS.items():
            result = timed(load)
            results[way].append(result)
            print(f"  round {round_number + 1} {way:28} wall {result['wall']:.2f} s "
                  f"cpu {result['cpu']:.2f} s scikit-learn loaded: {result['sklearn']} "
                  f"(load {os.getloadavg()[0]:.2f})", flush=True)
    medians = {way: {key: statistics.median(r[key] for r in rows) for key in ("wall", "cpu")}
               for way, rows in results.items()}
    for way, median in medians.items():
        print(f"{way:28} median wall {median['wall']:.2f} s, cpu {median['cpu']:.2f} s")
    plain, lean = (medians[way]["wall"] for way in list(WAYS)[:2])
    print(f"without scikit-learn / plain: {lean / plain:.2f} of the wall time "
          f"({plain - lean:.2f} s less)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
