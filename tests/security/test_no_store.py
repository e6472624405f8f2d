"""Every page that shows personal data (a name, a contact, a family's follow-up, a visit
in progress) tells browsers and proxies not to keep it: Cache-Control: no-store."""

import pytest
from django.urls import reverse

from orientations.models import new_nonce
from tests.personas import make_world


@pytest.fixture
def world(db):
    world = make_world()
    world.referral.answer_nonce = new_nonce()
    world.referral.save()
    return world


def personal_pages(w):
    """(persona, URL) for each page that shows personal data to the one who may see it."""
    return [
        ("adviser_a", reverse("orientations:counter")),
        ("adviser_a", reverse("orientations:referral_new") + f"?service={w.service.pk}"),
        ("adviser_a", reverse("orientations:adviser_referrals") + "?q=camille"),
        ("adviser_a", reverse("orientations:handout", args=[w.referral.batch])),
        ("adviser_a", reverse("orientations:referral", args=[w.referral.pk])),
        ("partner_staff", reverse("orientations:referral", args=[w.referral.pk])),
        ("partner_staff", reverse("orientations:inbox")),
        ("anonymous", reverse("orientations:follow_up", args=[w.token])),
        ("anonymous", w.referral.answer_link_path()),
    ]


def test_each_page_with_personal_data_is_no_store(client, world):
    for persona, url in personal_pages(world):
        client.logout()
        if persona != "anonymous":
            client.force_login(getattr(world, persona))
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.get("Cache-Control", ""), url


def test_a_public_page_stays_cacheable(client, world):
    response = client.get(reverse("services_directory:search"))
    assert "no-store" not in response.get("Cache-Control", "")
