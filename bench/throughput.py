"""Throughput of cached public pages against a bare Django project, behind gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/passerelles_h5_bench \
        .venv/bin/python bench/throughput.py --workers 2 --duration 10

The reference is a bare Django project (Django's default settings and middleware, as
`startproject` writes them, and one view returning a short `HttpResponse`) behind the same
gunicorn (gunicorn.conf.py, same number of sync workers). The portal runs with production
settings (DEBUG off, whitenoise, the database cache). Both servers are up during the whole
run and wrk measures them alternately, round after round, so a drift of the shared machine
touches both. Also printed: a trivial view through *our* middleware (the former reference).
Prints requests per second for each page and its ratio to the bare reference (target: at
least 0.8 for every cached anonymous page). Exits 1 when a ratio misses the target.

The other benchmarks (loadtest.py, fault_test.py, render.py) start their server or
prepare their database with this file.
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
TARGET_RATIO = 0.8
# "{service}": the first published service's address, found once the data is there.
PAGES = {
    "accueil": "/",
    "annuaire (recherche)": "/annuaire/?q=creche",
    "fiche service": "/annuaire/{service}/",
    "parcours": "/parcours/",
    # Other languages live under their prefix and are cached apart (issue 17).
    "accueil /en/": "/en/",
    "annuaire /en/ (recherche)": "/en/annuaire/?q=creche",
    "fiche service /en/": "/en/annuaire/{service}/",
    "accueil /ar/": "/ar/",
    "annuaire /ar/ (recherche)": "/ar/annuaire/?q=creche",
    "fiche service /ar/": "/ar/annuaire/{service}/",
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


# The honest reference: what `django-admin startproject` gives, plus one view.
BARE_SETTINGS = """
SECRET_KEY = "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "bare_urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
WSGI_APPLICATION = "bare_wsgi.application"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
"""
BARE_URLS = """
from django.http import HttpResponse
from django.urls import path


def hello(request):
    return HttpResponse("ok")


urlpatterns = [path("", hello)]
"""
BARE_WSGI = """
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bare_settings")
application = get_wsgi_application()
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


def stop(process: subprocess.Popen) -> None:
    """Stop a gunicorn this module started: its master stops its own workers."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


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
        stop(process)
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)
        if log_file:
            log_file.close()


@contextmanager
def bare_django(*, workers: int):
    """The reference: a bare Django project behind the same gunicorn settings."""
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="passerelles-bare-")
    for name, text in (
        ("bare_settings.py", BARE_SETTINGS),
        ("bare_urls.py", BARE_URLS),
        ("bare_wsgi.py", BARE_WSGI),
    ):
        Path(workdir, name).write_text(text)
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG")}
    env.update(
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(workers),
        GUNICORN_ACCESS_LOG="",
        LOG_FORMAT="plain",
        PYTHONPATH=workdir,
        DJANGO_SETTINGS_MODULE="bare_settings",
    )
    process = subprocess.Popen(
        [str(GUNICORN), "-c", str(ROOT / "gunicorn.conf.py"), "bare_wsgi"],
        cwd=workdir,
        env=env,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base_url + "/", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError("the bare Django project did not start") from None
                time.sleep(0.3)
        yield base_url
    finally:
        stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


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


def first_service_slug(database: str) -> str:
    env = production_env(database)
    return shell(
        env,
        "from services_directory.models import Service; "
        "print(Service.objects.published().order_by('pk').values_list('slug', flat=True)[0])",
    )


def cache_state(url: str, cookie: str = "") -> str:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers.get("X-Public-Cache", "absent")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2, help="alternated measurements")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install -y wrk")

    database = database_url()
    prepare(database)
    # Recycling a worker every 10,000 requests (gunicorn.conf.py) means one new worker
    # every few seconds at benchmark rates, where real traffic takes hours: off for both
    # servers, so the ratio compares serving pages, not booting workers.
    os.environ["GUNICORN_MAX_REQUESTS"] = "0"
    slug = first_service_slug(database)
    pages = {name: path.format(service=slug) for name, path in PAGES.items()}
    print(f"load average avant : {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    with (
        gunicorn(database, workers=args.workers, trivial_view=True) as base,
        bare_django(workers=args.workers) as bare,
    ):
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
        reference = "Django nu (référence)"
        ours = "vue triviale, notre middleware"
        targets = [(reference, bare + "/", ""), (ours, base + "/__trivial__/", "")]
        targets += [(name, base + path, cookie) for name, (path, cookie) in measured.items()]
        results = {name: [] for name, _url, _cookie in targets}
        errors = 0
        for _round in range(args.rounds):
            # Alternating the reference and the pages spreads any drift of the machine.
            for name, url, cookie in targets:
                rps, failed = wrk(url, cookie=cookie, **options)
                results[name].append(rps)
                errors += failed

    best = {name: max(values) for name, values in results.items()}
    bare_rps = best.pop(reference)
    print(
        f"\ngunicorn {args.workers} workers (sync) chacun, wrk {args.threads} threads × "
        f"{args.connections} connexions × {args.duration} s × {args.rounds} tours (meilleur), "
        f"loopback, PostgreSQL, cache en base\n"
    )
    print(f"{reference:48} {bare_rps:8.0f} req/s   ratio 1.00")
    worst = 1.0
    for name, rps in best.items():
        ratio = rps / bare_rps
        cached = name != ours and (
            name not in WITH_COOKIE or "sessionid" not in WITH_COOKIE[name][1]
        )
        if cached:
            worst = min(worst, ratio)
        label = name if name == ours else f"{name} ({'en cache' if cached else 'hors cache'})"
        print(f"{label:48} {rps:8.0f} req/s   ratio {ratio:.2f}")
    print(f"\nratio le plus bas : {worst:.2f} (objectif ≥ {TARGET_RATIO}) ; erreurs : {errors}")
    print(f"load average après : {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if worst < TARGET_RATIO or errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
