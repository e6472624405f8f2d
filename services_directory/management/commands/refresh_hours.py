import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from services_directory.hours import local_now
from services_directory.models import Service, ServiceSearch


class Command(BaseCommand):
    help = _(
        "Recalcule pour chaque service publié les créneaux « ouvert maintenant » et les filtres "
        "samedi, soir et midi des 7 jours à venir (avis datés, vacances scolaires, jours "
        "fériés et règles mensuelles compris), puis les documents de recherche des services "
        "qui changent. À lancer chaque nuit après minuit ; sans effet si rien n'a changé."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        today = local_now().date()
        services = Service.objects.published()
        changed = services.refresh_hours(today)
        ServiceSearch.objects.rebuild(changed)
        self.stdout.write(
            _(
                "Horaires du %(day)s : %(changed)s service(s) changé(s) sur %(total)s, "
                "en %(s).1f s."
            )
            % {
                "day": today.isoformat(),
                "changed": len(changed),
                "total": services.count(),
                "s": time.monotonic() - started,
            }
        )
