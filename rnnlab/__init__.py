"""RNN Lab: a library for teaching recurrent neural networks (SimpleRNN, LSTM, GRU).

The package is importable without TensorFlow: configs, dataset catalogues, the analytic model
summary and the plots all work in the web process. Only `rnnlab.trainer.models` and `rnnlab.trainer.training`
(the code that builds and fits Keras models) import Keras, and they run in worker processes or in
the command line trainer (`python -m rnnlab train`).
"""

from pathlib import Path

# The project folder (app.py, datasets/, runs/): where worker processes start and data is kept.
PROJECT_ROOT = Path(__file__).resolve().parents[1]
