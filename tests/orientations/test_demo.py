import io

import pytest
from django.contrib.auth import get_user_model

from orientations import demo
from orientations.models import FamilyAnswer, Referral, UnmetNeed, role_of
from services_directory.models import Partner
from tests.factories import make_commune, make_need, make_partner, make_service, make_territory


@pytest.fixture
def demo_territory(db):
    """A small stand-in for the demo directory, with the partner slugs the demo relies on."""
    make_territory(is_demo=True)
    communes = [make_commune() for _n in range(3)]
    assert communes
    make_partner(slug=demo.ADVISER_PARTNER, kind=Partner.Kind.FRANCE_SERVICES)
    receiving = make_partner(slug=demo.RECEIVING_PARTNER)
    for slug in demo.OTHER_ORIGINS:
        make_partner(slug=slug)
    need = make_need()
    for n in range(4):
        make_service(name=f"Accueil {n}", partner=receiving, needs=[need], age_min=0, age_max=6)
        make_service(name=f"Service {n}", needs=[make_need()])


def test_it_creates_one_account_per_role_and_prints_the_logins(demo_territory):
    out = io.StringIO()
    demo.load(out)
    printed = out.getvalue()
    roles = set()
    for _role, login, password, _partner, _first, _last in demo.ACCOUNTS:
        assert f"{login} / {password}" in printed
        user = get_user_model().objects.get(username=login)
        assert user.check_password(password)
        roles.add(role_of(user))
    assert roles == {"adviser", "partner_staff", "coordinator", "admin"}


def test_it_fills_every_status_and_the_rupture_risk_list(demo_territory):
    demo.load(io.StringIO())
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert statuses == set(Referral.Status.values)
    assert Referral.objects.filter(previous__isnull=False).exists()
    assert Referral.objects.ruptures().exists()
    assert Referral.objects.without_rupture().exists()
    assert Referral.objects.filter(from_partner__slug=demo.ADVISER_PARTNER).at_risk().exists()
    assert Referral.objects.filter(to_partner__slug=demo.RECEIVING_PARTNER).open().exists()
    assert FamilyAnswer.objects.exists()
    assert UnmetNeed.objects.count() == demo.UNMET_NEEDS
    # Idempotent: a second run adds nothing.
    count = Referral.objects.count()
    demo.load(io.StringIO())
    assert Referral.objects.count() == count
    assert UnmetNeed.objects.count() == demo.UNMET_NEEDS


def test_it_never_creates_known_passwords_on_a_real_territory(db):
    make_territory(is_demo=False)
    out = io.StringIO()
    demo.load(out)
    assert not get_user_model().objects.exists()
    assert "territoire réel" in out.getvalue()
