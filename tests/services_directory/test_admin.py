import pytest
import time_machine
from django.contrib.auth import get_user_model

from services_directory.models import Service, ServicePlace
from tests.factories import make_partner, make_place, make_sector

ADD_URL = "/admin/services_directory/service/add/"


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser(
        "chargee", "chargee@example.org", "pw-Passerelles-2026"
    )
    client.force_login(user)
    return client


def service_form(partner, sector, place, hours: str) -> dict:
    return {
        "name": "Point Information Jeunesse",
        "slug": "pij",
        "partner": partner.pk,
        "status": "published",
        "summary": "Informations pour les jeunes.",
        "what_we_do": "Nous informons.",
        "audience": "Jeunes de 11 à 25 ans",
        "age_of": "person",
        "cost": "free",
        "check_every_months": "6",
        "on_site": "on",
        "serves_whole_territory": "on",
        "sectors": [sector.pk],
        "service_places-TOTAL_FORMS": "1",
        "service_places-INITIAL_FORMS": "0",
        "service_places-0-place": place.pk,
        "service_places-0-opening_hours": hours,
        "stops-TOTAL_FORMS": "0",
        "stops-INITIAL_FORMS": "0",
        "notices-TOTAL_FORMS": "0",
        "notices-INITIAL_FORMS": "0",
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
        "phone": "03 86 00 00 00",
    }


def test_an_invalid_hours_string_is_a_form_error_and_nothing_is_saved(admin_client):
    data = service_form(make_partner(), make_sector(), make_place(), "lundi de 9h à 12h")
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "Horaires illisibles à partir du caractère 1 (« lundi de 9h à 12h »)" in response.text
    assert "Les jours s&#x27;écrivent en anglais abrégé" in response.text
    assert not Service.objects.exists()
    assert not ServicePlace.objects.exists()


def test_a_valid_service_is_saved_with_its_derived_hours(admin_client):
    data = service_form(
        make_partner(), make_sector(name="Jeunesse"), make_place(), "We,Sa 14:00-19:00"
    )
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 302
    service = Service.objects.get(slug="pij")
    assert service.open_saturday and service.open_evening
    assert " jeuness " in service.search_text  # stemmed, like the queries


def test_an_address_typed_without_its_scheme_is_saved_as_https(admin_client):
    data = service_form(make_partner(), make_sector(), make_place(), "Mo 09:00-12:00")
    data.update(website="www.pij-yonne.fr", appointment_url="//rdv.example.org/pij")
    assert admin_client.post(ADD_URL, data).status_code == 302
    service = Service.objects.get(slug="pij")
    assert service.website == "https://www.pij-yonne.fr"
    assert service.appointment_url == "https://rdv.example.org/pij"
    partner = make_partner(name="Mission Locale", slug="mission-locale")
    response = admin_client.post(
        f"/admin/services_directory/partner/{partner.pk}/change/",
        {
            "name": partner.name,
            "slug": partner.slug,
            "kind": partner.kind,
            "website": "mission-locale.fr",
            "referents-TOTAL_FORMS": "0",
            "referents-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.website == "https://mission-locale.fr"


@time_machine.travel("2026-11-30 10:00:00+01:00", tick=False)
def test_the_to_verify_list_shows_stale_services(admin_client, directory):
    # Over six months before today, and the day before yesterday.
    Service.objects.filter(pk=directory["creche"].pk).update(verified_on="2026-05-29")
    Service.objects.exclude(pk=directory["creche"].pk).update(verified_on="2026-11-28")
    response = admin_client.get("/admin/services_directory/service/?verification=a_verifier")
    assert "Crèche Les Petits Loups" in response.text
    assert "Relais Petite Enfance" not in response.text
