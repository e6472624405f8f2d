"""Restore drill: a backup restores into a new database, and the portal serves it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/passerelles \\
        .venv/bin/python bench/restore_drill.py
    # or a real backup, restored into a scratch database and checked:
    .venv/bin/python bench/restore_drill.py --dump /var/backups/passerelles/….dump

Without --dump, on the PostgreSQL server of DATABASE_URL (whose own database is never
touched): creates `<name>_drill_source` (migrations, demo territory with its
orientations), backs it up with deploy/backup.sh (the documented nightly routine),
restores the dump into `<name>_drill_restored` with pg_restore, and checks:

1. every table has the same number of rows in both (the cache table's rows are left
   out of backups on purpose), and every identity sequence is past its table's largest
   id (new rows will not collide);
2. `migrate --check`: the restored schema is the code's;
3. gunicorn on the restored database serves the home page, /healthz, a service page,
   and an adviser's list of orientations after logging in.

With --dump, the first check becomes a count of the main tables, and the log-in (a
demonstration account) is left out. Both databases are
dropped at the end unless --keep. Exits 1 when a check fails. About 30 s.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import ROOT, gunicorn, manage, production_env, shell  # noqa: E402

ADVISER = ("conseillere@passerelles.demo", "demo-conseillere")
MAIN_TABLES = {
    "services_directory_service": "services",
    "services_directory_partner": "partenaires",
    "pathways_pathway": "parcours",
    "orientations_referral": "orientations",
    "orientations_referralcontact": "coordonnées de familles",
    "auth_user": "comptes",
}
NOT_BACKED_UP = {"passerelles_cache"}
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def url_for(server_url: str, name: str) -> str:
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))


def recreate(server_url: str, name: str, *, drop_only: bool = False) -> None:
    with psycopg.connect(url_for(server_url, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            admin.execute(f'CREATE DATABASE "{name}"')


def row_counts(database: str) -> dict[str, int]:
    with psycopg.connect(database) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def sequences_behind(database: str) -> list[str]:
    """Identity or serial columns whose sequence would hand out an id already taken."""
    behind = []
    with psycopg.connect(database) as db:
        columns = db.execute(
            "SELECT table_name, column_name, pg_get_serial_sequence(table_name, column_name) "
            "FROM information_schema.columns WHERE table_schema = 'public' "
            "AND pg_get_serial_sequence(table_name, column_name) IS NOT NULL"
        ).fetchall()
        for table, column, sequence in columns:
            largest = db.execute(f'SELECT max("{column}") FROM "{table}"').fetchone()[0]
            last, called = db.execute(f"SELECT last_value, is_called FROM {sequence}").fetchone()
            next_id = last + 1 if called else last
            if largest is not None and next_id <= largest:
                behind.append(f"{table}.{column} (next {next_id}, largest {largest})")
    return behind


class Visitor:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")


def check(results: list, ok: bool, message: str) -> None:
    results.append(ok)
    print(f"  [{'ok' if ok else 'ÉCHEC'}] {message}", flush=True)


def serves(results: list, restored: str, *, demo: bool) -> None:
    env = production_env(restored)
    slug = shell(
        env,
        "from services_directory.models import Service; "
        "s = Service.objects.published().order_by('pk').first(); print(s.slug if s else '')",
    )
    log = ROOT / "bench" / "results" / "restore_drill.log"
    with gunicorn(restored, workers=2, log=log) as base:
        visitor = Visitor(base)
        status, html = visitor.get("/")
        check(results, status == 200 and "Que cherchez-vous" in html, f"/ : {status}")
        status, html = visitor.get("/healthz")
        check(results, status == 200, f"/healthz : {status} {html}")
        if slug:
            status, html = visitor.get(f"/annuaire/{slug}/")
            check(results, status == 200, f"/annuaire/{slug}/ : {status}")
        if not demo:
            return  # a real backup has no demonstration account to log in with
        status, html = visitor.get("/connexion/")
        token = CSRF_RE.search(html)
        form = {"username": ADVISER[0], "password": ADVISER[1]}
        form["csrfmiddlewaretoken"] = token.group(1) if token else ""
        visitor.get("/connexion/", form)
        status, html = visitor.get("/accueil/orientations/")
        check(
            results,
            status == 200 and "<h1>Mes orientations</h1>" in html,
            f"la conseillère de démonstration se connecte et voit « Mes orientations » : {status}",
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dump", type=Path, help="restore this backup instead of a fresh one")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args()
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        sys.exit("The drill runs on PostgreSQL: set DATABASE_URL=postgres://…")
    # The restored portal keeps its cache in its own database, whatever the environment
    # says: a drill next to production must not write into production's Redis.
    os.environ["CACHE_URL"] = "db://"
    name = urlsplit(server).path.lstrip("/") or "passerelles"
    source = url_for(server, f"{name}_drill_source")
    restored = url_for(server, f"{name}_drill_restored")
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    results: list[bool] = []
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="passerelles-drill-") as backups:
            if args.dump:
                dump = args.dump
                print(f"Sauvegarde à restaurer : {dump}")
            else:
                print(f"1. Base source {urlsplit(source).path[1:]} : migrations, démonstration")
                recreate(server, f"{name}_drill_source")
                manage(production_env(source), "migrate", "--noinput", "-v", "0")
                manage(production_env(source), "load_demo")
                t = time.monotonic()
                dump = Path(
                    subprocess.run(
                        [str(ROOT / "deploy" / "backup.sh")],
                        env={**os.environ, "DATABASE_URL": source, "BACKUP_DIR": backups},
                        capture_output=True,
                        text=True,
                        check=True,
                    ).stdout.strip()
                )
                size = dump.stat().st_size / 1e6
                print(
                    f"2. Sauvegarde : deploy/backup.sh → {dump.name} "
                    f"({size:.1f} Mo, {time.monotonic() - t:.1f} s)"
                )
            t = time.monotonic()
            recreate(server, f"{name}_drill_restored")
            subprocess.run(
                ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", dump],
                check=True,
            )
            print(
                f"3. Restauration : pg_restore → {urlsplit(restored).path[1:]} "
                f"({time.monotonic() - t:.1f} s)"
            )

        print("4. Contrôles")
        after = row_counts(restored)
        if args.dump:
            for table, label in MAIN_TABLES.items():
                print(f"     {label} : {after.get(table, 0)}")
        else:
            before = row_counts(source)
            different = [
                f"{t}: {before[t]} → {after.get(t)}"
                for t in before
                if t not in NOT_BACKED_UP and before[t] != after.get(t)
            ]
            total = sum(n for t, n in before.items() if t not in NOT_BACKED_UP)
            check(
                results,
                not different and set(before) == set(after),
                f"{len(before)} tables, {total} lignes, mêmes comptes dans la base restaurée "
                + "; ".join(different),
            )
            print(
                "     "
                + ", ".join(
                    f"{label} {before.get(t, 0)} = {after.get(t, 0)}"
                    for t, label in MAIN_TABLES.items()
                )
            )
        behind = sequences_behind(restored)
        check(results, not behind, f"séquences au-delà des identifiants existants {behind or ''}")
        manage(production_env(restored), "migrate", "--check")
        check(results, True, "migrate --check : aucune migration en attente")
        serves(results, restored, demo=not args.dump)
    finally:
        if not args.keep:
            recreate(server, f"{name}_drill_restored", drop_only=True)
            if not args.dump:
                recreate(server, f"{name}_drill_source", drop_only=True)
    print(
        f"\nRÉSULTAT : {results.count(True)}/{len(results)} vérifications conformes "
        f"en {time.monotonic() - started:.0f} s"
    )
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
