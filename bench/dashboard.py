"""Time the indicators dashboard, uncached, as the coordinator sees it.

Prepare a database first (PostgreSQL for the real figures), for example:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/passerelles_bench_dashboard
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py createcachetable
    .venv/bin/python manage.py load_demo
    .venv/bin/python manage.py generate_referrals --referrals 1000000 --feedback 200000
    .venv/bin/python bench/dashboard.py --runs 15

Each run renders the full page through Django's test client (middleware, session,
templates): nothing is cached between runs. Prints median and p95 per URL and the
number of SQL queries of one render.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.signals import request_started  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from orientations.models import FamilyAnswer, Referral  # noqa: E402
from services_directory.models import Commune, Role, Sector, StaffProfile, Territory  # noqa: E402  # noqa: E402


def coordinator():
    user, _created = get_user_model().objects.get_or_create(
        username="bench-coordination@example.org", defaults={"is_staff": True}
    )
    StaffProfile.objects.get_or_create(user=user, defaults={"role": Role.COORDINATOR})
    return user


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--target-ms", type=float, default=300.0)
    parser.add_argument("--verbose", action="store_true", help="Les requêtes les plus lentes.")
    args = parser.parse_args()

    # Django empties the query log when a request starts: keep it to count the queries.
    request_started.disconnect(reset_queries)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(coordinator())
    today = timezone.localdate()
    commune = Commune.objects.filter(territory=Territory.objects.current()).order_by("pk").first()
    sector = Sector.objects.filter(is_child_stage=True).order_by("position").first()
    quarter = f"{today.year}-T{(today.month - 1) // 3 + 1}"
    urls = [
        ("année en cours (par défaut)", "/indicateurs/"),
        ("trimestre en cours", f"/indicateurs/?periode={quarter}"),
        ("mois en cours", f"/indicateurs/?periode={today:%Y-%m}"),
        ("année précédente", f"/indicateurs/?periode={today.year - 1}"),
        ("année, une commune", f"/indicateurs/?commune={commune.slug}" if commune else ""),
        ("année, un secteur", f"/indicateurs/?secteur={sector.slug}" if sector else ""),
    ]
    print(
        f"{connection.vendor} · {Referral.objects.count():,} orientations · "
        f"{FamilyAnswer.objects.count():,} réponses de familles · {args.runs} rendus par adresse"
    )
    worst = 0.0
    for label, url in urls:
        if not url:
            continue
        reset_queries()  # the log keeps at most 9,000 queries
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if args.verbose:
            sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
            print(f"  SQL : {sql_ms:.0f} ms au total pour {len(queries)} requêtes")
            for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:12]:
                print(f"  {float(query['time']) * 1000:7.0f} ms  {query['sql'][:160]}")
        if response.status_code != 200:
            print(f"{url}: HTTP {response.status_code}")
            return 1
        timings = []
        for _run in range(args.runs):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        median, p95 = statistics.median(timings), percentile(timings, 0.95)
        worst = max(worst, median)
        print(
            f"{label:<28} {url:<44} médiane {median:6.0f} ms · p95 {p95:6.0f} ms · "
            f"{len(queries)} requêtes SQL · {len(response.content) // 1024} Ko"
        )
    verdict = "OK" if worst <= args.target_ms else "AU-DESSUS DE LA CIBLE"
    print(f"Cible : médiane ≤ {args.target_ms:.0f} ms → {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
