"""The import policy (issue 10, item 8; DESIGN.md §3): every project module imports in a fresh process, the
module-level imports form no circle, dependencies point one way, and every local import says why.

Dependencies point one way: mechanism apps → participants + engine → Django. A mechanism app never imports
another mechanism app, and engine and participants never import one: the shared pages reach the mechanisms
through the registries their ``hooks.py`` fill.
"""

from __future__ import annotations

import ast
import json
import os
import random
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MECHANISM_APPS = ("consultations", "transparency", "cosoc", "public_accounts")
# The layers under the mechanisms: they must work with any mechanism app installed or not.
SHARED_APPS = ("engine", "participants")
# A local import stays only with a reason: `# noqa: PLC0415  (<which circle, or what it saves>)`.
NAMED_REASON = re.compile(r"#\s*noqa:[^#]*\bPLC0415\b[^#]*\(\s*\S[^)]*\)")


def project_packages() -> list[str]:
    """The project's top-level packages, as pyproject.toml installs them (a new app adds itself there)."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        patterns = tomllib.load(file)["tool"]["setuptools"]["packages"]["find"]["include"]
    return sorted(pattern.rstrip("*") for pattern in patterns if (ROOT / pattern.rstrip("*")).is_dir())


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_files() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in project_packages()
        for path in sorted((ROOT / package).rglob("*.py"))
    }


@dataclass(frozen=True)
class Import:
    module: str  # the module that imports
    target: str  # the dotted name imported (a module, or a module's attribute)
    line: int
    local: bool  # inside a function or class body: runs when called, not when the module loads
    type_checking: bool  # under `if TYPE_CHECKING:`: never runs

    @property
    def app(self) -> str:
        return self.target.split(".")[0]


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(module: str, path: Path) -> Iterator[Import]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]

    def visit(node: ast.AST, local: bool, type_checking: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield Import(module, alias.name, child.lineno, local, type_checking)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.rsplit(".", child.level - 1)[0] if child.level > 1 else package
                    base = f"{anchor}.{base}".rstrip(".")
                for alias in child.names:
                    target = base if alias.name == "*" else f"{base}.{alias.name}"
                    yield Import(module, target, child.lineno, local, type_checking)
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
                yield from visit(child, True, type_checking)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for statement in child.body:
                    yield from visit(ast.Module(body=[statement], type_ignores=[]), local, True)
                for statement in child.orelse:
                    yield from visit(ast.Module(body=[statement], type_ignores=[]), local, type_checking)
            else:
                yield from visit(child, local, type_checking)

    yield from visit(ast.parse(path.read_text(), filename=str(path)), False, False)


def load_time_edges(module: str, target: str, modules: set[str]) -> set[str]:
    """The project modules that importing ``target`` from ``module`` runs: each package on the way and the
    module itself. A package ``module`` lives in is already loading, so passing through it runs nothing."""
    parts = target.split(".")
    chain = [name for name in (".".join(parts[:end]) for end in range(1, len(parts) + 1)) if name in modules]
    return {
        name for name in chain if name != module and not (module.startswith(name + ".") and name != chain[-1])
    }


@pytest.fixture(scope="module")
def all_imports() -> list[Import]:
    return [found for module, path in project_files().items() for found in imports_of(module, path)]


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def test_the_circle_finder_finds_circles_and_only_circles():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []


def test_no_module_level_import_circle(all_imports):
    modules = set(project_files())
    graph: dict[str, set[str]] = {module: set() for module in modules}
    for found in all_imports:
        if not found.local and not found.type_checking:
            graph[found.module] |= load_time_edges(found.module, found.target, modules)
    assert circles(graph) == [], "modules that import each other as they load: break the circle"


def test_a_package_importing_its_own_submodule_is_no_circle():
    modules = {"engine", "engine.reports", "engine.reports.tables", "engine.models"}
    # engine/reports/selectors.py: `from engine.reports.tables import X` runs tables only.
    assert load_time_edges("engine.reports.selectors", "engine.reports.tables.X", modules) == {
        "engine.reports.tables"
    }
    # engine/models.py: `from engine.reports.tables import X` runs the engine.reports package first.
    assert load_time_edges("engine.models", "engine.reports.tables.X", modules) == {
        "engine.reports",
        "engine.reports.tables",
    }
    # A name from the package's own __init__ does need the package.
    assert load_time_edges("engine.reports.document", "engine.reports.publish", modules) == {"engine.reports"}


def test_no_mechanism_app_imports_another(all_imports):
    crossing = [
        f"{found.module}:{found.line} imports {found.target}"
        for found in all_imports
        if found.module.split(".")[0] in MECHANISM_APPS
        and found.app in MECHANISM_APPS
        and found.app != found.module.split(".")[0]
    ]
    assert crossing == [], "a mechanism reaches another only through engine's or participants' registries"


def test_engine_and_participants_import_no_mechanism_app(all_imports):
    upward = [
        f"{found.module}:{found.line} imports {found.target}"
        for found in all_imports
        if found.module.split(".")[0] in SHARED_APPS and found.app in MECHANISM_APPS
    ]
    assert upward == [], "engine and participants offer registries; the mechanism apps fill them"


def local_imports_without_a_reason(path: Path, root: Path = ROOT) -> list[str]:
    lines = path.read_text().splitlines()
    return [
        f"{path.relative_to(root)}:{found.line}: {lines[found.line - 1].strip()}"
        for found in imports_of(path.stem, path)
        if found.local and not NAMED_REASON.search(lines[found.line - 1])
    ]


def test_every_local_import_names_its_reason():
    files = [
        *project_files().values(),
        ROOT / "manage.py",
        *ROOT.glob("tests/**/*.py"),
        *ROOT.glob("bench/*.py"),
    ]
    unexplained = [line for path in files for line in local_imports_without_a_reason(path)]
    assert unexplained == [], "move these imports to the top, or say why not: # noqa: PLC0415  (<reason>)"


def test_a_local_import_without_a_reason_is_reported(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n"
        "    import json\n"
        "    import csv  # noqa: PLC0415\n"
        "    import io  # noqa: PLC0415  (heavy: measured 1 s)\n"
        "    return json, csv, io\n"
    )
    assert local_imports_without_a_reason(sample, tmp_path) == [
        "sample.py:2: import json",
        "sample.py:3: import csv  # noqa: PLC0415",
    ]


# --- In a fresh interpreter ------------------------------------------------------------------------------

IMPORT_EVERY_MODULE = """
import importlib, json, sys
import django
django.setup()
failed = {}
for name in json.loads(sys.argv[1]):
    try:
        importlib.import_module(name)
    except Exception as error:
        failed[name] = f"{type(error).__name__}: {error}"
print(json.dumps(failed))
"""


def run_python(script: str, *args: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sermig_portal.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def importable_modules() -> list[str]:
    # A settings module configures a whole process (production refuses to load without its secrets); the
    # process here runs on the test settings, which import base.
    return sorted(name for name in project_files() if ".settings." not in f"{name}.")


def ordered(order: str) -> list[str]:
    modules = importable_modules()
    if order == "sorted":
        return modules
    if order == "reversed":
        return modules[::-1]
    shuffled = modules[:]
    random.Random(order).shuffle(shuffled)
    return shuffled


@pytest.mark.parametrize("order", ["sorted", "reversed", "shuffled-1", "shuffled-2"])
def test_every_project_module_imports_in_a_fresh_process(order):
    failed = json.loads(run_python(IMPORT_EVERY_MODULE, json.dumps(ordered(order))))
    assert failed == {}


HEAVY_LIBRARIES = """
import json, sys
import django
django.setup()
from django.urls import get_resolver
import engine.tasks, consultations.tasks  # what a Celery worker loads
get_resolver().url_patterns  # every view module, as on a web process's first request
print(json.dumps(sorted(name for name in ("weasyprint", "openpyxl") if name in sys.modules)))
"""


def test_web_and_worker_processes_start_without_the_report_renderers_libraries():
    """engine/reports/renderers.py imports WeasyPrint and openpyxl on the first PDF or spreadsheet: together
    they cost about as much start-up time as the rest of django.setup() (see its comments)."""
    assert json.loads(run_python(HEAVY_LIBRARIES)) == []
