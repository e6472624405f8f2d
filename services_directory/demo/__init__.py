"""Demo data for the directory: the demonstration territory and synthetic benchmark data.

`load(data, stdout)` loads the territory that `manage.py load_demo` reads from
`portal/demo/directory.toml`; `synthetic` generates large directories for benchmarks.
"""

from .loader import load

__all__ = ["load"]
