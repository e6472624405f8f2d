import tomllib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from services_directory import demo
from services_directory.demo import synthetic
from services_directory.models import Commune

MAX_SERVICES = 200_000


class Command(BaseCommand):
    help = (
        "Génère un grand annuaire synthétique pour les mesures de performance : "
        "partenaires, lieux et services publiés variés (secteurs, besoins, communes, "
        "horaires pour environ 30 %), insérés par lots. S'appuie sur les communes, "
        "secteurs et besoins du territoire de démonstration (portal/demo/directory.toml, "
        "chargé s'il manque). "
        "Répétable : relancer avec la même graine remplace les données de cette graine. "
        "Ne pas utiliser sur une base de production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--services", type=int, default=1000, help="Nombre de services.")
        parser.add_argument("--seed", type=int, default=1, help="Graine du tirage aléatoire.")

    def handle(self, *args, services: int, seed: int, **options):
        if not 1 <= services <= MAX_SERVICES:
            raise CommandError(f"--services doit être compris entre 1 et {MAX_SERVICES}.")
        if seed < 0:
            raise CommandError("--seed doit être un entier positif ou nul.")

        # The demo directory's file, which `load_demo` reads too (the path comes from settings).
        with (settings.DEMO_DATA_DIR / "directory.toml").open("rb") as file:
            directory = tomllib.load(file)
        codes = [commune["insee_code"] for commune in directory["communes"]]
        demo_communes = Commune.objects.filter(insee_code__in=codes)
        if not demo_communes.exists():
            self.stdout.write("Territoire de démonstration absent : chargement de l'annuaire.")
            demo.load(directory, self.stdout)

        try:
            created = synthetic.generate(
                services, seed=seed, communes=demo_communes.order_by("pk")
            )
        except IntegrityError as exc:
            raise CommandError(
                f"Les données synthétiques de la graine {seed} sont utilisées ailleurs "
                "(orientations, parcours) : elles ne peuvent pas être remplacées. "
                "Choisissez une autre graine avec --seed."
            ) from exc
        if created.removed:
            self.stdout.write(f"Données de la graine {seed} remplacées.")
        rate = created.services / created.seconds if created.seconds else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"{created.services} services synthétiques (graine {seed}) dont "
                f"{created.with_hours} avec des horaires, {created.partners} partenaires, "
                f"{created.places} lieux, {created.service_places} liens service-lieu, "
                f"{created.opening_slots} créneaux, en {created.seconds:.1f} s "
                f"({rate:.0f} services/s)."
            )
        )
