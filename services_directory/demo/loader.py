"""Load the demonstration directory, idempotently.

`manage.py load_demo` reads the data from `portal/demo/directory.toml` and passes it in;
the schemas below fill in what a record leaves out and refuse a key they do not know.
Every object is found by a stable key (slug, INSEE code, name within a commune) and
updated in place, so running the loader twice changes nothing and a later run
refreshes the relative dates (verification, notices, itinerant stops) to today.
"""

import datetime as dt

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from .. import hours as hours_lib
from ..models import (
    Commune,
    GroupSession,
    ItinerantStop,
    Language,
    Need,
    Notice,
    Partner,
    Place,
    Referent,
    Sector,
    Service,
    ServicePlace,
    Territory,
)
from .schema import REQUIRED, record, records

DIRECTORY_TOML = dict.fromkeys(
    ["territory", "communes", "partners", "places", "services", "referents"], REQUIRED
)
TERRITORY = {
    "name": REQUIRED,
    "short_name": "",
    "siren": "",
    "contact_email": "",
    "contact_phone": "",
    "address": "",
}
COMMUNE = dict.fromkeys(
    ["slug", "name", "insee_code", "postcode", "latitude", "longitude"], REQUIRED
)
PARTNER = {
    "slug": REQUIRED,
    "name": REQUIRED,
    "kind": REQUIRED,
    "description": REQUIRED,
    "phone": "",
    "email": "",
    "website": "",
    "address": "",
    "commune": None,  # the seat is outside the territory
}
PLACE = {
    "name": REQUIRED,
    "commune": REQUIRED,
    "address": REQUIRED,
    "step_free": True,
    "accessibility_notes": "",
    "public_transport": "",
}
# Service fields whose value the data may leave out.
SERVICE_DEFAULTS = {
    "age_of": Service.AgeOf.CHILD,
    "age_min": None,
    "age_max": None,
    "access_conditions": "",
    "cost": Service.Cost.FREE,
    "cost_details": "",
    "phone": "",
    "email": "",
    "website": "",
    "appointment_url": "",
    "walk_in": False,
    "contact_details": "",
    "on_site": True,
    "itinerant": False,
    "collective": False,
    "collective_details": "",
    "remote": False,
    "interpreting": False,
}
# Service fields every record gives.
SERVICE_TEXTS = ["name", "summary", "what_we_do", "what_we_dont_do", "audience"]
SERVICE_FIELDS = [*SERVICE_TEXTS, *SERVICE_DEFAULTS]
SERVICE = {
    "slug": REQUIRED,
    "partner": REQUIRED,
    "sectors": REQUIRED,
    "needs": REQUIRED,
    **dict.fromkeys(SERVICE_TEXTS, REQUIRED),
    **SERVICE_DEFAULTS,
    "documents": [],
    "languages": ["fr"],
    "serves": [],  # commune slugs; none means the whole territory
    "verified_days_ago": 30,
    "places": REQUIRED,
    "stops": [],
    "notices": [],
    "sessions": [],
}
SERVICE_PLACE = {"place": REQUIRED, "hours": "", "notes": ""}
# A stop comes round on a `schedule` (OSM syntax), or once, `in_days` from today.
STOP = {
    "place": REQUIRED,
    "schedule": "",
    "label": "",
    "notes": "",
    "in_days": None,
    "start": None,
    "end": None,
}
# A dated notice (`kind`: closure, hours or message) from `starts_in_days` to
# `ends_in_days`, for the whole service or for one of its `place`s; `hours` for "hours".
NOTICE = {
    "kind": REQUIRED,
    "reason": "",
    "text": "",
    "hours": "",
    "place": "",
    "starts_in_days": REQUIRED,
    "ends_in_days": REQUIRED,
}
# A collective session `in_days` from today; `place` is a place key (empty: remote).
SESSION = {
    "topic": REQUIRED,
    "in_days": REQUIRED,
    "start": REQUIRED,
    "end": REQUIRED,
    "place": "",
    "audience": "",
    "registration_required": False,
    "registration_details": "",
    "places_left": None,
}
REFERENT = {
    "theme": REQUIRED,
    "role": REQUIRED,
    "partner": REQUIRED,
    "phone": "",
    "email": "",
    "availability": "",
    "is_relay_person": False,
    "visibility": Referent.Visibility.PUBLIC,
    "communes": [],  # none means the whole territory
    "mobilised_days_ago": 400,
}


def _time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def checked(data: dict) -> dict:
    """The directory data with every record complete; refuses a typo before writing anything."""
    data = record(data, "annuaire (directory.toml)", DIRECTORY_TOML)
    if not isinstance(data["places"], dict):
        raise CommandError(
            "Démonstration, lieux : une table [places.<clé>] par lieu est attendue."
        )
    services = records(data["services"], "service", SERVICE)
    for service in services:
        name = f"service « {service['slug']} »"
        service["places"] = records(service["places"], f"{name}, lieu", SERVICE_PLACE, "place")
        service["stops"] = records(service["stops"], f"{name}, passage", STOP, "place")
        service["notices"] = records(service["notices"], f"{name}, avis", NOTICE, "kind")
        service["sessions"] = records(service["sessions"], f"{name}, séance", SESSION, "topic")
    return {
        "territory": record(data["territory"], "territoire", TERRITORY),
        "communes": records(data["communes"], "commune", COMMUNE),
        "partners": records(data["partners"], "partenaire", PARTNER),
        "places": {
            key: record(item, f"lieu « {key} »", PLACE) for key, item in data["places"].items()
        },
        "services": services,
        "referents": records(data["referents"], "référent", REFERENT, "role"),
    }


def hours_warnings(services: list[dict]) -> list[str]:
    """The importers' check on every place's hours: an error stops the load (in French,
    with its position), a rule that replaces another for the same day is reported."""
    warnings = []
    for service in services:
        for service_place in service["places"]:
            result = hours_lib.check(service_place["hours"])
            where = f"Démonstration, service « {service['slug']} », lieu {service_place['place']}"
            if result.error:
                raise CommandError(f"{where} : {result.error}")
            warnings += [f"{where} : {warning}" for warning in result.warnings]
    return warnings


def load_territory(data: dict) -> tuple[Territory, dict[str, Commune]]:
    territory, _created = Territory.objects.update_or_create(
        name=data["territory"]["name"], defaults={**data["territory"], "is_demo": True}
    )
    communes = {}
    for item in data["communes"]:
        # By INSEE code, else by slug: a code corrected in the data file updates the commune.
        commune = (
            Commune.objects.filter(insee_code=item["insee_code"]).first()
            or Commune.objects.filter(slug=item["slug"]).first()
            or Commune()
        )
        commune.territory = territory
        for key in ("insee_code", "name", "slug", "postcode", "latitude", "longitude"):
            setattr(commune, key, item[key])
        commune.save()
        communes[item["slug"]] = commune
    return territory, communes


def _reference_data(services: list[dict]):
    """Sectors, needs and languages come from migration 0003: fail clearly if missing."""
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    needs = {need.slug: need for need in Need.objects.all()}
    languages = {language.code: language for language in Language.objects.all()}
    wanted_sectors = {slug for service in services for slug in service["sectors"]}
    wanted_needs = {slug for service in services for slug in service["needs"]}
    missing = sorted((wanted_sectors - sectors.keys()) | (wanted_needs - needs.keys()))
    if missing:
        raise CommandError(
            "Secteurs ou besoins absents de la base (migration 0003 non appliquée ?) : "
            + ", ".join(missing)
        )
    return sectors, needs, languages


def load_partners(items: list[dict], communes: dict[str, Commune]) -> dict[str, Partner]:
    partners = {}
    for item in items:
        fields = {key: value for key, value in item.items() if key not in ("slug", "commune")}
        fields["commune"] = communes[item["commune"]] if item["commune"] else None
        partners[item["slug"]], _created = Partner.objects.update_or_create(
            slug=item["slug"], defaults=fields
        )
    return partners


def load_places(items: dict[str, dict], communes: dict[str, Commune]) -> dict[str, Place]:
    places = {}
    for key, item in items.items():
        places[key], _created = Place.objects.update_or_create(
            name=item["name"],
            commune=communes[item["commune"]],
            defaults={
                "address": item["address"],
                "step_free": item["step_free"],
                "accessibility_notes": item["accessibility_notes"],
                "public_transport": item["public_transport"],
            },
        )
    return places


def load_service(item, *, today, partners, places, communes, sectors, needs, languages):
    fields = {field: item[field] for field in SERVICE_FIELDS}
    fields.update(
        partner=partners[item["partner"]],
        documents="\n".join(item["documents"]),
        serves_whole_territory=not item["serves"],
        status=Service.Status.PUBLISHED,
        verified_on=today - dt.timedelta(days=item["verified_days_ago"]),
    )
    service = Service.objects.filter(slug=item["slug"]).first() or Service(slug=item["slug"])
    for field, value in fields.items():
        setattr(service, field, value)
    # The same checks as the admin: a demo that the admin would refuse is a bug.
    service.full_clean()
    service.save()

    service.sectors.set([sectors[slug] for slug in item["sectors"]])
    service.needs.set([needs[slug] for slug in item["needs"]])
    service.languages.set([languages[code] for code in item["languages"]])
    service.communes_served.set([communes[slug] for slug in item["serves"]])

    # Written with queryset calls: ServicePlace.save() would rebuild the service's derived
    # data once per place; refresh_derived() below does it once for all of them.
    existing = {sp.place_id: sp for sp in service.service_places.all()}
    wanted = set()
    for service_place in item["places"]:
        place = places[service_place["place"]]
        opening_hours, hours_notes = service_place["hours"], service_place["notes"]
        wanted.add(place.pk)
        if opening_hours:
            hours_lib.validate(opening_hours)
        if place.pk in existing:
            ServicePlace.objects.filter(pk=existing[place.pk].pk).update(
                opening_hours=opening_hours, hours_notes=hours_notes
            )
        else:
            ServicePlace.objects.bulk_create(
                [
                    ServicePlace(
                        service=service,
                        place=place,
                        opening_hours=opening_hours,
                        hours_notes=hours_notes,
                    )
                ]
            )
    service.service_places.exclude(place_id__in=wanted).delete()

    # Dated stops move with today: replace them rather than pile them up.
    service.stops.all().delete()
    for stop in item["stops"]:
        itinerant_stop = ItinerantStop(
            service=service,
            place=places[stop["place"]],
            schedule=stop["schedule"],
            schedule_label=stop["label"],
            notes=stop["notes"],
        )
        if stop["in_days"] is not None:
            itinerant_stop.date = today + dt.timedelta(days=stop["in_days"])
            itinerant_stop.start_time = _time(stop["start"])
            itinerant_stop.end_time = _time(stop["end"])
        itinerant_stop.full_clean()
        itinerant_stop.save()

    # Notices and sessions are dated from today: replaced on every run, like stops.
    # Written in bulk: refresh_derived() below brings the hours' flags up to date once.
    service.notices.all().delete()
    notices = []
    for notice in item["notices"]:
        notices.append(
            Notice(
                service=service,
                place=places[notice["place"]] if notice["place"] else None,
                kind=notice["kind"],
                reason=notice["reason"],
                text=notice["text"],
                opening_hours=notice["hours"],
                start=today + dt.timedelta(days=notice["starts_in_days"]),
                end=today + dt.timedelta(days=notice["ends_in_days"]),
            )
        )
        notices[-1].full_clean()
    Notice.objects.bulk_create(notices)
    service.sessions.all().delete()
    sessions = []
    for session in item["sessions"]:
        sessions.append(
            GroupSession(
                service=service,
                topic=session["topic"],
                date=today + dt.timedelta(days=session["in_days"]),
                start_time=_time(session["start"]),
                end_time=_time(session["end"]),
                place=places[session["place"]] if session["place"] else None,
                audience=session["audience"],
                registration_required=session["registration_required"],
                registration_details=session["registration_details"],
                places_left=session["places_left"],
            )
        )
        sessions[-1].full_clean()
    GroupSession.objects.bulk_create(sessions)

    service.refresh_derived()
    return service


def load_referents(items: list[dict], partners, communes, today) -> int:
    for item in items:
        referent, _created = Referent.objects.update_or_create(
            theme=item["theme"],
            role=item["role"],
            partner=partners[item["partner"]],
            defaults={
                "phone": item["phone"],
                "email": item["email"],
                "availability": item["availability"],
                "is_relay_person": item["is_relay_person"],
                "visibility": item["visibility"],
                "covers_whole_territory": not item["communes"],
                "is_active": True,
                "mobilised_since": today - dt.timedelta(days=item["mobilised_days_ago"]),
            },
        )
        referent.communes.set([communes[slug] for slug in item["communes"]])
    return len(items)


@transaction.atomic
def load(data: dict, stdout=None) -> dict[str, int]:
    """Create or refresh the demonstration directory from `data`; return what it holds."""
    data = checked(data)
    today = timezone.localdate()
    sectors, needs, languages = _reference_data(data["services"])
    territory, communes = load_territory(data)
    partners = load_partners(data["partners"], communes)
    places = load_places(data["places"], communes)
    for warning in hours_warnings(data["services"]):
        if stdout is not None:
            stdout.write(warning)
    for item in data["services"]:
        load_service(
            item,
            today=today,
            partners=partners,
            places=places,
            communes=communes,
            sectors=sectors,
            needs=needs,
            languages=languages,
        )
    referents = load_referents(data["referents"], partners, communes, today)
    counts = {
        "communes": len(communes),
        "partners": len(partners),
        "places": len(places),
        "services": len(data["services"]),
        "referents": referents,
    }
    if stdout is not None:
        stdout.write(
            f"Annuaire de démonstration « {territory.name} » : {counts['communes']} communes, "
            f"{counts['partners']} partenaires, {counts['services']} services publiés, "
            f"{counts['places']} lieux, {counts['referents']} référents."
        )
    return counts
