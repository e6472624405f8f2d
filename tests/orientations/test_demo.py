import io
import tomllib

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from orientations import demo
from orientations.models import FamilyAnswer, Referral, ReferralEvent, UnmetNeed
from services_directory.access import role_of
from services_directory.models import Partner
from tests.factories import make_commune, make_need, make_partner, make_service, make_territory

DATA = tomllib.loads((settings.BASE_DIR / "portal/demo/orientations.toml").read_text())
SETTINGS = DATA["referrals"]


@pytest.fixture
def demo_territory(db):
    """A small stand-in for the demo directory, with the partner slugs the demo relies on."""
    make_territory(is_demo=True)
    for _n in range(3):
        make_commune()
    make_partner(slug=SETTINGS["adviser_partner"], kind=Partner.Kind.FRANCE_SERVICES)
    receiving = make_partner(slug=SETTINGS["receiving_partner"])
    for slug in SETTINGS["other_origins"]:
        make_partner(slug=slug)
    need = make_need()
    for n in range(4):
        make_service(name=f"Accueil {n}", partner=receiving, needs=[need], age_min=0, age_max=6)
        make_service(name=f"Service {n}", needs=[make_need()])


def test_it_creates_one_account_per_role_and_prints_the_logins(demo_territory):
    out = io.StringIO()
    demo.load(DATA, out)
    printed = out.getvalue()
    roles = set()
    for account in DATA["accounts"]:
        assert f"{account['login']} / {account['password']}" in printed
        user = get_user_model().objects.get(username=account["login"])
        assert user.check_password(account["password"])
        roles.add(role_of(user))
    assert roles == {"adviser", "partner_staff", "coordinator", "admin"}


def test_it_fills_every_status_and_the_rupture_risk_list(demo_territory):
    demo.load(DATA, io.StringIO())
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert statuses == set(Referral.Status.values)
    assert Referral.objects.filter(previous__isnull=False).exists()
    assert Referral.objects.ruptures().exists()
    assert Referral.objects.without_rupture().exists()
    adviser_partner = SETTINGS["adviser_partner"]
    assert Referral.objects.filter(from_partner__slug=adviser_partner).at_risk().exists()
    assert Referral.objects.filter(to_partner__slug=SETTINGS["receiving_partner"]).open().exists()
    assert FamilyAnswer.objects.exists()
    # Every story went through the workflow: each event is a declared move.
    for event in ReferralEvent.objects.exclude(from_status=""):
        move = Referral.WORKFLOW[event.to_status]
        assert event.from_status in move.sources, event
    unmet = DATA["unmet_needs"]["count"]
    assert UnmetNeed.objects.count() == unmet
    # Idempotent: a second run adds nothing.
    count = Referral.objects.count()
    demo.load(DATA, io.StringIO())
    assert Referral.objects.count() == count
    assert UnmetNeed.objects.count() == unmet


def test_it_never_creates_known_passwords_on_a_real_territory(db):
    make_territory(is_demo=False)
    out = io.StringIO()
    demo.load(DATA, out)
    assert not get_user_model().objects.exists()
    assert "territoire réel" in out.getvalue()
