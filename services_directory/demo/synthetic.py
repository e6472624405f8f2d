"""A large synthetic directory for benchmarks, built with bulk inserts.

Saving 50,000 services one by one would run `refresh_derived()` 50,000 times; here
every derived value (search text, opening slots, adapted-hours flags) is computed in
Python with the same rules as the model and inserted in batches. A test checks that
the search text is identical to `Service.build_search_text()`.

Everything generated carries the slug prefix `synth-<seed>-`, so a run with the same
seed first removes what the previous one made: the data set is repeatable.
"""

import datetime as dt
import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from .. import hours as hours_lib
from ..models import (
    Commune,
    Language,
    Need,
    OpeningSlot,
    Partner,
    Place,
    Sector,
    Service,
    ServicePlace,
    ServiceReach,
    ServiceSearch,
)
from ..text import normalize

BATCH = 2000

# Hours drawn for the ~30 % of services that have some; they cover the adapted-hours
# filters (Saturday, evening, lunchtime) in realistic proportions.
HOURS = [
    "Mo-Fr 09:00-12:00,13:30-17:00; PH off",
    "Mo-Fr 09:00-12:00,13:30-17:00; PH off",
    "Mo,Tu,Th,Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00; PH off",
    "Mo-Fr 09:00-18:30; PH off",
    "Tu,Th 14:00-19:30; PH off",
    "We 09:00-12:00,14:00-17:00; Sa 10:00-12:00; PH off",
    "Mo-Fr 08:00-12:00; PH off",
    "Mo-Fr 07:30-18:30; PH off",
    "Tu-Fr 13:30-18:00; Sa 10:00-12:00; PH off",
    "Mo,We 09:00-12:00; Th 13:30-16:30",
]

# Per sector: kinds of service, an age range (None = everyone) and whether the age is
# the child's or the person's.
SECTOR_KINDS = {
    "petite-enfance": (
        [
            "Crèche",
            "Micro-crèche",
            "Multi-accueil",
            "Halte-garderie",
            "Relais Petite Enfance",
            "Atelier d'éveil",
        ],
        (0, 5),
        "child",
    ),
    "enfance": (
        [
            "Accueil de loisirs",
            "Accueil périscolaire",
            "Aide aux devoirs",
            "École de sport",
            "Atelier théâtre",
        ],
        (3, 11),
        "child",
    ),
    "jeunesse": (
        [
            "Espace jeunes",
            "Point Information Jeunesse",
            "Chantier jeunes",
            "Atelier musique ados",
            "Permanence santé jeunes",
        ],
        (11, 25),
        "person",
    ),
    "parentalite": (
        [
            "Atelier parents",
            "Café des parents",
            "Médiation familiale",
            "Groupe de parole",
            "Écoute parents",
        ],
        None,
        "person",
    ),
    "france-services": (
        ["Permanence France Services", "Accueil démarches", "Point d'accès aux droits"],
        None,
        "person",
    ),
    "handicap": (
        ["Permanence handicap", "Accompagnement inclusion", "Groupe d'aidants"],
        None,
        "person",
    ),
    "insertion-emploi": (
        ["Permanence emploi", "Atelier CV", "Chantier d'insertion", "Cours de français"],
        (16, None),
        "person",
    ),
    "sante": (
        ["Consultation", "Permanence santé", "Écoute psychologique", "Bilan de santé"],
        None,
        "person",
    ),
    "acces-aux-droits": (
        ["Permanence sociale", "Épicerie solidaire", "Aide d'urgence", "Point-justice"],
        None,
        "person",
    ),
    "numerique": (
        ["Atelier numérique", "Espace numérique", "Permanence conseiller numérique"],
        (16, None),
        "person",
    ),
    "logement-mobilite": (
        [
            "Point info logement",
            "Atelier mobilité",
            "Location solidaire de scooters",
            "Auto-école sociale",
        ],
        (16, None),
        "person",
    ),
}
NICKNAMES = [
    "Les Hirondelles",
    "Le Petit Pont",
    "L'Escale",
    "La Passerelle",
    "Les Lutins",
    "Le Tilleul",
    "L'Arc-en-ciel",
    "Les Roseaux",
    "La Ruche",
    "Le Moulin",
    "Les Saules",
    "Le Chêne",
    "La Boussole",
    "L'Étape",
    "Les Coccinelles",
]
PARTNER_KINDS = [
    ("Association", "association"),
    ("Service communal de", "commune"),
    ("Antenne intercommunale de", "epci"),
    ("Centre social de", "association"),
    ("CCAS de", "ccas"),
]
SUMMARY_TEMPLATES = [
    "{kind} pour {audience_lc} : {need_lc}, près de chez vous à {commune}.",
    "À {commune}, un accueil pour {need_lc}, avec ou sans rendez-vous.",
    "{need} : des professionnels vous reçoivent et vous orientent, à {commune}.",
]
AUDIENCES = {
    "child": "les familles avec enfants",
    "person": "les habitants du territoire",
}
STREETS = [
    "rue de la Mairie",
    "Grande Rue",
    "rue de l'Église",
    "place de la République",
    "rue des Écoles",
    "avenue de la Gare",
    "rue du Pont",
    "chemin du Stade",
]


@dataclass
class Created:
    partners: int = 0
    places: int = 0
    services: int = 0
    service_places: int = 0
    opening_slots: int = 0
    with_hours: int = 0
    seconds: float = 0.0
    removed: int = 0
    notes: list[str] = field(default_factory=list)


@lru_cache(maxsize=64)
def _derived_hours(expression: str):
    """(weekly slots, closed on public holidays) for an OSM expression, as in refresh_hours:
    each weekday's hours on its date in the next seven days."""
    week = hours_lib.window(expression)
    slots = [
        (weekday, opens, closes) for weekday, ranges in enumerate(week) for opens, closes in ranges
    ]
    return slots, hours_lib.closed_on_public_holidays(expression)


def search_text(service: Service, partner_name, sectors, commune_names) -> str:
    """Service.build_search_text() without queries: sectors in model order."""
    parts = [service.name, partner_name, service.summary, service.audience]
    parts += [sector.name for sector in sorted(sectors, key=lambda s: (s.position, s.name))]
    parts += commune_names
    if service.itinerant:
        parts.append("itinerant bus permanence")
    if service.collective:
        parts.append("atelier collectif groupe")
    return f" {normalize(' '.join(parts))} "


def remove(seed: int) -> int:
    """Delete what an earlier run with this seed generated, with set-based SQL deletes.

    Django's delete() would load every row and send a signal for each one (the public
    page cache listens to all deletions): minutes for 50,000 services. These rows are
    benchmark data that nothing else refers to; if something does (a referral, a
    pathway step), the foreign key refuses and the whole run is rolled back.
    """
    prefix = f"synth-{seed}-"
    services = Service._meta.db_table
    generated = f"SELECT id FROM {services} WHERE slug LIKE %s"
    # The prefix is letters, digits and hyphens: nothing LIKE would read as a wildcard.
    pattern = [prefix + "%"]
    place_ids = list(
        ServicePlace.objects.filter(service__slug__startswith=prefix)
        .values_list("place_id", flat=True)
        .distinct()
    )
    dependents = [
        (OpeningSlot._meta.db_table, "service_id"),
        (ServiceReach._meta.db_table, "service_id"),
        (ServiceSearch._meta.db_table, "service_id"),
        (ServicePlace._meta.db_table, "service_id"),
        (Service.stops.rel.related_model._meta.db_table, "service_id"),
        *[
            (getattr(Service, name).through._meta.db_table, "service_id")
            for name in ("sectors", "needs", "communes_served", "languages")
        ],
    ]
    with connection.cursor() as cursor:
        for table, column in dependents:
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({generated})", pattern)
        cursor.execute(f"DELETE FROM {services} WHERE slug LIKE %s", pattern)
        removed = cursor.rowcount
    for start in range(0, len(place_ids), 5000):
        Place.objects.filter(
            pk__in=place_ids[start : start + 5000],
            service_places__isnull=True,
            stops__isnull=True,
        )._raw_delete(Place.objects.db)
    Partner.objects.filter(slug__startswith=prefix, services__isnull=True)._raw_delete(
        Partner.objects.db
    )
    return removed


@contextmanager
def _gin_indexes_suspended(adding: int):
    """On PostgreSQL, rebuild the search indexes once instead of updating them row by row.

    Updating the trigram index on every insert is most of the time spent by the
    database; dropping and recreating it from its own definition is several times
    faster and leaves exactly the same index. The transaction rolls it all back on error.
    A rebuild reads the whole table, so it only pays when the run at least doubles it.
    """
    if connection.vendor != "postgresql" or adding < Service.objects.count():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = %s AND indexdef ILIKE %s",
            [Service._meta.db_table, "% USING gin %"],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        # Foreign keys are deferred: PostgreSQL builds no index while their checks wait.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _analyze() -> None:
    """Fresh planner statistics, or the first benchmark runs on a stale plan."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        derived = (ServiceReach, ServiceSearch)
        for model in (Service, ServicePlace, OpeningSlot, *derived, Place, Partner):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')


def _bulk(model, objects):
    return model.objects.bulk_create(objects, batch_size=BATCH)


def _insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Insert plain tuples: for rows whose ids nobody needs back (links, slots).

    Building a model instance and compiling its INSERT costs more than the database
    work itself at this volume; PostgreSQL takes the rows through COPY.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({placeholders})",
                rows[start : start + BATCH],
            )


@transaction.atomic
def generate(count: int, seed: int = 1, communes=None) -> Created:
    """Create `count` published synthetic services on top of the existing territory."""
    started = timezone.now()
    rng = random.Random(seed)
    created = Created(removed=remove(seed))
    prefix = f"synth-{seed}-"
    today = timezone.localdate()

    communes = list(communes if communes is not None else Commune.objects.order_by("pk"))
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    needs_by_sector: dict[int, list[Need]] = {}
    for need in Need.objects.select_related("sector"):
        needs_by_sector.setdefault(need.sector_id, []).append(need)
    sector_slugs = [slug for slug in SECTOR_KINDS if slug in sectors]
    if not sector_slugs or not communes:
        raise CommandError(
            "Il manque les secteurs ou les communes du territoire : appliquez les migrations "
            "et chargez la démonstration (manage.py load_demo)."
        )
    french = Language.objects.filter(code="fr").first()
    other_languages = list(Language.objects.exclude(code="fr"))

    # Partners: about one for 25 services.
    partners = []
    for k in range(max(5, count // 25)):
        label, kind = rng.choice(PARTNER_KINDS)
        commune = rng.choice(communes)
        partners.append(
            Partner(
                name=f"{label} {commune.name} {k + 1}",
                slug=f"{prefix}partenaire-{k + 1}",
                kind=kind,
                description="Structure générée pour les mesures de performance.",
                phone="03 53 73 99 99",
                email=f"partenaire-{k + 1}@synthetique.example.org",
                commune=commune,
            )
        )
    partners = _bulk(Partner, partners)
    created.partners = len(partners)

    # Places: about one for 4 services, scattered around their commune's centre. Each is
    # used by at least one service, so that `remove()` finds them all again.
    places = []
    for k in range(max(1, count // 4)):
        commune = rng.choice(communes)
        places.append(
            Place(
                name=f"Lieu d'accueil {k + 1}",
                address=f"{rng.randint(1, 60)} {rng.choice(STREETS)}",
                commune=commune,
                latitude=commune.latitude + rng.uniform(-0.01, 0.01),
                longitude=commune.longitude + rng.uniform(-0.015, 0.015),
                step_free=rng.random() < 0.7,
            )
        )
    places = _bulk(Place, places)
    created.places = len(places)

    services, plans = [], []
    for i in range(count):
        sector_slug = rng.choice(sector_slugs)
        sector = sectors[sector_slug]
        kinds, age_range, age_of = SECTOR_KINDS[sector_slug]
        extra_sector = sectors[rng.choice(sector_slugs)] if rng.random() < 0.2 else None
        service_sectors = [sector] + (
            [extra_sector] if extra_sector and extra_sector != sector else []
        )
        candidates = needs_by_sector.get(sector.pk, [])
        service_needs = rng.sample(candidates, k=min(len(candidates), rng.choice([1, 1, 2])))
        need = service_needs[0] if service_needs else None
        partner = rng.choice(partners)
        service_places = [places[i % len(places)]]
        if rng.random() < 0.25:
            other = rng.choice(places)
            if other != service_places[0]:
                service_places.append(other)
        commune = service_places[0].commune
        kind = rng.choice(kinds)
        name = f"{kind} {rng.choice(NICKNAMES)} – {commune.name}"
        audience = AUDIENCES[age_of]
        need_name = need.name if need else sector.name
        summary = rng.choice(SUMMARY_TEMPLATES).format(
            kind=kind,
            audience_lc=audience,
            need=need_name,
            need_lc=need_name.lower(),
            commune=commune.name,
        )
        age_min, age_max = age_range if age_range else (None, None)
        cost = rng.choices([Service.Cost.FREE, Service.Cost.INCOME, Service.Cost.PAID], [6, 3, 1])[
            0
        ]
        hours = rng.choice(HOURS) if rng.random() < 0.3 else ""
        service = Service(
            partner=partner,
            name=name,
            slug=f"{prefix}{i + 1:06d}",
            summary=summary[:255],
            what_we_do=f"{summary} Accueil, information et accompagnement personnalisé.",
            what_we_dont_do="Pour une autre demande, l'accueil France Services vous oriente.",
            audience=audience.capitalize(),
            age_of=age_of,
            age_min=age_min,
            age_max=age_max,
            cost=cost,
            cost_details="" if cost == Service.Cost.FREE else "Selon le barème affiché sur place.",
            phone="03 53 73 99 99",
            walk_in=rng.random() < 0.4,
            itinerant=rng.random() < 0.05,
            collective=rng.random() < 0.15,
            remote=rng.random() < 0.2,
            serves_whole_territory=rng.random() < 0.8,
            status=Service.Status.PUBLISHED,
            verified_on=today - dt.timedelta(days=rng.randint(0, 400)),
        )
        slots, _ph_closed = _derived_hours(hours) if hours else ([], True)
        flags = hours_lib.adapted_hours(slots)
        for flag, value in zip(Service.HOURS_FLAGS, flags, strict=True):
            setattr(service, flag, value)
        service.search_text = search_text(
            service,
            partner.name,
            service_sectors,
            [place.commune.name for place in service_places],
        )
        served = (
            [] if service.serves_whole_territory else rng.sample(communes, k=min(3, len(communes)))
        )
        languages = [french] if french else []
        if other_languages and rng.random() < 0.1:
            languages.append(rng.choice(other_languages))
        services.append(service)
        plans.append((service_sectors, service_needs, service_places, hours, served, languages))

    with _gin_indexes_suspended(adding=len(services)):
        services = _bulk(Service, services)
    created.services = len(services)

    through = {
        "sectors": (Service.sectors.through, "sector_id"),
        "needs": (Service.needs.through, "need_id"),
        "communes_served": (Service.communes_served.through, "commune_id"),
        "languages": (Service.languages.through, "language_id"),
    }
    rows = {key: [] for key in through}
    service_place_rows, hours_of = [], []
    for service, (s_sectors, s_needs, s_places, hours, served, languages) in zip(
        services, plans, strict=True
    ):
        for key, objects in (
            ("sectors", s_sectors),
            ("needs", s_needs),
            ("communes_served", served),
            ("languages", languages),
        ):
            rows[key] += [(service.pk, obj.pk) for obj in objects]
        for place in s_places:
            service_place_rows.append(
                ServicePlace(service_id=service.pk, place_id=place.pk, opening_hours=hours)
            )
            hours_of.append(hours)
        if hours:
            created.with_hours += 1
    for key, (model, column) in through.items():
        _insert_rows(model, ["service_id", column], rows[key])

    # Inserted in the order of the search text's commune names, as build_search_text reads them.
    service_place_rows = _bulk(ServicePlace, service_place_rows)
    created.service_places = len(service_place_rows)
    slots = []
    adapt_time = connection.ops.adapt_timefield_value
    for service_place, hours in zip(service_place_rows, hours_of, strict=True):
        if not hours:
            continue
        week, ph_closed = _derived_hours(hours)
        slots += [
            (
                service_place.service_id,
                service_place.pk,
                weekday,
                adapt_time(opens),
                adapt_time(closes),
                ph_closed,
            )
            for weekday, opens, closes in week
        ]
    _insert_rows(
        OpeningSlot,
        [
            "service_id",
            "service_place_id",
            "weekday",
            "opens",
            "closes",
            "closed_on_public_holidays",
        ],
        slots,
    )
    created.opening_slots = len(slots)
    # Which communes each service serves, and how far: the search's commune filter reads it.
    ServiceReach.objects.rebuild()
    # Then what the directory and the counter search, from all of the above.
    ServiceSearch.objects.rebuild()
    _analyze()
    created.seconds = (timezone.now() - started).total_seconds()
    return created
