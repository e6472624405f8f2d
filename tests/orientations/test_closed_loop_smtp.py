"""End to end, with a real SMTP server started by the test (aiosmtpd): an orientation
reaches the partner by e-mail, the partner answers through the link in the message it
received, without an account, and the answer comes back to the adviser and the family.
The same with the mail server down at first: nothing lost, delivered once it is back."""

import datetime as dt
import email
import re
import socket
import uuid

import pytest
import time_machine
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.urls import reverse
from django.utils import timezone

from orientations.models import Origin, Referral
from services_directory import outbox
from services_directory.models import OutgoingMessage


class Mailbox(Message):
    def __init__(self):
        super().__init__()
        self.received: list[email.message.Message] = []

    def handle_message(self, message):
        self.received.append(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free port, and the portal configured to use it."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    yield controller, mailbox
    if getattr(controller, "_thread", None) is not None:
        controller.stop()


def orient(client, world) -> Referral:
    """The adviser records a mise en relation towards the RPE (partner P)."""
    client.force_login(world.adviser_a)
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "services": [world.service.pk],
        "commune": world.commune.pk,
        "age_band": "0-2",
        "situation": "parent_isole",
        "needs": [world.need.pk],
        "origin": Origin.FRANCE_SERVICES,
        "kind": Referral.Kind.CONNECTION,
        "consent": "on",
        "name": "Léa Bernard",
        "phone": "06 11 22 33 44",
    }
    assert client.post(reverse("orientations:referral_new"), data).status_code == 302
    client.logout()
    return Referral.objects.exclude(pk=world.referral.pk).get()


def link_in(message) -> str:
    body = message.get_payload(decode=True).decode()
    assert "Léa" not in body and "06 11" not in body  # nothing personal in the e-mail
    return re.search(r"https?://\S+(/partenaire/reponse/\S+/)", body).group(1)


def answer_and_check(client, world, referral, link: str) -> None:
    # The partner opens the link from its mailbox, without an account: « Vue ».
    page = client.get(link)
    assert page.status_code == 200 and "Léa Bernard" in page.content.decode()
    client.force_login(world.adviser_a)
    assert "Vue par le partenaire" in client.get(referral.get_absolute_url()).content.decode()
    client.logout()
    # It takes the family in charge: the adviser and the family see it.
    assert client.post(link, {"answer": "pris_en_charge"}).status_code == 200
    client.force_login(world.adviser_a)
    detail = client.get(referral.get_absolute_url()).content.decode()
    assert "Prise en charge" in detail and "le partenaire, par son lien" in detail
    client.logout()
    family = client.get(reverse("orientations:follow_up", args=[referral.token]))
    assert "Le service s&#x27;occupe de vous." in family.content.decode()
    # The link has served.
    assert client.post(link, {"answer": "pas_pour_nous"}).status_code == 410


def test_an_orientation_reaches_the_partner_and_comes_back(client, world, smtp):
    controller, mailbox = smtp
    controller.start()
    referral = orient(client, world)
    message = OutgoingMessage.objects.get(kind="referral_new")
    assert message.status == OutgoingMessage.Status.WAITING  # written with the orientation
    assert outbox.send_due()["sent"] == 1
    assert outbox.send_due()["sent"] == 0  # never twice
    (delivered,) = mailbox.received
    assert delivered["To"] == world.partner_staff.email
    assert delivered["Message-ID"].startswith(f"<outbox-{message.pk}-")
    answer_and_check(client, world, referral, link_in(delivered))


def test_with_the_mail_server_down_at_first_nothing_is_lost(client, world, smtp):
    controller, mailbox = smtp
    referral = orient(client, world)
    now = timezone.now()
    # Nobody listens on the port: the message waits, with the reason.
    assert outbox.send_due(now=now)["later"] == 1
    message = OutgoingMessage.objects.get(kind="referral_new")
    assert message.status == OutgoingMessage.Status.WAITING
    assert message.attempts == 1 and message.last_error
    controller.start()
    # Not due before its back-off delay, then delivered once.
    assert outbox.send_due(now=now)["sent"] == 0
    with time_machine.travel(now + dt.timedelta(minutes=2), tick=False):
        assert outbox.send_due()["sent"] == 1
        assert outbox.send_due()["sent"] == 0
    assert len(mailbox.received) == 1
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.SENT and message.attempts == 2
    answer_and_check(client, world, referral, link_in(mailbox.received[0]))
