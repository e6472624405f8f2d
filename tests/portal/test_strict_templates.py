"""The test suite's strict templates (tests/strict_templates.py) really are strict."""

import pytest
from django.conf import settings
from django.template import Context, Template, engines
from django.template.base import Origin

from tests.strict_templates import UndefinedVariable


def _template(source: str, name: str) -> Template:
    engine = engines["django"].engine
    return Template(source, origin=Origin(name=name), engine=engine)


def test_an_undefined_variable_in_our_templates_fails():
    ours = _template("<p>{{ missing }}</p>", str(settings.BASE_DIR / "templates" / "x.html"))
    with pytest.raises(UndefinedVariable, match="missing"):
        ours.render(Context({}))


def test_a_defined_variable_and_a_false_if_are_fine():
    ours = _template(
        "{{ name }}{% if missing %}!{% endif %}", str(settings.BASE_DIR / "templates" / "x.html")
    )
    assert ours.render(Context({"name": "Passerelles"})) == "Passerelles"


def test_djangos_own_templates_keep_their_leniency():
    admin = _template("<p>{{ missing }}</p>", "/site-packages/django/contrib/admin/x.html")
    assert admin.render(Context({})) == "<p></p>"
