"""The freshness campaign: services due for a check are asked of their partner by e-mail,
once, with a signed link; the admin's list shows who was asked, when, and the answer."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.management import call_command

from services_directory import access
from services_directory.models import FreshnessRequest, OutgoingMessage, Service
from tests.factories import make_partner, make_service, make_territory
from tests.personas import make_coordinator

NOW = dt.datetime(2026, 11, 30, 5, 0, tzinfo=dt.UTC)


@pytest.fixture
def services(db):
    make_territory(name="Communauté de communes du Test", short_name="CC Test")
    relais = make_partner(name="Relais Petite Enfance", email="relais@example.org")
    return {
        # Every 3 months, last checked in July: due.
        "due_3": make_service(
            name="Ateliers", partner=relais, verified_on=dt.date(2026, 7, 1), check_every_months=3
        ),
        # Every 6 months, checked in July: not due before January.
        "fresh_6": make_service(
            name="Accueil", partner=relais, verified_on=dt.date(2026, 7, 1), check_every_months=6
        ),
        # Never checked: due.
        "never": make_service(name="Permanence", partner=relais, verified_on=None),
        # Due, no address anywhere: cannot be asked.
        "mute": make_service(
            name="Sans adresse", partner=make_partner(name="Association muette"), verified_on=None
        ),
        "draft": make_service(
            name="Brouillon", partner=relais, verified_on=None, status=Service.Status.DRAFT
        ),
    }


def run() -> str:
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("send_freshness_requests", stdout=out)
    return out.getvalue()


def test_due_services_follow_their_own_frequency(services):
    due = set(Service.objects.to_verify(dt.date(2026, 11, 30)).values_list("name", flat=True))
    assert due == {"Ateliers", "Permanence", "Sans adresse"}
    assert services["fresh_6"].next_check_on == dt.date(2027, 1, 1)


def test_one_email_per_partner_with_a_signed_link_per_due_service(services):
    output = run()

    assert "1 courriel(s) écrit(s) pour 2 service(s) à vérifier" in output
    assert "1 service(s) sans adresse de contact" in output
    message = OutgoingMessage.objects.get()
    assert message.to == "relais@example.org"
    assert message.kind == "freshness_request"
    assert message.subject == "Vos 2 fiches sont-elles à jour ? — CC Test"
    links = re.findall(r"http://127\.0\.0\.1:8000/fiche/([^/\s]+)/", message.body)
    assert len(links) == 2
    asked = {access.freshness_request_for_token(token).service.name for token in links}
    assert asked == {"Ateliers", "Permanence"}
    assert "Rien n'a changé" in message.body
    assert set(FreshnessRequest.objects.values_list("message", flat=True)) == {message.pk}


def test_a_service_is_not_asked_again_before_thirty_days(services):
    run()
    assert "0 courriel(s)" in run()
    with time_machine.travel(NOW + dt.timedelta(days=31), tick=False):
        out = io.StringIO()
        call_command("send_freshness_requests", stdout=out)
    assert "1 courriel(s) écrit(s) pour 2 service(s)" in out.getvalue()


def test_the_admin_list_shows_who_was_asked_when_and_the_answer(client, services):
    run()
    asked = FreshnessRequest.objects.get(service=services["never"])
    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        services["never"].confirm_unchanged(link=asked)
    client.force_login(make_coordinator())

    response = client.get("/admin/services_directory/service/", {"verification": "a_verifier"})

    text = response.text
    assert "Ateliers" in text and "Permanence" not in text  # confirmed: no longer due
    assert "le 30/11/2026 à relais@example.org : pas encore de réponse" in text
    response = client.get("/admin/services_directory/service/")
    assert (
        "le 30/11/2026 à relais@example.org : rien n&#x27;a changé (02/12/2026)" in response.text
    )


def test_the_admin_can_ask_now(client, services):
    client.force_login(make_coordinator())
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            "/admin/services_directory/service/",
            {"action": "ask_for_check", "_selected_action": [services["fresh_6"].pk]},
            follow=True,
        )
    assert "1 courriel(s) écrit(s) pour 1 service(s)" in response.text
    assert FreshnessRequest.objects.get().service == services["fresh_6"]
