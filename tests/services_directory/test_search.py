import datetime as dt
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from services_directory.models import Service
from tests.factories import make_place, make_service

URL = reverse("services_directory:search")


def names(response) -> list[str]:
    return [service.name for service in response.context["page"].object_list]


def test_it_lists_published_services_only(client, directory):
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == [
        "Crèche Les Petits Loups",
        "Mission Locale",
        "Relais Petite Enfance",
    ]
    assert "3 services trouvés" in response.text
    assert "Crèche en projet" not in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("creche", {"Crèche Les Petits Loups", "Relais Petite Enfance"}),  # accents + synonym
        ("CRÈCHES", {"Crèche Les Petits Loups", "Relais Petite Enfance"}),  # case + plural
        ("assistantes maternelles", {"Crèche Les Petits Loups", "Relais Petite Enfance"}),
        ("petits loups", {"Crèche Les Petits Loups"}),
        ("emploi jeunes", {"Mission Locale"}),
        ("mission loc", {"Mission Locale"}),  # a word being typed
        ("xylophone", set()),
    ],
)
def test_text_search_ignores_accents_case_plurals_and_uses_synonyms(
    client, directory, query, expected
):
    response = client.get(URL, {"q": query})
    assert set(names(response)) == expected


def test_sector_filter(client, directory):
    assert names(client.get(URL, {"secteur": "jeunesse"})) == ["Mission Locale"]


def test_need_filter(client, directory):
    assert set(names(client.get(URL, {"besoin": "garde"}))) == {
        "Crèche Les Petits Loups",
        "Relais Petite Enfance",
    }


def test_commune_filter_keeps_services_serving_it_nearest_first(client, directory):
    response = client.get(URL, {"commune": "sergines"})
    # Mission Locale only serves Pont-sur-Yonne; the crèche is in Sergines itself.
    assert names(response) == ["Crèche Les Petits Loups", "Relais Petite Enfance"]
    assert "les plus proches de Sergines d'abord" in response.text
    near_first = names(client.get(URL, {"commune": "pont-sur-yonne"}))
    assert near_first[-1] == "Crèche Les Petits Loups"


def test_age_filter(client, directory):
    assert set(names(client.get(URL, {"age": "2"}))) == {
        "Crèche Les Petits Loups",
        "Relais Petite Enfance",
    }
    assert set(names(client.get(URL, {"age": "17"}))) == {
        "Mission Locale",
        "Relais Petite Enfance",
    }


def test_modality_language_and_cost_filters(client, directory):
    assert names(client.get(URL, {"modalite": "itinerant"})) == ["Mission Locale"]
    assert names(client.get(URL, {"langue": "ar"})) == ["Relais Petite Enfance"]
    assert "Crèche Les Petits Loups" not in names(client.get(URL, {"gratuit": "on"}))


def test_adapted_hours_filters(client, directory):
    assert names(client.get(URL, {"samedi": "on"})) == ["Relais Petite Enfance"]
    assert names(client.get(URL, {"soir": "on"})) == ["Crèche Les Petits Loups", "Mission Locale"]
    assert names(client.get(URL, {"midi": "on"})) == ["Crèche Les Petits Loups"]


@time_machine.travel(dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC), tick=False)  # 11 h in Paris
def test_open_now_filter(client, directory):
    # Tuesday 11:00: the crèche, the RPE (Tu 9-12) and the Mission Locale are open.
    assert len(names(client.get(URL, {"ouvert": "on"}))) == 3


@time_machine.travel(dt.datetime(2026, 11, 24, 19, 0, tzinfo=dt.UTC), tick=False)  # 20 h in Paris
def test_open_now_filter_in_the_evening(client, directory):
    assert names(client.get(URL, {"ouvert": "on"})) == []


def test_filters_combine(client, directory):
    params = {"q": "creche", "commune": "pont-sur-yonne", "age": "1", "secteur": "petite-enfance"}
    # A crèche named so is more relevant than a relay that answers the same need, even
    # 7 km farther: proximity orders results of the same relevance, it does not override.
    assert names(client.get(URL, params)) == ["Crèche Les Petits Loups", "Relais Petite Enfance"]
    by_distance = client.get(URL, {**params, "tri": "distance"})
    assert names(by_distance) == ["Relais Petite Enfance", "Crèche Les Petits Loups"]
    assert "les plus proches de Pont-sur-Yonne d'abord" in unescape(by_distance.text)


def test_a_need_or_a_name_ranks_above_a_mention_in_the_description(client, directory):
    make_service(
        name="Atelier cuisine",
        summary="Un atelier pendant que les enfants sont à la crèche ou chez l'assistante.",
    )
    found = names(client.get(URL, {"q": "crèche"}))
    assert found[-1] == "Atelier cuisine"
    assert set(found[:2]) == {"Crèche Les Petits Loups", "Relais Petite Enfance"}


def test_a_sentence_does_not_need_every_word(client, directory):
    response = client.get(URL, {"q": "je cherche une crèche pour ma petite de 2 ans svp"})
    assert set(names(response)) == {"Crèche Les Petits Loups", "Relais Petite Enfance"}


def test_filters_live_in_the_url_of_the_pagination(client, directory):
    for n in range(25):
        make_service(name=f"Accueil de loisirs {n:02d}", summary="Centre de loisirs")
    response = client.get(URL, {"q": "loisirs"})
    assert "25 services trouvés" in response.text
    assert 'href="?q=loisirs&amp;page=2#resultats"' in response.text
    second = client.get(URL, {"q": "loisirs", "page": "2"})
    assert names(second) == [
        "Accueil de loisirs 20",
        "Accueil de loisirs 21",
        "Accueil de loisirs 22",
        "Accueil de loisirs 23",
        "Accueil de loisirs 24",
    ]


def test_htmx_gets_only_the_results(client, directory):
    response = client.get(URL, {"q": "creche"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Relais Petite Enfance" in response.text
    assert "HX-Request" in response["Vary"]


def test_unknown_filter_values_are_explained_and_the_rest_is_kept(client, directory):
    response = client.get(
        URL, {"q": "creche", "commune": "paris", "age": "douze", "modalite": "fusee"}
    )
    assert response.status_code == 400
    text = unescape(response.text)
    assert "« paris » n'est pas un choix possible : filtre ignoré." in text
    assert "L'âge doit être un nombre d'années" in text
    assert set(names(response)) == {"Crèche Les Petits Loups", "Relais Petite Enfance"}
    assert 'value="creche"' in response.text


def test_a_huge_query_string_gets_a_french_message(client, directory):
    response = client.get(URL, {"q": "a" * 10_000, "page": "9" * 50})
    assert response.status_code == 400
    assert "Votre recherche est trop longue" in response.text


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        '"; DROP TABLE services_directory_service; --',
        "%00\x00",
    ],
)
def test_injection_attempts_are_escaped_and_harmless(client, directory, payload):
    response = client.get(URL, {"q": payload})
    assert response.status_code in (200, 400)  # a NUL character is refused with a message
    assert "<script>alert(1)</script>" not in response.text
    assert Service.objects.count() == 4


def test_the_number_of_queries_does_not_grow_with_results(
    client, directory, django_assert_num_queries
):
    params = {"commune": "pont-sur-yonne"}
    with CaptureQueriesContext(connection) as few_results:
        client.get(URL, params)
    commune = directory["near"]
    for n in range(30):
        make_service(
            name=f"Service {n}", places=[(make_place(commune=commune), "Mo-Fr 09:00-17:00")]
        )
    with django_assert_num_queries(len(few_results.captured_queries)):
        response = client.get(URL, params)
    assert len(names(response)) == 20
    assert len(few_results.captured_queries) <= 12


def test_wrong_method_is_refused(client, directory):
    assert client.post(URL).status_code == 405
