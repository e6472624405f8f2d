import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from services_directory.datainclusion import ImportFileError, InputFile, import_records


class ProgressBar:
    """One line redrawn in place on a terminal; a line per stage otherwise (cron, logs)."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.stage = None
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.tty:
            if stage != self.stage:
                self.stream.write(f"{stage}…\n")
            self.stage = stage
            return
        now = time.monotonic()
        if stage == self.stage and done < total and now - self.last < 0.1:
            return
        self.stage, self.last = stage, now
        filled = int(self.WIDTH * done / total) if total else 0
        bar = "█" * filled + "·" * (self.WIDTH - filled)
        counter = f" {done:,}/{total:,}".replace(",", " ") if total else ""
        self.stream.write(f"\r{stage[:34]:<34} [{bar}]{counter}   ")
        if stage == "Terminé":
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Importe des structures et services au format data·inclusion (schéma v1) : fichiers "
        "JSON ou CSV du jeu de données national, ou pages de l'API enregistrées. Chaque "
        "enregistrement est vérifié par les modèles du paquet data-inclusion-schema ; un "
        "enregistrement invalide est rejeté avec sa raison sans arrêter les autres. Mise à jour "
        "par (source, id) : relancer le même fichier ne change rien, et un champ modifié dans "
        "Passerelles n'est jamais écrasé (la différence est signalée). Seuls les services du "
        "territoire (adresse ou zone d'éligibilité) sont importés. Tout est écrit en une "
        "transaction : une erreur n'écrit rien. --dry-run : simulation seulement."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="fichiers JSON ou CSV (structures, services)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="simulation : compte rendu de ce qui changerait, rien n'est écrit",
        )
        parser.add_argument(
            "--communes",
            default="",
            help="codes INSEE séparés par des virgules : n'importer que ces communes",
        )
        parser.add_argument(
            "--epci", default="", help="SIREN de l'EPCI (doit être celui du territoire chargé)"
        )

    def handle(self, *args, files, dry_run, communes, epci, **options):
        inputs = []
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"Fichier introuvable : {name}")
            inputs.append(InputFile(path.name, path.read_bytes()))
        started = time.monotonic()
        try:
            report = import_records(
                inputs,
                dry_run=dry_run,
                communes=[code for code in communes.split(",") if code.strip()],
                epci=epci.strip(),
                progress=ProgressBar(getattr(self.stderr, "_out", sys.stderr)),
            )
        except ImportFileError as error:
            raise CommandError(f"{error} Rien n'a été enregistré.") from None
        self._print(report.as_dict(), time.monotonic() - started)

    def _print(self, report: dict, seconds: float) -> None:
        out = self.stdout
        title = (
            "Simulation (rien n'a été enregistré)" if report["dry_run"] else "Import enregistré"
        )
        out.write(f"{title} en {seconds:.1f} s.")
        for kind, label in (("structures", "Structures"), ("services", "Services")):
            c = report["counts"][kind]
            out.write(
                f"{label} : {c['created']} créé(e)s, {c['updated']} mis(es) à jour, "
                f"{c['unchanged']} inchangé(e)s, {c['rejected']} rejeté(e)s, "
                f"{c['outside']} hors du territoire."
            )
        for item in report["rejected"]:
            out.write(f"  Rejeté — {item['record']} : {item['reason']}")
        for item in report["warnings"]:
            out.write(f"  Attention — {item['record']} : {item['warning']}")
        for item in report["kept"]:
            out.write(
                f"  Modifié dans Passerelles, gardé — {item['object']}, {item['field']} : "
                f"« {item['local']} » (le fichier dit « {item['file']} »)"
            )
        for name, count in report["more"].items():
            if count:
                out.write(f"  … et {count} autre(s) ({name}).")
