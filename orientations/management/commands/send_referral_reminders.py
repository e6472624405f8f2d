import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from orientations.models import AuditLog, Referral, ReferralContact, Role
from portal.jobs import DailyJobCommand

logger = logging.getLogger("passerelles.orientations")


class Command(DailyJobCommand):
    help = (
        "Relance une fois les orientations proposées ou transmises restées sans réponse "
        f"depuis REFERRAL_REMINDER_DAYS jours ({settings.REFERRAL_REMINDER_DAYS} par défaut) : "
        "un courriel aux professionnels du partenaire destinataire, et à la famille si elle a "
        "donné son courriel avec son accord. Sans effet si on la relance deux fois le même jour."
    )

    def run(self, **options):
        now = timezone.now()
        User = get_user_model()
        sent = failed = 0
        due = Referral.objects.due_for_reminder(now).select_related("service", "to_partner")
        for referral in due.iterator():
            staff_emails = list(
                User.objects.filter(
                    is_active=True,
                    staff_profile__role=Role.PARTNER_STAFF,
                    staff_profile__partner=referral.to_partner,
                )
                .exclude(email="")
                .values_list("email", flat=True)
            )
            recipients = staff_emails or (
                [referral.to_partner.email] if referral.to_partner.email else []
            )
            context = {
                "referral": referral,
                "inbox_link": settings.SITE_ROOT + reverse("orientations:inbox"),
                "follow_up_link": settings.SITE_ROOT + referral.get_follow_up_url(),
                "days": settings.REFERRAL_REMINDER_DAYS,
            }
            contact = ReferralContact.objects.filter(referral=referral).exclude(email="").first()
            try:
                if recipients:
                    send_mail(
                        _("Orientation n° %(pk)s en attente de réponse") % {"pk": referral.pk},
                        render_to_string("orientations/reminder_partner_email.txt", context),
                        None,
                        recipients,
                    )
                if contact:
                    send_mail(
                        _("Avez-vous pu être reçu ?"),
                        render_to_string("orientations/reminder_family_email.txt", context),
                        None,
                        [contact.email],
                    )
            except (OSError, smtplib.SMTPException):
                # Not marked as reminded: tomorrow's run tries again.
                logger.exception("reminder for referral %s not sent", referral.pk)
                failed += 1
                continue
            # Marked even without a recipient: the reminder is due once, not every day.
            Referral.objects.filter(pk=referral.pk).update(reminded_at=now)
            AuditLog.record(None, AuditLog.Action.REMINDER, referral)
            sent += 1
        logger.info("referral reminders sent: %s, failed: %s", sent, failed)
        self.stdout.write(f"{sent} relance(s) envoyée(s), {failed} en échec.")
