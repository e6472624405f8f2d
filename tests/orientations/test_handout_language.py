"""The adviser picks the family's language on the sheet: kept on the visit's orientations."""

import uuid

from django.urls import reverse

from orientations.models import Referral
from tests.personas import make_referral


def url(batch) -> str:
    return reverse("orientations:handout_language", args=[batch])


def test_the_adviser_picks_arabic_for_the_whole_visit(client, world):
    other = make_referral(from_partner=world.partner_a, batch=world.referral.batch)
    client.force_login(world.adviser_a)
    response = client.post(url(world.referral.batch), {"langue": "ar"})
    assert response.status_code == 302
    assert response["Location"] == reverse("orientations:handout", args=[world.referral.batch])
    world.referral.refresh_from_db()
    other.refresh_from_db()
    assert world.referral.family_language == other.family_language == "ar"
    assert world.referral.get_follow_up_url() == f"/ar/suivi/{world.token}/"
    page = client.get(response["Location"]).text
    assert '<strong aria-current="true" lang="ar">العربيّة</strong>' in page


def test_the_phone_format_is_kept(client, world):
    client.force_login(world.adviser_a)
    response = client.post(url(world.referral.batch), {"langue": "uk", "format": "telephone"})
    assert response["Location"].endswith("?format=telephone")


def test_a_language_not_offered_changes_nothing_and_says_so(client, world):
    client.force_login(world.adviser_a)
    response = client.post(url(world.referral.batch), {"langue": "xx"}, follow=True)
    assert "Cette langue n&#x27;est pas proposée." in response.text
    world.referral.refresh_from_db()
    assert world.referral.family_language == "fr"


def test_it_refuses_a_get(client, world):
    client.force_login(world.adviser_a)
    assert client.get(url(world.referral.batch), {"langue": "ar"}).status_code == 405


def test_only_the_structure_that_oriented_may_change_it(client, world):
    for persona in ("adviser_b", "partner_staff", "other_staff"):
        client.force_login(getattr(world, persona))
        assert client.post(url(world.referral.batch), {"langue": "ar"}).status_code in (403, 404)
    world.referral.refresh_from_db()
    assert world.referral.family_language == "fr"


def test_a_visitor_must_log_in_and_an_unknown_visit_is_a_404(client, world):
    response = client.post(url(world.referral.batch), {"langue": "ar"})
    assert response.status_code == 302 and "/connexion/" in response["Location"]
    client.force_login(world.adviser_a)
    assert client.post(url(uuid.uuid4()), {"langue": "ar"}).status_code == 404
    assert not Referral.objects.filter(family_language="ar").exists()
