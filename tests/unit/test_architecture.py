"""The architecture's rules, checked on the source tree: every module's imports read with `ast`.

Five rules (docs/ARCHITECTURE.md says why the lab is built this way):

1. no import circle among the project's modules;
2. TensorFlow, Keras and keras-tuner are imported only under rnnlab/trainer/;
3. Streamlit is imported only under rnnlab/ui/ (and by the pages and app.py);
4. no module takes another module's private (_underscore) name;
5. no module over 400 lines, no page over 150.

Each rule is a function that returns its offences as sentences, tried twice: on the project,
where it must find none, and on a tiny fake tree that breaks it, where it must find exactly the
breakage (a check that cannot fail guards nothing). The places a rule allows are folders, not
lists of modules, so a new module is checked the day it is written.
"""
from __future__ import annotations

from pathlib import Path

from tests.import_graph import attribute_uses, imports, is_in, line_count, sources

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("tensorflow", "keras", "keras_tuner")
TRAINER, UI = "rnnlab/trainer", "rnnlab/ui"
MAX_MODULE_LINES, MAX_PAGE_LINES = 400, 150


# -- the rules ------------------------------------------------------------------------------------


def import_cycles(root: Path) -> list[str]:
    """Each circle of imports among the project's modules, e.g. "a -> b -> a (where each is)"."""
    modules = sources(root)
    edges: dict[str, dict[str, str]] = {name: {} for name in modules}  # importer: {imported: where}
    for source in modules.values():
        for found in imports(root, source, modules):
            if found.module in modules and found.module != source.name:
                edges[source.name].setdefault(found.module, found.where)
    cycles = []
    for component in _strongly_connected(edges):
        if len(component) > 1:
            path = _shortest_cycle(edges, min(component), component)
            wheres = [edges[a][b] for a, b in zip(path, path[1:])]
            cycles.append(f"{' -> '.join(path)} ({', '.join(wheres)})")
    return sorted(cycles)


def heavy_imports_outside_trainer(root: Path) -> list[str]:
    modules = sources(root)
    return [f"{found.where} imports {_what(found)}"
            for source in modules.values() if not is_in(source, TRAINER)
            for found in imports(root, source, modules) if found.module.split(".")[0] in HEAVY]


def streamlit_outside_ui(root: Path) -> list[str]:
    modules = sources(root)
    return [f"{found.where} imports {_what(found)}"
            for source in modules.values() if is_in(source, "rnnlab") and not is_in(source, UI)
            for found in imports(root, source, modules)
            if found.module.split(".")[0] == "streamlit"]


def private_names_taken(root: Path) -> list[str]:
    modules = sources(root)
    offences = []
    for source in modules.values():
        offences += [f"{found.where} takes {found.name} from {found.module}"
                     for found in imports(root, source, modules)
                     if found.module in modules and found.module != source.name
                     and _private(found.name)]
        offences += [f"{use.where} uses {use.module}.{use.attribute}"
                     for use in attribute_uses(root, source, modules)
                     if use.module != source.name and _private(use.attribute)]
    return offences


def oversized_files(root: Path) -> list[str]:
    offences = []
    for source in sources(root).values():
        is_module = is_in(source, "rnnlab")
        limit = MAX_MODULE_LINES if is_module else MAX_PAGE_LINES
        lines = line_count(root, source)
        if lines > limit:
            offences.append(f"{source.path.as_posix()} has {lines} lines "
                            f"(a {'module' if is_module else 'page'} may have {limit})")
    return offences


def _what(found) -> str:
    return found.module + (f" ({found.name})" if found.name else "")


def _private(name: str | None) -> bool:
    """_name is private; __name__ (a dunder such as __version__) and `*` are not."""
    return bool(name) and name.startswith("_") and not name.endswith("__")


def _strongly_connected(edges: dict[str, dict[str, str]]) -> list[set[str]]:
    """Tarjan's algorithm: the groups of modules that can each reach every other one."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            components.append(component)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return components


def _shortest_cycle(edges: dict[str, dict[str, str]], start: str, within: set[str]) -> list[str]:
    """[start, ..., start]: the shortest way round from `start` within one component."""
    came_from, frontier = {}, [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(edges[node]):
                if target == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return path[::-1] + [start]
                if target in within and target not in came_from:
                    came_from[target] = node
                    following.append(target)
        frontier = following
    raise ValueError(f"{start} is on no cycle")


# -- the rules on the project ---------------------------------------------------------------------


def test_no_import_circle():
    """A circle of imports means none of its modules can be read, tested or loaded on its own:
    which one runs first depends on who was imported first, and a name used at import time may not
    exist yet ("cannot import name ... (most likely due to a circular import)"). Imports flow one
    way, pages -> ui -> lessons and jobs -> trainer, network, data -> config; a circle is broken
    by moving the piece both sides need down into a module both import."""
    cycles = import_cycles(ROOT)
    assert cycles == [], "import circles:\n" + "\n".join(cycles)


def test_tensorflow_only_in_the_trainer():
    """TensorFlow takes 4-7 s and ~0.6 GB to import, keeps global state and must not be forked: the
    web server never loads it, the worker processes do. Only rnnlab/trainer/ may import
    tensorflow, keras or keras_tuner, not even inside a function (a function-level import still
    loads TensorFlow in whichever process calls it). tests/unit/test_no_tensorflow.py checks the
    same on a real import of every other module."""
    offenders = heavy_imports_outside_trainer(ROOT)
    assert offenders == [], ("TensorFlow/Keras imported outside rnnlab/trainer/:\n"
                             + "\n".join(offenders))


def test_streamlit_only_in_the_ui_package_and_the_pages():
    """The lab's logic runs without a Streamlit session (the worker, the command line, the benches,
    the unit tests), so only rnnlab/ui/, pages/ and app.py talk to Streamlit; everything else
    returns data and figures for them to show."""
    offenders = streamlit_outside_ui(ROOT)
    assert offenders == [], "streamlit imported outside rnnlab/ui/:\n" + "\n".join(offenders)


def test_no_module_takes_another_modules_private_names():
    """A leading underscore says "not part of this module's promise": its author may rename or
    change it without looking for callers. A module that needs another's _name couples itself to
    those internals; make the name public (with a docstring) or move the shared piece to where
    both can import it."""
    offenders = private_names_taken(ROOT)
    assert offenders == [], "private names used across modules:\n" + "\n".join(offenders)


def test_modules_and_pages_stay_small():
    """A newcomer reads a module whole: past ~400 lines it almost always holds more than one
    concept. A page past ~150 lines holds logic that belongs in rnnlab/, where it can be tested
    without Streamlit (pages: widgets -> config -> one rnnlab call -> render)."""
    offenders = oversized_files(ROOT)
    assert offenders == [], "too long:\n" + "\n".join(offenders)


def test_the_walk_sees_the_whole_project():
    """The rules above are only as good as the walk: it must find every module and page, and read
    imports inside functions as well as at the top."""
    modules = sources(ROOT)
    assert {"rnnlab", "rnnlab.jobs.store", "rnnlab.trainer.worker", "rnnlab.ui", "app", "serve",
            "pages.train"} <= set(modules)
    assert len(modules) == (len(list((ROOT / "rnnlab").rglob("*.py")))
                            + len(list((ROOT / "pages").glob("*.py"))) + 2)
    worker = imports(ROOT, modules["rnnlab.trainer.worker"], modules)
    assert {"rnnlab.jobs.artifacts", "rnnlab.trainer.tuning"} <= {i.module for i in worker}


# -- each rule catches what it should, on a fake tree ---------------------------------------------


def tree(root: Path, files: dict[str, str]) -> Path:
    """Write a fake project: {relative path: source}; every rnnlab folder gets an __init__.py."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        folder = path.parent
        while folder != root and folder.is_relative_to(root / "rnnlab"):
            (folder / "__init__.py").touch()
            folder = folder.parent
    return root


def test_a_circle_is_reported_with_where_each_import_is(tmp_path):
    root = tree(tmp_path, {
        "rnnlab/jobs/store.py": "from rnnlab.config import RunConfig\n",
        "rnnlab/config/__init__.py": "X = 1\n\n\ndef later():\n    from rnnlab.jobs import runs\n",
        "rnnlab/jobs/runs.py": "from . import store\n",                # relative, to a submodule
        "rnnlab/lessons/live.py": "import rnnlab.jobs.store\n",        # into the circle, not on it
        "rnnlab/plots/a.py": "from rnnlab.plots import b\n",
        "rnnlab/plots/b.py": "from ..plots.a import draw\n",           # a second, separate circle
    })
    assert import_cycles(root) == [
        "rnnlab.config -> rnnlab.jobs.runs -> rnnlab.jobs.store -> rnnlab.config "
        "(rnnlab/config/__init__.py:5, rnnlab/jobs/runs.py:1, rnnlab/jobs/store.py:1)",
        "rnnlab.plots.a -> rnnlab.plots.b -> rnnlab.plots.a "
        "(rnnlab/plots/a.py:1, rnnlab/plots/b.py:1)"]
    (root / "rnnlab/jobs/store.py").write_text("import json\n")
    assert import_cycles(root) == ["rnnlab.plots.a -> rnnlab.plots.b -> rnnlab.plots.a "
                                   "(rnnlab/plots/a.py:1, rnnlab/plots/b.py:1)"]


def test_tensorflow_outside_the_trainer_is_reported_even_inside_a_function(tmp_path):
    root = tree(tmp_path, {
        "rnnlab/trainer/models.py": "import keras\nimport tensorflow as tf\n",
        "rnnlab/trainer/search/tuner.py": "import keras_tuner\n",     # deeper in the trainer: fine
        "rnnlab/data/imdb.py": "import numpy\n\n\ndef pad():\n"
                               "    from keras.utils import pad_sequences\n",
        "rnnlab/trainer_notes.py": "import tensorflow\n",              # a name like it is not it
        "pages/train.py": "import keras_tuner as kt\n",
        "app.py": "import tensorflow.keras\n",
    })
    assert heavy_imports_outside_trainer(root) == [
        "rnnlab/data/imdb.py:5 imports keras.utils (pad_sequences)",
        "rnnlab/trainer_notes.py:1 imports tensorflow",
        "pages/train.py:1 imports keras_tuner",
        "app.py:1 imports tensorflow.keras"]


def test_streamlit_outside_the_ui_package_is_reported(tmp_path):
    root = tree(tmp_path, {
        "rnnlab/ui/__init__.py": "import streamlit as st\n",
        "rnnlab/ui/panel.py": "from streamlit import fragment\n",
        "rnnlab/plots/curves.py": "def show():\n    import streamlit.components.v1\n",
        "rnnlab/lessons/live.py": "from streamlit.runtime import exists\n",
        "pages/train.py": "import streamlit as st\n",
        "app.py": "import streamlit as st\n",
    })
    assert streamlit_outside_ui(root) == [
        "rnnlab/lessons/live.py:1 imports streamlit.runtime (exists)",
        "rnnlab/plots/curves.py:2 imports streamlit.components.v1"]


def test_private_names_taken_from_another_module_are_reported(tmp_path):
    root = tree(tmp_path, {
        "rnnlab/config/__init__.py": "__version__ = 1\n_LIMIT = 3\n\n\ndef _check(x):\n    "
                                     "return _LIMIT\n",
        "rnnlab/config/search.py": "from rnnlab.config import RunConfig, _check, __version__\n",
        "rnnlab/config/codec.py": "from . import _check as check\n",
        "rnnlab/jobs/store.py": "import rnnlab.config as config\n\nLIMIT = config._LIMIT\n",
        "rnnlab/jobs/runs.py": "import rnnlab.config\n\n\ndef f():\n"
                               "    return rnnlab.config._check(1)\n",
        "rnnlab/ui/__init__.py": "from rnnlab.data import paths as _paths\n\nX = _paths.find\n",
        "rnnlab/data/paths.py": "import os\n\nEXIT = os._exit\n",      # not the project's own
        "pages/train.py": "from rnnlab import config\n\nconfig._check(2)\n",
    })
    assert sorted(private_names_taken(root)) == [
        "pages/train.py:3 uses rnnlab.config._check",
        "rnnlab/config/codec.py:1 takes _check from rnnlab.config",
        "rnnlab/config/search.py:1 takes _check from rnnlab.config",
        "rnnlab/jobs/runs.py:5 uses rnnlab.config._check",
        "rnnlab/jobs/store.py:3 uses rnnlab.config._LIMIT"]


def test_long_modules_and_long_pages_are_reported(tmp_path):
    root = tree(tmp_path, {
        "rnnlab/config/__init__.py": "x = 1\n" * 401,
        "rnnlab/config/search.py": "x = 1\n" * 400,
        "pages/inside.py": "x = 1\n" * 151,
        "pages/train.py": "x = 1\n" * 150,
        "app.py": "x = 1\n" * 200,
    })
    assert oversized_files(root) == [
        "rnnlab/config/__init__.py has 401 lines (a module may have 400)",
        "pages/inside.py has 151 lines (a page may have 150)",
        "app.py has 200 lines (a page may have 150)"]
