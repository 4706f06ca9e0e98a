"""The project's own modules and what each imports, read from the source with `ast`, never imported.

tests/unit/test_architecture.py checks the architecture's rules on it and tests/unit/
test_no_tensorflow.py takes its list of web-side modules from it. The walk covers every
`rnnlab/**/*.py`, `pages/*.py`, `app.py` and `serve.py` under a root folder (the project, or a
small fake tree a test builds to show that a rule catches what it should).

Every import statement counts, wherever it stands (at the top of a module, inside a function,
under an `if`), absolute or relative; `from rnnlab.a import b` is an import of the module
rnnlab.a.b when such a module exists, else of the name b from rnnlab.a.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Source:
    """One Python file of the project."""

    name: str          # its dotted module name: rnnlab.jobs.store, rnnlab.cells, pages.train, app
    path: Path         # relative to the root, e.g. rnnlab/jobs/store.py
    is_package: bool   # an __init__.py: relative imports start from the package itself


@dataclass(frozen=True)
class Import:
    """One module, or one name of a module, that a source file imports."""

    importer: Source
    module: str        # the module imported, a submodule when `from a import b` names one
    name: str | None   # the name taken from it by `from module import name`, else None
    line: int

    @property
    def where(self) -> str:
        return f"{self.importer.path.as_posix()}:{self.line}"


@dataclass(frozen=True)
class AttributeUse:
    """`alias.attribute` where alias stands for one of the project's modules."""

    user: Source
    module: str
    attribute: str
    line: int

    @property
    def where(self) -> str:
        return f"{self.user.path.as_posix()}:{self.line}"


def sources(root: Path) -> dict[str, Source]:
    """Every module of the project under `root`, by dotted name."""
    paths = sorted((root / "rnnlab").rglob("*.py")) + sorted((root / "pages").glob("*.py"))
    paths += [root / entry for entry in ("app.py", "serve.py") if (root / entry).is_file()]
    found = {}
    for path in paths:
        relative = path.relative_to(root)
        parts = list(relative.with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        found[".".join(parts)] = Source(".".join(parts), relative, is_package)
    return found


def line_count(root: Path, source: Source) -> int:
    return len((root / source.path).read_text(encoding="utf-8").splitlines())


def parse(root: Path, source: Source) -> ast.Module:
    return ast.parse((root / source.path).read_text(encoding="utf-8"), filename=str(source.path))


def imports(root: Path, source: Source, modules: dict[str, Source]) -> list[Import]:
    """Every import in `source`, in the order they appear, resolved against `modules`."""
    found = []
    for node in ast.walk(parse(root, source)):
        if isinstance(node, ast.Import):
            found += [Import(source, alias.name, None, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(source, node.module, node.level)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in modules:
                    found.append(Import(source, submodule, None, node.lineno))
                else:
                    found.append(Import(source, base, alias.name, node.lineno))
    return sorted(found, key=lambda found_import: found_import.line)


def attribute_uses(root: Path, source: Source, modules: dict[str, Source]) -> list[AttributeUse]:
    """Every `alias.attribute` in `source` whose alias (or dotted path) names a project module.

    Aliases come from `import rnnlab.a as m`, `from rnnlab import a` and plain `import rnnlab.a`
    (which binds `rnnlab`, so `rnnlab.a.x` is read as attribute x of rnnlab.a). One name bound
    to different things in different functions is taken as the module: good enough for a rule
    check, which only asks about names that start with an underscore.
    """
    tree = parse(root, source)
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    aliases[top] = top
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(source, node.module, node.level)
            for alias in node.names:
                if f"{base}.{alias.name}" in modules:
                    aliases[alias.asname or alias.name] = f"{base}.{alias.name}"
    uses = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        dotted = _dotted(node.value)
        if dotted is None:
            continue
        first, _, rest = dotted.partition(".")
        if first not in aliases:
            continue
        module = aliases[first] + (f".{rest}" if rest else "")
        if module in modules:
            uses.append(AttributeUse(source, module, node.attr, node.lineno))
    return uses


def web_side_modules(root: Path) -> list[str]:
    """The rnnlab modules outside the trainer package: the ones the web process may load."""
    return [name for name, source in sources(root).items()
            if name.split(".")[0] == "rnnlab" and not is_in(source, "rnnlab/trainer")]


def is_in(source: Source, folder: str) -> bool:
    """Whether the source file lies in `folder` (a path relative to the root, e.g. rnnlab/ui)."""
    return source.path.as_posix().startswith(folder.rstrip("/") + "/")


def _absolute(source: Source, module: str | None, level: int) -> str:
    """The absolute name of `from <level dots><module> import ...` written in `source`."""
    if level == 0:
        return module or ""
    package = source.name.split(".") if source.is_package else source.name.split(".")[:-1]
    if level > 1:
        package = package[:-(level - 1)]
    return ".".join(package + ([module] if module else []))


def _dotted(node: ast.expr) -> str | None:
    """`a.b.c` for a chain of names and attributes, None for anything else (a call, a subscript)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return None if inner is None else f"{inner}.{node.attr}"
    return None
