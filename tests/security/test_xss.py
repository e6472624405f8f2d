"""Every text a page displays is escaped, wherever it appears, for every kind of visitor.

Each free-text field of every row is replaced by a marker and an attack. The portal
is then crawled as each persona: the attack must never come back as markup, and
the fields people type into must be seen (escaped) somewhere, or the test proved
nothing about them.
"""

import re

import pytest
from django.apps import apps
from django.db import models

from tests.security.conftest import CRAWLING_PERSONAS, logged_in, start_urls
from tests.security.crawl import crawl

LONG_ATTACK = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>"
SHORT_ATTACK = "\"'><svg onload=alert(1)>"
EXECUTABLE = re.compile(r"<script>alert|<img src=x onerror|<svg onload", re.IGNORECASE)
PROJECT_APPS = {"services_directory", "pathways", "orientations", "indicators", "auth"}
# Not text a person types: identifiers, machine formats and what the code derives.
NOT_FREE_TEXT = {"password", "username", "opening_hours", "insee_code", "postcode", "code"}
NOT_FREE_TEXT_OF = {"indicators.indicator": {"metric"}}

# What people type and pages must show: (model label, field).
MUST_BE_SHOWN = [
    ("services_directory.service", "name"),
    ("services_directory.service", "summary"),
    ("services_directory.service", "what_we_do"),
    ("services_directory.partner", "name"),
    ("services_directory.place", "address"),
    ("pathways.pathway", "title"),
    ("pathways.step", "title"),
    ("pathways.step", "what"),
    ("pathways.pathwayfeedback", "comment"),
    ("orientations.referralevent", "note"),
    ("orientations.referralcontact", "name"),
]


def free_text_fields(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField | models.EmailField | models.URLField)
        and not field.choices
        and field.editable
        and field.name not in NOT_FREE_TEXT
        and field.name not in NOT_FREE_TEXT_OF.get(model._meta.label_lower, ())
        and (field.max_length or 1000) >= len(SHORT_ATTACK) + 6
    ]


def poison_every_text() -> dict[str, tuple[str, str]]:
    """Rewrite every free-text value; returns {marker: (model label, field name)}."""
    markers = {}
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        fields = free_text_fields(model)
        for pk in model.objects.values_list("pk", flat=True):
            values = {}
            for field in fields:
                marker = f"Xq{len(markers):04d}"
                markers[marker] = (model._meta.label_lower, field.name)
                attack = LONG_ATTACK if (field.max_length or 1000) >= 70 else SHORT_ATTACK
                values[field.name] = marker + attack
            # update(): no save() side effects, the rows simply hold the attack.
            model.objects.filter(pk=pk).update(**values)
    return markers


@pytest.fixture(scope="module")
def shown_markers():
    """Markers seen on any page by any persona, shared by the tests of this module."""
    return set()


@pytest.mark.parametrize("persona", CRAWLING_PERSONAS)
def test_no_text_comes_back_as_markup(client, everything, persona, shown_markers):
    markers = poison_every_text()
    client = logged_in(client, everything, persona)
    # The admin account sees the portal as the coordinator does, and the admin besides.
    starts = ["/admin/"] if persona == "admin" else start_urls(everything)
    responses = crawl(client, starts, limit=400, per=2, admin=persona == "admin")
    executable = []
    for url, response in responses.items():
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        text = response.content.decode()
        for match in EXECUTABLE.finditer(text):
            context = text[max(0, match.start() - 60) : match.end()]
            executable.append(f"{url}: …{context}")
        shown_markers.update(markers[m] for m in re.findall(r"Xq\d{4}", text) if m in markers)
    assert not executable, "\n".join(executable[:20])


def test_every_typed_text_was_displayed_somewhere(db, shown_markers):
    """Runs after the crawls above (`db` keeps it next to them when pytest-django
    reorders tests): the fields people type were really on a page."""
    if not shown_markers:
        pytest.skip("run with the crawls of this module")
    missing = [field for field in MUST_BE_SHOWN if field not in shown_markers]
    assert not missing, f"never displayed, so never tested: {missing}"
