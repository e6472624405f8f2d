"""The messages the closed loop sends, written in the outbox with the event that causes them.

Each function is called inside the transaction of its event (`Referral.objects.create_batch`,
`Referral.move_to`, `Referral.request_callback`, the daily commands), so a message exists
exactly when its event does; `services_directory.outbox` sends it. A message carries no
personal data: numbers, services, anonymous profile, and links to the portal, where the
receiver sees what it may see. Its `key` makes it idempotent (one message per event and
address).

Messages to professionals are in French, whatever the language of the page that caused
them; a family's are in its language (`Referral.family_language`), with the French under
it for the service that receives the family.
"""

import datetime as dt
import functools
import hashlib

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from services_directory import outbox
from services_directory.models import OutgoingMessage, StaffProfile

# Statuses after which the one who oriented is told (to re-orient), and the family too
# when it gave its e-mail with its consent.
TOLD_TO_SENDER = {"refusee", "expiree"}


FRENCH = "fr"


# Professionals read French, whatever the language of the page whose action wrote to them
# (an adviser on /en/accueil/…): subjects, texts and links. A family's part says otherwise.
def in_french(function):
    # A fresh override each call: one shared instance would keep its state across threads.
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(FRENCH):
            return function(*args, **kwargs)

    return wrapper


def _render(template: str, context: dict, language: str) -> str:
    with translation.override(language):
        return render_to_string(template, {"site_root": settings.SITE_ROOT, **context})


def _queue(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict,
    kind: str,
    key: str,
    language: str = FRENCH,
):
    """`subject` is already in `language` (the caller writes it under the override)."""
    body = _render(template, context, language)
    if language != FRENCH:
        with translation.override(language):
            heading = _("En français, pour le service qui vous reçoit")
        french = _render(template, context, FRENCH)
        body = f"{body.rstrip()}\n\n— {heading} —\n\n{french}"
    # The key names the address by a digest: the admin never shows it in clear.
    key = key.replace("{to}", hashlib.sha256(to.encode()).hexdigest()[:16])
    message = OutgoingMessage.objects.queue(to=to, subject=subject, body=body, kind=kind, key=key)
    outbox.send_soon(message)
    return message


def partner_addresses(referral, *, digest: bool = False) -> list[str]:
    """Who at the receiving partner hears of an orientation: its staff accounts (those who
    chose each message, or the daily summary with `digest`), else the service's or the
    partner's contact address when nobody there has an account."""
    profiles = list(StaffProfile.objects.answering_for(referral.to_partner_id))
    if profiles:
        wanted = StaffProfile.Notify.DAILY if digest else StaffProfile.Notify.EACH
        return sorted({p.user.email for p in profiles if p.user.email and p.notify == wanted})
    if digest:
        return []
    address = referral.service.email or referral.to_partner.email
    return [address] if address else []


def sender_addresses(referral) -> list[str]:
    """The professional who oriented, else its structure's address."""
    user = referral.created_by
    if user is not None and user.is_active and user.email:
        return [user.email]
    return [referral.from_partner.email] if referral.from_partner.email else []


def family_address(referral) -> str:
    """The family's e-mail, only if it gave it with its consent (kept with the contact)."""
    try:
        return referral.contact.email
    except ObjectDoesNotExist:
        return ""


def _partner_context(referral) -> dict:
    return {
        "referral": referral,
        "needs": list(referral.needs.all()),
        "answer_link": settings.SITE_ROOT + referral.answer_link_path()
        if referral.answer_nonce
        else "",
        "referral_link": settings.SITE_ROOT + referral.get_absolute_url(),
        "link_days": settings.REFERRAL_LINK_DAYS,
    }


@in_french
def new_referral(referral) -> None:
    """The receiving partner is told at once, with its single-use answer link."""
    context = _partner_context(referral)
    subject = _("Nouvelle orientation n° %(pk)s : %(service)s") % {
        "pk": referral.pk,
        "service": referral.service.name,
    }
    for address in partner_addresses(referral):
        _queue(
            to=address,
            subject=subject,
            template="orientations/email/partner_new.txt",
            context=context,
            kind="referral_new",
            key=f"referral-{referral.pk}-new-{{to}}",
        )


@in_french
def reminder(referral) -> int:
    """The reminder after REFERRAL_REMINDER_DAYS: the partner (with its link) and the family
    if it gave its e-mail. Returns how many messages were written."""
    context = {
        **_partner_context(referral),
        "inbox_link": settings.SITE_ROOT + reverse("orientations:inbox"),
        "follow_up_link": settings.SITE_ROOT + referral.get_follow_up_url(),
        "days": settings.REFERRAL_REMINDER_DAYS,
    }
    written = 0
    subject = _("Orientation n° %(pk)s en attente de réponse") % {"pk": referral.pk}
    addresses = partner_addresses(referral) + partner_addresses(referral, digest=True)
    for address in addresses:
        written += bool(
            _queue(
                to=address,
                subject=subject,
                template="orientations/email/partner_reminder.txt",
                context=context,
                kind="referral_reminder",
                key=f"referral-{referral.pk}-reminder-{{to}}",
            )
        )
    address = family_address(referral)
    if address:
        language = referral.language_for_family
        with translation.override(language):
            subject = _("Avez-vous pu être reçu ?")
        written += bool(
            _queue(
                to=address,
                subject=subject,
                template="orientations/email/family_reminder.txt",
                context=context,
                kind="family_reminder",
                key=f"referral-{referral.pk}-reminder-family",
                language=language,
            )
        )
    return written


@in_french
def status_changed(referral, previous_status: str) -> None:
    """A refusal or an expiry: the one who oriented re-orients, the family is told."""
    if referral.status not in TOLD_TO_SENDER:
        return
    context = {
        "referral": referral,
        "referral_link": settings.SITE_ROOT + referral.get_absolute_url(),
        "follow_up_link": settings.SITE_ROOT + referral.get_follow_up_url(),
    }
    subject = _("Orientation n° %(pk)s : %(status)s, à réorienter") % {
        "pk": referral.pk,
        "status": referral.get_status_display().lower(),
    }
    for address in sender_addresses(referral):
        _queue(
            to=address,
            subject=subject,
            template="orientations/email/sender_failed.txt",
            context=context,
            kind="referral_failed",
            key=f"referral-{referral.pk}-{referral.status}-sender-{{to}}",
        )
    address = family_address(referral)
    if address:
        language = referral.language_for_family
        with translation.override(language):
            subject = _("Votre orientation : ce qui se passe maintenant")
        _queue(
            to=address,
            subject=subject,
            template="orientations/email/family_failed.txt",
            context=context,
            kind="family_failed",
            key=f"referral-{referral.pk}-{referral.status}-family",
            language=language,
        )


@in_french
def callback_requested(referral) -> None:
    context = {
        "referral": referral,
        "referral_link": settings.SITE_ROOT + referral.get_absolute_url(),
    }
    subject = _("Orientation n° %(pk)s : la famille demande à être rappelée") % {"pk": referral.pk}
    for address in sender_addresses(referral):
        _queue(
            to=address,
            subject=subject,
            template="orientations/email/sender_callback.txt",
            context=context,
            kind="referral_callback",
            key=f"referral-{referral.pk}-callback-{referral.callback_requested_at:%Y%m%d%H%M}"
            "-{to}",
        )


def handout(referrals: list, address: str, *, pathway=None, at: dt.datetime) -> None:
    """The hand-out sheet sent to the family's address, typed for this message only."""
    language = referrals[0].language_for_family
    with translation.override(language):
        subject = _("Votre fiche d'orientation")
        pathway_link = settings.SITE_ROOT + pathway.get_absolute_url() if pathway else ""
    context = {
        "referrals": referrals,
        "pathway": pathway,
        "pathway_link": pathway_link,
        "follow_up_link": settings.SITE_ROOT + referrals[0].get_follow_up_url(),
    }
    _queue(
        to=address,
        subject=subject,
        template="orientations/email/handout.txt",
        context=context,
        kind="handout",
        key=f"handout-{referrals[0].batch}-{at:%Y%m%d%H%M%S}-{{to}}",
        language=language,
    )


@in_french
def digest(user, referrals: list, waiting: int, day: dt.date) -> None:
    """The daily summary for a partner's professional who prefers it."""
    context = {
        "referrals": referrals,
        "waiting": waiting,
        "inbox_link": settings.SITE_ROOT + reverse("orientations:inbox"),
        "answer_links": {
            r.pk: settings.SITE_ROOT + r.answer_link_path() for r in referrals if r.answer_nonce
        },
    }
    _queue(
        to=user.email,
        subject=_("Orientations reçues : résumé du %(day)s") % {"day": day.strftime("%d/%m/%Y")},
        template="orientations/email/partner_digest.txt",
        context=context,
        kind="referral_digest",
        key=f"digest-{user.pk}-{day:%Y%m%d}",
    )
