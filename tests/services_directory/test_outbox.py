"""The outbox: a message is written with its event and sent once, whatever the mail server does."""

import datetime as dt
import io
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command

from services_directory import outbox
from services_directory.models import OutgoingMessage
from tests.personas import make_world

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


class DownBackend(BaseEmailBackend):
    """The mail server is unreachable."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"No such user")})


@pytest.fixture
def message(db):
    with time_machine.travel(NOW, tick=False):
        return OutgoingMessage.objects.queue(
            to="relais@example.org",
            subject="Nouvelle orientation n° 12",
            body="Une orientation vous attend : https://passerelles.example.org/x",
            kind="referral_new",
            key="referral-12-new",
        )


def test_queueing_twice_with_the_same_key_writes_one_message(message):
    again = OutgoingMessage.objects.queue(
        to="relais@example.org", subject="Autre", body="…", kind="referral_new", key=message.key
    )
    assert again.pk == message.pk
    assert OutgoingMessage.objects.count() == 1


def test_a_message_without_address_is_not_written(db):
    assert OutgoingMessage.objects.queue(to=" ", subject="s", body="b", kind="k") is None
    assert not OutgoingMessage.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_it_sends_a_due_message_once_with_a_stable_message_id(message):
    assert outbox.send_due() == {"sent": 1, "refused": 0, "later": 0}
    assert outbox.send_due() == {"sent": 0, "refused": 0, "later": 0}
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["relais@example.org"]
    assert sent.subject == "Nouvelle orientation n° 12"
    assert sent.extra_headers["Message-ID"].startswith(f"<outbox-{message.pk}-")
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.SENT
    assert message.sent_at == NOW


def test_while_the_server_is_down_it_waits_and_is_tried_again_later(message, settings):
    settings.EMAIL_BACKEND = "tests.services_directory.test_outbox.DownBackend"
    with time_machine.travel(NOW, tick=False):
        assert outbox.send_due()["later"] == 1
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.WAITING
    assert message.attempts == 1
    assert "SMTPServerDisconnected" in message.last_error
    assert message.next_attempt_at == NOW + dt.timedelta(minutes=1)
    # Not due yet: nothing happens, even once the server is back.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(NOW + dt.timedelta(seconds=30), tick=False):
        assert outbox.send_due()["sent"] == 0
    with time_machine.travel(NOW + dt.timedelta(minutes=2), tick=False):
        assert outbox.send_due()["sent"] == 1
    assert len(mail.outbox) == 1


def test_the_delay_grows_and_it_gives_up_after_the_last_attempt(message, settings):
    settings.EMAIL_BACKEND = "tests.services_directory.test_outbox.DownBackend"
    assert [outbox.retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert outbox.retry_delay(30) == dt.timedelta(hours=6)
    moment = NOW
    for _attempt in range(outbox.MAX_ATTEMPTS):
        with time_machine.travel(moment, tick=False):
            outbox.send_due()
        moment += dt.timedelta(hours=7)
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.FAILED
    assert message.attempts == outbox.MAX_ATTEMPTS


def test_a_refused_address_gives_up_at_once_and_the_others_still_go(message, settings):
    settings.EMAIL_BACKEND = "tests.services_directory.test_outbox.RefusingBackend"
    with time_machine.travel(NOW, tick=False):
        assert outbox.send_due() == {"sent": 0, "refused": 1, "later": 0}
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.FAILED
    assert "550" in message.last_error


def test_a_server_failure_ends_the_pass(db, settings):
    settings.EMAIL_BACKEND = "tests.services_directory.test_outbox.DownBackend"
    with time_machine.travel(NOW, tick=False):
        for n in range(3):
            OutgoingMessage.objects.queue(to=f"p{n}@example.org", subject="s", body="b", kind="k")
        assert outbox.send_due()["later"] == 1
    assert OutgoingMessage.objects.filter(attempts=0).count() == 2


def test_the_command_sends_and_says_so(message):
    with time_machine.travel(NOW + dt.timedelta(seconds=1), tick=False):
        out = call_command("send_messages", stdout=io.StringIO())
    assert out is None
    assert len(mail.outbox) == 1


def test_sent_messages_are_purged_with_personal_data(message, settings):
    with time_machine.travel(NOW, tick=False):
        outbox.send_due()
        waiting = OutgoingMessage.objects.queue(
            to="a@example.org", subject="s", body="b", kind="k"
        )
    later = NOW + dt.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS + 1)
    with time_machine.travel(later, tick=False):
        call_command("purge_personal_data", stdout=io.StringIO())
    assert list(OutgoingMessage.objects.all()) == [waiting]


def test_the_coordinator_sees_no_family_address_in_the_admin(client, message):
    world = make_world()
    client.force_login(world.coordinator)
    page = client.get("/admin/services_directory/outgoingmessage/")
    assert page.status_code == 200
    assert "r•••@example.org" in page.text
    assert "relais@example.org" not in page.text
    client.force_login(world.admin)
    assert "relais@example.org" in client.get("/admin/services_directory/outgoingmessage/").text


def test_queueing_with_send_at_once_sends_after_the_commit(
    db, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_SEND_AT_ONCE = True
    with django_capture_on_commit_callbacks(execute=True):
        message = OutgoingMessage.objects.queue(
            to="a@example.org", subject="s", body="b", kind="k"
        )
        outbox.send_soon(message)
        assert not mail.outbox
    assert len(mail.outbox) == 1
