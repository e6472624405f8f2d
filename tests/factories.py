"""Plain factory functions for the directory: every argument can be overridden."""

import datetime
import itertools

from services_directory.models import (
    Commune,
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

_seq = itertools.count(1)


def make_territory(**kwargs) -> Territory:
    kwargs.setdefault("name", "Communauté de communes du Test")
    kwargs.setdefault("short_name", "CC Test")
    return Territory.objects.create(**kwargs)


def make_commune(**kwargs) -> Commune:
    n = next(_seq)
    if "territory" not in kwargs:
        kwargs["territory"] = Territory.objects.current() or make_territory()
    kwargs.setdefault("name", f"Commune {n}")
    kwargs.setdefault("slug", f"commune-{n}")
    # Five digits whatever the length of the run (the sequence outlives one test).
    kwargs.setdefault("insee_code", f"{10000 + n % 90000}")
    kwargs.setdefault("postcode", "89100")
    kwargs.setdefault("latitude", 48.2)
    kwargs.setdefault("longitude", 3.28)
    return Commune.objects.create(**kwargs)


def make_sector(**kwargs) -> Sector:
    """A sector; the seeded ones (Petite Enfance, Jeunesse…) are reused by name."""
    n = next(_seq)
    kwargs.setdefault("name", f"Secteur {n}")
    existing = Sector.objects.filter(name=kwargs["name"]).first()
    if existing:
        return existing
    kwargs.setdefault("slug", f"secteur-{n}")
    return Sector.objects.create(**kwargs)


def make_need(**kwargs) -> Need:
    n = next(_seq)
    if "sector" not in kwargs:
        kwargs["sector"] = make_sector()
    kwargs.setdefault("name", f"Besoin {n}")
    kwargs.setdefault("slug", f"besoin-{n}")
    return Need.objects.create(**kwargs)


def make_language(**kwargs) -> Language:
    kwargs.setdefault("code", "fr")
    kwargs.setdefault("name", "Français")
    return Language.objects.get_or_create(code=kwargs["code"], defaults=kwargs)[0]


def make_partner(**kwargs) -> Partner:
    n = next(_seq)
    kwargs.setdefault("name", f"Partenaire {n}")
    kwargs.setdefault("slug", f"partenaire-{n}")
    kwargs.setdefault("kind", Partner.Kind.ASSOCIATION)
    return Partner.objects.create(**kwargs)


def make_place(**kwargs) -> Place:
    n = next(_seq)
    if "commune" not in kwargs:
        kwargs["commune"] = make_commune()
    kwargs.setdefault("name", f"Lieu {n}")
    kwargs.setdefault("address", f"{n} rue de la Mairie")
    return Place.objects.create(**kwargs)


def make_service(*, sectors=(), needs=(), places=(), languages=(), **kwargs) -> Service:
    """A published service. `places` is a list of Place or (Place, "OSM hours") pairs."""
    n = next(_seq)
    if "partner" not in kwargs:
        kwargs["partner"] = make_partner()
    kwargs.setdefault("name", f"Service {n}")
    kwargs.setdefault("slug", f"service-{n}")
    kwargs.setdefault("summary", "Un service pour les familles.")
    kwargs.setdefault("what_we_do", "Nous accueillons les familles.")
    kwargs.setdefault("audience", "Familles")
    kwargs.setdefault("status", Service.Status.PUBLISHED)
    service = Service.objects.create(**kwargs)
    service.sectors.set(sectors or [make_sector()])
    service.needs.set(needs)
    service.languages.set(languages)
    for item in places:
        place, hours = item if isinstance(item, tuple) else (item, "")
        ServicePlace.objects.create(service=service, place=place, opening_hours=hours)
    service.refresh_derived()
    service.refresh_from_db()
    return service


def make_referent(**kwargs) -> Referent:
    if "partner" not in kwargs:
        kwargs["partner"] = make_partner()
    kwargs.setdefault("theme", Referent.Theme.PARENTALITE)
    kwargs.setdefault("role", "Référente parentalité")
    kwargs.setdefault("phone", "03 86 00 00 00")
    return Referent.objects.create(**kwargs)


def make_translation(obj, field: str, language: str, text: str, **kwargs):
    """A translation of `obj.field`, reviewed against today's French unless told."""
    from services_directory.models import ContentTranslation

    kwargs.setdefault("state", ContentTranslation.State.REVIEWED)
    kwargs.setdefault("source", getattr(obj, field))
    kwargs.setdefault("reviewed_on", datetime.date(2026, 11, 1))
    kwargs.setdefault("reviewed_by", "Traductrice de test")
    row = ContentTranslation.of_field(obj, field, language, text=text, **kwargs)
    row.save()
    return row
