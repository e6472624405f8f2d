import logging

from django.conf import settings
from django.utils import timezone

from orientations.models import AuditLog, Referral
from portal.jobs import DailyJobCommand

logger = logging.getLogger("passerelles.orientations")


class Command(DailyJobCommand):
    help = (
        "Passe en « expirée » les orientations proposées ou transmises depuis plus de "
        f"REFERRAL_EXPIRY_DAYS jours ({settings.REFERRAL_EXPIRY_DAYS} par défaut) sans que le "
        "partenaire ni la famille ne les aient fait avancer. Elles apparaissent alors dans la "
        "liste « risque de rupture » du conseiller. Relancer la commande ne change rien de plus."
    )

    def run(self, **options):
        now = timezone.now()
        expired = 0
        for referral in Referral.objects.due_for_expiry(now).iterator():
            referral.move_to(Referral.Status.EXPIRED)
            AuditLog.record(None, AuditLog.Action.EXPIRE, referral)
            expired += 1
        logger.info("referrals expired: %s", expired)
        self.stdout.write(f"{expired} orientation(s) expirée(s).")
