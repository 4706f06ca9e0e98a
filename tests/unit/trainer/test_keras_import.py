"""rnnlab.trainer.keras_import: a worker's Keras loads without scikit-learn, and a search still
finds scikit-learn for keras-tuner's BayesianOptimization. The case runs in a fresh Python, where
nothing has imported Keras or scikit-learn yet."""
import json
import subprocess
import sys

from rnnlab import PROJECT_ROOT

PROBE = """
import json, sys
from rnnlab.trainer.keras_import import import_keras

keras = import_keras()
facts = {"keras": "keras" in sys.modules, "sklearn after keras": "sklearn" in sys.modules}
try:
    keras.wrappers.SKLearnClassifier(model=None)
    facts["wrapper"] = "built"
except ImportError as err:
    facts["wrapper"] = str(err)
from keras_tuner.src.tuners.bayesian import BayesianOptimizationOracle

BayesianOptimizationOracle(objective="val_loss", max_trials=1)  # raises without scikit-learn
facts["sklearn after the oracle"] = "sklearn.gaussian_process" in sys.modules
print(json.dumps(facts))
"""


def test_keras_loads_without_sklearn_and_keras_tuner_still_finds_it():
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    facts = json.loads(done.stdout.strip().splitlines()[-1])
    assert facts["keras"] and not facts["sklearn after keras"]
    # Keras's own scikit-learn wrappers, which the lab never uses, say what they miss
    assert "requires `scikit-learn`" in facts["wrapper"]
    assert facts["sklearn after the oracle"]
