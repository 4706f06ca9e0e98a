"""NumPy, imported the first time it is used: `from rnnlab.numpy_on_demand import np`.

A fresh server's first page waits for every module its script imports, and the Home page's path
reaches modules that compute in NumPy though the Home page computes nothing: the cell registry
(for the config's allowed cells and the presets' parameter counts), the dataset modules (for their
files' names) and the run's files (for the supervisor). NumPy's import, which also starts
OpenBLAS's threads, cost a fresh server's first page 0.2 s on two cores: without it (and with the
tab's icon set after the page, app.py) the page was drawn in 2.14 s against 2.35 s, 10 alternating
starts each (bench/ui.py's cold start). So those modules take `np` from here: a stand-in that
imports NumPy at the first attribute asked of it (`np.tanh`, `np.ndarray`) and from then on keeps
each attribute it has handed out, so that a later `np.tanh` costs what a module's attribute does.
A module on that path must not use `np` at import time (in a constant or a type alias), or it
imports NumPy after all; `tests/app/test_home.py` checks that the Home page loads none.

The standard library's `importlib.util.LazyLoader` does not do this job here: under Python 3.11 the
import system reads a lazy module's `__spec__` at the next `import numpy`, which loads it, and a
lazy module in `sys.modules` is found by plotly, which loads it while the lab builds its chart
template.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any


class OnDemand:
    """Stands in for the module `name`, which is imported at the first attribute asked of it."""

    def __init__(self, name: str):
        self._module_name = name

    def __getattr__(self, attribute: str) -> Any:
        """Called for an attribute not yet kept: import the module, hand it out, keep it."""
        value = getattr(importlib.import_module(self._module_name), attribute)
        setattr(self, attribute, value)
        return value

    def __repr__(self) -> str:
        return f"<{self._module_name}, imported on first use>"


if TYPE_CHECKING:  # type checkers and editors see NumPy itself
    import numpy as np
else:
    np = OnDemand("numpy")
