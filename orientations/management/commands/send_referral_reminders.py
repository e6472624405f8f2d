import logging

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from orientations import notices
from orientations.models import AuditLog, Referral

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Relance une fois les orientations proposées, transmises ou vues restées sans réponse "
        f"depuis REFERRAL_REMINDER_DAYS jours ({settings.REFERRAL_REMINDER_DAYS} par défaut) : "
        "un courriel aux professionnels du partenaire destinataire (ou à l'adresse du service "
        "quand personne n'y a de compte), avec son lien de réponse, et à la famille si elle a "
        "donné son courriel avec son accord. Les messages sont écrits dans la boîte d'envoi "
        "avec la relance, dans la même transaction, et envoyés par send_messages : une "
        "messagerie en panne ne perd rien. Relancer la commande ne relance pas deux fois."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        reminded = written = 0
        due = Referral.objects.due_for_reminder(now).select_related(
            "service", "to_partner", "from_partner"
        )
        for referral in due.iterator():
            with transaction.atomic():
                written += notices.reminder(referral)
                # Marked even without a recipient: the reminder is due once, not every day.
                Referral.objects.filter(pk=referral.pk).update(reminded_at=now)
                AuditLog.record(None, AuditLog.Action.REMINDER, referral)
            reminded += 1
        logger.info("referral reminders: %s, messages written: %s", reminded, written)
        self.stdout.write(f"{reminded} relance(s), {written} message(s) dans la boîte d'envoi.")
