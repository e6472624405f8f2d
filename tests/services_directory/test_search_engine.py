"""The engine's reading of a query (services_directory/search.py) and its analysis."""

import pytest
from django.db import connection

from services_directory.models import Need, SearchTerm, ServiceSearch
from services_directory.safety import points_to_danger
from services_directory.search import analyse, closest_needs
from services_directory.text import ACRONYMS, stem, words
from tests.factories import make_service

pytestmark = pytest.mark.django_db


def test_a_typing_mistake_is_corrected_towards_the_directory_words():
    query = analyse("creshe")
    assert query.corrections == [("creshe", "crèche")]
    assert query.understood == "crèche"
    assert query.matched_needs[0].slug == "faire-garder-mon-enfant"


def test_joined_words_are_split():
    query = analyse("haltegarderie")
    assert query.corrections == [("haltegarderie", "halte garderie")]
    assert [term.word for term in query.terms] == ["halte", "garderie"]


def test_a_word_written_as_it_sounds_is_found():
    assert analyse("ortofoniste").corrections == [("ortofoniste", "orthophoniste")]


def test_real_words_are_not_turned_into_other_words():
    # "fille" sounds a little like "fin", "collège" looks a little like "colère".
    assert analyse("ma fille").corrections == []
    assert analyse("collège").corrections == []


def test_nonsense_is_not_corrected():
    for text in ("xqzw", "azertyuiop", "blablabla"):
        assert analyse(text).corrections == [], text


def test_everyday_words_point_to_needs():
    assert analyse("nounou").matched_needs[0].slug == "faire-garder-mon-enfant"
    assert analyse("pension alimentaire").matched_needs[0].slug == "conflit-familial-separation"
    assert analyse("colis alimentaire").matched_needs[0].slug == "aide-alimentaire"
    assert analyse("on n'a plus de quoi payer la cantine").matched_needs[0].slug == (
        "aide-financiere"
    )


def test_phrasing_and_common_words_do_not_pick_results_alone():
    query = analyse("je cherche une nounou pour ma fille")
    assert [term.stem for term in query.terms] == ["nounou", "fill"]
    nounou, fille = query.terms
    assert nounou.filters and not fille.filters  # "fille" only adds to a score


def test_a_word_being_typed_finds_the_word_it_starts():
    make_service(name="Espace Jeunes")
    query = analyse("espa")
    assert query.terms[0].prefix
    assert ServiceSearch.objects.ranked(query).count() == 1


def test_words_of_danger_and_needs_of_danger_are_detected():
    assert analyse("mon conjoint me menace").danger
    assert analyse("mon pere tape ma mere").danger
    assert analyse("je veux mourir").danger
    assert not analyse("aide d'urgence pour payer l'électricité").danger
    assert not analyse("crèche").danger
    violences = Need.objects.get(slug="violences-intrafamiliales")
    assert violences.signals_danger
    assert points_to_danger("", [violences])


def test_closest_needs_when_nothing_is_understood():
    query = analyse("cresh bébé")
    assert "faire-garder-mon-enfant" in [need.slug for need in closest_needs(query)]
    assert closest_needs(analyse("xqzw")) == []


def test_the_vocabulary_follows_the_directory():
    make_service(name="Ludothèque Les Dés Bleus")
    assert SearchTerm.objects.filter(word="ludotheque", label="ludothèque").exists()
    assert analyse("ludoteque").corrections == [("ludoteque", "ludothèque")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own stemmer")
def test_stems_are_those_of_postgresql_french_stemmer():
    """Our Python analysis is PostgreSQL's `french_stem` over unaccented words: one
    Snowball French algorithm on both databases (acronyms and plurals aside)."""
    checked = 0
    for need in Need.objects.all():
        for word in words(need.search_words()):
            if len(word) < 5 or word.endswith(("s", "x", "ee")) or word in ACRONYMS:
                continue
            with connection.cursor() as cursor:
                cursor.execute("SELECT ts_lexize('french_stem', %s)", [word])
                (lexemes,) = cursor.fetchone()
            if lexemes and lexemes[0] not in ACRONYMS:
                assert stem(word) == lexemes[0], word
                checked += 1
    assert checked > 100
