import logging

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from orientations.models import Referral
from services_directory.models import OutgoingMessage

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Efface les nom, téléphone, courriel et commentaires des orientations closes depuis "
        f"plus de PERSONAL_DATA_RETENTION_DAYS jours ({settings.PERSONAL_DATA_RETENTION_DAYS} "
        "par défaut), ou jamais closes et créées depuis plus que ce délai plus "
        "REFERRAL_EXPIRY_DAYS. L'orientation reste, anonyme, pour les statistiques. Les "
        "messages envoyés (ou abandonnés) depuis plus de ce délai sont effacés aussi : ils "
        "portent des adresses et des liens de suivi. Relancer la commande ne change rien de plus."
    )

    def handle(self, *args, **options):
        purged = 0
        for referral in Referral.objects.due_for_purge(timezone.now()).iterator():
            referral.purge_personal_data()
            purged += 1
        # Sent messages carry addresses and follow-up links: they go after the same delay.
        messages, _by_model = OutgoingMessage.objects.due_for_purge(timezone.now()).delete()
        logger.info(
            "referrals purged of personal data: %s, messages deleted: %s", purged, messages
        )
        self.stdout.write(
            f"{purged} orientation(s) anonymisée(s), {messages} message(s) effacé(s)."
        )
