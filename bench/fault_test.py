"""Fault test: PostgreSQL stops and restarts while people use the portal.

    .venv/bin/python bench/fault_test.py --users 20 --duration 50 --down-after 15 --down-for 8

Everything runs on a throwaway PostgreSQL cluster of this machine (`faulttest`, port
5433: created with pg_createcluster, dropped at the end unless --keep-cluster), never on
the cluster other work uses: that one is left alone. The script creates the portal's
database there (demo territory), runs the load test's mixed journeys against gunicorn
(production settings, JSON logs), stops the cluster (`pg_ctlcluster … stop -m fast`)
after --down-after seconds, starts it again --down-for seconds later, and checks:

1. while PostgreSQL is down, every page answers the friendly 503 page (never a 500,
   never a dropped connection) unless the process still holds it in its page cache,
   and /healthz answers 503;
2. the portal recovers by itself: seconds from PostgreSQL accepting connections
   again to the first 200 of /healthz and of the home page;
3. no error before the stop or after the recovery;
4. every orientation whose fiche was shown to an adviser is in the database;
5. the log stays quiet: no traceback at all, and from the stop on, apart from the
   one-line-per-request log, one WARNING and one INFO per gunicorn worker that met the
   outage. The lines are printed.
"""

import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadtest import arguments, report, run_load, test_data  # noqa: E402
from throughput import ROOT, gunicorn, prepare, production_env, shell  # noqa: E402

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


def pg_ready(port: int) -> bool:
    command = ["pg_isready", "-h", "127.0.0.1", "-p", str(port), "-q"]
    return subprocess.run(command).returncode == 0


def cluster_port(version: str, cluster: str) -> int | None:
    """The port of an existing cluster of this machine, None when there is no such cluster."""
    lines = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True)
    for line in lines.stdout.splitlines():
        fields = line.split()
        if fields[:2] == [version, cluster]:
            return int(fields[2])
    return None


@contextmanager
def throwaway_cluster(version: str, cluster: str, port: int, keep: bool):
    """Yields the URL of the fault test's database on its own cluster; drops the cluster."""
    if cluster == "main" or port == 5432:
        sys.exit("The fault test stops its own cluster only, never main or port 5432.")
    existing = cluster_port(version, cluster)
    if existing is not None and existing != port:
        sys.exit(f"Cluster {version}/{cluster} listens on {existing}, not {port}.")
    if existing is None:
        print(f"Création du cluster jetable {version}/{cluster} (port {port})…", flush=True)
        subprocess.run(
            ["pg_createcluster", version, cluster, "-p", str(port), "--", "--auth=trust"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    try:
        if not pg_ready(port):
            pg_ctl("start", version, cluster)
        while not pg_ready(port):
            time.sleep(0.2)
        yield f"postgres://postgres@127.0.0.1:{port}/passerelles_fault"
    finally:
        if not keep:
            subprocess.run(["pg_dropcluster", "--stop", version, cluster], check=False)


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

    def __init__(
        self, base: str, *, after: float, down_for: float, version: str, cluster: str, port: int
    ):
        self.base, self.after, self.down_for = base, after, down_for
        self.version, self.cluster, self.port = version, cluster, port
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
        while not pg_ready(self.port):
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


def count_confirmed(database: str, confirmed: list[str]) -> int:
    """How many of the orientation batches shown on a fiche are in the database."""
    batches = sorted(set(confirmed))
    if not batches:
        return 0
    listed = ",".join(f"'{batch}'" for batch in batches)
    return int(
        shell(
            production_env(database),
            "from orientations.models import Referral; "
            f"print(Referral.objects.filter(batch__in=[{listed}])"
            ".values('batch').distinct().count())",
        )
    )


def read_log(path: Path) -> tuple[list[tuple[float, dict]], list[str]]:
    """(time, entry) of each JSON line of the gunicorn log, and the lines that are not JSON."""
    entries, others = [], []
    for line in path.read_text().splitlines():
        try:
            entry = json.loads(line)
            entries.append((datetime.fromisoformat(entry["time"]).timestamp(), entry))
        except (ValueError, KeyError, TypeError):
            others.append(line)
    return entries, others


def main() -> None:
    parser = arguments(__doc__.split("\n\n")[0])
    parser.set_defaults(users=20, duration=50.0, services=0)
    parser.add_argument("--down-after", type=float, default=15.0)
    parser.add_argument("--down-for", type=float, default=8.0)
    parser.add_argument("--pg-version", default="15")
    parser.add_argument("--pg-cluster", default="faulttest", help="a throwaway cluster")
    parser.add_argument("--pg-port", type=int, default=5433)
    parser.add_argument("--keep-cluster", action="store_true", help="do not drop it after")
    parser.add_argument("--log", type=Path, default=ROOT / "bench" / "results" / "fault.log")
    args = parser.parse_args()
    if args.down_after + args.down_for + 10 > args.duration:
        sys.exit("--duration must leave time to watch the recovery.")
    args.log.parent.mkdir(parents=True, exist_ok=True)

    with throwaway_cluster(args.pg_version, args.pg_cluster, args.pg_port, args.keep_cluster) as (
        database
    ):
        prepare(database, services=args.services)
        data = test_data(database)
        with gunicorn(
            database, workers=args.workers, log=args.log, LOG_LEVEL="INFO", LOG_FORMAT="json"
        ) as base:
            outage = Outage(
                base,
                after=args.ramp + args.down_after,  # counted from the end of the warm-up
                down_for=args.down_for,
                version=args.pg_version,
                cluster=args.pg_cluster,
                port=args.pg_port,
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
                if not pg_ready(args.pg_port):
                    pg_ctl("start", args.pg_version, args.pg_cluster)
        found = count_confirmed(database, confirmed)
        entries, not_json = read_log(args.log)

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
    print(f"orientations confirmées à un conseiller : {len(batches)}, en base : {found}")

    # The log from the stop to the end of the load, apart from the one line per request.
    tracebacks = [e for _t, e in entries if "exception" in e] + [
        line for line in not_json if "Traceback" in line
    ]
    after_stop = [
        e
        for at, e in entries
        if outage.stopped_at - MARGIN <= at <= ended and e["logger"] != "passerelles.request"
    ]
    requests_down = sum(
        1
        for at, e in entries
        if e["logger"] == "passerelles.request" and outage.stopped_at <= at <= outage.restarted_at
    )
    print(f"\n== Journal ({args.log}) ==")
    print(
        f"{len(entries) + len(not_json)} lignes en tout, {len(tracebacks)} trace(s) d'exception, "
        f"{len(not_json)} ligne(s) hors JSON ; {requests_down} lignes du journal des requêtes "
        "pendant la panne (une par requête)"
    )
    print(f"depuis l'arrêt, hors journal des requêtes : {len(after_stop)} lignes")
    for entry in after_stop:
        print(f"  {entry['time']} {entry['level']} {entry['logger']} {entry['message']}")
    quiet = not tracebacks and not not_json and len(after_stop) <= 2 * args.workers + 2

    ok = (
        quiet
        and outside_errors == 0
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
