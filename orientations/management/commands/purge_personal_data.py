import logging

from django.conf import settings
from django.utils import timezone

from orientations.models import Referral
from portal.jobs import DailyJobCommand

logger = logging.getLogger("passerelles.orientations")


class Command(DailyJobCommand):
    help = (
        "Efface les nom, téléphone, courriel et commentaires des orientations closes depuis "
        f"plus de PERSONAL_DATA_RETENTION_DAYS jours ({settings.PERSONAL_DATA_RETENTION_DAYS} "
        "par défaut), ou jamais closes et créées depuis plus que ce délai plus "
        "REFERRAL_EXPIRY_DAYS. L'orientation reste, anonyme, pour les statistiques. "
        "Relancer la commande ne change rien de plus."
    )

    def run(self, **options):
        purged = 0
        for referral in Referral.objects.due_for_purge(timezone.now()).iterator():
            referral.purge_personal_data()
            purged += 1
        logger.info("referrals purged of personal data: %s", purged)
        self.stdout.write(f"{purged} orientation(s) anonymisée(s).")
