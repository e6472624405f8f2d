"""Loads the translations of the content from TOML files, one per language."""

import tomllib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from pathways.models import LifeMoment, Pathway
from services_directory.models import ContentTranslation, Need, Sector, Service
from services_directory.translations import other_languages

REVIEWER = "Traduction de la démonstration"

# table name in the file → (model, key field, lists of child objects: name → (related
# name, order)).
VOCABULARY = {"sectors": Sector, "needs": Need, "moments": LifeMoment}
CONTENT = {"services": Service, "pathways": Pathway}
CHILDREN = {
    "notices": ("notices", "pk"),
    "sessions": ("sessions", "pk"),
    "steps": ("steps", "position"),
}


class Command(BaseCommand):
    help = (
        "Charge les traductions du contenu : le vocabulaire (secteurs, besoins et leurs "
        "synonymes, moments de vie) depuis portal/vocabulary/<langue>.toml et les services "
        "et parcours de la démonstration depuis portal/demo/translations/<langue>.toml, "
        "pour chaque langue configurée (LANGUAGES) dont le fichier existe. Même forme que "
        "les sources françaises : tables par identifiant d'adresse (slug), avis et séances "
        "dans l'ordre de création, étapes dans l'ordre du parcours. Un identifiant, un "
        "champ ou une étape inconnus arrêtent la commande sans rien écrire. Chaque "
        "traduction est enregistrée « à relire », ou « relue » aujourd'hui avec --reviewed. "
        "Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reviewed",
            action="store_true",
            help="Enregistre les traductions comme relues aujourd'hui (traducteur attentif).",
        )
        parser.add_argument("--reviewer", default=REVIEWER, help="Qui a relu (avec --reviewed).")
        parser.add_argument(
            "--language", action="append", help="Seulement cette langue (répétable)."
        )

    def handle(self, *args, **options):
        languages = options["language"] or other_languages()
        unknown = set(languages) - set(other_languages())
        if unknown:
            raise CommandError(
                f"Langue non configurée : {', '.join(sorted(unknown))} (voir LANGUAGES)."
            )
        reviewed_by = options["reviewer"] if options["reviewed"] else ""
        loaded = {}
        rows: list[ContentTranslation] = []
        for language in languages:
            count = len(rows)
            # The product's vocabulary ships with the product; the demonstration's
            # services and pathways with the demo.
            for path, tables in (
                (settings.VOCABULARY_DIR / f"{language}.toml", VOCABULARY),
                (settings.DEMO_DATA_DIR / "translations" / f"{language}.toml", CONTENT),
            ):
                if path.exists():
                    load_file(path, language, tables, reviewed_by, rows)
            loaded[language] = len(rows) - count
        # Every file read and checked before anything is written: all or nothing, and a
        # few bulk statements rather than a save per field (thousands for the demo).
        with transaction.atomic():
            ContentTranslation.objects.save_many(rows)
        for language, count in loaded.items():
            self.stdout.write(f"{language} : {count} textes traduits.")


def read(path: Path) -> dict:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except tomllib.TOMLDecodeError as exc:
        raise CommandError(f"{path} : TOML invalide ({exc}).") from exc


def load_file(path: Path, language: str, tables: dict, reviewed_by: str, rows: list) -> None:
    data = read(path)
    for table, entries in data.items():
        if table not in tables:
            raise CommandError(
                f"{path} : table inconnue [{table}] (attendu : {', '.join(tables)})."
            )
        model = tables[table]
        for slug, values in entries.items():
            where = f"{path.name} [{table}.{slug}]"
            obj = model.objects.filter(slug=slug).first()
            if obj is None:
                raise CommandError(f"{where} : aucun objet avec cet identifiant.")
            add_fields(obj, values, language, reviewed_by, where, rows)


def add_fields(obj, values: dict, language: str, reviewed_by: str, where: str, rows) -> None:
    for field, value in values.items():
        if field in CHILDREN and isinstance(value, list):
            related, order = CHILDREN[field]
            if not hasattr(obj, related):
                raise CommandError(f"{where} : « {field} » n'existe pas ici.")
            children = list(getattr(obj, related).order_by(order))
            if len(value) > len(children):
                raise CommandError(
                    f"{where} : {len(value)} « {field} » traduits pour {len(children)} "
                    "en français."
                )
            for position, (child, child_values) in enumerate(
                zip(children, value, strict=False), start=1
            ):
                add_fields(
                    child,
                    child_values,
                    language,
                    reviewed_by,
                    f"{where} {field}[{position}]",
                    rows,
                )
            continue
        if field not in obj.translatable_fields:
            raise CommandError(
                f"{where} : champ inconnu « {field} » (traduisibles : "
                f"{', '.join(obj.translatable_fields)})."
            )
        text = "\n".join(value) if isinstance(value, list) else str(value)
        french = getattr(obj, field) or ""
        if not text.strip() or not french:
            continue  # nothing to translate, or nothing translated
        rows.append(
            ContentTranslation.of_field(
                obj,
                field,
                language,
                text=text.strip(),
                source=french,
                state=(
                    ContentTranslation.State.REVIEWED
                    if reviewed_by
                    else ContentTranslation.State.TO_REVIEW
                ),
                reviewed_on=timezone.localdate() if reviewed_by else None,
                reviewed_by=reviewed_by,
            )
        )
