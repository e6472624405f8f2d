"""Two app servers sharing one PostgreSQL and one Redis: page cache, sessions, daily jobs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/passerelles_bench_scaleout \\
    CACHE_URL=redis://127.0.0.1:6379/15 .venv/bin/python bench/two_instances.py

Starts two gunicorns (A and B, on two ports of 127.0.0.1) with the same environment, as
two app servers behind a load balancer would have it, over one database (demo territory)
and one Redis (CACHE_URL), and checks, printing what it checked:

1. /healthz on both reports the database and the shared cache;
2. a change published through A (a sector's description, in A's admin) shows on B's
   cached home page within the documented delay (one second), measured;
3. a session opened on A works on B, and a logout on B ends it on A;
4. the four daily jobs started on A and B at the same moment run once: one of each
   pair skips, saying why; started again, both skip.

Exits 1 when a check fails. Loopback only, bounded: a few hundred requests in all.
"""

import http.client
import os
import re
import secrets
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import (  # noqa: E402
    PYTHON,
    ROOT,
    database_url,
    gunicorn,
    prepare,
    production_env,
    shell,
)

DEFAULT_CACHE = "redis://127.0.0.1:6379/15"
COORDINATOR = ("coordination@passerelles.demo", "demo-coordination")
DAILY_JOBS = ["expire_referrals", "send_referral_reminders", "purge_personal_data"]
DAILY_JOBS += ["refresh_indicators"]
# What docs/deployment.md promises: a change shows on every server within a second.
DOCUMENTED_DELAY = 1.0
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class FormFields(HTMLParser):
    """The fields a browser would send for the form whose id is given."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside = form_id, False
        self.fields: list[tuple[str, str]] = []
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        kind = a.get("type", "text")
        if tag == "input" and "name" in a and kind not in {"submit", "button", "file", "image"}:
            if kind not in {"checkbox", "radio"} or "checked" in a:
                self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None


class Browser:
    """One person's cookie jar, used against either server."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, base: str, method: str, path: str, data=None):
        parts = urlsplit(base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        # The same Host on both, as behind a load balancer: the page cache's keys match.
        headers = {"Host": "127.0.0.1", "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = base + path
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        html = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in header or "expires=Thu, 01 Jan 1970" in header:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        connection.close()
        return response, html

    def log_in(self, base: str, username: str, password: str) -> None:
        _response, html = self.request(base, "GET", "/connexion/")
        form = {"username": username, "password": password}
        form["csrfmiddlewaretoken"] = CSRF_RE.search(html).group(1)
        response, _html = self.request(base, "POST", "/connexion/", form)
        if response.status != 302:
            sys.exit(f"Login on {base} failed: {response.status}")


def anonymous_get(base: str, path: str) -> tuple[int, str, str]:
    response, html = Browser().request(base, "GET", path)
    return response.status, html, response.headers.get("X-Public-Cache", "")


def check(results: list, ok: bool, message: str) -> None:
    results.append(ok)
    print(f"  [{'ok' if ok else 'ÉCHEC'}] {message}", flush=True)


def check_health(results: list, servers: dict) -> None:
    print("\n1. /healthz", flush=True)
    for name, base in servers.items():
        status, body, _cached = anonymous_get(base, "/healthz")
        check(results, status == 200 and '"cache": "ok"' in body, f"{name} : {status} {body}")


def check_publication(results: list, servers: dict, coordinator: Browser) -> None:
    print(
        "\n2. Une modification publiée par A, vue sur la page d'accueil en cache de B", flush=True
    )
    a, b = servers["A"], servers["B"]
    # The page is in B's cache (shared and in its workers' memory) before the change.
    for _ in range(20):
        anonymous_get(b, "/")
    cached = [anonymous_get(b, "/")[2] for _ in range(10)]
    check(results, cached.count("hit") == 10, f"B sert l'accueil depuis le cache : {cached}")

    sector = shell(
        production_env(database_url()),
        "from services_directory.models import Sector; "
        "print(Sector.objects.order_by('position', 'name').values_list('pk', flat=True)[0])",
    )
    change = f"/admin/services_directory/sector/{sector}/change/"
    _response, html = coordinator.request(a, "GET", change)
    parser = FormFields("sector_form")
    parser.feed(html)
    fields = dict(parser.fields)
    original = fields.get("description", "")
    marker = f"Mis à jour à {time.strftime('%H:%M:%S')} par le serveur A"
    fields.update(description=marker, _save="Enregistrer")
    response, _html = coordinator.request(a, "POST", change, fields)
    published_at = time.monotonic()
    check(results, response.status == 302, f"A enregistre le secteur {sector} : {response.status}")

    first = everywhere = None
    streak = 0
    while time.monotonic() - published_at < 10:
        status, html, cache_state = anonymous_get(b, "/")
        now = time.monotonic() - published_at
        if marker in html:
            first = first if first is not None else now
            streak += 1
            if streak == 10:  # ten answers in a row, from any of B's workers
                everywhere = now
                break
        else:
            streak = 0
        time.sleep(0.02)
    check(
        results,
        first is not None and first <= DOCUMENTED_DELAY + 0.5,
        f"visible sur B après {first if first is not None else float('nan'):.2f} s "
        f"(délai documenté : {DOCUMENTED_DELAY:.0f} s)",
    )
    check(
        results,
        everywhere is not None and everywhere <= DOCUMENTED_DELAY + 1.0,
        "servie par tous les workers de B (10 réponses de suite) après "
        f"{everywhere if everywhere is not None else float('nan'):.2f} s",
    )
    states = [anonymous_get(b, "/")[2] for _ in range(10)]
    check(results, "hit" in states, f"la nouvelle page est de nouveau en cache sur B : {states}")

    fields.update(description=original)
    coordinator.request(a, "POST", change, fields)


def check_sessions(results: list, servers: dict, coordinator: Browser) -> None:
    print("\n3. Sessions partagées", flush=True)
    a, b = servers["A"], servers["B"]
    response, html = coordinator.request(b, "GET", "/admin/")
    check(
        results,
        response.status == 200 and "Contenus et comptes" in html and "logout-form" in html,
        f"la session ouverte sur A est reconnue par B (l'admin s'ouvre) : {response.status}",
    )
    form = {"csrfmiddlewaretoken": CSRF_RE.search(html).group(1)}
    response, _html = coordinator.request(b, "POST", "/deconnexion/", form)
    check(results, response.status == 302, f"déconnexion sur B : {response.status}")
    response, _html = coordinator.request(a, "GET", "/admin/")
    location = response.headers.get("Location", "")
    check(
        results,
        response.status == 302 and "login" in location,
        f"A ne reconnaît plus la session : {response.status} → {location}",
    )


def start_job(env: dict, name: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(PYTHON), "manage.py", "daily", name],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def check_daily_jobs(results: list, envs: dict) -> None:
    print("\n4. Tâches quotidiennes lancées sur A et B au même moment", flush=True)
    shell(envs["A"], "from portal.models import JobRun; JobRun.objects.all().delete()")
    for round_name in ("première fois", "de nouveau"):
        processes = {
            (job, server): start_job(env, job)
            for job in DAILY_JOBS
            for server, env in envs.items()
        }
        outputs = {key: process.communicate()[0].strip() for key, process in processes.items()}
        failed = [key for key, process in processes.items() if process.returncode]
        check(results, not failed, f"{round_name} : toutes terminées sans erreur {failed or ''}")
        for job in DAILY_JOBS:
            skipped = {
                server: outputs[job, server].splitlines()[-1]
                for server in envs
                if "skipped" in outputs[job, server]
            }
            expected = 1 if round_name == "première fois" else 2
            ran = [server for server in envs if server not in skipped]
            check(
                results,
                len(skipped) == expected,
                f"{round_name}, {job} : a tourné sur {ran or 'aucun'} ; "
                + "; ".join(f"{server} : « {line} »" for server, line in skipped.items()),
            )


def main() -> None:
    database = database_url()
    cache = os.environ.get("CACHE_URL", DEFAULT_CACHE)
    if not cache.startswith("redis://"):
        sys.exit("Two app servers share a Redis: set CACHE_URL=redis://…")
    os.environ["CACHE_URL"] = cache  # for production_env()
    prepare(database)
    # One environment for both, as on real app servers: the same SECRET_KEY above all
    # (sessions are signed with it).
    common = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "CACHE_URL": cache,
        "PUBLIC_CACHE_SECONDS": "300",
        "LOG_LEVEL": "INFO",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    logs = ROOT / "bench" / "results"
    logs.mkdir(parents=True, exist_ok=True)
    results: list[bool] = []
    print(f"Base : {database}\nCache partagé : {cache}", flush=True)
    with (
        gunicorn(database, workers=2, log=logs / "two_instances_a.log", **common) as a,
        gunicorn(database, workers=2, log=logs / "two_instances_b.log", **common) as b,
    ):
        servers = {"A": a, "B": b}
        print(f"Serveurs : A {a}, B {b} (2 workers chacun)", flush=True)
        check_health(results, servers)
        coordinator = Browser()
        coordinator.log_in(a, *COORDINATOR)
        check_publication(results, servers, coordinator)
        check_sessions(results, servers, coordinator)
    # The daily jobs as cron starts them on each server: the same environment, two hosts.
    envs = {server: production_env(database, **common) for server in ("A", "B")}
    check_daily_jobs(results, envs)
    print(f"\nRÉSULTAT : {results.count(True)}/{len(results)} vérifications conformes")
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
