"""Our templates fail loudly in tests on an undefined variable (les-emplois does the same).

Django renders an unknown `{{ name }}` as an empty string: a typo, a renamed context key or
a view that forgot a value would silently show nothing. In tests, `string_if_invalid` is an
object that raises for any template under `templates/`; Django's own (the admin) keep their
lenient behaviour. `{% if name %}` on a missing name stays false, as Django intends.
"""

import inspect

from django.conf import settings
from django.template.base import Node


class UndefinedVariable(AssertionError):
    pass


class _RaiseOnUndefined(str):
    # Not empty (Django ignores a falsy value) and with "%s", so that Django formats it
    # with the variable's name: __mod__ is where it fails.
    def __new__(cls):
        return super().__new__(cls, "%s")

    def __mod__(self, name):
        origin = _rendering_origin()
        if origin and origin.startswith(str(settings.BASE_DIR / "templates")):
            raise UndefinedVariable(f"{origin}: variable de gabarit non définie « {name} »")
        return ""


def _rendering_origin() -> str | None:
    frame = inspect.currentframe()
    while frame is not None:
        node = frame.f_locals.get("self")
        if isinstance(node, Node) and getattr(node, "origin", None) is not None:
            return node.origin.name
        frame = frame.f_back
    return None


def install() -> None:
    for engine in settings.TEMPLATES:
        engine.setdefault("OPTIONS", {})["string_if_invalid"] = _RaiseOnUndefined()
