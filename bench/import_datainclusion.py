"""Benchmark: importing a data·inclusion v1 file of 10,000 services.

    createdb -h 127.0.0.1 -U postgres passerelles_bench_import
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/passerelles_bench_import \
        .venv/bin/python bench/import_datainclusion.py --services 10000

Generates valid files (structures.json and services.json, every record validated by the
package's models first) for the demo territory's communes, then times through
`import_records`, as `manage.py import_datainclusion` does: a dry run, the first import
(everything created), the same files again (nothing changes), and files where one service
in ten changed. The database is migrated and its demo territory loaded first; the services
a previous run imported are deleted before the first import.
"""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("CACHE_URL", "dummy://")

import django  # noqa: E402

django.setup()

from data_inclusion.schema import v1  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from services_directory.datainclusion import InputFile, import_records  # noqa: E402
from services_directory.models import Commune, Partner, Place, Service, Territory  # noqa: E402

SOURCE = "bench-dora"
HOURS = [
    "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
    "Mo,Tu,Th,Fr 08:30-12:30,13:30-17:00; We 08:30-12:30; PH off",
    "Tu,Th 09:00-12:00; Sa 09:00-12:00",
    "We 14:00-18:00; Sa 10:00-12:00,14:00-17:00; PH off",
    "Mo-Fr 07:30-18:30; PH off",
    "Mo-Fr 09:00-12:30,13:30-19:00",
    "Tu 14:00-17:00; Th 09:00-12:00",
    "",
]
THEMATIQUES = [item.value for item in v1.Thematique]
PUBLICS = ["familles", "jeunes", "femmes", "demandeurs-emploi", "seniors"]
WORDS = [
    "accompagnement",
    "famille",
    "enfant",
    "parent",
    "jeune",
    "emploi",
    "logement",
    "santé",
    "droits",
    "aide",
    "accueil",
    "écoute",
    "atelier",
    "conseil",
    "information",
    "orientation",
    "démarches",
    "numérique",
    "garde",
    "loisirs",
    "formation",
    "insertion",
    "mobilité",
    "budget",
    "alimentation",
    "handicap",
    "soutien",
    "rendez-vous",
]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def generate(count: int, seed: int = 42) -> tuple[list[dict], list[dict]]:
    rng = random.Random(seed)
    communes = list(Commune.objects.order_by("insee_code"))
    territory = Territory.objects.current()
    structures, services = [], []
    for n in range(max(1, count // 5)):
        commune = rng.choice(communes)
        structures.append(
            {
                "source": SOURCE,
                "id": f"{SOURCE}--structure-{n}",
                "nom": f"Structure {n} {rng.choice(WORDS)}",
                "date_maj": "2026-06-01",
                "description": sentence(rng, 25),
                "commune": commune.name,
                "code_postal": commune.postcode,
                "code_insee": commune.insee_code,
                "adresse": f"{rng.randint(1, 99)} rue {rng.choice(WORDS)}",
                "telephone": f"03 86 {rng.randint(10, 99)} {rng.randint(10, 99)} {n % 100:02d}",
                "courriel": f"structure{n}@bench.example.org",
                "site_web": f"https://bench.example.org/structures/{n}",
                "horaires_accueil": rng.choice(HOURS) or None,
                "reseaux_porteurs": [rng.choice(["communes", "caf", "ccas-cias", "mjc"])],
            }
        )
    for n in range(count):
        structure = structures[n % len(structures)]
        own_address = rng.random() < 0.4
        commune = rng.choice(communes)
        zone = rng.choice(
            [
                [territory.siren] if territory and territory.siren else ["89"],
                [commune.insee_code],
                sorted({rng.choice(communes).insee_code for _ in range(3)}),
            ]
        )
        record = {
            "source": SOURCE,
            "structure_id": structure["id"],
            "id": f"{SOURCE}--service-{n}",
            "nom": f"Service {n} : {rng.choice(WORDS)} {rng.choice(WORDS)}",
            "description": f"{sentence(rng, 12)}\n\n{sentence(rng, 60)} {sentence(rng, 40)}",
            "date_maj": "2026-06-01",
            "thematiques": sorted(set(rng.sample(THEMATIQUES, rng.randint(1, 3)))),
            "frais": rng.choice(["gratuit", "payant", None]),
            "publics": sorted(set(rng.sample(PUBLICS, rng.randint(1, 2)))),
            "publics_precisions": sentence(rng, 8),
            "conditions_acces": sentence(rng, 15),
            "telephone": structure["telephone"],
            "courriel": f"service{n}@bench.example.org",
            "modes_accueil": rng.choice([["en-presentiel"], ["a-distance", "en-presentiel"]]),
            "zone_eligibilite": zone,
            "modes_mobilisation": ["se-presenter", "telephoner"],
            "horaires_accueil": rng.choice(HOURS) or None,
        }
        if own_address:
            record |= {
                "commune": commune.name,
                "code_postal": commune.postcode,
                "code_insee": commune.insee_code,
                "adresse": f"{rng.randint(1, 99)} place {rng.choice(WORDS)}",
                "latitude": commune.latitude + rng.uniform(-0.01, 0.01),
                "longitude": commune.longitude + rng.uniform(-0.01, 0.01),
            }
        services.append({key: value for key, value in record.items() if value is not None})
    for item in structures:
        v1.Structure.model_validate(item)
    for item in services:
        v1.Service.model_validate(item)
    return structures, services


def as_files(structures, services) -> list[InputFile]:
    return [
        InputFile("structures.json", json.dumps(structures, ensure_ascii=False).encode()),
        InputFile("services.json", json.dumps(services, ensure_ascii=False).encode()),
    ]


def timed(label: str, files, **kwargs) -> float:
    started = time.perf_counter()
    report = import_records(files, **kwargs)
    seconds = time.perf_counter() - started
    counts = report.counts["services"]
    print(
        f"{label:<38} {seconds:7.1f} s   services: {counts['created']} créés, "
        f"{counts['updated']} mis à jour, {counts['unchanged']} inchangés, "
        f"{counts['rejected']} rejetés, {counts['outside']} hors territoire"
    )
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=10_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not Territory.objects.exists():
        call_command("load_demo", verbosity=0)
    Service.objects.filter(source=SOURCE).delete()
    Place.objects.filter(source=SOURCE).delete()
    Partner.objects.filter(source=SOURCE).delete()
    started = time.perf_counter()
    structures, services = generate(args.services)
    files = as_files(structures, services)
    size = sum(len(file.content) for file in files) / 1024 / 1024
    print(
        f"{connection.vendor}, {len(structures)} structures + {len(services)} services "
        f"({size:.1f} Mo), generated and validated in {time.perf_counter() - started:.1f} s"
    )
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    timed("dry run (simulation)", files, dry_run=True)
    timed("first import (all created)", files, dry_run=False)
    timed("same files again (nothing changes)", files, dry_run=False)
    rng = random.Random(7)
    for record in rng.sample(services, len(services) // 10):
        record["description"] += " Nouveauté."
        record["date_maj"] = "2026-07-01"
    timed("one service in ten changed", as_files(structures, services), dry_run=False)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
