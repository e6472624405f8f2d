"""The permission rules themselves (services_directory/access.py), persona by persona.

The matrix (tests/security/test_permission_matrix.py) proves what each URL answers; this
proves each rule, including where a view checks something else first (defence in depth).
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from orientations.models import Referral
from services_directory import access
from tests.personas import PERSONAS, make_referral, make_world


@pytest.fixture
def world(db):
    world = make_world()
    # An information-only record for the receiving partner: nothing for it to answer.
    world.information = make_referral(
        service=world.service, from_partner=world.partner_a, kind=Referral.Kind.INFORMATION
    )
    return world


def _user(world, persona):
    return AnonymousUser() if persona in ("anonymous", "family") else getattr(world, persona)


#  persona: (role, counter, inbox, sees the referral / the information record, sides,
#            personal data, dashboard, survey, previews drafts, grants admin rights)
RULES = {
    "anonymous": (None, None, None, "--", "", False, False, False, False, False),
    "family": (None, None, None, "--", "", False, False, False, False, False),
    "adviser_a": ("adviser", "a", None, "RI", "S", True, False, True, False, False),
    "adviser_b": ("adviser", "b", None, "--", "", False, False, True, False, False),
    # Partners' staff orient too (from their own structure) and answer what it receives.
    "partner_staff": ("partner_staff", "c", "c", "R-", "R", True, False, True, False, False),
    "other_staff": ("partner_staff", "q", "q", "--", "", False, False, True, False, False),
    "no_role": (None, None, None, "--", "", False, False, False, False, False),
    "coordinator": ("coordinator", None, None, "RI", "", False, True, False, True, False),
    "admin": ("admin", None, None, "RI", "", False, True, False, True, True),
}


def test_every_persona_has_its_rules():
    assert set(RULES) == set(PERSONAS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_rule_answers_what_the_role_allows(world, persona):
    user = _user(world, persona)
    role, counter, inbox, sees, sides, personal, dashboard, survey, drafts, grants = RULES[persona]
    partners = {
        "a": world.partner_a,
        "b": world.partner_b,
        "c": world.partner_c,
        "q": world.other_staff.staff_profile.partner,
        None: None,
    }
    assert access.role_of(user) == role
    assert access.counter_partner(user) == partners[counter]
    assert access.inbox_partner(user) == partners[inbox]
    visible = set(Referral.objects.visible_to(user))
    assert (world.referral in visible, world.information in visible) == (
        sees[0] == "R",
        sees[1] == "I",
    )
    expected_sides = {"S": {"sender"}, "R": {"receiver"}, "": set()}[sides]
    assert access.referral_sides(user, world.referral) == expected_sides
    assert access.sees_personal_data(user, world.referral) is personal
    assert access.may_record_family_answer(user, world.referral) is (sides == "S")
    assert access.can_view_dashboard(user) is dashboard
    assert access.can_answer_survey(user) is survey
    assert access.can_preview_drafts(user) is drafts
    assert access.can_grant_admin_rights(user) is grants


def test_an_inactive_account_loses_every_right(world):
    for persona in ("adviser_a", "partner_staff", "coordinator", "admin"):
        user = getattr(world, persona)
        user.is_active = False
        user.save(update_fields=["is_active"])
        assert access.role_of(user) is None
        assert not Referral.objects.visible_to(user).exists()
        assert not access.can_view_dashboard(user)


def test_the_receiver_never_answers_an_information_record(world):
    assert access.referral_sides(world.partner_staff, world.information) == frozenset()
    assert access.referral_sides(world.adviser_a, world.information) == {"sender"}
