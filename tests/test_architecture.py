"""The import graph stays one-way (docs/architecture.md draws it).

    portal → every app; pathways → services_directory;
    orientations → pathways, services_directory; indicators → the three others.

No app imports `portal`, and no module hides an import of the project inside a function
to dodge a cycle (the app registry's `ready()` is the one place Django asks for it).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ["portal", "services_directory", "pathways", "orientations", "indicators"]
ALLOWED = {
    "portal": {"services_directory", "pathways", "orientations", "indicators"},
    "services_directory": set(),
    "pathways": {"services_directory"},
    "orientations": {"pathways", "services_directory"},
    "indicators": {"services_directory", "pathways", "orientations"},
}


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imported_apps(node) -> set[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        names = [node.module]
    else:
        return set()
    return {name.split(".")[0] for name in names} & set(APPS)


def _function_imports(tree) -> list[ast.AST]:
    found = []
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    found.append((function.name, node))
    return found


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_the_apps_below_it(app):
    wrong = []
    for path, tree in _modules(app):
        for node in ast.walk(tree):
            for target in _imported_apps(node) - {app} - ALLOWED[app]:
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {target}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("app", APPS)
def test_no_project_import_hides_inside_a_function(app):
    wrong = []
    for path, tree in _modules(app):
        for function, node in _function_imports(tree):
            relative = isinstance(node, ast.ImportFrom) and node.level > 0
            if not (relative or _imported_apps(node)):
                continue  # a standard or third-party module: not a cycle of ours
            if path.name == "apps.py" or "migrations" in path.parts:
                continue  # AppConfig.ready() and migrations run before/outside the registry
            wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} in {function}()")
    assert not wrong, "\n".join(wrong)


def test_the_rule_itself_sees_a_forbidden_import():
    tree = ast.parse("from portal.caching import page_key\nimport orientations.models\n")
    assert {target for node in ast.walk(tree) for target in _imported_apps(node)} == {
        "portal",
        "orientations",
    }
