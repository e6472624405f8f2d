"""Load test: mixed journeys of 100 concurrent people for 60 s, on gunicorn + PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/passerelles_h5_bench \
        .venv/bin/python bench/loadtest.py --users 100 --duration 60 --services 50000

Bounded and loopback-only: gunicorn listens on 127.0.0.1 and the virtual people stop
after --duration seconds. The database gets the demo territory and --services
synthetic services first (once). Each virtual person has one role for the run:

- families (75 %): home, search, a service page, the pathways, the guided orientation,
  and now and then the "did this help?" form; each journey is a new visitor (no cookie);
- advisers (15 %): counter search, the orientation form, the printable sheet, their list;
- receiving partners (6 %): their inbox and an orientation;
- the coordination (4 %): the dashboard and its CSV export.

Staff log in during a warm-up that is not measured (once a day, in real life), one after
the other at --logins-per-second on average: real staff arrive over a morning, not all in
the same second, and each log-in costs about 0.7 s of CPU on purpose (the password
hasher). The warm-up lasts --ramp seconds, or longer when the staff need it at that rate.
Between two pages a person reads for --think seconds (random, ± 50 %). Prints
throughput, p50/p95/p99 and errors (any 5xx, unexpected status or network error; target
zero).

Standard library only: http.client, threads, processes.
"""

import argparse
import http.client
import multiprocessing
import random
import re
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import database_url, gunicorn, prepare, production_env, shell  # noqa: E402

ROLES = {"family": 75, "adviser": 15, "partner": 6, "coordinator": 4}
ACCOUNTS = {
    "adviser": ("conseillere@passerelles.demo", "demo-conseillere"),
    "partner": ("rpe@passerelles.demo", "demo-partenaire"),
    "coordinator": ("coordination@passerelles.demo", "demo-coordination"),
}
TERMS = ["creche", "garde", "devoirs", "emploi", "caf", "logement", "numerique", "loisirs"]
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SERVICE_CHOICE_RE = re.compile(r'name="service" value="(\d+)"')
NEED_CHOICE_RE = re.compile(r'name="needs" value="(\d+)"')
IDEMPOTENCY_RE = re.compile(r'name="idempotency_key" value="([^"]+)"')
REFERRAL_LINK_RE = re.compile(r'href="(/espace-pro/orientations/\d+/)"')


class Failure(Exception):
    """A page that answered something no person should see."""


@dataclass
class Sample:
    page: str
    seconds: float
    status: int  # 0 for a network error
    error: str = ""
    at: float = 0.0  # time.time() when the answer came


@dataclass
class Person:
    """One virtual person: a cookie jar, and the record of what they saw."""

    host: str
    port: int
    samples: list = field(default_factory=list)
    confirmed: list = field(default_factory=list)  # orientation batches shown on a fiche
    cookies: dict = field(default_factory=dict)
    record: bool = True

    def request(self, page: str, method: str, path: str, data=None, expect=(200,)):
        headers = {"User-Agent": "passerelles-loadtest", "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        try:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
            connection.close()
        except (OSError, http.client.HTTPException) as error:
            self._note(page, time.perf_counter() - start, 0, f"{type(error).__name__}: {error}")
            raise Failure(page) from error
        seconds = time.perf_counter() - start
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if "expires=Thu, 01 Jan 1970" in cookie or "Max-Age=0" in cookie:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        error = "" if response.status in expect else f"HTTP {response.status} on {path}"
        self._note(page, seconds, response.status, error)
        if error:
            raise Failure(page)
        return response, content

    def _note(self, page: str, seconds: float, status: int, error: str) -> None:
        if self.record:
            self.samples.append(Sample(page, seconds, status, error, time.time()))

    def get(self, page: str, path: str, **kwargs):
        return self.request(page, "GET", path, **kwargs)

    def post(self, page: str, path: str, data: dict, **kwargs):
        kwargs.setdefault("expect", (302,))
        return self.request(page, "POST", path, data=data, **kwargs)

    def log_in(self, role: str) -> None:
        username, password = ACCOUNTS[role]
        _response, html = self.get("connexion", "/connexion/")
        token = CSRF_RE.search(html).group(1)
        self.post(
            "connexion",
            "/connexion/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token},
        )


def family(person: Person, data: dict, think) -> None:
    person.cookies.clear()  # a new visitor: families do not log in, and come and go
    commune, term = random.choice(data["communes"]), random.choice(TERMS)
    person.get("accueil", "/")
    think()
    person.get("annuaire", "/annuaire/?" + urlencode({"q": term, "commune": commune}))
    think()
    person.get("fiche service", f"/annuaire/{random.choice(data['services'])}/")
    think()
    person.get("parcours", "/parcours/")
    think()
    pathway = random.choice(data["pathways"])
    _response, html = person.get("parcours (détail)", f"/parcours/{pathway}/")
    think()
    query = {"profil": "parent", "age": random.randint(0, 10), "commune": commune}
    query["besoin"] = random.choice(data["needs"])
    person.get("orienter (résultat)", "/orienter/?" + urlencode(query))
    if random.random() < 0.2:
        think()
        token = CSRF_RE.search(html).group(1)
        answer = {"answer": random.choice(["yes", "partly", "no"]), "csrfmiddlewaretoken": token}
        person.post("avis parcours", f"/parcours/{pathway}/avis/", answer)


def adviser(person: Person, data: dict, think) -> None:
    commune, term = random.choice(data["communes"]), random.choice(TERMS[:5])
    _response, html = person.get(
        "comptoir (recherche)", "/accueil/?" + urlencode({"q": term, "commune": commune})
    )
    services = SERVICE_CHOICE_RE.findall(html)
    think()
    if not services:
        return
    query = urlencode({"service": random.choice(services), "commune": commune})
    _response, html = person.get("orientation (formulaire)", f"/accueil/orienter/?{query}")
    think()
    form = {
        "csrfmiddlewaretoken": CSRF_RE.search(html).group(1),
        "idempotency_key": IDEMPOTENCY_RE.search(html).group(1),
        "services": re.findall(r'name="services" value="(\d+)"', html)[:1],
        "kind": "orientation",
        "commune": re.search(r'<option value="(\d+)" selected', html).group(1)
        if re.search(r'<option value="(\d+)" selected', html)
        else "",
        "situation": "famille",
        "needs": random.choice(NEED_CHOICE_RE.findall(html)),
        "origin": "france_services",
    }
    response, _html = person.post("orientation (envoi)", "/accueil/orienter/", form)
    sheet = urlsplit(response.headers["Location"]).path
    person.get("fiche d'orientation", sheet)
    # The person has the fiche in hand: this orientation must exist from now on.
    person.confirmed.append(form["idempotency_key"])
    think()
    person.get("mes orientations", "/accueil/orientations/")


def partner(person: Person, data: dict, think) -> None:
    _response, html = person.get("orientations reçues", "/partenaire/orientations/")
    links = REFERRAL_LINK_RE.findall(html)
    think()
    if links:
        person.get("orientation (détail)", random.choice(links))


def coordinator(person: Person, data: dict, think) -> None:
    person.get("tableau de bord", "/indicateurs/")
    think()
    person.get("export CSV", "/indicateurs/tableau-de-bord.csv")


JOURNEYS = {"family": family, "adviser": adviser, "partner": partner, "coordinator": coordinator}


def run_person(
    role: str,
    base: str,
    data: dict,
    start_at: float,
    until: float,
    think_seconds: float,
    login_at: float | None = None,
) -> Person:
    parts = urlsplit(base)
    person = Person(parts.hostname, parts.port)

    def think():
        time.sleep(random.uniform(0.5, 1.5) * think_seconds)

    if role != "family":
        # Log-ins are staggered over the warm-up, which is not measured; a failed one counts.
        time.sleep(max(0.0, (login_at or time.time()) - time.time()))
        person.record = False
        try:
            person.log_in(role)
        except Failure:
            person.record = True
            person._note("connexion", 0.0, 0, f"connexion impossible ({role})")
        person.record = True
    # Everybody starts within the first think time of the measured window.
    time.sleep(max(0.0, start_at - time.time()) + random.uniform(0, think_seconds))
    while time.time() < until:
        try:
            JOURNEYS[role](person, data, think)
        except Failure:
            think()  # what a person does after an error page: wait, then go on
        except (AttributeError, IndexError, KeyError) as error:
            # The page lacked what the person needed next (a form, a link): an error too.
            person._note(role, 0.0, 0, f"page incomplète : {error!r}")
            think()
    return person


def run_process(args: tuple) -> tuple[list, list]:
    people, base, data, start_at, until, think_seconds = args
    results = []

    def run(role: str, login_at: float | None) -> None:
        results.append(run_person(role, base, data, start_at, until, think_seconds, login_at))

    threads = [threading.Thread(target=run, args=person) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    samples = [sample for person in results for sample in person.samples]
    confirmed = [batch for person in results for batch in person.confirmed]
    return samples, confirmed


def test_data(database: str) -> dict:
    """Communes, a sample of services, pathways and needs to pick from."""
    code = (
        "import json, random; "
        "from services_directory.models import Commune, Need, Service; "
        "from pathways.models import Pathway; "
        "random.seed(6); "
        "slugs = list(Service.objects.published().values_list('slug', flat=True)); "
        "print(json.dumps({"
        "'communes': list(Commune.objects.values_list('slug', flat=True)), "
        "'services': random.sample(slugs, min(len(slugs), 2000)), "
        "'pathways': list(Pathway.objects.published().values_list('slug', flat=True)), "
        "'needs': list(Need.objects.values_list('slug', flat=True))}))"
    )
    import json

    return json.loads(shell(production_env(database), code))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def login_schedule(roles: list[str], *, ramp: float, per_second: float) -> tuple[list, float]:
    """When each person logs in (seconds from now, None for families) and the warm-up's
    length: staff one after the other at `per_second` on average (± 50 % between two),
    the last one 5 s before the measured window at the latest."""
    rng = random.Random(7)
    offsets, at = [], 1.0
    for role in roles:
        if role == "family":
            offsets.append(None)
        else:
            offsets.append(at)
            at += rng.uniform(0.5, 1.5) / per_second
    return offsets, max(ramp, at + 5)


def run_load(
    base: str,
    data: dict,
    *,
    users: int,
    duration: float,
    think: float,
    processes: int,
    ramp: float,
    logins_per_second: float = 1.0,
):
    """Start the people, wait for them; returns (samples, confirmed batches, start, end)."""
    weights = list(ROLES.values())
    roles = random.Random(6).choices(list(ROLES), weights=weights, k=users)
    offsets, ramp = login_schedule(roles, ramp=ramp, per_second=logins_per_second)
    now = time.time()
    print(
        f"{len(roles) - roles.count('family')} connexions de professionnels étalées sur "
        f"{ramp:.0f} s avant la mesure",
        flush=True,
    )
    # Log-ins happen during the ramp: the measured window starts after it.
    start_at = now + ramp
    until = start_at + duration
    people = [
        (role, None if offset is None else now + offset)
        for role, offset in zip(roles, offsets, strict=True)
    ]
    chunks = [people[i::processes] for i in range(processes)]
    with multiprocessing.Pool(processes) as pool:
        outputs = pool.map(
            run_process, [(chunk, base, data, start_at, until, think) for chunk in chunks]
        )
    samples = [sample for output in outputs for sample in output[0]]
    confirmed = [batch for output in outputs for batch in output[1]]
    return samples, confirmed, start_at, until


def report(samples: list, started: float, ended: float) -> int:
    """Prints the figures; returns the number of errors."""
    errors = [sample for sample in samples if sample.error]
    latencies = [sample.seconds * 1000 for sample in samples if not sample.error]
    # Throughput over the measured window; the journeys under way at its end still count
    # for latency and errors.
    within = sum(1 for sample in samples if started <= sample.at <= ended)
    elapsed = ended - started
    print(
        f"\n{len(samples)} requêtes, dont {within} dans la fenêtre de {elapsed:.0f} s : "
        f"{within / elapsed:.1f} req/s"
    )
    if latencies:
        print(
            f"latence : p50 {percentile(latencies, 0.5):.0f} ms · "
            f"p95 {percentile(latencies, 0.95):.0f} ms · p99 {percentile(latencies, 0.99):.0f} ms"
            f" · max {max(latencies):.0f} ms"
        )
    print(f"erreurs : {len(errors)}")
    by_page: dict[str, list[float]] = {}
    for sample in samples:
        if not sample.error:
            by_page.setdefault(sample.page, []).append(sample.seconds * 1000)
    print(f"\n{'page':28} {'n':>6} {'p50':>7} {'p95':>7} {'p99':>7}")
    for page, values in sorted(by_page.items(), key=lambda item: -len(item[1])):
        print(
            f"{page:28} {len(values):6d} {statistics.median(values):6.0f}ms "
            f"{percentile(values, 0.95):6.0f}ms {percentile(values, 0.99):6.0f}ms"
        )
    for error in sorted({sample.error for sample in errors})[:10]:
        print(f"  erreur : {error}")
    return len(errors)


def arguments(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--think", type=float, default=5.0, help="seconds between pages")
    parser.add_argument(
        "--ramp", type=float, default=20.0, help="unmeasured warm-up, seconds (at least)"
    )
    parser.add_argument(
        "--logins-per-second",
        type=float,
        default=1.0,
        help="staff log-ins during the warm-up, on average (each costs ~0.7 s of CPU)",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--processes", type=int, default=4, help="load generator processes")
    parser.add_argument("--services", type=int, default=50000)
    return parser


def main() -> None:
    args = arguments(__doc__.split("\n\n")[0]).parse_args()
    if not 1 <= args.users <= 500 or not 1 <= args.duration <= 600:
        sys.exit("Bounded on purpose: 1 to 500 people, 1 to 600 seconds.")
    database = database_url()
    prepare(database, services=args.services)
    data = test_data(database)
    print(
        f"{args.users} personnes, {args.duration:.0f} s, {len(data['services'])} services tirés "
        f"parmi les publiés, gunicorn {args.workers} workers",
        flush=True,
    )
    with gunicorn(database, workers=args.workers) as base:
        samples, _confirmed, started, ended = run_load(
            base,
            data,
            users=args.users,
            duration=args.duration,
            think=args.think,
            processes=args.processes,
            ramp=args.ramp,
            logins_per_second=args.logins_per_second,
        )
    errors = report(samples, started, ended)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
