"""Keras without scikit-learn: a worker imports Keras about 0.8 s sooner.

Whenever scikit-learn is installed, Keras imports it as Keras itself is imported, only to build
its scikit-learn wrappers (keras.wrappers.SKLearnClassifier and the like). The lab never uses
them; it has scikit-learn for keras-tuner's BayesianOptimization. So every worker paid for
scikit-learn, and the part of SciPy it pulls in, as it loaded Keras: 0.8 s of the 4.4 s that
`import keras` took on two cores, in the seconds between pressing Train and the first point
(bench/worker_start.py).

`import_keras` imports Keras while `import sklearn` fails (None in sys.modules is Python's way to
say a module cannot be imported), then lets it succeed again. Keras builds its wrappers without
scikit-learn, and they raise an ImportError if anyone calls them in that process. keras-tuner,
which a search imports later, finds scikit-learn as usual.
"""
from __future__ import annotations

import sys
from types import ModuleType

SKLEARN = "sklearn"


def import_keras() -> ModuleType:
    """Import Keras (and with it TensorFlow) without scikit-learn, and return it.

    Where Keras or scikit-learn is already imported, this is a plain `import keras`.
    """
    if "keras" in sys.modules or SKLEARN in sys.modules:
        import keras
        return keras
    sys.modules[SKLEARN] = None  # type: ignore[assignment]  # `import sklearn` raises ImportError
    try:
        import keras
    finally:
        del sys.modules[SKLEARN]
    return keras
