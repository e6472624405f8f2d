from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from services_directory.models import ServiceReach, ServiceSearch


class Command(BaseCommand):
    help = _(
        "Recalcule les données dérivées de la recherche (communes desservies, distances, "
        "documents de recherche) de tous les services. À lancer après un import en masse."
    )

    def handle(self, *args, **options):
        ServiceReach.objects.rebuild()
        ServiceSearch.objects.rebuild()
        self.stdout.write(
            _("Recherche recalculée : %(count)s services publiés indexés.")
            % {"count": ServiceSearch.objects.count()}
        )
