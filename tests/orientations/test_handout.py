import datetime as dt
from html import unescape

import time_machine
from django.urls import reverse

from services_directory.models import Notice
from tests.factories import make_place, make_service
from tests.personas import make_referral


def url(referral) -> str:
    return reverse("orientations:handout", args=[referral.batch])


def test_it_shows_the_fiche_with_a_qr_code_and_a_short_link(client, world):
    client.force_login(world.adviser_a)
    response = client.get(url(world.referral))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Votre fiche d'orientation" in content
    assert 'src="data:image/svg+xml' in content
    assert f"/suivi/{world.referral.token}/" in content
    assert "03 86 00 00 01" in content  # the service's phone
    assert "Lundi" in content or "lundi" in content  # the hours
    assert "Camille" not in content  # never the visitor's name


def test_it_has_a_phone_sized_format(client, world):
    client.force_login(world.adviser_a)
    content = client.get(url(world.referral), {"format": "telephone"}).content.decode()
    assert "handout-phone" in content


def test_it_is_not_shown_to_another_partner(client, world):
    client.force_login(world.adviser_b)
    assert client.get(url(world.referral)).status_code == 404


def test_it_sends_the_fiche_by_email(client, world, mailoutbox):
    client.force_login(world.adviser_a)
    send = reverse("orientations:handout_send", args=[world.referral.batch])
    response = client.post(send, {"email": "famille@example.org"}, follow=True)
    assert "La fiche a été envoyée" in response.content.decode()
    assert mailoutbox[0].to == ["famille@example.org"]


def test_it_explains_a_bad_email(client, world, mailoutbox):
    client.force_login(world.adviser_a)
    send = reverse("orientations:handout_send", args=[world.referral.batch])
    response = client.post(send, {"email": "pas un courriel"}, follow=True)
    assert "n&#x27;est pas valide" in response.content.decode()
    assert mailoutbox == []


def test_sending_requires_post(client, world):
    client.force_login(world.adviser_a)
    send = reverse("orientations:handout_send", args=[world.referral.batch])
    assert client.get(send).status_code == 405


def test_it_runs_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for n in range(5):
        service = make_service(name=f"Crèche {n}", places=[(make_place(), "Mo-Fr 08:00-18:00")])
        make_referral(service=service, from_partner=world.partner_a, batch=world.referral.batch)
    client.force_login(world.adviser_a)
    with django_assert_max_num_queries(10):
        client.get(url(world.referral))


class BrokenMailServer:
    """An email backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


def test_a_mail_server_down_is_explained_not_a_500(client, world, settings):
    settings.EMAIL_BACKEND = "tests.orientations.test_handout.BrokenMailServer"
    client.force_login(world.adviser_a)
    send = reverse("orientations:handout_send", args=[world.referral.batch])
    response = client.post(send, {"email": "famille@example.org"}, follow=True)
    assert response.status_code == 200
    assert "Le courriel n&#x27;a pas pu partir" in response.content.decode()


def test_a_closed_service_is_presented_closed_with_its_dates(client, world):
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        Notice.objects.create(
            service=world.service,
            kind=Notice.Kind.CLOSURE,
            reason="travaux",
            start=dt.date(2026, 11, 28),
            end=dt.date(2026, 12, 12),
        )
        client.force_login(world.adviser_a)
        content = unescape(client.get(url(world.referral)).content.decode())
    assert "Fermé du 28 novembre au 12 décembre — travaux" in content
    assert "Fermé temporairement jusqu'au 12 décembre — travaux · rouvre le 14 décembre à 9 h" in (
        content
    )
    assert "Fermé les 7 prochains jours." in content
    assert "informations vérifiées le" in content or "informations pas encore vérifiées" in content
