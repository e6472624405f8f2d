"""Benchmark: directory search (text + commune + sector) over a large data set.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/passerelles_bench \
        .venv/bin/python bench/search.py --generate 50000

--generate N loads the demo territory and N synthetic services first (once per database).
Prints the median and p95 of the SQL work alone and of the whole page (view + template).
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


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--generate", type=int, default=0, help="create N synthetic services first"
    )
    parser.add_argument("--runs", type=int, default=300)
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
    combos = zip(itertools.cycle(TERMS), itertools.cycle(communes), itertools.cycle(sectors))
    cases = list(itertools.islice(combos, args.runs))
    print(f"{Service.objects.published().count()} published services, {connection.vendor}")

    sql_times, page_times, counts = [], [], []
    client = Client()
    for warmup, (term, commune, sector) in enumerate(cases[:20] + cases):
        params = {"q": term, "commune": commune.slug, "secteur": sector.slug}
        start = time.perf_counter()
        form = ServiceSearchForm(params)
        page = form.results_page(1, 20)
        counts.append(page.paginator.count)
        sql = time.perf_counter() - start
        start = time.perf_counter()
        response = client.get("/annuaire/", params)
        page_time = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        if warmup >= 20:
            sql_times.append(sql * 1000)
            page_times.append(page_time * 1000)

    print(f"results per query: median {statistics.median(counts):.0f}, max {max(counts)}")
    print(
        f"search SQL (count + first page): median {statistics.median(sql_times):.1f} ms, "
        f"p95 {percentile(sql_times, 0.95):.1f} ms"
    )
    print(
        f"whole /annuaire/ page: median {statistics.median(page_times):.1f} ms, "
        f"p95 {percentile(page_times, 0.95):.1f} ms over {len(page_times)} runs"
    )


if __name__ == "__main__":
    main()
