"""Shared helpers for the indicators tests: hand-built data with known numbers.

The clock is frozen on Monday 15 June 2026, 12:00 in Paris, unless a test says otherwise.
"""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from orientations.models import FamilyAnswer, Origin, Referral
from services_directory.models import Partner, Sector
from tests.factories import make_commune, make_partner, make_service
from tests.personas import make_referral

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=PARIS)


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A moment in Paris time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def frozen(db):
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def sectors(db) -> SimpleNamespace:
    """The seeded sectors (stable slugs, see services_directory migration 0003)."""
    by_slug = {sector.slug: sector for sector in Sector.objects.all()}
    return SimpleNamespace(
        petite_enfance=by_slug["petite-enfance"],
        enfance=by_slug["enfance"],
        jeunesse=by_slug["jeunesse"],
        parentalite=by_slug["parentalite"],
        france_services=by_slug["france-services"],
        numerique=by_slug["numerique"],
    )


@pytest.fixture
def place(db, sectors) -> SimpleNamespace:
    """Two communes of the territory, a counter that orients and services of each sector."""
    commune = make_commune(name="Pont-sur-Yonne", slug="pont-sur-yonne")
    other = make_commune(name="Sergines", slug="sergines")
    counter = make_partner(name="France Services Pont", kind=Partner.Kind.FRANCE_SERVICES)
    return SimpleNamespace(
        commune=commune,
        other=other,
        counter=counter,
        creche=make_service(name="Crèche", sectors=[sectors.petite_enfance]),
        alsh=make_service(name="Accueil de loisirs", sectors=[sectors.enfance]),
        pij=make_service(name="Point information jeunesse", sectors=[sectors.jeunesse]),
        bus=make_service(name="Bus France Services", sectors=[sectors.france_services]),
        atelier=make_service(
            name="Atelier numérique", sectors=[sectors.numerique, sectors.france_services]
        ),
        passerelle=make_service(
            name="Relais Petite Enfance et Enfance",
            sectors=[sectors.petite_enfance, sectors.enfance],
        ),
    )


def orient(place, *, times: int = 1, service=None, created=None, answer=None, **fields) -> list:
    """`times` identical orientations; `answer` = dict of FamilyAnswer fields."""
    fields.setdefault("origin", Origin.FRANCE_SERVICES)
    fields.setdefault("commune", place.commune)
    created = created or at(2026, 6, 1)
    made = []
    for _n in range(times):
        referral = make_referral(
            service=service or place.bus, from_partner=place.counter, created_at=created, **fields
        )
        if answer:
            answer = dict(answer)
            answer.setdefault("answered_at", created + dt.timedelta(days=2))
            FamilyAnswer.objects.create(referral=referral, **answer)
            if "received" in answer:
                Referral.objects.filter(pk=referral.pk).update(family_received=answer["received"])
        made.append(referral)
    return made
