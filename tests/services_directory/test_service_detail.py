import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from services_directory.models import ItinerantStop, Notice, Service
from tests.factories import make_place, make_service

TUESDAY_10H = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)  # 10 h in Paris


def url(service) -> str:
    return reverse("services_directory:service", args=[service.slug])


@time_machine.travel(TUESDAY_10H, tick=False)
def test_it_shows_what_a_family_needs_to_know(client, directory):
    rpe = directory["rpe"]
    rpe.what_we_dont_do = "Nous ne gardons pas les enfants : adressez-vous à une crèche."
    rpe.documents = "Livret de famille\nAttestation CAF"
    rpe.phone = "03 86 00 11 22"
    rpe.verified_on = dt.date(2026, 10, 1)
    rpe.save()
    response = client.get(url(rpe))
    assert response.status_code == 200
    text = response.text
    assert "Ce que nous ne faisons pas" in text
    assert "adressez-vous à une crèche" in text
    assert "<li>Attestation CAF</li>" in text
    assert 'href="tel:0386001122"' in text
    assert "Informations vérifiées le 1er octobre 2026." in text
    assert "Ouvert · ferme à 12 h" in text
    assert "openstreetmap.org/?mlat=" in text
    assert "Arabe" in text


@time_machine.travel(TUESDAY_10H, tick=False)
def test_it_shows_the_week_table_in_french_with_today_marked(client, directory):
    response = client.get(url(directory["rpe"]))
    text = response.text
    assert (
        '<tr class="today"><th scope="row">Aujourd\'hui<span class="day-date"> mardi 24 '
        "novembre</span>"
    ) in text
    assert "de 9 h à 12 h" in text
    assert '<th scope="row">Lundi 30 novembre</th>\n        <td>Fermé</td>' in text


@time_machine.travel(dt.datetime(2026, 7, 14, 8, 0, tzinfo=dt.UTC), tick=False)
def test_on_a_public_holiday_it_says_closed_and_why(client, directory):
    response = client.get(url(directory["creche"]))
    assert "Fermé (jour férié : Fête nationale) · ouvre demain à 7 h 30" in response.text
    assert "Fermé les jours fériés." in response.text


@time_machine.travel(TUESDAY_10H, tick=False)
def test_a_closure_notice_is_shown_between_its_dates_only(client, directory):
    creche = directory["creche"]
    notice = Notice.objects.create(
        service=creche,
        kind=Notice.Kind.CLOSURE,
        reason="travaux",
        start=dt.date(2026, 11, 20),
        end=dt.date(2026, 11, 30),
    )
    text = client.get(url(creche)).text
    assert "Fermé du 20 novembre au 30 novembre — travaux" in text
    assert "Fermé temporairement jusqu&#x27;au 30 novembre — travaux" in text
    notice.start, notice.end = dt.date(2026, 11, 1), dt.date(2026, 11, 5)
    notice.save()
    assert "travaux" not in client.get(url(creche)).text


@time_machine.travel(TUESDAY_10H, tick=False)
def test_itinerant_stops_show_their_next_dates(client, directory):
    bus = directory["mission_locale"]
    place = make_place(commune=directory["far"], name="Salle des fêtes")
    ItinerantStop.objects.create(
        service=bus,
        place=place,
        schedule="Tu[2] 09:00-12:00",
        schedule_label="le 2e mardi du mois",
    )
    ItinerantStop.objects.create(
        service=bus,
        place=place,
        date=dt.date(2026, 11, 1),
        start_time=dt.time(9),
        end_time=dt.time(12),
    )
    response = client.get(url(bus))
    assert "Prochains passages" in response.text
    assert "Le 2e mardi du mois" in response.text
    assert "mardi 8 décembre" in response.text
    assert "1 novembre" not in response.text  # past one-off stops are gone


def test_related_services_for_the_same_need_in_other_sectors(client, directory):
    other = make_service(name="PMI", sectors=[directory["jeunesse"]], needs=[directory["garde"]])
    response = client.get(url(directory["creche"]))
    assert "Pour le même besoin, dans d'autres domaines" in response.text
    assert other.name in response.text
    assert "Relais Petite Enfance" not in response.text.split("dans d'autres domaines")[1]


@pytest.mark.parametrize("status", [Service.Status.DRAFT, Service.Status.ARCHIVED])
def test_draft_and_archived_services_are_404(client, directory, status):
    service = directory["creche"]
    service.status = status
    service.save()
    response = client.get(url(service))
    assert response.status_code == 404
    assert "Page introuvable" in response.text


def test_an_unknown_slug_is_404(client, db):
    assert client.get("/annuaire/nexiste-pas/").status_code == 404


def test_queries_are_bounded(client, directory, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get(url(directory["creche"]))
    assert response.status_code == 200
    assert "Crèche Les Petits Loups" in response.text
    assert "Selon le quotient familial" in response.text
