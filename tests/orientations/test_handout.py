import datetime as dt
from html import unescape

import time_machine
from django.test import TestCase
from django.urls import reverse

from orientations.models import Referral
from services_directory import outbox
from services_directory.models import Notice, OutgoingMessage
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


def test_it_sends_the_fiche_by_email_through_the_outbox(client, world, mailoutbox):
    client.force_login(world.adviser_a)
    send = reverse("orientations:handout_send", args=[world.referral.batch])
    response = client.post(send, {"email": "famille@example.org"}, follow=True)
    assert "La fiche part par courriel" in response.content.decode()
    message = OutgoingMessage.objects.get(kind="handout")
    assert message.to == "famille@example.org"
    assert "famille@example.org" not in message.key  # the admin never shows it in clear
    outbox.send_due()
    assert mailoutbox[0].to == ["famille@example.org"]
    assert f"/suivi/{world.referral.token}/" in mailoutbox[0].body
    assert "Camille" not in mailoutbox[0].body


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
    # The sheet's services, places, notices, stops and sessions: as many for 6 as for 1.
    with django_assert_max_num_queries(13):
        response = client.get(url(world.referral))
    assert response.status_code == 200
    for name in ["Relais Petite Enfance", *(f"Crèche {n}" for n in range(5))]:
        assert name in response.text


class BrokenMailServer:
    """An email backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")

    def close(self):
        pass


def test_a_mail_server_down_loses_nothing_and_is_not_a_500(client, world, settings):
    settings.EMAIL_BACKEND = "tests.orientations.test_handout.BrokenMailServer"
    settings.OUTBOX_SEND_AT_ONCE = True
    client.force_login(world.adviser_a)
    send = reverse("orientations:handout_send", args=[world.referral.batch])
    with django_capture_on_commit(execute=True):
        response = client.post(send, {"email": "famille@example.org"}, follow=True)
    assert response.status_code == 200
    assert "La fiche part par courriel" in response.content.decode()
    assert OutgoingMessage.objects.unsent().get().to == "famille@example.org"


def test_one_sheet_for_a_visit_one_follow_up_link(client, world):
    other = make_referral(
        service=make_service(name="Mission Locale"),
        from_partner=world.partner_a,
        batch=world.referral.batch,
    )
    client.force_login(world.adviser_a)
    content = client.get(url(world.referral)).content.decode()
    assert "1. Relais Petite Enfance" in content and "2. Mission Locale" in content
    assert content.count('src="data:image/svg+xml') == 1
    assert f"/suivi/{world.referral.token}/" in content
    assert f"/suivi/{other.token}/" not in content


@time_machine.travel(dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC), tick=False)  # a Monday
def test_it_prints_the_hours_as_a_line_and_says_what_to_do_with_what_exists(client, world):
    referral = make_referral(service=world.service, from_partner=world.partner_a)
    client.force_login(world.adviser_a)
    content = client.get(url(referral)).content.decode()
    assert "lundi – vendredi : 9 h – 12 h" in content
    # A phone only: the family is told to call, not to write.
    assert "appelez le service." in content
    assert "écrivez-lui" not in content


def test_it_is_never_stored_by_a_browser(client, world):
    client.force_login(world.adviser_a)
    assert "no-store" in client.get(url(world.referral))["Cache-Control"]


django_capture_on_commit = TestCase.captureOnCommitCallbacks


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
    assert "Informations pas encore vérifiées" in content
    # The sheet does not send the family to a closed door.
    # The sheet tells the family the door is closed until when.
    assert (
        "Sans nouvelles dans 10 jours, appelez-le. "
        "Il est fermé pour le moment (rouvre le 14 décembre à 9 h)." in " ".join(content.split())
    )
    # An orientation (the family calls) does not send them to a closed door.
    orientation = make_referral(
        service=world.service, from_partner=world.partner_a, kind=Referral.Kind.ORIENTATION
    )
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        content = unescape(client.get(url(orientation)).content.decode())
    assert "appelez le service" not in content
    assert (
        "le service est fermé pour le moment (rouvre le 14 décembre à 9 h) : attendez" in content
    )
