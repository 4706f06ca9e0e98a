"""The XLA compile cache a store's workers share: a compiled training step is compiled once.

A run on the XLA path (rnnlab.config.execution_path) waits for the compiler before its first
batch: 1.5-3 s on two CPU cores for the lab's models. TensorFlow can keep what it compiled in a
folder (`--tf_xla_persistent_cache_directory`) and load it the next time the same step is asked
for, so the next run of the same model (a class pressing Train on one preset, a race run again)
skips most of that wait: on the GRU of bench/paths.py, the first epoch's extra time fell from
3.0 s to 1.6 s. The supervisor starts every worker with `worker_environment`, which points
TensorFlow at `<home>/xla-cache`. Workers started as Ray jobs do without it.
"""
from __future__ import annotations

import os
from pathlib import Path

XLA_CACHE = "xla-cache"  # under the store's home


def worker_environment(home: Path) -> dict[str, str]:
    """A worker's environment: this process's, the store's home, and TensorFlow's persistent XLA
    cache in <home>/xla-cache (kept if TF_XLA_FLAGS already names a cache folder)."""
    flags = os.environ.get("TF_XLA_FLAGS", "")
    if "--tf_xla_persistent_cache_directory" not in flags:
        flags = f"{flags} --tf_xla_persistent_cache_directory={home / XLA_CACHE}".strip()
    return {**os.environ, "RNNLAB_HOME": str(home), "TF_XLA_FLAGS": flags}
