"""What comes next for a service: itinerant stops, collective sessions, calendar files,
how fresh the information is, and how to reach a walk-in-only service."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from services_directory.models import GroupSession, ItinerantStop, Notice, Service
from tests.factories import make_commune, make_place, make_service

SEARCH = reverse("services_directory:search")
TUESDAY = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)  # 10 h in Paris


@pytest.fixture
def bus(directory):
    """A bus that stops in Sergines (2nd Tuesday) and in Cuy (1st Thursday)."""
    cuy = make_commune(name="Cuy", slug="cuy", latitude=48.25, longitude=3.27)
    sergines = make_place(commune=directory["far"], name="Place du marché")
    mairie_cuy = make_place(commune=cuy, name="place de la mairie")
    service = make_service(
        name="Bus France Services",
        slug="bus",
        itinerant=True,
        on_site=False,
        walk_in=True,
        phone="03 86 00 00 09",
        places=[sergines, mairie_cuy],
    )
    ItinerantStop.objects.create(service=service, place=sergines, schedule="Tu[2] 09:00-12:00")
    ItinerantStop.objects.create(service=service, place=mairie_cuy, schedule="Th[1] 09:00-12:00")
    return service


@time_machine.travel(TUESDAY, tick=False)
def test_the_card_shows_the_next_stop_in_the_chosen_commune_and_its_distance(client, bus):
    text = client.get(SEARCH, {"q": "bus", "commune": "cuy"}).text
    assert "Prochain passage à Cuy : jeudi 3 décembre, 9 h–12 h, place de la mairie · à 0 km" in (
        text
    )
    text = client.get(SEARCH, {"q": "bus", "commune": "sergines"}).text
    assert "Prochain passage à Sergines : mardi 8 décembre, 9 h–12 h, Place du marché" in text
    # Without a commune (an empty one forgets the remembered commune): the soonest stop.
    text = client.get(SEARCH, {"q": "bus", "commune": ""}).text
    assert "Prochain passage à Cuy : jeudi 3 décembre" in text


@time_machine.travel(TUESDAY, tick=False)
def test_the_nearest_stop_is_chosen_for_a_commune_the_bus_does_not_visit(client, bus, directory):
    # Pont-sur-Yonne (48.285, 3.200) is nearer to Cuy (48.25, 3.27) than to Sergines.
    text = client.get(SEARCH, {"q": "bus", "commune": "pont-sur-yonne"}).text
    assert "Prochain passage à Cuy : jeudi 3 décembre" in text


@time_machine.travel(TUESDAY, tick=False)
def test_the_service_page_lists_the_next_stops_first_with_calendar_links(client, bus):
    text = client.get(bus.get_absolute_url()).text
    stops = text.index("Prochains passages")
    assert stops < text.index("Ce que nous faisons")
    assert text.index("Cuy — place de la mairie") < text.index("Sergines — Place du marché")
    assert "Le 1er jeudi du mois, de 9 h à 12 h" in text  # read from the schedule
    stop = bus.stops.get(place__name="place de la mairie")
    ics_url = reverse("services_directory:stop_ics", args=["bus", stop.pk, "2026-12-03"])
    assert ics_url in text
    # The stop places are not listed again as places without hours.
    assert "Lieux d&#x27;accueil" not in text


@time_machine.travel(TUESDAY, tick=False)
def test_a_stop_during_a_closure_is_left_out(client, bus):
    Notice.objects.create(
        service=bus,
        kind=Notice.Kind.CLOSURE,
        reason="panne du bus",
        start=dt.date(2026, 12, 2),
        end=dt.date(2026, 12, 5),
    )
    text = client.get(SEARCH, {"q": "bus", "commune": "cuy"}).text
    assert "Prochain passage à Cuy : jeudi 7 janvier" in text


@time_machine.travel(TUESDAY, tick=False)
def test_a_stop_calendar_file_is_plain_icalendar_in_paris_time(client, bus):
    stop = bus.stops.get(place__name="place de la mairie")
    url = reverse("services_directory:stop_ics", args=["bus", stop.pk, "2026-12-03"])
    response = client.get(url)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="passage-2026-12-03.ics"' in response["Content-Disposition"]
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert "TZID:Europe/Paris" in body
    assert "DTSTART;TZID=Europe/Paris:20261203T090000\r\n" in body
    assert "DTEND;TZID=Europe/Paris:20261203T120000\r\n" in body
    assert f"UID:passage-{stop.pk}-20261203@" in body
    assert "SUMMARY:Bus France Services — Cuy\r\n" in body
    assert "LOCATION:place de la mairie\\, " in body  # the comma is escaped
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    # Not a date of this stop: 404, never a 500.
    wrong = reverse("services_directory:stop_ics", args=["bus", stop.pk, "2026-12-04"])
    assert client.get(wrong).status_code == 404
    bad = reverse("services_directory:stop_ics", args=["bus", stop.pk, "pas-une-date"])
    assert client.get(bad).status_code == 404


@pytest.fixture
def workshop(directory):
    service = make_service(
        name="Ateliers parents",
        slug="ateliers-parents",
        collective=True,
        phone="03 86 00 00 10",
        places=[directory["creche"].nearest_place(None).place],
    )
    place = service.nearest_place(None).place
    GroupSession.objects.create(
        service=service,
        topic="Écrans; règles, et « limites »",
        date=dt.date(2026, 12, 8),
        start_time=dt.time(18, 30),
        end_time=dt.time(20, 30),
        place=place,
        audience="Parents d'enfants de 3 à 12 ans",
        registration_required=True,
        places_left=3,
    )
    GroupSession.objects.create(
        service=service,
        topic="Une séance passée",
        date=dt.date(2026, 11, 24),
        start_time=dt.time(18, 30),
        end_time=dt.time(20, 30),
        place=place,
    )
    return service


@time_machine.travel(TUESDAY, tick=False)
def test_sessions_are_listed_with_what_a_parent_needs(client, workshop):
    text = client.get(workshop.get_absolute_url()).text
    assert "Prochaines séances" in text
    assert "Écrans; règles, et « limites »" in text
    assert "Mardi 8 décembre, 18 h 30–20 h 30" in text
    assert "Pour : Parents d&#x27;enfants de 3 à 12 ans" in text
    assert "Inscription obligatoire au 03 86 00 00 10 · 3 places restantes" in text
    assert "Une séance passée" not in text
    card = client.get(SEARCH, {"q": "ateliers"}).text
    assert (
        "Prochaine séance : mardi 8 décembre, 18 h 30–20 h 30 — Écrans; règles, et « limites »"
        in (card.replace("&quot;", '"'))
    )


@time_machine.travel(TUESDAY, tick=False)
def test_a_session_calendar_file_escapes_its_text(client, workshop):
    session = workshop.sessions.get(topic__startswith="Écrans")
    response = client.get(session.get_ics_url())
    body = response.content.decode()
    unfolded = body.replace("\r\n ", "")
    assert f"UID:seance-{session.pk}@" in body
    assert "SUMMARY:Écrans\\; règles\\, et « limites » — Ateliers parents" in unfolded
    assert "DTSTART;TZID=Europe/Paris:20261208T183000" in body
    assert "Inscription obligatoire 03 86 00 00 10" in unfolded
    other = reverse("services_directory:session_ics", args=["relais-petite-enfance", session.pk])
    assert client.get(other).status_code == 404  # the session of another service


@time_machine.travel(TUESDAY, tick=False)
def test_freshness_is_shown_and_old_information_is_flagged(client, directory):
    rpe = directory["rpe"]
    rpe.verified_on = dt.date(2026, 11, 20)
    rpe.save()
    text = client.get(rpe.get_absolute_url()).text
    assert text.index("Informations vérifiées le 20 novembre 2026.") < text.index("Nous joindre")
    assert "plus d'un an" not in text
    rpe.verified_on = dt.date(2025, 10, 1)
    rpe.save()
    text = client.get(rpe.get_absolute_url()).text
    assert "Ces informations ont plus d'un an : appelez ou vérifiez avant de vous" in text
    rpe.verified_on = None
    rpe.save()
    assert "plus d'un an" in client.get(rpe.get_absolute_url()).text


@time_machine.travel(TUESDAY, tick=False)
def test_a_walk_in_only_service_says_so_with_its_next_opening(client, directory):
    service = make_service(
        name="Lieu d'accueil enfants-parents",
        walk_in=True,
        places=[(make_place(commune=directory["near"]), "Th 09:00-11:30")],
    )
    assert service.walk_in_only
    text = client.get(service.get_absolute_url()).text
    assert "Ce service n'a pas de téléphone ni de courriel : venez sur place" in text
    assert (
        "venez sur place, sans rendez-vous, aux heures d'ouverture.</strong> Ouvre jeudi à 9 h."
        in (text)
    )
    assert (
        "Pas de téléphone : venez sur place, sans rendez-vous."
        in client.get(SEARCH, {"q": "accueil"}).text
    )


def test_every_service_tag_and_text_say_the_same_age(client, directory):
    creche = directory["creche"]  # 0 to 3: a child of 3 and a half is welcome
    assert creche.age_label == "moins de 4 ans"
    text = client.get(SEARCH, {"q": "creche"}).text
    assert '<li class="tag">moins de 4 ans</li>' in text
    assert "moins de 4 ans (âge de l&#x27;enfant)" in client.get(creche.get_absolute_url()).text
    assert Service(age_min=0, age_max=0).age_label == "moins d'un an"
    assert Service(age_min=16, age_max=25).age_label == "de 16 à 25 ans"
