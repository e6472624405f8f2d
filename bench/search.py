"""Benchmark: directory search over a large data set, one line per kind of search.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/passerelles_bench \
        .venv/bin/python bench/search.py --generate 50000

--generate N loads the demo territory and N synthetic services first (once per database).
Cases (each a rotation of queries): words + commune + sector (the original budget), words
alone, a commune alone, a typing mistake, a long sentence, no filter at all. For each: the
SQL work alone (the form's page of ids, its count and the 20 services, as the view runs
them) and the whole `/annuaire/` page through Django's test client. Budget: p95 ≤ 50 ms
for the SQL of every case. Exit status 1 when a case misses it.
"""

import argparse
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("CACHE_URL", "dummy://")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from services_directory.forms import ServiceSearchForm  # noqa: E402
from services_directory.models import Commune, Sector, Service, ServiceSearch  # noqa: E402

GOAL_MS = 50
TERMS = [
    "creche",
    "aide aux devoirs",
    "emploi",
    "logement jeunes",
    "assistantes maternelles",
    "caf",
    "numerique",
    "loisirs",
    "mediation familiale",
    "handicap",
    "sante",
    "parentalite",
]
TYPOS = [
    "creshe",
    "puericultrisse",
    "assitante sociale",
    "haltegarderie",
    "mision locale",
    "logment",
    "psycologue",
    "alocation familliale",
]
SENTENCES = [
    "je cherche une nounou pour ma fille",
    "on n'a plus de quoi payer la cantine",
    "mon fils de 17 ans a arrêté l'école et ne fait plus rien",
    "je n'arrive plus à payer mon loyer ce mois ci",
    "comment faire garder mon bébé quand je reprends le travail",
    "mon ado ne va pas bien il reste enfermé dans sa chambre",
]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def cases(communes, sectors, runs: int) -> dict[str, list[dict]]:
    def rotate(*streams):
        cycles = [itertools.cycle(stream) for stream in streams]
        return list(itertools.islice(zip(*cycles, strict=False), runs))

    return {
        "words + commune + sector": [
            {"q": q, "commune": c.slug, "secteur": s.slug}
            for q, c, s in rotate(TERMS, communes, sectors)
        ],
        "words alone": [{"q": q} for (q,) in rotate(TERMS)],
        "commune alone": [{"commune": c.slug} for (c,) in rotate(communes)],
        "a typing mistake": [{"q": q} for (q,) in rotate(TYPOS)],
        "a long sentence": [{"q": q} for (q,) in rotate(SENTENCES)],
        "no filter": [{} for _ in range(runs)],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--generate", type=int, default=0, help="create N synthetic services first"
    )
    parser.add_argument("--runs", type=int, default=100, help="measured runs per case")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if args.generate and Service.objects.count() < args.generate:
        call_command("load_demo", verbosity=0)
        call_command("generate_demo", services=args.generate)
    if not ServiceSearch.objects.exists():
        call_command("rebuild_search")  # a database generated before the search documents
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    communes = list(Commune.objects.all())
    sectors = list(Sector.objects.all())
    print(f"{Service.objects.published().count()} published services, {connection.vendor}")
    client = Client()
    missed = []
    for name, params_list in cases(communes, sectors, args.runs).items():
        sql_times, page_times, counts = [], [], []
        for warmup, params in enumerate(params_list[:10] + params_list):
            start = time.perf_counter()
            form = ServiceSearchForm(params)
            page = form.results_page(1, 20)
            list(page.object_list)
            sql = time.perf_counter() - start
            start = time.perf_counter()
            response = client.get("/annuaire/", params)
            page_time = time.perf_counter() - start
            assert response.status_code == 200, (response.status_code, params)
            if warmup >= 10:
                sql_times.append(sql * 1000)
                page_times.append(page_time * 1000)
                counts.append(page.paginator.count)
        p95 = percentile(sql_times, 0.95)
        if p95 > GOAL_MS:
            missed.append(name)
        print(
            f"{name:<26} results median {statistics.median(counts):>7.0f} max {max(counts):>6} · "
            f"search median {statistics.median(sql_times):5.1f} ms p95 {p95:5.1f} ms · "
            f"page median {statistics.median(page_times):5.1f} ms "
            f"p95 {percentile(page_times, 0.95):5.1f} ms"
        )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0
    print(f"load average during the run: {load:.1f} for {os.cpu_count()} cores")
    print(f"goal p95 ≤ {GOAL_MS} ms: {'met' if not missed else 'MISSED for ' + ', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
