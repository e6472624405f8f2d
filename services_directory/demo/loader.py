"""Load the demonstration directory from `data.py`, idempotently.

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
    ItinerantStop,
    Language,
    Need,
    Partner,
    Place,
    Referent,
    Sector,
    Service,
    ServicePlace,
    Territory,
)
from . import data

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
}
SERVICE_FIELDS = [
    "name",
    "summary",
    "what_we_do",
    "what_we_dont_do",
    "audience",
    *SERVICE_DEFAULTS,
]


def _time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def load_territory() -> tuple[Territory, dict[str, Commune]]:
    territory, _created = Territory.objects.update_or_create(
        name=data.TERRITORY["name"], defaults={**data.TERRITORY, "is_demo": True}
    )
    communes = {}
    for slug, name, insee_code, postcode, latitude, longitude in data.COMMUNES:
        communes[slug], _created = Commune.objects.update_or_create(
            insee_code=insee_code,
            defaults={
                "territory": territory,
                "name": name,
                "slug": slug,
                "postcode": postcode,
                "latitude": latitude,
                "longitude": longitude,
            },
        )
    return territory, communes


def _reference_data():
    """Sectors, needs and languages come from migration 0003: fail clearly if missing."""
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    needs = {need.slug: need for need in Need.objects.all()}
    languages = {language.code: language for language in Language.objects.all()}
    wanted_sectors = {slug for service in data.SERVICES for slug in service["sectors"]}
    wanted_needs = {slug for service in data.SERVICES for slug in service["needs"]}
    missing = sorted((wanted_sectors - sectors.keys()) | (wanted_needs - needs.keys()))
    if missing:
        raise CommandError(
            "Secteurs ou besoins absents de la base (migration 0003 non appliquée ?) : "
            + ", ".join(missing)
        )
    return sectors, needs, languages


def load_partners(communes: dict[str, Commune]) -> dict[str, Partner]:
    partners = {}
    for item in data.PARTNERS:
        fields = {key: value for key, value in item.items() if key not in ("slug", "commune")}
        fields["commune"] = communes[item["commune"]] if item["commune"] else None
        partners[item["slug"]], _created = Partner.objects.update_or_create(
            slug=item["slug"], defaults=fields
        )
    return partners


def load_places(communes: dict[str, Commune]) -> dict[str, Place]:
    places = {}
    for key, (name, commune, address, step_free, notes, transport) in data.PLACES.items():
        places[key], _created = Place.objects.update_or_create(
            name=name,
            commune=communes[commune],
            defaults={
                "address": address,
                "step_free": step_free,
                "accessibility_notes": notes,
                "public_transport": transport,
            },
        )
    return places


def _notice_fields(item: dict, today: dt.date) -> dict:
    notice = item.get("notice")
    if not notice:
        return {
            "notice_title": "",
            "notice_text": "",
            "notice_is_closure": False,
            "notice_start": None,
            "notice_end": None,
        }
    return {
        "notice_title": notice["title"],
        "notice_text": notice["text"],
        "notice_is_closure": notice["closure"],
        "notice_start": today + dt.timedelta(days=notice["start"]),
        "notice_end": today + dt.timedelta(days=notice["end"]),
    }


def load_service(item, *, today, partners, places, communes, sectors, needs, languages):
    fields = {**SERVICE_DEFAULTS, **{k: v for k, v in item.items() if k in SERVICE_FIELDS}}
    fields.update(
        partner=partners[item["partner"]],
        documents="\n".join(item.get("documents", [])),
        serves_whole_territory=not item.get("serves"),
        status=Service.Status.PUBLISHED,
        verified_on=today - dt.timedelta(days=item.get("verified", 30)),
        **_notice_fields(item, today),
    )
    service = Service.objects.filter(slug=item["slug"]).first() or Service(slug=item["slug"])
    for field, value in fields.items():
        setattr(service, field, value)
    # The same checks as the admin: a demo that the admin would refuse is a bug.
    service.full_clean()
    service.save()

    service.sectors.set([sectors[slug] for slug in item["sectors"]])
    service.needs.set([needs[slug] for slug in item["needs"]])
    service.languages.set([languages[code] for code in item.get("languages", ["fr"])])
    service.communes_served.set([communes[slug] for slug in item.get("serves", [])])

    # Written with queryset calls: ServicePlace.save() would rebuild the service's derived
    # data once per place; refresh_derived() below does it once for all of them.
    existing = {sp.place_id: sp for sp in service.service_places.all()}
    wanted = set()
    for place_key, opening_hours, hours_notes in item["places"]:
        place = places[place_key]
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
    for stop in item.get("stops", []):
        itinerant_stop = ItinerantStop(
            service=service,
            place=places[stop["place"]],
            schedule=stop.get("schedule", ""),
            schedule_label=stop.get("label", ""),
            notes=stop.get("notes", ""),
        )
        if "date" in stop:
            itinerant_stop.date = today + dt.timedelta(days=stop["date"])
            itinerant_stop.start_time = _time(stop["start"])
            itinerant_stop.end_time = _time(stop["end"])
        itinerant_stop.full_clean()
        itinerant_stop.save()

    service.refresh_derived()
    return service


def load_referents(partners, communes, today) -> int:
    for item in data.REFERENTS:
        referent, _created = Referent.objects.update_or_create(
            theme=item["theme"],
            role=item["role"],
            partner=partners[item["partner"]],
            defaults={
                "phone": item.get("phone", ""),
                "email": item.get("email", ""),
                "availability": item.get("availability", ""),
                "is_relay_person": item.get("is_relay_person", False),
                "visibility": item.get("visibility", Referent.Visibility.PUBLIC),
                "covers_whole_territory": not item.get("communes"),
                "is_active": True,
                "mobilised_since": today - dt.timedelta(days=item.get("since", 400)),
            },
        )
        referent.communes.set([communes[slug] for slug in item.get("communes", [])])
    return len(data.REFERENTS)


@transaction.atomic
def load(stdout=None) -> dict[str, int]:
    """Create or refresh the demonstration directory; return what it holds."""
    today = timezone.localdate()
    sectors, needs, languages = _reference_data()
    territory, communes = load_territory()
    partners = load_partners(communes)
    places = load_places(communes)
    for item in data.SERVICES:
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
    referents = load_referents(partners, communes, today)
    counts = {
        "communes": len(communes),
        "partners": len(partners),
        "places": len(places),
        "services": len(data.SERVICES),
        "referents": referents,
    }
    if stdout is not None:
        stdout.write(
            f"Annuaire de démonstration « {territory.name} » : {counts['communes']} communes, "
            f"{counts['partners']} partenaires, {counts['services']} services publiés, "
            f"{counts['places']} lieux, {counts['referents']} référents."
        )
    return counts
