"""Time every indicators page, uncached, as the coordinator sees it.

The dashboard (year, quarter, month, previous year), each indicator's page, the synthesis,
the evaluation report and the observatory, and each of them with a commune, a sector, and
both together.

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

from indicators.models import Indicator  # noqa: E402
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
    parser.add_argument("--only", default="", help="Seulement les pages dont le nom contient…")
    args = parser.parse_args()

    # Django empties the query log when a request starts: keep it to count the queries.
    request_started.disconnect(reset_queries)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(coordinator())
    today = timezone.localdate()
    commune = Commune.objects.filter(territory=Territory.objects.current()).order_by("pk").first()
    sector = Sector.objects.filter(is_child_stage=True).order_by("position").first()
    quarter = f"{today.year}-T{(today.month - 1) // 3 + 1}"
    filters = [
        ("", ""),
        (", une commune", f"commune={commune.slug}"),
        (", un secteur", f"secteur={sector.slug}"),
        (", commune et secteur", f"commune={commune.slug}&secteur={sector.slug}"),
    ]
    urls = [
        ("tableau de bord, trimestre", f"/indicateurs/?periode={quarter}"),
        ("tableau de bord, mois", f"/indicateurs/?periode={today:%Y-%m}"),
        ("tableau de bord, année précédente", f"/indicateurs/?periode={today.year - 1}"),
    ]
    pages = [
        ("tableau de bord", "/indicateurs/"),
        ("synthèse", "/indicateurs/synthese/"),
        ("rapport", "/indicateurs/rapport/"),
        ("observatoire", "/indicateurs/observatoire/"),
    ]
    pages += [
        (f"indicateur {slug}", f"/indicateurs/detail/{slug}/")
        for slug in Indicator.objects.for_dashboard().values_list("slug", flat=True)
    ]
    for name, path in pages:
        for suffix, query in filters:
            if args.only and args.only not in name:
                continue
            urls.append((name + suffix, f"{path}?{query}" if query else path))
    print(
        f"{connection.vendor} · {Referral.objects.count():,} orientations · "
        f"{FamilyAnswer.objects.count():,} réponses de familles · {args.runs} rendus par adresse"
    )
    worst = 0.0
    for label, url in urls:
        if args.only and args.only not in label:
            continue
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
        worst = max(worst, p95)
        print(
            f"{label:<52} médiane {median:6.0f} ms · p95 {p95:6.0f} ms · "
            f"{len(queries):3d} requêtes SQL · {len(response.content) // 1024} Ko",
            flush=True,
        )
    verdict = "OK" if worst <= args.target_ms else "AU-DESSUS DE LA CIBLE"
    target = f"Cible : p95 ≤ {args.target_ms:.0f} ms sur chaque page"
    print(f"{target} (pire : {worst:.0f} ms) → {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
