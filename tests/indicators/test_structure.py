"""Inside the indicators app, models stand below metrics (docs/architecture.md,
« Indicators »); the graph between apps, and imports hidden in functions, are checked by
tests/test_architecture.py."""

import ast
from pathlib import Path

import indicators

APP = Path(indicators.__file__).parent


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
