import importlib

from django.core.management.base import BaseCommand

from services_directory import demo
from services_directory.models import ItinerantStop, Referent, Service

# Loaded after the directory, in this order: each builds on the previous ones.
OTHER_APPS = ["pathways", "orientations", "indicators"]


def _demo_module(app: str):
    """The app's `demo` module, or None while that app has not written one yet."""
    name = f"{app}.demo"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        # Only a missing demo module is tolerated, never a broken import inside it.
        if exc.name in (app, name):
            return None
        raise


class Command(BaseCommand):
    help = (
        "Charge le territoire de démonstration (Communauté de communes Yonne Nord) : "
        "communes réelles, partenaires, lieux, services publiés, horaires, passages "
        "itinérants et référents, puis les démonstrations des parcours, des orientations "
        "et des indicateurs. Idempotent : relancer la commande ne crée pas de doublons, "
        "elle remet seulement les dates relatives (vérifications, avis, passages) à jour."
    )

    def handle(self, *args, **options):
        demo.load(self.stdout)
        for app in OTHER_APPS:
            module = _demo_module(app)
            if module is None or not hasattr(module, "load"):
                self.stdout.write(f"Démonstration « {app} » : pas encore disponible, ignorée.")
                continue
            if app == "orientations":
                import tomllib

                from django.conf import settings

                with open(settings.BASE_DIR / "portal" / "demo" / "orientations.toml", "rb") as f:
                    module.load(tomllib.load(f), self.stdout)
                continue
            module.load(self.stdout)

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
