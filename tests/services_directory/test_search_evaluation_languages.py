"""The search evaluation in the territory's other languages: hit@3 per language.

Families type their own words, on a page in their language or on the French one: the
needs' reviewed synonyms in each language (`portal/vocabulary/<lang>.toml`) lead to the
same services as the French words. Floors as for French (`search_evaluation.KIND_FLOOR`).
"""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from tests.services_directory.search_evaluation import EMPLOI, GARDE, KIND_FLOOR
from tests.snapshots import build_once

WORDINGS = {
    "en": [("childcare", GARDE), ("nursery", GARDE), ("job", EMPLOI), ("find a job", EMPLOI)],
    "tr": [("çocuk bakımı", GARDE), ("kreş", GARDE), ("iş", EMPLOI), ("iş arıyorum", EMPLOI)],
    "ar": [("حضانة", GARDE), ("رعاية الأطفال", GARDE), ("عمل", EMPLOI), ("وظيفة", EMPLOI)],
    "pt": [
        ("guarda de crianças", GARDE),
        ("ama", GARDE),
        ("emprego", EMPLOI),
        ("trabalho", EMPLOI),
    ],
    "uk": [
        ("догляд за дитиною", GARDE),
        ("ясла", GARDE),
        ("робота", EMPLOI),
        ("пошук роботи", EMPLOI),
    ],
}


@pytest.fixture
def demo(db):
    build_once("load_demo", lambda: call_command("load_demo", verbosity=0))


def first_slugs(client, language: str, query: str) -> list[str]:
    with translation.override(language):
        url = reverse("services_directory:search")
    response = client.get(url, {"q": query})
    assert response.status_code == 200, query
    return [service.slug for service in response.context["page"].object_list[:3]]


def test_hit_at_3_in_each_language(client, demo, capsys):
    report, failing = [], []
    for language, wordings in WORDINGS.items():
        misses = [
            f"« {wording} » → {found}"
            for wording, right in wordings
            if not set(found := first_slugs(client, language, wording)) & right
        ]
        rate = 1 - len(misses) / len(wordings)
        report.append(f"hit@3 {language} {rate:.0%} {misses}")
        if rate < KIND_FLOOR:
            failing.append(language)
    with capsys.disabled():
        print("\n" + "\n".join(report))
    assert not failing, report


def test_a_family_typing_its_language_on_the_french_page_finds_the_same(client, demo):
    assert set(first_slugs(client, "fr", "childcare")) & GARDE
    assert set(first_slugs(client, "fr", "çocuk bakımı")) & GARDE


def test_a_services_reviewed_words_in_another_language_find_it(client, db):
    from services_directory.models import ContentTranslation
    from tests.factories import make_service, make_translation

    service = make_service(name="Relais Petite Enfance", summary="Le guichet unique de la garde.")
    url = reverse("services_directory:search")
    assert not client.get(url, {"q": "childminders"}).context["page"].object_list
    translation_ = make_translation(
        service, "summary", "en", "The one-stop shop for childcare and childminders."
    )
    found = client.get(url, {"q": "childminders"}).context["page"].object_list
    assert [s.pk for s in found] == [service.pk]
    # Only a reviewed translation speaks for the service.
    translation_.state = ContentTranslation.State.TO_REVIEW
    translation_.save()
    assert not client.get(url, {"q": "childminders"}).context["page"].object_list
    # Many at once (load_translations): the search text follows once, at the end.
    with ContentTranslation.batch_refresh():
        translation_.state = ContentTranslation.State.REVIEWED
        translation_.save()
        assert not client.get(url, {"q": "childminders"}).context["page"].object_list
    assert client.get(url, {"q": "childminders"}).context["page"].object_list
