"""The web process imports NumPy at the first page that computes, not before a fresh server's Home.

The Home page computes nothing in NumPy, but its script imports modules that do (the cell
registry, the dataset modules, the run's files: `import numpy as np` at their top), and Streamlit
imports NumPy to read the tab's icon, even one given as a ready `data:` URL that it hands on
untouched. A fresh server's first page waits for every module its script imports, and NumPy's
import (0.09 s of CPU here, holding Python's GIL) is the largest of them.

So `defer()` puts a stand-in for NumPy where Python looks first for an imported module
(`sys.modules`). An `import numpy as np` then binds the stand-in and costs nothing. The first
attribute asked of it (`np.tanh`, `np.ndarray`) imports NumPy, under a lock, so that two pages
asking at once import it once; from then on the stand-in holds every name NumPy has, at a module
attribute's cost, and `sys.modules` holds NumPy itself. `load()` does the same on purpose: app.py
calls it before every page but Home, so a page that computes never meets the stand-in. Nor must
the Home page's path use `np` at import time (in a constant, a type alias) or import a submodule
(`import numpy.linalg` asks the stand-in for its `__path__`, which imports NumPy and then the
submodule's package a second time): `tests/unit/ui/test_numpy_after_home.py` checks that the
first page's modules leave NumPy unimported, and `tests/app/test_home.py` that the Home page does.

The standard library's `importlib.util.LazyLoader` cannot do this under Python 3.11: the import
system reads a lazy module's `__spec__` at the next `import numpy`, which loads it. The stand-in
keeps `__spec__` and `__file__` as plain attributes for that reason: Python's import and
`inspect.stack()` (which Streamlit calls before a page's first element, and which reads the file
of every module loaded) read them without importing NumPy.

Only the web process defers: serve.py and app.py call `defer()` once Streamlit is imported (whose
plotly theme asks `sys.modules` whether NumPy is there, and uses it if so). The supervisor and
the workers import NumPy as usual.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types

NAME = "numpy"
_importing = threading.RLock()


class _StandIn(types.ModuleType):
    """NumPy before it is imported: the first attribute asked of it imports it (load)."""

    def __getattr__(self, attribute: str):
        return getattr(load(), attribute)


def defer() -> None:
    """Put the stand-in in sys.modules, unless NumPy is imported already (e.g. under tests)."""
    with _importing:
        if NAME in sys.modules:
            return
        spec = importlib.util.find_spec(NAME)
        stand_in = _StandIn(NAME)
        stand_in.__spec__, stand_in.__file__ = spec, spec.origin
        sys.modules[NAME] = stand_in


def deferred() -> bool:
    """Whether NumPy is still only the stand-in."""
    return isinstance(sys.modules.get(NAME), _StandIn)


def load() -> types.ModuleType:
    """Import NumPy now if it is still deferred (once, whichever thread asks first); return it."""
    with _importing:
        stand_in = sys.modules.get(NAME)
        if isinstance(stand_in, _StandIn):
            del sys.modules[NAME]
            vars(stand_in).update(vars(importlib.import_module(NAME)))  # it answers as NumPy
        return importlib.import_module(NAME)
