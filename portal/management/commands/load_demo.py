"""The demonstration territory: data files in `portal/demo/`, loaded app by app."""

import tomllib

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import indicators.demo
import orientations.demo
import pathways.demo
import services_directory.demo
from services_directory.models import ItinerantStop, Referent, Service


def read(name: str) -> dict:
    """One demo data file, `portal/demo/<name>.toml`, parsed."""
    path = settings.DEMO_DATA_DIR / f"{name}.toml"
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except tomllib.TOMLDecodeError as exc:
        raise CommandError(f"{path} : TOML invalide ({exc}).") from exc


class Command(BaseCommand):
    help = (
        "Charge le territoire de démonstration (Communauté de communes Yonne Nord) décrit "
        "par les fichiers TOML de portal/demo/ : communes réelles, partenaires, lieux, "
        "services publiés, horaires, passages itinérants et référents, puis les parcours "
        "types, les orientations et comptes de démonstration, et les valeurs des indicateurs. "
        "Tout ou rien : un fichier illisible, une clé inconnue ou manquante arrête la "
        "commande sans rien écrire. Idempotent : relancer la commande ne crée pas de "
        "doublons, elle remet seulement les dates relatives (vérifications, avis, passages) "
        "à jour. Enfin les traductions (load_translations --reviewed)."
    )

    def handle(self, *args, **options):
        directory, pathways_data, orientations_data, indicators_data = (
            read(name) for name in ("directory", "pathways", "orientations", "indicators")
        )
        # One transaction: a typo found in the last file must not leave half a demo behind.
        with transaction.atomic():
            # In this order: each app's demo builds on the previous ones.
            services_directory.demo.load(directory, self.stdout)
            pathways.demo.load(pathways_data, self.stdout)
            orientations.demo.load(orientations_data, self.stdout)
            indicators.demo.load(indicators_data, self.stdout)
            # The demo's translations were reviewed by careful translators.
            call_command("load_translations", reviewed=True, stdout=self.stdout)

        published = Service.objects.published()
        self.stdout.write(
            self.style.SUCCESS(
                f"Démonstration prête : {published.count()} services publiés, "
                f"{published.filter(itinerant=True).count()} itinérants "
                f"({ItinerantStop.objects.count()} passages), "
                f"{published.filter(collective=True).count()} avec des temps collectifs, "
                f"{published.filter(open_saturday=True).count()} ouverts le samedi, "
                f"{published.filter(open_evening=True).count()} ouverts après 18 h, "
                f"{Referent.objects.filter(is_active=True).count()} référents."
            )
        )
