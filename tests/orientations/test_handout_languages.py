"""The hand-out sheet in the family's language, then in French for the receiving service."""

from django.urls import reverse

from tests.factories import make_translation


def url(referral) -> str:
    return reverse("orientations:handout", args=[referral.batch])


def test_the_adviser_picks_the_family_language_and_french_follows(client, world):
    service = world.referral.service
    make_translation(service, "name", "ar", "خدمة الاختبار")
    client.force_login(world.adviser_a)
    content = client.get(url(world.referral), {"langue": "ar"}).content.decode()
    family, french = content.split('class="handout handout-copy"')
    assert '<article class="handout" lang="ar" dir="rtl">' in family
    assert "خدمة الاختبار" in family
    # The family's follow-up page opens in Arabic.
    assert f"/ar/suivi/{world.referral.token}/" in family
    assert 'lang="fr" dir="ltr">' in french
    assert service.name in french and "Votre fiche d'orientation" in french


def test_in_french_there_is_one_sheet_and_the_choice_of_languages(client, world):
    client.force_login(world.adviser_a)
    content = client.get(url(world.referral)).content.decode()
    assert "handout-copy" not in content
    assert '<article class="handout">' in content
    assert '?langue=tr" lang="tr" hreflang="tr">Türkçe</a>' in content


def test_an_unknown_language_gives_the_french_sheet(client, world):
    client.force_login(world.adviser_a)
    response = client.get(url(world.referral), {"langue": "xx<script>"})
    assert response.status_code == 200
    assert "handout-copy" not in response.content.decode()
