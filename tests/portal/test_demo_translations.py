"""Every published service and pathway of the demo, in every configured language: each text
a family reads is a reviewed translation, or French said to be French.

No silent mix: a page in English never shows French without `lang="fr"` and the
« (en français) » mark. Fails when a template prints a field without going through
`{% tr %}`, or when a translation is shown that nobody reviewed.
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from django.utils.html import escape

from pathways.models import Pathway
from services_directory.models import Service
from services_directory.templatetags.content import tr
from services_directory.translations import coverage, other_languages, shown
from tests.snapshots import build_once

# Fields each page shows whenever they are filled in (the others depend on the situation:
# a step's fallback only when its service is withdrawn, the easy-read text in that version).
SERVICE_FIELDS = [
    ("name", {}),
    ("summary", {}),
    ("what_we_do", {"block": True}),
    ("what_we_dont_do", {"block": True}),
    ("audience", {}),
    ("access_conditions", {"block": True}),
    ("cost_details", {}),
    ("contact_details", {}),
    ("collective_details", {}),
]
PATHWAY_FIELDS = [("title", {}), ("summary", {}), ("audience", {}), ("situation", {"block": True})]
STEP_FIELDS = [("title", {}), ("what", {"block": True}), ("expected", {"block": True})]


@pytest.fixture
def demo(db):
    build_once("load_demo", lambda: call_command("load_demo", verbosity=0))


def expected(obj, field: str, options: dict, language: str) -> str:
    with translation.override(language):
        return str(tr(obj, field, **options))


def test_the_territory_offers_its_languages():
    assert [code for code, _name in settings.LANGUAGES][:1] == ["fr"]
    assert set(other_languages()) >= {"en", "ar", "tr", "pt", "uk"}


def test_every_text_is_reviewed_or_marked_french(client, demo):
    problems = []
    for language in other_languages():
        problems += problems_in(client, language)
    assert not problems, f"shown without review nor mark: {problems[:20]}"


def problems_in(client, language: str) -> list[str]:
    problems = []
    for service in Service.objects.published().order_by("slug"):
        with translation.override(language):
            html = client.get(service.get_absolute_url()).text
        for field, options in SERVICE_FIELDS:
            if getattr(service, field) and expected(service, field, options, language) not in html:
                problems.append(f"{language} {service.slug}.{field}")
        documents = shown(service, "documents", language)
        for line in documents.lines:
            if f"<li>{escape(line)}</li>" not in html:
                problems.append(f"{language} {service.slug}.documents")
        if documents and documents.fallback and '<ul lang="fr" dir="ltr">' not in html:
            problems.append(f"{language} {service.slug}.documents (lang)")
    for pathway in Pathway.objects.published().order_by("slug"):
        with translation.override(language):
            html = client.get(pathway.get_absolute_url()).text
        checks = [(pathway, PATHWAY_FIELDS)] + [
            (step, STEP_FIELDS) for step in pathway.steps.all()
        ]
        for obj, fields in checks:
            for field, options in fields:
                if getattr(obj, field) and expected(obj, field, options, language) not in html:
                    problems.append(
                        f"{language} {pathway.slug} {type(obj).__name__} {obj.pk}.{field}"
                    )
    return problems


def test_the_demo_is_translated_and_reviewed_in_every_language(demo):
    """The demo territory is written in every configured language, reviewed: a published
    service or pathway missing a translation is listed."""
    gaps = []
    for service in Service.objects.published().prefetch_related("notices", "sessions"):
        objects = [service, *service.notices.all(), *service.sessions.all()]
        for language, counts in coverage(*objects).items():
            if counts["missing"] or counts["to_review"]:
                gaps.append(f"{language} {service.slug} {counts}")
    for pathway in Pathway.objects.published().prefetch_related("steps"):
        for language, counts in coverage(pathway, *pathway.steps.all()).items():
            if counts["missing"] or counts["to_review"]:
                gaps.append(f"{language} {pathway.slug} {counts}")
    assert not gaps, gaps[:20]
