"""What a process keeps under the content version (services_directory/versions.py): the
territory, the filter lists, the fixed parts of cards and pages. Kept until the content
changes, never anything of the clock or of the visitor."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from services_directory import versions
from services_directory.models import Sector
from tests.factories import (
    make_commune,
    make_place,
    make_sector,
    make_service,
    make_territory,
    make_translation,
)

SEARCH = reverse("services_directory:search")
TUESDAY_MORNING = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)  # 10:30 in Paris


@pytest.fixture
def creche(db):
    make_territory(name="Communauté de communes Yonne Nord")
    place = make_place(commune=make_commune(name="Pont-sur-Yonne"))
    return make_service(
        name="Crèche Les Lutins",
        summary="Accueil des enfants de 10 semaines à 3 ans.",
        phone="03 86 00 00 01",
        sectors=[make_sector(name="Petite Enfance")],
        places=[(place, "Tu 09:00-12:00")],
    )


def count_queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.text


def test_a_second_page_reads_less_and_writes_the_same_html(client, creche):
    for url in (SEARCH, creche.get_absolute_url(), reverse("portal:home")):
        versions.forget()
        cold, first = count_queries(client, url)
        warm, second = count_queries(client, url)
        assert warm < cold, url
        assert second == first, url


def test_the_home_page_reads_nothing_once_kept(client, creche):
    client.get("/")
    assert count_queries(client, "/")[0] == 0


@time_machine.travel(TUESDAY_MORNING, tick=False)
def test_a_change_of_the_content_shows_at_once(client, creche):
    client.get(SEARCH)
    client.get(creche.get_absolute_url())
    creche.name = "Crèche Les Petits Loups"
    creche.save()
    assert "Les Petits Loups" in client.get(SEARCH).text
    assert "Les Petits Loups" in client.get(creche.get_absolute_url()).text
    # Domains are a many-to-many: changing them changes the cards too.
    creche.sectors.add(Sector.objects.create(name="Soutien aux parents", slug="soutien-parents"))
    assert "Soutien aux parents" in client.get(SEARCH).text
    assert "Soutien aux parents" in client.get("/").text


def test_a_newly_reviewed_translation_shows_at_once(client, creche):
    assert "Les Lutins daycare" not in client.get("/en" + SEARCH).text
    make_translation(creche, "name", "en", "Les Lutins daycare")
    assert "Les Lutins daycare" in client.get("/en" + SEARCH).text
    # French pages keep their own copy: languages never mix.
    assert "Les Lutins daycare" not in client.get(SEARCH).text


def test_the_opening_status_stays_live_while_the_card_is_kept(client, creche):
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        assert 'class="status-open"' in client.get(SEARCH).text
    with time_machine.travel(TUESDAY_MORNING + dt.timedelta(hours=5), tick=False):
        page = client.get(SEARCH).text
    assert "Crèche Les Lutins" in page  # the kept card
    assert 'class="status-closed"' in page and 'class="status-open"' not in page


def test_the_commune_and_distance_stay_live_while_the_card_is_kept(client, creche):
    far = make_commune(name="Sergines", latitude=48.34, longitude=3.26)
    versions.forget()  # the commune's creation emptied it already: start from a kept card
    client.get(SEARCH)
    page = client.get(SEARCH, {"commune": far.slug}).text
    assert "km" in page


def test_another_process_sees_a_change_within_a_second(client, creche, monkeypatch):
    monkeypatch.setattr(versions, "TRUST_SECONDS", 1.0)
    versions.local.reset()
    client.get("/")
    assert count_queries(client, "/")[0] == 0
    # Another app server saved something: the shared version moved.
    cache.set(versions.VERSION_KEY, "changed-elsewhere", None)
    Sector.objects.filter(name="Petite Enfance").update(name="Toute petite enfance")
    assert "Toute petite enfance" not in client.get("/").text  # trusted for a second
    versions.local.read_at -= versions.TRUST_SECONDS
    assert "Toute petite enfance" in client.get("/").text


def test_kept_values_are_per_language(creche):
    built = []

    def build():
        built.append(translation.get_language())
        return len(built)

    with translation.override("fr"):
        assert versions.remembered(("x",), build) == 1
        assert versions.remembered(("x",), build) == 1
    with translation.override("en"):
        assert versions.remembered(("x",), build) == 2
    assert built == ["fr", "en"]


def test_nothing_is_kept_while_the_version_cannot_be_read(creche, monkeypatch):
    versions.local.reset()
    monkeypatch.setattr(versions, "read_shared", lambda: 1 / 0)
    built = []
    for _ in range(2):
        versions.remembered(("x",), lambda: built.append(1))
    assert len(built) == 2
    assert Client().get("/").status_code == 200


@time_machine.travel(TUESDAY_MORNING, tick=False)
def test_new_hours_or_a_new_place_show_at_once(client, creche):
    assert 'class="status-open"' in client.get(SEARCH).text
    service_place = creche.service_places.get()
    service_place.opening_hours = "We 09:00-12:00"
    service_place.save()
    page = client.get(SEARCH).text
    assert "Fermé · ouvre demain à 9 h" in page
    service_place.delete()
    creche.service_places.create(place=make_place(address="12 rue des Tilleuls"))
    assert "12 rue des Tilleuls" in client.get(SEARCH).text


def test_a_filter_value_that_is_no_option_is_never_kept(client, creche):
    client.get(SEARCH, {"commune": "pont-sur-yonne"})
    kept = len(versions.local.memo)
    for slug in ("commune-inventee-1", "commune-inventee-2"):
        assert client.get(SEARCH, {"commune": slug}).status_code == 400
    assert len(versions.local.memo) == kept
