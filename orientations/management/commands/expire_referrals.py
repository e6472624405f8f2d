import logging

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from orientations.models import Actor, Referral

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Passe en « expirée » les orientations proposées ou transmises depuis plus de "
        f"REFERRAL_EXPIRY_DAYS jours ({settings.REFERRAL_EXPIRY_DAYS} par défaut) sans que le "
        "partenaire ni la famille ne les aient fait avancer. Elles apparaissent alors dans la "
        "liste « risque de rupture » du conseiller. Relancer la commande ne change rien de plus."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        expired = 0
        for referral in Referral.objects.due_for_expiry(now).iterator():
            referral.move_to(Referral.Status.EXPIRED, actor=Actor.SYSTEM, at=now)
            expired += 1
        logger.info("referrals expired: %s", expired)
        self.stdout.write(f"{expired} orientation(s) expirée(s).")
