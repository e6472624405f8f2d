"""Staff accounts in the admin, as the coordination uses it: she manages accounts and their
roles, but can neither see an admin's account nor hand out admin rights (hers included)."""

import pytest
from django.contrib.auth import get_user_model

from services_directory.models import Role, StaffProfile
from tests.personas import make_world

User = get_user_model()


@pytest.fixture
def world(db):
    return make_world()


def _change_form(user) -> dict:
    """The fields the user change form posts, as the admin shows them."""
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2026-11-30",
        "date_joined_1": "10:00:00",
        "staff_profile-TOTAL_FORMS": "1",
        "staff_profile-INITIAL_FORMS": "1" if hasattr(user, "staff_profile") else "0",
        "staff_profile-MIN_NUM_FORMS": "0",
        "staff_profile-MAX_NUM_FORMS": "1",
        "staff_profile-0-id": getattr(getattr(user, "staff_profile", None), "pk", "") or "",
        "staff_profile-0-user": user.pk,
        "staff_profile-0-role": Role.ADVISER,
        "staff_profile-0-partner": "",
    }


def test_the_coordination_does_not_see_admin_accounts(client, world):
    client.force_login(world.coordinator)
    listing = client.get("/admin/auth/user/")
    assert listing.status_code == 200
    assert world.adviser_a.username in listing.text
    assert world.admin.username not in listing.text


def test_the_coordination_cannot_grant_admin_rights(client, world):
    client.force_login(world.coordinator)
    url = f"/admin/auth/user/{world.no_role.pk}/change/"
    form = client.get(url)
    assert 'name="is_superuser"' not in form.text
    assert 'name="is_staff"' not in form.text
    assert 'name="groups"' not in form.text
    data = _change_form(world.no_role) | {
        "is_superuser": "on",
        "is_staff": "on",
        "staff_profile-0-partner": world.partner_a.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    world.no_role.refresh_from_db()
    assert not world.no_role.is_superuser
    assert not world.no_role.is_staff
    # What she may do, she did: the account is now an adviser of partner A.
    profile = StaffProfile.objects.get(user=world.no_role)
    assert (profile.role, profile.partner) == (Role.ADVISER, world.partner_a)


def test_the_coordination_cannot_make_herself_an_admin(client, world):
    client.force_login(world.coordinator)
    url = f"/admin/auth/user/{world.coordinator.pk}/change/"
    data = _change_form(world.coordinator) | {
        "is_superuser": "on",
        "staff_profile-0-role": Role.COORDINATOR,
    }
    client.post(url, data)
    world.coordinator.refresh_from_db()
    assert not world.coordinator.is_superuser


def test_an_admin_may_grant_them(client, world):
    client.force_login(world.admin)
    url = f"/admin/auth/user/{world.no_role.pk}/change/"
    assert 'name="is_superuser"' in client.get(url).text
    data = _change_form(world.no_role) | {
        "is_staff": "on",
        "staff_profile-0-partner": world.partner_a.pk,
    }
    assert client.post(url, data).status_code == 302
    world.no_role.refresh_from_db()
    assert world.no_role.is_staff
