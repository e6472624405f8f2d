"""Throughput of cached public pages against a trivial Django view, behind gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/passerelles_h5_bench \
        .venv/bin/python bench/throughput.py --workers 4 --duration 10

Starts gunicorn on the loopback interface with production settings (DEBUG off,
whitenoise, the database cache), adds one trivial view (`HttpResponse("ok")`
through the same middleware) and measures both with wrk, side by side, on the same
workers. Prints requests per second for each page, and each page's ratio to the
trivial view (target: at least 0.5). Exits 1 when a ratio misses the target.

The other benchmarks (loadtest.py, fault_test.py) start their server with this file.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/passerelles_h5_bench"
TARGET_RATIO = 0.5
PAGES = {
    "accueil": "/",
    "annuaire (recherche)": "/annuaire/?q=creche",
    "fiche service": None,  # the first published service, found once the data is there
    "parcours": "/parcours/",
}
# The commune a visitor chose follows them in a cookie of its own, which joins the cache
# key: still served from the cache. Kept in the session (as before), it never was: the
# last line measures that, a visitor with a session cookie, each page rendered again.
WITH_COOKIE = {
    "annuaire, commune gardée": ("/annuaire/?q=creche", "commune=sergines"),
    "parcours, commune gardée": ("/parcours/", "commune=sergines"),
    "annuaire, commune en session (avant)": ("/annuaire/?q=creche", "sessionid=x"),
}

# A view that does nothing, behind the same URL resolver and middleware as the portal.
BENCH_URLS = """
from django.http import HttpResponse
from django.urls import path

from portal.urls import handler400, handler403, handler404, handler500  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__trivial__/", trivial), *portal_urlpatterns]
"""
BENCH_SETTINGS = """
from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
"""


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE)
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("The benchmarks run on PostgreSQL: set DATABASE_URL=postgres://…")
    return url


def production_env(database: str, **extra: str) -> dict:
    alphabet = string.ascii_letters + string.digits
    ignored = ("PYTEST_VERSION", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in ignored}
    env.update(
        DEBUG="0",
        HTTPS="0",  # loopback, plain HTTP: no TLS proxy in front of the benchmark
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database,
        CACHE_URL=os.environ.get("CACHE_URL", "db://"),
        LOG_LEVEL="WARNING",
        GUNICORN_ACCESS_LOG="",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def shell(env: dict, code: str) -> str:
    """The last line `manage.py shell -c code` prints."""
    lines = manage(env, "shell", "--no-imports", "-v", "0", "-c", code).strip().splitlines()
    return lines[-1] if lines else ""


def ensure_database(database: str) -> None:
    """CREATE DATABASE when the benchmark's own database does not exist yet."""
    import psycopg

    parts = urlsplit(database)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare(database: str, services: int = 0) -> None:
    """Migrations, cache table, static files, demo territory and N services, once."""
    ensure_database(database)
    env = production_env(database)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    count = int(
        shell(env, "from services_directory.models import Service; print(Service.objects.count())")
    )
    if count == 0:
        print("Chargement du territoire de démonstration…", flush=True)
        manage(env, "load_demo")
    if services and count < services:
        print(f"Génération de {services} services…", flush=True)
        manage(env, "generate_demo", "--services", str(services))
    shell(env, "from django.db import connection; connection.cursor().execute('ANALYZE')")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base_url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer on {base_url} within {timeout} s")


@contextmanager
def gunicorn(
    database: str,
    *,
    workers: int,
    trivial_view: bool = False,
    log: Path | None = None,
    port: int | None = None,
    **extra_env: str,
):
    """gunicorn with gunicorn.conf.py on 127.0.0.1; yields its base URL, stops it after.

    With `log`, its standard output and error (the portal's logs) go to that file.
    """
    port = port or free_port()
    env = production_env(
        database, GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=str(workers), **extra_env
    )
    # Production settings serve static files from the manifest collectstatic writes, as a
    # deployment does before starting gunicorn: without it every page is a 500.
    manage(env, "collectstatic", "--noinput", "-v", "0")
    workdir = None
    if trivial_view:
        workdir = tempfile.mkdtemp(prefix="passerelles-bench-")
        Path(workdir, "bench_urls.py").write_text(BENCH_URLS)
        Path(workdir, "bench_settings.py").write_text(BENCH_SETTINGS)
        env["PYTHONPATH"] = f"{workdir}{os.pathsep}{ROOT}"
        env["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    log_file = open(log, "w") if log else None  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [str(GUNICORN), "-c", str(ROOT / "gunicorn.conf.py"), "portal.wsgi"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=log_file,
        stderr=subprocess.STDOUT if log_file else None,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url)
        yield base_url
    finally:
        # Only the gunicorn this function started: its master stops its own workers.
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)
        if log_file:
            log_file.close()


def wrk(
    url: str, *, duration: int, connections: int, threads: int, cookie: str = ""
) -> tuple[float, int]:
    """Requests per second and the number of non-2xx/3xx answers or socket errors."""
    header = ["-H", f"Cookie: {cookie}"] if cookie else []
    result = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", *header, url],
        capture_output=True,
        text=True,
        check=True,
    )
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", result.stdout)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", result.stdout
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    if errors:
        details = [
            line.strip()
            for line in result.stdout.splitlines()
            if "rror" in line or "Non-2xx" in line
        ]
        print(f"  {url}: {'; '.join(details)}", flush=True)
    return rps, errors


def first_service_path(database: str) -> str:
    env = production_env(database)
    slug = shell(
        env,
        "from services_directory.models import Service; "
        "print(Service.objects.published().order_by('pk').values_list('slug', flat=True)[0])",
    )
    return f"/annuaire/{slug}/"


def cache_state(url: str, cookie: str = "") -> str:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers.get("X-Public-Cache", "absent")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2, help="alternated measurements")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install -y wrk")

    database = database_url()
    prepare(database)
    pages = dict(PAGES, **{"fiche service": first_service_path(database)})
    with gunicorn(database, workers=args.workers, trivial_view=True) as base:
        measured = {name: (path, "") for name, path in pages.items()}
        measured.update(WITH_COOKIE)
        for path, cookie in measured.values():
            cache_state(base + path, cookie)  # fills the cache
            state = cache_state(base + path, cookie)
            expected = "absent" if "sessionid" in cookie else "hit"
            if state != expected:
                sys.exit(f"{path} ({cookie}): cache {state}, {expected} expected")
        options = {
            "duration": args.duration,
            "connections": args.connections,
            "threads": args.threads,
        }
        results = {name: [] for name in ["vue triviale", *measured]}
        errors = 0
        for _round in range(args.rounds):
            # Alternating the trivial view and the pages spreads any drift of the machine.
            for name, (path, cookie) in [
                ("vue triviale", ("/__trivial__/", "")),
                *measured.items(),
            ]:
                rps, failed = wrk(base + path, cookie=cookie, **options)
                results[name].append(rps)
                errors += failed

    best = {name: max(values) for name, values in results.items()}
    trivial = best.pop("vue triviale")
    print(
        f"\ngunicorn {args.workers} workers (sync), wrk {args.threads} threads × "
        f"{args.connections} connexions × {args.duration} s × {args.rounds} tours, "
        f"loopback, PostgreSQL, cache en base\n"
    )
    print(f"{'vue triviale (référence)':32} {trivial:8.0f} req/s")
    worst = 1.0
    for name, rps in best.items():
        ratio = rps / trivial
        cached = name not in WITH_COOKIE or "sessionid" not in WITH_COOKIE[name][1]
        if cached:
            worst = min(worst, ratio)
        label = f"{name} ({'en cache' if cached else 'hors cache'})"
        print(f"{label:48} {rps:8.0f} req/s   ratio {ratio:.2f}")
    print(f"\nratio le plus bas : {worst:.2f} (objectif ≥ {TARGET_RATIO}) ; erreurs : {errors}")
    if worst < TARGET_RATIO or errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
