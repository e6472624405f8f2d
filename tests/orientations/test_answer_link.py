"""The receiving partner's answer link, e-mailed, without an account:
/partenaire/reponse/<pk>/<signature>/."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from orientations.models import AuditLog, Referral, new_nonce
from services_directory.models import OutgoingMessage
from tests.personas import make_referral


@pytest.fixture
def link(world) -> str:
    world.referral.answer_nonce = new_nonce()
    world.referral.save()
    return world.referral.answer_link_path()


def test_opening_it_shows_the_orientation_and_records_vue(client, world, link):
    response = client.get(link)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Relais Petite Enfance" in content
    assert "Camille Martin" in content  # a mise en relation: the partner calls her
    world.referral.refresh_from_db()
    assert world.referral.status == Referral.Status.SEEN
    assert world.referral.seen_at is not None
    event = world.referral.events.last()
    assert event.by_link and event.by is None
    assert AuditLog.objects.filter(
        action="view_personal", referral=world.referral, detail="coordonnées (lien)"
    ).exists()
    assert "no-store" in response["Cache-Control"]


def test_opening_it_twice_records_vue_once(client, world, link):
    client.get(link)
    client.get(link)
    assert world.referral.events.filter(to_status="vue").count() == 1


def test_the_partner_takes_it_in_charge_once(client, world, link):
    response = client.post(link, {"answer": "pris_en_charge"})
    assert response.status_code == 200
    assert "Merci, votre réponse est enregistrée" in response.content.decode()
    world.referral.refresh_from_db()
    assert world.referral.status == Referral.Status.TAKEN
    assert world.referral.answer_nonce == ""
    assert AuditLog.objects.filter(
        action="status", referral=world.referral, detail__endswith="(lien)"
    ).exists()


def test_it_cannot_be_reused(client, world, link):
    client.post(link, {"answer": "pris_en_charge"})
    for response in (client.get(link), client.post(link, {"answer": "pas_pour_nous"})):
        assert response.status_code == 410
        assert "Ce lien a déjà servi" in response.content.decode()
        assert "Camille" not in response.content.decode()
    world.referral.refresh_from_db()
    assert world.referral.status == Referral.Status.TAKEN


def test_an_altered_link_is_a_404(client, world, link):
    pk, signature = world.referral.pk, link.rstrip("/").rsplit("/", 1)[1]
    for tampered in (signature[:-1] + ("A" if signature[-1] != "A" else "B"), "x" + signature):
        url = reverse("orientations:answer_link", args=[pk, tampered])
        assert client.get(url).status_code == 404
        assert client.post(url, {"answer": "pris_en_charge"}).status_code == 404
    world.referral.refresh_from_db()
    assert world.referral.status == Referral.Status.SENT


def test_it_cannot_answer_another_orientation(client, world, link):
    other = make_referral(service=world.service, from_partner=world.partner_a)
    other.answer_nonce = world.referral.answer_nonce  # even with the same nonce
    other.save()
    signature = link.rstrip("/").rsplit("/", 1)[1]
    url = reverse("orientations:answer_link", args=[other.pk, signature])
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "pris_en_charge"}).status_code == 404
    other.refresh_from_db()
    assert other.status == Referral.Status.PROPOSED


def test_it_expires(client, world, link, settings):
    settings.REFERRAL_LINK_DAYS = 30
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        response = client.post(link, {"answer": "pris_en_charge"})
        assert response.status_code == 410
        assert "Ce lien a expiré" in response.content.decode()
        assert client.get(link).status_code == 410
    world.referral.refresh_from_db()
    assert world.referral.status == Referral.Status.SENT


def test_not_for_us_is_a_refusal_for_the_wrong_service_told_to_the_adviser(client, world, link):
    client.post(link, {"answer": "pas_pour_nous"})
    world.referral.refresh_from_db()
    assert (world.referral.status, world.referral.status_reason) == ("refusee", "mauvais_service")
    to_adviser = OutgoingMessage.objects.get(kind="referral_failed", to=world.adviser_a.email)
    assert world.referral.get_absolute_url() in to_adviser.body
    assert "Camille" not in to_adviser.body
    # The family gave its e-mail with its consent: it hears what to do now.
    to_family = OutgoingMessage.objects.get(kind="family_failed")
    assert to_family.to == "camille@example.org"
    assert world.referral.get_follow_up_url() in to_family.body


def test_a_refusal_needs_a_coded_reason(client, world, link):
    response = client.post(link, {"answer": "refuse"})
    assert response.status_code == 400
    assert "Choisissez le motif du refus" in response.content.decode()
    response = client.post(link, {"answer": "refuse", "reason": "complet"})
    world.referral.refresh_from_db()
    assert (world.referral.status, world.referral.status_reason) == ("refusee", "complet")


def test_a_bad_answer_is_explained_not_a_500(client, world, link):
    response = client.post(link, {"answer": "peut-etre", "reason": "x" * 500})
    assert response.status_code == 400


def test_an_orientation_answered_in_the_portal_closes_its_link(client, world, link):
    world.referral.move_to("refusee", by=world.partner_staff, reason="complet")
    assert client.post(link, {"answer": "pris_en_charge"}).status_code == 410
