"""Fault test: PostgreSQL stops and restarts while people use the portal.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/passerelles_h5_bench \
        .venv/bin/python bench/fault_test.py --users 30 --duration 60 --down-after 20 --down-for 8

Runs the load test's mixed journeys against gunicorn, stops the local PostgreSQL
cluster (`pg_ctlcluster --skip-systemctl-redirect VERSION main stop`) after
--down-after seconds, starts it again --down-for seconds later, and checks:

1. while PostgreSQL is down, every page answers the friendly 503 page (never a 500,
   never a dropped connection) unless the process still holds it in its page cache,
   and /healthz answers 503;
2. the portal recovers by itself: seconds from PostgreSQL accepting connections
   again to the first 200 of /healthz and of the home page;
3. no error before the stop or after the recovery;
4. every orientation whose fiche was shown to an adviser is in the database.

Only a PostgreSQL on this machine is ever stopped, and it is always started again.
Stopping it interrupts whatever else uses it for those seconds.
"""

import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadtest import arguments, report, run_load, test_data  # noqa: E402
from throughput import database_url, gunicorn, prepare, production_env, shell  # noqa: E402

FRIENDLY = "Le site est momentanément indisponible"
# Answers within this margin of the stop and of the recovery belong to the outage.
MARGIN = 2.0


def pg_ctl(action: str, version: str, cluster: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, action, "-m", "fast"]
        if action == "stop"
        else ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, action],
        check=True,
    )


def pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0


def fetch(url: str) -> tuple[int, str, str]:
    """Status, body and X-Public-Cache header (0 and the error for a network failure)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read().decode("utf-8", "replace")
            return response.status, body, response.headers.get("X-Public-Cache", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace"), ""
    except (urllib.error.URLError, OSError) as error:
        return 0, str(error), ""


class Outage:
    """Stops PostgreSQL, watches the portal while it is down, restarts it, times recovery."""

    def __init__(self, base: str, *, after: float, down_for: float, version: str, cluster: str):
        self.base, self.after, self.down_for = base, after, down_for
        self.version, self.cluster = version, cluster
        self.down_answers: list[tuple[str, int, bool]] = []
        self.stopped_at = self.restarted_at = self.recovered_at = self.home_back_at = None
        self.thread = threading.Thread(target=self.run)

    def run(self) -> None:
        time.sleep(self.after)
        pg_ctl("stop", self.version, self.cluster)
        self.stopped_at = time.time()
        try:
            while time.time() < self.stopped_at + self.down_for:
                for path in ("/", "/annuaire/?q=garde", "/healthz"):
                    status, body, cached = fetch(self.base + path)
                    # The friendly page, or a public page the process still held in memory.
                    fine = (status == 503 and (FRIENDLY in body or path == "/healthz")) or (
                        status == 200 and cached == "hit"
                    )
                    self.down_answers.append((path, status, fine))
                time.sleep(0.5)
        finally:
            pg_ctl("start", self.version, self.cluster)
        while not pg_ready():
            time.sleep(0.1)
        self.restarted_at = time.time()
        while self.recovered_at is None or self.home_back_at is None:
            if self.recovered_at is None and fetch(self.base + "/healthz")[0] == 200:
                self.recovered_at = time.time()
            if self.home_back_at is None and fetch(self.base + "/")[0] == 200:
                self.home_back_at = time.time()
            if time.time() > self.restarted_at + 120:
                break
            time.sleep(0.1)


def main() -> None:
    parser = arguments(__doc__.split("\n\n")[0])
    parser.set_defaults(users=30, services=0)
    parser.add_argument("--down-after", type=float, default=20.0)
    parser.add_argument("--down-for", type=float, default=8.0)
    parser.add_argument("--pg-version", default="15")
    parser.add_argument("--pg-cluster", default="main")
    args = parser.parse_args()
    database = database_url()
    if urlsplit(database).hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("The fault test only ever stops a PostgreSQL on this machine.")
    if args.down_after + args.down_for + 10 > args.duration:
        sys.exit("--duration must leave time to watch the recovery.")
    prepare(database, services=args.services)
    data = test_data(database)

    with gunicorn(database, workers=args.workers) as base:
        outage = Outage(
            base,
            after=args.ramp + args.down_after,  # counted from the end of the warm-up
            down_for=args.down_for,
            version=args.pg_version,
            cluster=args.pg_cluster,
        )
        outage.thread.start()
        try:
            samples, confirmed, started, ended = run_load(
                base,
                data,
                users=args.users,
                duration=args.duration,
                think=args.think,
                processes=args.processes,
                ramp=args.ramp,
            )
        finally:
            outage.thread.join()
            if not pg_ready():
                pg_ctl("start", args.pg_version, args.pg_cluster)

    outage_start = outage.stopped_at - MARGIN
    outage_end = (outage.home_back_at or outage.restarted_at) + MARGIN
    during = [s for s in samples if outage_start <= s.at <= outage_end]
    outside = [s for s in samples if not outage_start <= s.at <= outage_end]
    print(f"\nPostgreSQL arrêté {args.down_for:.0f} s, {args.down_after:.0f} s après le début.")
    print("\n== Hors panne ==")
    outside_errors = report(outside, started, ended)

    bad_down = [(path, status) for path, status, fine in outage.down_answers if not fine]
    from_memory = sum(1 for _path, status, _fine in outage.down_answers if status == 200)
    during_statuses: dict[int, int] = {}
    for sample in during:
        during_statuses[sample.status] = during_statuses.get(sample.status, 0) + 1
    print("\n== Pendant la panne ==")
    print(
        f"sondes : {len(outage.down_answers)} réponses, "
        f"{len(outage.down_answers) - len(bad_down) - from_memory} pages 503 « {FRIENDLY} », "
        f"{from_memory} pages publiques servies depuis la mémoire, {len(bad_down)} autres"
    )
    print(f"parcours en cours : statuts {dict(sorted(during_statuses.items()))}")
    failed_during = [s for s in during if s.status not in (200, 302, 503)]
    recovery = (outage.recovered_at or 0) - outage.restarted_at
    home = (outage.home_back_at or 0) - outage.restarted_at
    print(
        f"reprise : /healthz répond 200 {recovery:.1f} s et l'accueil {home:.1f} s "
        "après que PostgreSQL accepte de nouveau les connexions"
    )

    batches = sorted(set(confirmed))
    found = 0
    if batches:
        listed = ",".join(f"'{batch}'" for batch in batches)
        found = int(
            shell(
                production_env(database),
                "from orientations.models import Referral; "
                f"print(Referral.objects.filter(batch__in=[{listed}])"
                ".values('batch').distinct().count())",
            )
        )
    print(f"orientations confirmées à un conseiller : {len(batches)}, en base : {found}")

    ok = (
        outside_errors == 0
        and not bad_down
        and not failed_during
        and outage.recovered_at is not None
        and outage.home_back_at is not None
        and found == len(batches)
    )
    print("\nRÉSULTAT :", "conforme" if ok else "NON CONFORME")
    for path, status in bad_down[:5]:
        print(f"  pendant la panne, {path} a répondu {status} sans la page 503")
    for sample in failed_during[:5]:
        print(f"  pendant la panne : {sample.page} {sample.status} {sample.error}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
