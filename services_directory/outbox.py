"""Sending the outbox: at least once, never lost, never twice for one event.

Messages are rows (`OutgoingMessage`), written in the transaction of the event that causes
them, so a message exists exactly when its event does. The worker (`manage.py
send_messages --loop`, or one pass from cron) takes due messages one by one under a row
lock that other workers skip, sends, and records the outcome in the same transaction. While
the mail server is down a message waits and is tried again with a growing delay; a refused
address, or too many attempts, gives up with the reason shown in the admin.

A stable Message-ID per row lets the receiving servers drop the one duplicate that could
follow a crash between the SMTP server's acceptance and our commit.
"""

import contextlib
import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.utils import timezone

from .models import OutgoingMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
FIRST_DELAY = dt.timedelta(minutes=1)
LONGEST_DELAY = dt.timedelta(hours=6)
# Errors after which trying again cannot help: the address itself is refused.
PERMANENT = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused)


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4… minutes, at most 6 hours: about two days of attempts in all."""
    return min(FIRST_DELAY * 2 ** max(attempts - 1, 0), LONGEST_DELAY)


def _message_id(message: OutgoingMessage) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "passerelles.local"
    return f"<outbox-{message.pk}-{message.created_at:%Y%m%d%H%M%S}@{domain}>"


def _next_due(now: dt.datetime) -> OutgoingMessage | None:
    due = OutgoingMessage.objects.due(now).order_by("next_attempt_at", "pk")
    # Two workers never take the same row; SQLite has one writer at a time anyway.
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True)
    else:
        due = due.select_for_update()
    return due.first()


SENT, REFUSED, LATER = "sent", "refused", "later"


def send_one(message: OutgoingMessage, mail_connection, now: dt.datetime) -> str:
    """Send `message` (locked by the caller) and record the outcome: SENT, REFUSED (this
    address will never take it) or LATER (the server is down: try again after a delay)."""
    email = EmailMessage(
        message.subject,
        message.body,
        to=[message.to],
        headers={"Message-ID": _message_id(message)},
        connection=mail_connection,
    )
    message.attempts += 1
    try:
        email.send()
    except (OSError, smtplib.SMTPException) as error:
        message.last_error = f"{type(error).__name__}: {error}"[:300]
        refused = isinstance(error, PERMANENT)
        if refused or message.attempts >= MAX_ATTEMPTS:
            message.status = OutgoingMessage.Status.FAILED
            logger.warning("message %s given up: %s", message.pk, message.last_error)
        else:
            message.next_attempt_at = now + retry_delay(message.attempts)
        message.save(
            update_fields=["attempts", "last_error", "status", "next_attempt_at", "updated_at"]
        )
        return REFUSED if refused else LATER
    message.status = OutgoingMessage.Status.SENT
    message.sent_at = now
    message.last_error = ""
    message.save(update_fields=["status", "sent_at", "attempts", "last_error", "updated_at"])
    return SENT


def send_due(now: dt.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """One pass over the due messages, counted by outcome. A server failure ends the pass:
    the other messages wait for the next one rather than each failing in turn."""
    now = now or timezone.now()
    counts = {SENT: 0, REFUSED: 0, LATER: 0}
    mail_connection = get_connection(fail_silently=False)
    try:
        for _n in range(limit):
            with transaction.atomic():
                message = _next_due(now)
                if message is None:
                    break
                outcome = send_one(message, mail_connection, now)
            counts[outcome] += 1
            if outcome == LATER:
                break
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            mail_connection.close()
    return counts


def send_soon(message: OutgoingMessage | None) -> None:
    """Where no worker runs (`make run`), try a new message right after the commit; the
    worker remains the safety net (a failure leaves it waiting, nothing is lost)."""
    if message is None or not settings.OUTBOX_SEND_AT_ONCE:
        return

    def attempt():
        try:
            send_due(limit=20)
        except Exception:  # the request that caused it has succeeded: never fail it
            logger.warning("outbox: immediate sending failed", exc_info=True)

    transaction.on_commit(attempt)
