"""Server time of the main pages rendered without any cache, and their SQL queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/passerelles_bench_render \
        .venv/bin/python bench/render.py --runs 41
    # the same pages over 50,000 services (generated once):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/passerelles_h5_bench \
        .venv/bin/python bench/render.py --runs 41 --services 50000

Production settings (DEBUG off, the manifest static files), the public page cache off
(PUBLIC_CACHE_SECONDS=0), Django's test client in this process: each figure is the
whole response (middleware, view, queries, templates) without the network. What each
process keeps per content version (services_directory/versions.py: the territory, the
filter lists, the fixed parts of cards and pages) is kept, as in production: the
« à froid » column is the same page with that memory emptied before each render (right
after a change of the content), and « requêtes » the queries of the first render → of
the next ones. The demo
territory is loaded once when the database is empty. Prints median and p95 per page
with its number of queries and, with --profile PAGE, the functions where that page
spends its time (cProfile). Targets at the demo size: `/annuaire/` ≤ 12 ms, a service
page ≤ 8 ms, a pathway page ≤ 12 ms, `/` ≤ 5 ms, each `/orienter/` step ≤ 5 ms.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import database_url, manage, prepare, production_env  # noqa: E402

TARGETS_MS = {
    "annuaire": 12,
    "fiche service": 8,
    "parcours (détail)": 12,
    "accueil /": 5,
    "orienter : profil": 5,
    "orienter : âge": 5,
    "orienter : besoin": 5,
    "orienter : commune": 5,
    "orienter : résultat": 5,
}


def pages() -> dict[str, tuple[str, str]]:
    """Name → (path, who): the pages measured, found in the database."""
    from pathways.models import Pathway
    from services_directory.models import Commune, Need, Service

    service = Service.objects.published().order_by("pk").values_list("slug", flat=True)[0]
    pathway = Pathway.objects.order_by("pk").values_list("slug", flat=True)[0]
    commune = Commune.objects.order_by("pk").values_list("slug", flat=True)[0]
    need = Need.objects.order_by("pk").values_list("slug", flat=True)[0]
    orient = "/orienter/?profil=parent"
    return {
        "accueil /": ("/", ""),
        "annuaire": ("/annuaire/", ""),
        "annuaire (mots + commune)": (f"/annuaire/?q=creche&commune={commune}", ""),
        "fiche service": (f"/annuaire/{service}/", ""),
        "parcours (liste)": ("/parcours/", ""),
        "parcours (détail)": (f"/parcours/{pathway}/", ""),
        "orienter : profil": ("/orienter/", ""),
        "orienter : âge": (orient, ""),
        "orienter : besoin": (f"{orient}&age=4", ""),
        "orienter : commune": (f"{orient}&age=4&besoin={need}", ""),
        "orienter : résultat": (f"{orient}&age=4&besoin={need}&commune={commune}", ""),
        "comptoir (/accueil/)": (f"/accueil/?q=creche&commune={commune}", "adviser"),
    }


def measure(client, path: str, runs: int, cold: bool = False):
    """Wall and CPU times of `runs` renders, and the queries of the first and of a later
    one. `cold`: what the process keeps per content version (services_directory.versions)
    is emptied before each render, as after a change of the content."""
    from django.db import connection

    from services_directory import versions

    def queries_of_one() -> int:
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)  # Django resets connection.queries at each request: counted here
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"{path}: HTTP {response.status_code}")
        return len(queries)

    versions.forget()
    first = queries_of_one()
    later = queries_of_one()
    times, cpu = [], []
    for _run in range(runs):
        if cold:
            versions.forget()
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return times, cpu, first, later


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=41)
    parser.add_argument("--services", type=int, default=0, help="generate this many, once")
    parser.add_argument("--only", help="measure the pages whose name contains this")
    parser.add_argument("--profile", help="profile the page of this name (cProfile)")
    args = parser.parse_args()

    database = database_url()
    prepare(database, services=args.services)
    env = production_env(database, PUBLIC_CACHE_SECONDS="0", LOG_REQUESTS="0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    callers = os.environ.get("BENCH_CALLERS", "")
    os.environ.clear()
    os.environ.update(env, DJANGO_SETTINGS_MODULE="portal.settings", BENCH_CALLERS=callers)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from services_directory.models import Service

    anonymous = Client(HTTP_HOST="127.0.0.1")
    adviser = Client(HTTP_HOST="127.0.0.1")
    adviser.force_login(get_user_model().objects.get(username="conseillere@passerelles.demo"))
    clients = {"": anonymous, "adviser": adviser}
    found = pages()
    if args.profile:
        path, who = found[args.profile]
        clients[who].get(path)
        profiler = cProfile.Profile()
        profiler.enable()
        for _run in range(args.runs):
            clients[who].get(path)
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(r"/(services_directory|pathways|portal|orientations)/", 40)
        stats.sort_stats("tottime").print_stats(20)
        if os.environ.get("BENCH_CALLERS"):
            stats.print_callers(os.environ["BENCH_CALLERS"])
        return

    print(
        f"{Service.objects.published().count()} services publiés, {args.runs} rendus par page, "
        f"sans cache de pages, client de test, DEBUG off ; « requêtes » : au premier rendu → "
        f"aux suivants ; « à froid » : médiane sans rien de gardé par version du contenu\n"
    )
    # On shared cores the wall time includes waiting for a core; this process's CPU time
    # (Python: view, templates, the driver) does not, nor PostgreSQL's own time.
    print(
        f"{'page':28} {'médiane':>9} {'p95':>9} {'CPU méd.':>9} {'requêtes':>9} "
        f"{'à froid':>9}   objectif"
    )
    missed = []
    for name, (path, who) in found.items():
        if args.only and args.only not in name:
            continue
        times, cpu, first, later = measure(clients[who], path, args.runs)
        cold, _cold_cpu, _first, _later = measure(clients[who], path, args.runs, cold=True)
        median = statistics.median(times)
        target = TARGETS_MS.get(name)
        verdict = ""
        if target is not None:
            verdict = f"≤ {target} ms {'ok' if median <= target else 'MANQUÉ'}"
            if median > target:
                missed.append(name)
        print(
            f"{name:28} {median:6.1f} ms {p95(times):6.1f} ms {statistics.median(cpu):6.1f} ms "
            f"{first:>4} → {later:<3} {statistics.median(cold):6.1f} ms   {verdict}"
        )
    print(f"\nload average : {os.getloadavg()[0]:.2f}, {os.getloadavg()[1]:.2f}")
    if missed and not args.services:
        print(f"objectif manqué : {', '.join(missed)}")


if __name__ == "__main__":
    main()
