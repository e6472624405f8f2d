from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from services_directory import cog


class Command(BaseCommand):
    help = (
        "Charge les communes d'un EPCI (par son SIREN) depuis les fichiers officiels que vous "
        "avez téléchargés : la liste des communes du Code officiel géographique de l'INSEE "
        "(v_commune_<année>.csv), la composition communale des EPCI (Intercommunalite_"
        "Metropole_au_01-01-<année>.xlsx, ou sa feuille en CSV) et un fichier de codes postaux "
        "et coordonnées (communes-france-<année>.csv de data.gouv.fr, ou la base officielle "
        "des codes postaux de La Poste). Crée ou met à jour le territoire et ses communes par "
        "code INSEE, sans rien supprimer. Avec --check, compare seulement les communes déjà en "
        "base aux fichiers (codes, noms, codes postaux, coordonnées) et n'écrit rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("--epci", required=True, help="SIREN de l'EPCI, 9 chiffres")
        parser.add_argument(
            "--cog", dest="cog_file", required=True, help="v_commune_<année>.csv de l'INSEE"
        )
        parser.add_argument(
            "--epci-file", required=True, help="composition communale des EPCI (xlsx ou csv)"
        )
        parser.add_argument(
            "--coordinates", required=True, help="codes postaux et coordonnées (csv)"
        )
        parser.add_argument("--name", default="", help="nom du territoire (sinon celui de l'EPCI)")
        parser.add_argument(
            "--check", action="store_true", help="comparer seulement, ne rien écrire"
        )

    def handle(self, *args, epci, cog_file, epci_file, coordinates, name, check, **options):
        siren = epci.strip()
        if not (siren.isdigit() and len(siren) == 9):
            raise CommandError(f"« {epci} » n'est pas un SIREN (9 chiffres).")
        paths = [Path(cog_file), Path(epci_file), Path(coordinates)]
        for path in paths:
            if not path.is_file():
                raise CommandError(f"Fichier introuvable : {path}")
        try:
            epci_name, communes = cog.official_communes(siren, *paths)
        except cog.CogError as error:
            raise CommandError(f"{error} Rien n'a été enregistré.") from None
        if check:
            problems = cog.differences(communes)
            for problem in problems:
                self.stdout.write(f"  {problem}")
            verdict = "aucune différence" if not problems else f"{len(problems)} différence(s)"
            self.stdout.write(
                f"{epci_name or siren} : {len(communes)} communes officielles ; {verdict} avec "
                "les communes en base (rien n'a été écrit)."
            )
            return
        counts = cog.load(siren, epci_name, communes, name)
        self.stdout.write(
            self.style.SUCCESS(
                f"{epci_name or siren} : {len(communes)} communes — {counts['created']} "
                f"créée(s), {counts['updated']} mise(s) à jour, {counts['unchanged']} "
                "inchangée(s)."
            )
        )
