import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from orientations.models import Actor, AuditLog, Referral, ReferralEvent
from tests.personas import make_world


def url(referral) -> str:
    return reverse("orientations:referral_move", args=[referral.pk])


def test_the_partner_accepts_and_it_is_recorded(client, world):
    client.force_login(world.partner_staff)
    response = client.post(url(world.referral), {"status": "acceptee"}, follow=True)
    assert "« Acceptée »" in response.content.decode()
    world.referral.refresh_from_db()
    assert world.referral.status == Referral.Status.ACCEPTED
    event = world.referral.events.last()
    assert (event.by, event.from_status, event.to_status) == (
        world.partner_staff,
        "transmise",
        "acceptee",
    )
    assert AuditLog.objects.filter(action="status", referral=world.referral).exists()


def test_a_refusal_needs_a_coded_reason(client, world):
    client.force_login(world.partner_staff)
    response = client.post(url(world.referral), {"status": "refusee"}, follow=True)
    assert "Choisissez un motif" in response.content.decode()
    world.referral.refresh_from_db()
    # Still waiting for its answer (seen, since the partner opened it after the error).
    assert world.referral.status in Referral.AWAITING_ANSWER


def test_a_refusal_with_a_reason_closes_it(client, world):
    client.force_login(world.partner_staff)
    client.post(url(world.referral), {"status": "refusee", "reason": "complet"})
    world.referral.refresh_from_db()
    assert world.referral.status == Referral.Status.REFUSED
    assert world.referral.status_reason == "complet"
    assert world.referral.closed_at is not None


def test_an_invalid_transition_is_refused_with_a_message(client, world):
    world.referral.move_to(Referral.Status.SUCCEEDED, actor=Actor.RECEIVER)
    client.force_login(world.partner_staff)
    response = client.post(url(world.referral), {"status": "acceptee"}, follow=True)
    assert response.status_code == 200
    assert "Impossible de passer cette orientation de « Aboutie » à « Acceptée »" in (
        response.content.decode()
    )
    world.referral.refresh_from_db()
    assert world.referral.status == Referral.Status.SUCCEEDED


def test_an_unknown_status_is_refused_with_a_message(client, world):
    client.force_login(world.partner_staff)
    response = client.post(url(world.referral), {"status": "envolee"}, follow=True)
    assert "Ce statut n&#x27;existe pas" in response.content.decode()


def test_the_coordinator_cannot_change_a_status(client, world):
    client.force_login(world.coordinator)
    assert client.post(url(world.referral), {"status": "acceptee"}).status_code == 403


def test_another_partner_gets_a_404(client, world):
    client.force_login(world.adviser_b)
    assert client.post(url(world.referral), {"status": "sans_suite"}).status_code == 404


def test_it_only_redirects_inside_the_site(client, world):
    client.force_login(world.partner_staff)
    response = client.post(
        url(world.referral), {"status": "acceptee", "next": "https://evil.example/"}
    )
    assert response.url == world.referral.get_absolute_url()


def test_it_requires_post(client, world):
    client.force_login(world.partner_staff)
    assert client.get(url(world.referral)).status_code == 405


def test_an_adviser_and_a_partner_at_once_lose_neither_change(world):
    """Both loaded the page when the orientation was « transmise »."""
    adviser, partner = Client(), Client()
    adviser.force_login(world.adviser_a)
    partner.force_login(world.partner_staff)
    adviser.get(world.referral.get_absolute_url())
    partner.get(world.referral.get_absolute_url())
    partner.post(url(world.referral), {"status": "acceptee"})
    answer = reverse("orientations:referral_answer", args=[world.referral.pk])
    adviser.post(answer, {"received": "pas_encore", "satisfaction": "moyen"})
    world.referral.refresh_from_db()
    assert world.referral.status == Referral.Status.ACCEPTED
    assert world.referral.family_received == "pas_encore"
    assert world.referral.answer.satisfaction == "moyen"


def test_two_status_changes_at_once_are_both_recorded(world):
    adviser, partner = Client(), Client()
    adviser.force_login(world.adviser_a)
    partner.force_login(world.partner_staff)
    partner.post(url(world.referral), {"status": "acceptee"})
    # The adviser's page still says « transmise »; « sans suite » is still possible.
    adviser.post(url(world.referral), {"status": "sans_suite", "reason": "renonce"})
    statuses = list(world.referral.events.values_list("to_status", flat=True))
    assert statuses == ["transmise", "acceptee", "sans_suite"]
    world.referral.refresh_from_db()
    assert world.referral.status == Referral.Status.DROPPED


# The in-memory SQLite test database locks whole tables across threads instead of waiting:
# real row locks (SELECT … FOR UPDATE) need PostgreSQL. Skipped before the database is set
# up, so that no needless flush runs either.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_updates_in_two_threads_lose_nothing():
    world = make_world()
    stale_for_adviser = Referral.objects.get(pk=world.referral.pk)
    stale_for_partner = Referral.objects.get(pk=world.referral.pk)
    barrier = threading.Barrier(2)
    errors = []

    def run(action):
        try:
            barrier.wait(timeout=5)
            action()
        except Exception as error:  # reported below: a thread cannot fail the test itself
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=run,
            args=(lambda: stale_for_partner.move_to("acceptee", by=world.partner_staff),),
        ),
        threading.Thread(
            target=run,
            args=(lambda: stale_for_adviser.record_family_answer(received="pas_encore"),),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    referral = Referral.objects.get(pk=world.referral.pk)
    assert referral.status == Referral.Status.ACCEPTED
    assert referral.family_received == "pas_encore"
    assert ReferralEvent.objects.filter(referral=referral, to_status="acceptee").count() == 1
