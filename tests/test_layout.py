"""The package's folder list is its architecture (docs/architecture.md), and these tests keep it so.

Each room of `claimcheck/` (a stage's folder, or a top-level module) sits in a layer, and imports
run downwards only: models and errors at the bottom, then reading and extraction, the archive and
the judge, review, checking, the tools, and the two shells on top. A package that names its public
entry points (`__all__` in its `__init__.py`) is imported by other rooms only through them. No
module imports itself back through others, not even inside a function, and none grows past
`MAX_LINES`.

The import graph is read from the source with `ast`, so nothing is imported (and no model loads).
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "claimcheck"
MAX_LINES = 600

# A room may import rooms of its own layer or a lower one, never a higher one. A new room (a new
# folder or top-level module under claimcheck/) needs a line here and one in docs/architecture.md.
LAYERS = {
    "claimcheck": 0,  # the package itself: __version__
    "claimcheck.models": 0,
    "claimcheck.errors": 0,
    "claimcheck.locks": 0,
    "claimcheck.read": 1,
    "claimcheck.extract": 1,
    "claimcheck.embed": 1,
    "claimcheck.inference": 1,
    "claimcheck.archive": 2,
    "claimcheck.judge": 2,
    "claimcheck.review": 3,
    "claimcheck.check": 4,
    "claimcheck.evaluate": 5,
    "claimcheck.doctor": 5,
    "claimcheck.training": 5,
    "claimcheck.scale": 5,
    "claimcheck.cli": 6,
    "claimcheck.web": 6,
}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the module imported: the named submodule, else the module imported from
    via: str  # the module the statement names, relative imports resolved
    name: str | None  # the name imported from `via` (None for a plain `import`)
    line: int


def find_modules(root: Path) -> dict[str, Path]:
    """Every module of the package at `root`, by dotted name (a package by its own name)."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def find_imports(module: str, path: Path, known: set[str]) -> list[Import]:
    """The package's own modules that `module` imports, at module level or inside functions."""
    package = module.split(".")[0]
    here = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != package:
                    continue
                target = alias.name
                while target not in known and "." in target:
                    target = target.rsplit(".", 1)[0]
                out.append(Import(module, target, alias.name, None, node.lineno))
        elif isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            via = ".".join(base + ([node.module] if node.module else []))
            if via.split(".")[0] != package:
                continue
            for alias in node.names:
                sub = f"{via}.{alias.name}"
                target = sub if sub in known else via
                out.append(Import(module, target, via, alias.name, node.lineno))
    return out


def room_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def public_names(path: Path) -> set[str] | None:
    """The names a package's `__init__.py` lists in `__all__`, or None when it lists none."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return set(ast.literal_eval(node.value))
    return None


class Layout:
    """The modules of the package at `root`, their imports, and what breaks the layout."""

    def __init__(self, root: Path, layers: dict[str, int]):
        self.root = root
        self.layers = layers
        self.modules = find_modules(root)
        known = set(self.modules)
        self.imports = [i for m, p in self.modules.items() for i in find_imports(m, p, known)]

    def where(self, imp: Import) -> str:
        path = self.modules[imp.source].relative_to(self.root.parent)
        return f"{path}:{imp.line}"

    def unplaced_rooms(self) -> list[str]:
        return sorted({room_of(m) for m in self.modules} - set(self.layers))

    def upward_imports(self) -> list[str]:
        out = []
        for imp in self.imports:
            src, dst = room_of(imp.source), room_of(imp.target)
            if src in self.layers and dst in self.layers and self.layers[dst] > self.layers[src]:
                out.append(
                    f"{self.where(imp)}: {src} (layer {self.layers[src]}) imports "
                    f"{imp.target} (layer {self.layers[dst]})"
                )
        return out

    def side_door_imports(self) -> list[str]:
        """Imports from another room that bypass the public names its package lists."""
        out = []
        for imp in self.imports:
            src, dst = room_of(imp.source), room_of(imp.target)
            init = self.modules.get(dst)
            if src == dst or init is None or init.name != "__init__.py":
                continue
            public = public_names(init)
            if public is None:
                continue
            if imp.via == dst:
                if imp.name is not None and imp.name not in public:
                    out.append(f"{self.where(imp)}: {imp.name} is not in {dst}.__all__")
            elif imp.target != dst:
                out.append(f"{self.where(imp)}: imports {imp.target}; use {dst}'s public names")
        return list(dict.fromkeys(out))

    def cycles(self) -> list[list[str]]:
        """Every set of modules that import each other round in a loop (Tarjan's algorithm)."""
        graph: dict[str, set[str]] = {m: set() for m in self.modules}
        for imp in self.imports:
            if imp.target in graph and imp.target != imp.source:
                graph[imp.source].add(imp.target)
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        stack: list[str] = []
        on_stack: set[str] = set()
        found: list[list[str]] = []

        def visit(node: str) -> None:
            index[node] = low[node] = len(index)
            stack.append(node)
            on_stack.add(node)
            for succ in sorted(graph[node]):
                if succ not in index:
                    visit(succ)
                    low[node] = min(low[node], low[succ])
                elif succ in on_stack:
                    low[node] = min(low[node], index[succ])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))

        for node in sorted(graph):
            if node not in index:
                visit(node)
        return found

    def long_modules(self, limit: int = MAX_LINES) -> list[str]:
        out = []
        for path in self.modules.values():
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > limit:
                out.append(f"{path.relative_to(self.root.parent)}: {lines} lines")
        return out


def test_every_room_has_a_layer():
    assert Layout(PACKAGE, LAYERS).unplaced_rooms() == []


def test_no_import_loops_even_inside_functions():
    assert Layout(PACKAGE, LAYERS).cycles() == []


def test_lower_layers_never_import_higher_ones():
    assert Layout(PACKAGE, LAYERS).upward_imports() == []


def test_stages_import_each_other_only_through_their_public_names():
    assert Layout(PACKAGE, LAYERS).side_door_imports() == []


def test_no_module_is_over_the_line_limit():
    assert Layout(PACKAGE, LAYERS).long_modules() == []


def test_the_graph_is_the_one_the_architecture_page_draws():
    """A few edges the layout rests on, so that a reader that found no imports cannot pass."""
    edges = {(room_of(i.source), room_of(i.target)) for i in Layout(PACKAGE, LAYERS).imports}
    for edge in [
        ("claimcheck.check", "claimcheck.judge"),
        ("claimcheck.check", "claimcheck.archive"),
        ("claimcheck.check", "claimcheck.extract"),
        ("claimcheck.archive", "claimcheck.read"),
        ("claimcheck.review", "claimcheck.models"),
        ("claimcheck.cli", "claimcheck.check"),
        ("claimcheck.web", "claimcheck.review"),
    ]:
        assert edge in edges
    learned_on_rules = [
        i
        for i in Layout(PACKAGE, LAYERS).imports
        if i.source == "claimcheck.judge.learned" and i.target == "claimcheck.judge.rules"
    ]
    assert learned_on_rules, "the learned judge builds on the rule judge"


def write_package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root / "claimcheck"


def test_the_checks_catch_a_broken_layout(tmp_path):
    root = write_package(
        tmp_path,
        {
            "claimcheck/__init__.py": "",
            "claimcheck/models.py": "from .check import report\n",
            "claimcheck/check.py": "from claimcheck import models\n" + "x = 1\n" * MAX_LINES,
            "claimcheck/judge/__init__.py": """\
                from .rules import decide

                __all__ = ["decide"]
            """,
            "claimcheck/judge/rules.py": "def decide(): ...\n",
            "claimcheck/review/__init__.py": "__all__ = []\n",
            "claimcheck/review/runs.py": """\
                from ..judge.rules import decide


                def record():
                    from claimcheck.judge import secret
                    import claimcheck.cli
            """,
            "claimcheck/cli/__init__.py": "",
            "claimcheck/scratchpad/__init__.py": "",
        },
    )
    layout = Layout(root, LAYERS)
    assert layout.unplaced_rooms() == ["claimcheck.scratchpad"]
    assert layout.cycles() == [["claimcheck.check", "claimcheck.models"]]
    assert layout.upward_imports() == [
        "claimcheck/models.py:1: claimcheck.models (layer 0) imports claimcheck.check (layer 4)",
        "claimcheck/review/runs.py:6: claimcheck.review (layer 3) imports claimcheck.cli (layer 6)",
    ]
    assert layout.side_door_imports() == [
        "claimcheck/review/runs.py:1: imports claimcheck.judge.rules; use claimcheck.judge's "
        "public names",
        "claimcheck/review/runs.py:5: secret is not in claimcheck.judge.__all__",
    ]
    assert layout.long_modules() == [f"claimcheck/check.py: {MAX_LINES + 1} lines"]
