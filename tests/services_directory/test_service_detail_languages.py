"""The service page in another language: reviewed translations, else French marked."""

from django.urls import reverse
from django.utils import translation

from services_directory.models import ContentTranslation
from tests.factories import make_translation


def url(service, language: str) -> str:
    with translation.override(language):
        return reverse("services_directory:service", args=[service.slug])


def test_french_stays_at_the_root_without_any_mark(client, directory):
    rpe = directory["rpe"]
    make_translation(rpe, "name", "en", "Early Childhood Hub")
    response = client.get(url(rpe, "fr"))
    assert url(rpe, "fr") == f"/annuaire/{rpe.slug}/"
    assert '<html lang="fr">' in response.text
    assert "Early Childhood Hub" not in response.text
    assert "fallback-mark" not in response.text


def test_it_shows_a_reviewed_translation_and_marks_the_french_standing_in(client, directory):
    rpe = directory["rpe"]
    rpe.what_we_do = "Nous informons les parents."
    rpe.save()
    make_translation(rpe, "name", "en", "Early Childhood Hub")
    response = client.get(url(rpe, "en"))
    assert response.status_code == 200
    text = response.text
    assert '<html lang="en">' in text
    assert "<h1>Early Childhood Hub</h1>" in text
    # No translation of « ce que nous faisons »: French, said so, in the page's language.
    assert '<div lang="fr" dir="ltr"><p>Nous informons les parents.</p></div>' in text
    assert '<p class="fallback-mark">' in text


def test_a_translation_waiting_for_review_is_not_shown(client, directory):
    rpe = directory["rpe"]
    make_translation(rpe, "name", "ar", "مركز الطفولة", state=ContentTranslation.State.TO_REVIEW)
    response = client.get(url(rpe, "ar"))
    assert '<html lang="ar" dir="rtl">' in response.text
    assert "مركز الطفولة" not in response.text
    assert f'<h1><span lang="fr" dir="ltr">{rpe.name}</span>' in response.text


def test_a_translation_of_an_older_french_text_is_not_shown(client, directory):
    rpe = directory["rpe"]
    make_translation(rpe, "name", "en", "Early Childhood Hub", source="Ancien nom")
    response = client.get(url(rpe, "en"))
    assert "Early Childhood Hub" not in response.text
    assert f'<h1><span lang="fr" dir="ltr">{rpe.name}</span>' in response.text


def test_the_switcher_links_to_this_page_in_each_language_named_in_itself(client, directory):
    rpe = directory["rpe"]
    response = client.get(url(rpe, "en") + "?commune=")
    text = response.text
    assert f'href="/ar/annuaire/{rpe.slug}/?commune="' in text
    assert 'lang="ar" dir="rtl">العربيّة</a>' in text
    assert 'lang="tr" dir="ltr">Türkçe</a>' in text
    uk = f"http://127.0.0.1:8000/uk/annuaire/{rpe.slug}/"
    assert f'<link rel="alternate" hreflang="uk" href="{uk}' in text
    assert 'hreflang="x-default"' in text


def test_languages_spoken_are_named_in_themselves_and_in_the_page_language(client, directory):
    rpe = directory["rpe"]  # speaks Arabic (the fixture)
    french = client.get(url(rpe, "fr")).text
    assert '<span lang="ar" dir="rtl">العربيّة</span> (Arabe)' in french
    english = client.get(url(rpe, "en")).text
    assert '<span lang="ar" dir="rtl">العربيّة</span> (Arabic)' in english
    with translation.override("en"):
        search = client.get(reverse("services_directory:search")).text
    assert '<option value="ar">العربيّة (Arabic)</option>' in search


def test_on_a_right_to_left_page_a_telephone_number_keeps_its_order(client, directory):
    rpe = directory["rpe"]
    rpe.phone = "03 86 00 00 01"
    rpe.save()
    arabic = client.get(url(rpe, "ar")).text
    # Unicode's left-to-right isolate around the number inside the Arabic label of the button.
    assert "\u206603 86 00 00 01\u2069" in arabic
    assert "\u2066" not in client.get(url(rpe, "fr")).text
