"""The directory's filters in the page's language: sectors and needs named as reviewed,
else in French with the « (en français) » mark, and never a list left from another language."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from services_directory import versions
from services_directory.models import ContentTranslation, Need, Sector
from tests.factories import make_translation


def url(language: str) -> str:
    with translation.override(language):
        return reverse("services_directory:search")


def test_the_filters_name_sectors_and_needs_in_english(client, directory):
    sector = Sector.objects.get(slug="petite-enfance")
    make_translation(sector, "name", "en", "Early childhood")
    make_translation(directory["garde"], "name", "en", "Childcare (test)")
    text = client.get(url("en")).text
    assert '<option value="petite-enfance">Early childhood</option>' in text
    assert '<option value="garde">Childcare (test)</option>' in text


def test_a_name_without_reviewed_translation_is_french_and_said_so(client, directory):
    need = directory["garde"]
    make_translation(need, "name", "ar", "رعاية", state=ContentTranslation.State.TO_REVIEW)
    text = client.get(url("ar"), {"besoin": "garde"}).text
    # An option holds no markup: the mark is written in the page's language after the name.
    assert '<option value="garde" selected>Garde d&#x27;enfant (test) (بالفرنسية)</option>' in text
    assert '<option value="emploi-test">Emploi (test) (بالفرنسية)</option>' in text
    assert "رعاية" not in text


def test_french_pages_have_no_mark(client, directory):
    make_translation(directory["garde"], "name", "en", "Childcare (test)")
    text = client.get(url("fr")).text
    assert '<option value="garde">Garde d&#x27;enfant (test)</option>' in text
    assert "(en français)" not in text
    assert "Childcare" not in text


def test_no_list_of_options_leaks_from_one_language_to_another(client, directory):
    make_translation(directory["garde"], "name", "en", "Childcare (test)")
    make_translation(directory["garde"], "name", "tr", "Çocuk bakımı (test)")
    # The same filters, one language after the other, through the remembered widgets.
    for _round in range(2):
        assert "Childcare (test)</option>" in client.get(url("en")).text
        turkish = client.get(url("tr")).text
        assert "Çocuk bakımı (test)</option>" in turkish
        assert "Childcare" not in turkish
        assert "Çocuk" not in client.get(url("fr")).text


def test_a_newly_reviewed_translation_shows_at_once(client, directory):
    assert "Childcare (test)" not in client.get(url("en")).text
    make_translation(directory["garde"], "name", "en", "Childcare (test)")
    assert '<option value="garde">Childcare (test)</option>' in client.get(url("en")).text


def test_the_options_translations_are_read_in_one_query_per_list(client, directory):
    client.get(url("en"))  # warm what a first page reads once (vocabulary, content types)
    versions.forget()  # as after a content change: the lists and the cards are read again
    with CaptureQueriesContext(connection) as queries:
        client.get(url("en"))
    reads = [q["sql"] for q in queries if "contenttranslation" in q["sql"].lower()]
    assert Need.objects.count() > 2 and Sector.objects.count() > 2
    # The filters' sectors and needs, the cards and their sectors' names: one read per
    # model, whatever the number of options and cards.
    assert len(reads) == 4, reads
    # Then the lists and the cards' fixed parts are kept until the content changes.
    with CaptureQueriesContext(connection) as queries:
        client.get(url("en"))
    reads = [q["sql"] for q in queries if "contenttranslation" in q["sql"].lower()]
    assert reads == []
