import datetime as dt
import logging

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from orientations import notices
from orientations.models import Referral
from services_directory.models import Role, StaffProfile

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Écrit dans la boîte d'envoi le résumé quotidien des professionnels de partenaires qui "
        "ont choisi « un résumé par jour » plutôt qu'un courriel par orientation : les "
        "orientations reçues pendant les dernières 24 heures, avec leurs liens de réponse, et "
        "le nombre de celles qui attendent une réponse. Rien quand rien n'est arrivé. Un seul "
        "résumé par personne et par jour, même si on relance la commande."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        since = now - dt.timedelta(days=1)
        profiles = StaffProfile.objects.filter(
            role=Role.PARTNER_STAFF,
            notify=StaffProfile.Notify.DAILY,
            partner__isnull=False,
            user__is_active=True,
        ).select_related("user")
        written = 0
        for profile in profiles:
            if not profile.user.email:
                continue
            received = Referral.objects.filter(to_partner=profile.partner_id).exclude(
                kind=Referral.Kind.INFORMATION
            )
            new = list(
                received.filter(created_at__gte=since, created_at__lt=now)
                .select_related("service", "from_partner")
                .order_by("created_at", "pk")
            )
            if not new:
                continue
            waiting = received.filter(status__in=Referral.AWAITING_ANSWER).count()
            with transaction.atomic():
                notices.digest(profile.user, new, waiting, timezone.localdate(now))
            written += 1
        logger.info("daily digests written: %s", written)
        self.stdout.write(f"{written} résumé(s) dans la boîte d'envoi.")
