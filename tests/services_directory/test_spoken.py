"""A family names a language, or asks for an interpreter, in its own words: « english »,
« العربية », « traducteur », « je ne parle pas bien français » (issue 17's first cases)."""

import pytest
from django.urls import reverse

from services_directory import spoken
from tests.factories import make_language, make_service

SEARCH = reverse("services_directory:search")


@pytest.fixture
def speakers(db):
    spoken._cache["at"] = 0.0  # the names are read again for this test's languages
    french = make_language(code="fr", name="Français")
    english = make_language(code="en", name="Anglais")
    arabic = make_language(code="ar", name="Arabe")
    return {
        "english": make_service(name="Espace jeunes", languages=[french, english]),
        "arabic": make_service(name="Centre social", languages=[french, arabic]),
        "interpreter": make_service(name="Point info familles", interpreting=True),
        "french": make_service(name="Mairie", languages=[french]),
    }


def names(response) -> set[str]:
    return {service.name for service in response.context["page"].object_list}


@pytest.mark.parametrize("words", ["english", "anglais", "Anglais ?"])
def test_a_language_s_name_finds_where_it_is_spoken(client, speakers, words):
    assert names(client.get(SEARCH, {"q": words})) == {"Espace jeunes"}


@pytest.mark.parametrize("words", ["العربية", "arabic", "arabe", "Arapça"])
def test_arabic_is_found_by_every_name_a_family_knows(client, speakers, words):
    assert names(client.get("/ar" + SEARCH, {"q": words})) == {"Centre social"}


@pytest.mark.parametrize(
    "words",
    ["traducteur", "interprète", "interpreter", "مترجم", "je ne parle pas bien français"],
)
def test_asking_for_an_interpreter_finds_the_services_that_call_one(client, speakers, words):
    assert names(client.get(SEARCH, {"q": words})) == {"Point info familles"}


def test_french_alone_is_no_filter_but_a_word():
    named = spoken.named_in("cours de français")
    assert not named and named.rest == "cours de français"


def test_the_other_words_still_search(db):
    spoken._cache["at"] = 0.0
    make_language(code="en", name="Anglais")
    named = spoken.named_in("crèche english")
    assert [language.code for language in named.languages] == ["en"]
    assert named.rest == "creche"


def test_the_page_says_what_it_understood(client, speakers):
    page = client.get("/en" + SEARCH, {"q": "arabe"}).text
    assert "Services where people speak:" in page and '<span lang="ar">' in page
    page = client.get(SEARCH, {"q": "traducteur"}).text
    assert "Services qui peuvent faire appel à un interprète." in page
