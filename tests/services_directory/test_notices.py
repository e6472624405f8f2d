"""Dated notices on the pages a family sees: a closure, changed hours, a whole place closed.

Every test runs under a frozen clock, before, during and after the notice.
"""

import datetime as dt
import io

import time_machine
from django.core.management import call_command
from django.urls import reverse

from services_directory.models import Notice
from tests.factories import make_service

SEARCH = reverse("services_directory:search")


def paris(day: str, hour: int = 10) -> dt.datetime:
    """A Paris wall-clock time in winter (UTC+1)."""
    return dt.datetime.fromisoformat(f"{day}T{hour - 1:02d}:00:00+00:00")


def names(response) -> list[str]:
    return [service.name for service in response.context["page"].object_list]


def close_for_works(service, start="2026-11-28", end="2026-12-12", **kwargs) -> Notice:
    kwargs.setdefault("kind", Notice.Kind.CLOSURE)
    kwargs.setdefault("reason", "travaux")
    return Notice.objects.create(
        service=service,
        start=dt.date.fromisoformat(start),
        end=dt.date.fromisoformat(end),
        **kwargs,
    )


def test_a_closed_service_says_so_on_its_page_until_its_last_day(client, directory):
    creche = directory["creche"]
    with time_machine.travel(paris("2026-12-01"), tick=False):
        close_for_works(creche, text="Les enfants sont accueillis à Pont-sur-Yonne.")
        text = client.get(creche.get_absolute_url()).text
    assert "Fermé du 28 novembre au 12 décembre — travaux" in text
    assert "Les enfants sont accueillis à Pont-sur-Yonne." in text
    assert "Fermé temporairement jusqu&#x27;au 12 décembre — travaux" in text
    assert "rouvre le 14 décembre à 7 h 30" in text
    assert "Fermé les 7 prochains jours." in text
    with time_machine.travel(paris("2026-12-10"), tick=False):
        text = " ".join(client.get(creche.get_absolute_url()).text.split())
    assert (
        'Vendredi 11 décembre</th> <td>Fermé <span class="why">(fermeture temporaire : travaux)'
        in text
    )
    assert "Lundi 14 décembre</th> <td>de 7 h 30 à 18 h 30</td>" in text
    assert "ouvre demain" not in text
    with time_machine.travel(paris("2026-12-12"), tick=False):
        assert "Fermé temporairement" in client.get(creche.get_absolute_url()).text
    with time_machine.travel(paris("2026-12-14"), tick=False):
        text = client.get(creche.get_absolute_url()).text
    assert "Fermé temporairement" not in text
    assert "travaux" not in text
    assert "Ouvert · ferme à 18 h 30" in text


def test_a_closure_to_come_shows_its_dates_and_the_usual_status(client, directory):
    creche = directory["creche"]
    with time_machine.travel(paris("2026-11-24"), tick=False):
        close_for_works(creche)
        page = client.get(creche.get_absolute_url()).text
        card = client.get(SEARCH, {"q": "creche"}).text
    assert "Fermé du 28 novembre au 12 décembre — travaux" in page
    assert "Ouvert · ferme à 18 h 30" in page
    assert "À noter : Fermé du 28 novembre au 12 décembre — travaux" in card


def test_the_result_card_says_closed_with_the_reopening_date(client, directory):
    with time_machine.travel(paris("2026-12-01"), tick=False):
        close_for_works(directory["creche"])
        text = client.get(SEARCH, {"q": "creche"}).text
    assert (
        "Fermé temporairement jusqu&#x27;au 12 décembre — travaux · rouvre le 14 décembre à 7 h 30"
    ) in text


def test_the_hours_filters_leave_out_a_closed_service_for_the_dates_concerned(client, directory):
    mission_locale = directory["mission_locale"]  # open until 19 h on weekdays
    with time_machine.travel(paris("2026-11-24"), tick=False):
        close_for_works(mission_locale)
        # A week before: still open in the evening this week.
        assert "Mission Locale" in names(client.get(SEARCH, {"soir": "on"}))
    with time_machine.travel(paris("2026-12-01"), tick=False):
        call_command("refresh_hours", stdout=io.StringIO())
        assert "Mission Locale" not in names(client.get(SEARCH, {"soir": "on"}))
        assert "Mission Locale" not in names(client.get(SEARCH, {"ouvert": "on"}))
        assert "Crèche Les Petits Loups" in names(client.get(SEARCH, {"ouvert": "on"}))
    with time_machine.travel(paris("2026-12-14"), tick=False):
        call_command("refresh_hours", stdout=io.StringIO())
        assert "Mission Locale" in names(client.get(SEARCH, {"soir": "on"}))
        assert "Mission Locale" in names(client.get(SEARCH, {"ouvert": "on"}))


def test_saving_a_notice_updates_the_filters_at_once(client, directory):
    with time_machine.travel(paris("2026-12-01"), tick=False):
        notice = close_for_works(directory["mission_locale"])
        assert "Mission Locale" not in names(client.get(SEARCH, {"soir": "on"}))
        notice.delete()
        assert "Mission Locale" in names(client.get(SEARCH, {"soir": "on"}))


def test_changed_hours_replace_the_usual_ones_for_their_dates(client, directory):
    creche = directory["creche"]
    with time_machine.travel(paris("2026-12-01"), tick=False):
        close_for_works(
            creche,
            kind=Notice.Kind.HOURS,
            reason="personnel réduit",
            opening_hours="Mo-Fr 13:30-17:00",
            start="2026-11-30",
            end="2026-12-04",
        )
        page = " ".join(client.get(creche.get_absolute_url()).text.split())
        assert "Crèche Les Petits Loups" not in names(client.get(SEARCH, {"ouvert": "on"}))
        # "Après 18 h" looks at the next seven days: Monday 7, back to the usual hours.
        assert "Crèche Les Petits Loups" in names(client.get(SEARCH, {"soir": "on"}))
    assert "Horaires modifiés du 30 novembre au 4 décembre — personnel réduit" in page
    assert "Pendant cette période : du lundi au vendredi, de 13 h 30 à 17 h." in page
    assert "Fermé · ouvre à 13 h 30 (horaires modifiés jusqu&#x27;au 4 décembre)" in page
    assert 'de 13 h 30 à 17 h <span class="why">(horaires modifiés : personnel réduit)' in page
    assert "Lundi 7 décembre</th> <td>de 7 h 30 à 18 h 30</td>" in page


def test_a_notice_on_a_place_applies_to_every_service_there(client, directory):
    creche = directory["creche"]
    place = creche.nearest_place(None).place
    neighbour = make_service(name="Halte-garderie", places=[(place, "Mo-Fr 08:00-12:00")])
    with time_machine.travel(paris("2026-12-01"), tick=False):
        Notice.objects.create(
            place=place,
            kind=Notice.Kind.CLOSURE,
            reason="coupure d'électricité",
            start=dt.date(2026, 12, 1),
            end=dt.date(2026, 12, 1),
        )
        for service in (creche, neighbour):
            text = client.get(service.get_absolute_url()).text
            assert "Fermé le 1er décembre — coupure d&#x27;électricité" in text
            assert f"Pour tout le lieu : {place.name}." in text
            assert "Fermé temporairement jusqu&#x27;au 1er décembre" in text


def test_a_message_changes_nothing_but_is_shown(client, directory):
    rpe = directory["rpe"]
    with time_machine.travel(paris("2026-11-24"), tick=False):
        Notice.objects.create(
            service=rpe,
            kind=Notice.Kind.MESSAGE,
            reason="nouveau numéro",
            text="Le Relais a un nouveau numéro de téléphone.",
            start=dt.date(2026, 11, 20),
            end=dt.date(2026, 12, 20),
        )
        text = client.get(rpe.get_absolute_url()).text
    assert "Information du 20 novembre au 20 décembre — nouveau numéro" in text
    assert "Ouvert · ferme à 12 h" in text


def test_a_page_of_results_with_notices_costs_a_bounded_number_of_queries(
    client, directory, django_assert_max_num_queries
):
    with time_machine.travel(paris("2026-12-01"), tick=False):
        for service in (directory["creche"], directory["rpe"], directory["mission_locale"]):
            close_for_works(service)
        with django_assert_max_num_queries(12):
            response = client.get(SEARCH, {"commune": "pont-sur-yonne"})
    assert response.status_code == 200


def test_a_closed_service_comes_after_the_open_ones(client, directory):
    params = {"commune": "pont-sur-yonne"}
    with time_machine.travel(paris("2026-12-01"), tick=False):
        before = names(client.get(SEARCH, params))
        close_for_works(directory["rpe"])
        after = names(client.get(SEARCH, params))
    assert before[0] == "Relais Petite Enfance"
    assert after[-1] == "Relais Petite Enfance"
    assert sorted(after) == sorted(before)
