"""The guided orientation in another language: the needs to choose from and the summary of
the answers named as reviewed, else in French marked, read in one query per list."""

from html import unescape
from urllib.parse import urlencode

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from services_directory.models import Need, Sector
from tests.factories import make_translation


def _get(client, language: str, **params) -> str:
    with translation.override(language):
        url = reverse("pathways:orient")
    response = client.get(url + "?" + urlencode(params))
    assert response.status_code == 200
    return unescape(response.text)


def test_the_needs_are_offered_in_english_or_in_french_said_so(client, territory):
    make_translation(Sector.objects.get(slug="petite-enfance"), "name", "en", "Early childhood")
    make_translation(Need.objects.get(slug="faire-garder-mon-enfant"), "name", "en", "Childcare")
    html = _get(client, "en", profil="parent", age="2")
    assert "<legend>Early childhood</legend>" in html
    assert 'id="besoin-faire-garder-mon-enfant"> Childcare</label>' in html
    # Without a reviewed translation: the French, in French, and the mark in English.
    assert (
        '<span lang="fr" dir="ltr">Accueil avant et après l\'école</span> '
        '<span class="fallback-mark">(in French)</span>'
    ) in html


def test_the_summary_names_the_need_in_the_page_language(client, territory):
    make_translation(Need.objects.get(slug="faire-garder-mon-enfant"), "name", "ar", "حضانة الطفل")
    answers = {"profil": "parent", "age": "2", "commune": "pont-sur-yonne"}
    html = _get(client, "ar", besoin="faire-garder-mon-enfant", **answers)
    assert "· حضانة الطفل ·" in html
    html = _get(client, "ar", besoin="accueil-avant-apres-ecole", **answers)
    assert '· <span lang="fr" dir="ltr">Accueil avant et après l\'école</span> ' in html
    assert '<span class="fallback-mark">(بالفرنسية)</span> ·' in html


def test_the_choices_translations_cost_one_query_per_list(client, territory):
    _get(client, "tr", profil="parent", age="2")
    with CaptureQueriesContext(connection) as queries:
        _get(client, "tr", profil="parent", age="2")
    reads = [q for q in queries if "contenttranslation" in q["sql"].lower()]
    assert Need.objects.count() > 20
    assert len(reads) == 2  # the sectors, the needs


def test_the_age_in_months_is_offered_as_the_hint_names_it(client, db):
    with translation.override("en"):
        url = reverse("pathways:orient")
    page = unescape(client.get(url, {"profil": "parent"}).content.decode())
    assert '<option value="mois">months</option>' in page and "choose “months”" in page
    with translation.override("fr"):
        url = reverse("pathways:orient")
    french = unescape(client.get(url, {"profil": "parent"}).content.decode())
    assert '<option value="mois">mois</option>' in french
