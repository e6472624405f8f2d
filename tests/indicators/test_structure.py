"""The indicators app imports in one direction: models below metrics, no import hidden in a
function to get round a cycle (docs/architecture.md, « Indicators »)."""

import ast
from pathlib import Path

import indicators

APP = Path(indicators.__file__).parent


def _modules() -> list[Path]:
    return [path for path in sorted(APP.rglob("*.py")) if "migrations" not in path.parts]


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    """What an import statement names, relative imports written with their leading dots."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    module = "." * node.level + (node.module or "")
    prefix = module if module.endswith(".") else module + "."
    return [module, *(prefix + alias.name for alias in node.names)]


def test_models_do_not_import_the_metrics():
    tree = ast.parse((APP / "models.py").read_text())
    imported = [
        name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in _imported(node)
    ]

    assert not [name for name in imported if name.lstrip(".").split(".")[0] == "metrics"]
    assert not [name for name in imported if name.startswith("indicators.metrics")]


def test_no_module_imports_the_app_inside_a_function():
    hidden = []
    for path in _modules():
        for function in ast.walk(ast.parse(path.read_text())):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom) and any(
                    name.startswith(".") or name.split(".")[0] == "indicators"
                    for name in _imported(node)
                ):
                    hidden.append(f"{path.relative_to(APP.parent)}:{node.lineno}")

    assert hidden == []
