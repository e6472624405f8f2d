"""/en/widget/, /ar/widget/…: the embeddable list in the language of its address, names
as reviewed or in French marked, links to the portal in the same language."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_translation


def widget(client, directory, language: str, **params):
    query = {"commune": directory["near"].slug, "besoin": directory["garde"].slug} | params
    return client.get(f"/{language}/widget/", query)


def test_in_english_the_need_and_the_services_are_named_in_english(client, directory):
    make_translation(directory["garde"], "name", "en", "Childcare (test)")
    make_translation(directory["rpe"], "name", "en", "Early Childhood Hub")
    make_translation(directory["rpe"], "summary", "en", "Advice for parents.")
    response = widget(client, directory, "en")
    assert response.status_code == 200
    text = response.text
    assert '<html lang="en">' in text
    assert "Childcare (test) — Pont-sur-Yonne" in text.split("</title>")[0]
    assert '<h1>Childcare (test) <span class="where">' in text
    assert 'href="/en/annuaire/relais-petite-enfance/" rel="noopener">Early Childhood Hub<' in text
    assert '<span class="summary">Advice for parents.</span>' in text
    assert 'href="/en/annuaire/?commune=pont-sur-yonne&amp;besoin=garde"' in text


def test_in_arabic_the_page_is_right_to_left_and_french_is_marked(client, directory):
    text = widget(client, directory, "ar").text
    assert '<html lang="ar" dir="rtl">' in text
    assert (
        '<span lang="fr" dir="ltr">Crèche Les Petits Loups</span> '
        '<span class="fallback-mark">(بالفرنسية)</span>'
    ) in text
    # In the <title>, where no markup can be, the mark follows the name.
    assert "Garde d&#x27;enfant (test) (بالفرنسية)" in text.split("</title>")[0]


def test_its_translations_are_read_in_one_query_per_model(client, directory):
    widget(client, directory, "tr")
    with CaptureQueriesContext(connection) as queries:
        widget(client, directory, "tr", besoin="", secteur="petite-enfance")
    reads = [q for q in queries if "contenttranslation" in q["sql"].lower()]
    # The services, their sectors, and the sector in the title.
    assert len(reads) <= 3, [q["sql"][:200] for q in reads]
