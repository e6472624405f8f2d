"""Named personas for every role, as plain factory functions and one pytest fixture.

    from tests.personas import make_world
    world = make_world()          # in a test with `db`
    client.force_login(world.adviser_a)

or, as a fixture: `from tests.personas import world  # noqa: F401` in a test module.
"""

import functools
import itertools
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher, make_password

from orientations.models import Origin, Referral, ReferralContact, ReferralEvent, new_nonce
from services_directory import access
from services_directory.models import Partner, Role, StaffProfile
from tests.factories import make_commune, make_need, make_partner, make_place, make_service

PASSWORD = "mot-de-passe-de-test-42"
_seq = itertools.count(1)


@functools.cache
def _password_hash_with(hasher: str) -> str:
    # Hashing is slow on purpose (PBKDF2): hash the shared test password once per run.
    return make_password(PASSWORD, hasher=get_hasher("default"))


def _password_hash() -> str:
    return _password_hash_with(settings.PASSWORD_HASHERS[0])


def make_user(*, role: str | None = None, partner=None, **kwargs):
    n = next(_seq)
    kwargs.setdefault("username", f"pro{n}@example.org")
    kwargs.setdefault("email", kwargs["username"])
    kwargs.setdefault("first_name", f"Prénom{n}")
    user = get_user_model().objects.create(password=_password_hash(), **kwargs)
    if role:
        StaffProfile.objects.create(user=user, role=role, partner=partner)
    return user


def make_adviser(partner=None, **kwargs):
    partner = partner or make_partner(kind=Partner.Kind.FRANCE_SERVICES)
    return make_user(role=Role.ADVISER, partner=partner, **kwargs)


def make_partner_staff(partner=None, **kwargs):
    return make_user(role=Role.PARTNER_STAFF, partner=partner or make_partner(), **kwargs)


def make_coordinator(**kwargs):
    """The chargée de mission, with the admin rights `create_account` gives her."""
    kwargs.setdefault("is_staff", True)
    user = make_user(role=Role.COORDINATOR, **kwargs)
    user.groups.add(access.ensure_coordination_group())
    return user


def make_admin(**kwargs):
    kwargs.setdefault("is_staff", True)
    kwargs.setdefault("is_superuser", True)
    return make_user(**kwargs)


def make_referral(
    *, service=None, from_partner=None, needs=(), contact=None, **kwargs
) -> Referral:
    """An orientation; `contact` is a dict (name, phone, email) stored with consent."""
    service = service or make_service()
    from_partner = from_partner or make_partner(kind=Partner.Kind.FRANCE_SERVICES)
    kwargs.setdefault("origin", Origin.FRANCE_SERVICES)
    kwargs.setdefault("kind", Referral.Kind.ORIENTATION)
    kwargs.setdefault("status", Referral.Status.PROPOSED)
    # As create_batch does: a followed orientation can be answered through its link.
    if kwargs["kind"] != Referral.Kind.INFORMATION:
        kwargs.setdefault("answer_nonce", new_nonce())
    referral = Referral.objects.create(service=service, from_partner=from_partner, **kwargs)
    referral.needs.set(needs)
    ReferralEvent.objects.create(
        referral=referral, at=referral.created_at, to_status=referral.status
    )
    if contact:
        ReferralContact.objects.create(
            referral=referral,
            consent_at=referral.created_at,
            consent_text="Accord de test",
            **contact,
        )
    return referral


def make_world() -> SimpleNamespace:
    """Partner A and B orient; partner C receives; partner Q receives too, but nothing of
    this. One orientation from A to C. Plus an account without any role."""
    commune = make_commune(name="Pont-sur-Yonne", slug="pont-sur-yonne-w")
    need = make_need(name="Garde d'enfant", slug="garde-w")
    partner_a = make_partner(name="France Services A", kind=Partner.Kind.FRANCE_SERVICES)
    partner_b = make_partner(name="France Services B", kind=Partner.Kind.FRANCE_SERVICES)
    partner_c = make_partner(name="Relais Petite Enfance C")
    service = make_service(
        name="Relais Petite Enfance",
        partner=partner_c,
        needs=[need],
        phone="03 86 00 00 01",
        places=[(make_place(commune=commune), "Mo-Fr 09:00-12:00")],
    )
    world = SimpleNamespace(
        commune=commune,
        need=need,
        partner_a=partner_a,
        partner_b=partner_b,
        partner_c=partner_c,
        service=service,
        adviser_a=make_adviser(partner_a, username="conseillere.a@example.org"),
        adviser_b=make_adviser(partner_b, username="conseiller.b@example.org"),
        partner_staff=make_partner_staff(partner_c, username="rpe.c@example.org"),
        other_staff=make_partner_staff(
            make_partner(name="Espace jeunes Q"), username="jeunes.q@example.org"
        ),
        no_role=make_user(username="sans-role@example.org"),
        coordinator=make_coordinator(username="coordination@example.org"),
        admin=make_admin(username="admin@example.org"),
    )
    world.referral = make_referral(
        service=service,
        from_partner=partner_a,
        commune=commune,
        needs=[need],
        kind=Referral.Kind.CONNECTION,
        status=Referral.Status.SENT,
        created_by=world.adviser_a,
        contact={
            "name": "Camille Martin",
            "phone": "06 12 34 56 78",
            "email": "camille@example.org",
        },
    )
    # The family link holder is anonymous: it only knows the token.
    world.token = world.referral.token
    return world


def login_as(client, world: SimpleNamespace, persona: str):
    """Log the test client in as a named persona ('anonymous' and 'family' stay logged out)."""
    if persona not in ("anonymous", "family"):
        client.force_login(getattr(world, persona))
    return client


# anonymous: a visitor; family: a visitor holding the follow-up link; adviser_a oriented the
# world's orientation to partner_staff's structure; adviser_b and other_staff work for other
# structures; no_role: an account nobody gave a role.
PERSONAS = [
    "anonymous",
    "family",
    "adviser_a",
    "adviser_b",
    "partner_staff",
    "other_staff",
    "no_role",
    "coordinator",
    "admin",
]


@pytest.fixture
def world(db) -> SimpleNamespace:
    return make_world()
