"""/espace-pro/mes-services/: a partner's staff keeps its services' sheets up to date."""

import datetime as dt

import pytest
import time_machine

from services_directory.models import Service, ServiceChange
from tests.factories import make_service

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
URL = "/espace-pro/mes-services/"


@time_machine.travel(NOW, tick=False)
def test_partner_staff_sees_its_services_and_which_are_due(client, world):
    Service.objects.filter(pk=world.service.pk).update(
        verified_on=dt.date(2026, 3, 1), check_every_months=6
    )
    make_service(
        name="Ateliers du relais", partner=world.partner_c, verified_on=dt.date(2026, 11, 1)
    )
    make_service(name="Service d'un autre partenaire")
    client.force_login(world.partner_staff)

    response = client.get(URL)

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert "Mes services — Relais Petite Enfance C" in response.text
    assert "Relais Petite Enfance" in response.text and "Ateliers du relais" in response.text
    assert "Service d&#x27;un autre partenaire" not in response.text
    assert "à vérifier maintenant" in response.text  # checked in March, every 6 months
    assert "prochaine vérification le 1er mai 2027" in response.text


def test_an_adviser_keeps_the_sheets_of_its_own_structure(client, world):
    make_service(name="France Services : accueil", partner=world.partner_a)
    client.force_login(world.adviser_a)

    response = client.get(URL)

    assert "France Services : accueil" in response.text
    assert "Relais Petite Enfance" not in response.text


@pytest.mark.parametrize("persona", ["coordinator", "admin"])
def test_the_coordination_edits_in_the_admin_not_here(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    assert client.get(URL)["Location"].startswith("/connexion/")


@time_machine.travel(NOW, tick=False)
def test_nothing_changed_marks_the_sheet_checked_today_and_is_recorded(client, world):
    Service.objects.filter(pk=world.service.pk).update(verified_on=dt.date(2025, 1, 1))
    client.force_login(world.partner_staff)

    response = client.post(f"{URL}{world.service.pk}/rien-n-a-change/", follow=True)

    assert "« Relais Petite Enfance » est marqué vérifié aujourd&#x27;hui" in response.text
    world.service.refresh_from_db()
    assert world.service.verified_on == dt.date(2026, 11, 30)
    change = ServiceChange.objects.get()
    assert change.kind == ServiceChange.Kind.CONFIRMED
    assert change.author == world.partner_staff


def test_nothing_changed_on_another_partners_service_is_not_found(client, world):
    client.force_login(world.adviser_a)
    response = client.post(f"{URL}{world.service.pk}/rien-n-a-change/")
    assert response.status_code == 404
    assert not ServiceChange.objects.exists()
    assert client.get(f"{URL}{world.service.pk}/rien-n-a-change/").status_code == 405


def test_the_list_costs_the_same_queries_for_1_or_8_services(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.partner_staff)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    one = count()
    for n in range(7):
        make_service(name=f"Atelier {n}", partner=world.partner_c)
    assert count() == one
