import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from services_directory import outbox

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Envoie les messages en attente de la boîte d'envoi (orientations transmises aux "
        "partenaires, relances, signalements…). Un message est écrit en base avec "
        "l'événement qui le cause ; si le serveur de messagerie est indisponible, il attend "
        "et est réessayé avec un délai croissant (1 min, 2, 4… au plus 6 h), puis "
        "abandonné après 12 essais ou si l'adresse est refusée, avec la raison visible dans "
        "l'administration. Sans option : un passage (pour cron). Avec --loop : tourne en "
        "continu (un processus « worker »), s'arrête proprement sur SIGTERM sans perdre de "
        "message. Plusieurs workers peuvent tourner ensemble : un message n'est pris que "
        "par un seul."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="tourner en continu")
        parser.add_argument(
            "--interval", type=float, default=10.0, help="secondes entre deux passages"
        )

    def handle(self, *args, loop: bool, interval: float, **options):
        if not loop:
            self._pass()
            return
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_args: stopping.append(True))
        signal.signal(signal.SIGINT, lambda *_args: stopping.append(True))
        logger.info("outbox worker started (every %.0f s)", interval)
        while not stopping:
            close_old_connections()
            try:
                self._pass()
            except Exception:
                # The database may be down: say it once a pass, and keep going.
                logger.warning("outbox pass failed", exc_info=True)
            slept = 0.0
            while slept < interval and not stopping:
                time.sleep(0.5)
                slept += 0.5
        logger.info("outbox worker stopped")

    def _pass(self) -> None:
        counts = outbox.send_due()
        if any(counts.values()):
            logger.info(
                "outbox: %(sent)s sent, %(refused)s refused, %(later)s to try again", counts
            )
            self.stdout.write(
                f"{counts['sent']} envoyé(s), {counts['refused']} refusé(s), "
                f"{counts['later']} à réessayer."
            )
