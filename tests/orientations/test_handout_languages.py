"""The hand-out sheet in the family's language, then in French for the receiving service."""

from django.urls import reverse

from orientations.models import Referral
from tests.factories import make_translation


def url(referral) -> str:
    return reverse("orientations:handout", args=[referral.batch])


def in_arabic(referral) -> None:
    Referral.objects.filter(batch=referral.batch).set_family_language("ar")


def test_the_sheet_is_in_the_family_language_and_french_follows(client, world):
    service = world.referral.service
    make_translation(service, "name", "ar", "خدمة الاختبار")
    in_arabic(world.referral)
    client.force_login(world.adviser_a)
    content = client.get(url(world.referral)).content.decode()
    family, french = content.split('class="handout handout-copy"')
    assert '<article class="handout" lang="ar" dir="rtl">' in family
    assert "خدمة الاختبار" in family
    # The family's follow-up page opens in Arabic.
    assert f"/ar/suivi/{world.referral.token}/" in family
    assert 'lang="fr" dir="ltr">' in french
    assert service.name in french and "Votre fiche d'orientation" in french


def test_the_hours_are_written_in_each_copy_s_language(client, world):
    in_arabic(world.referral)
    client.force_login(world.adviser_a)
    family, french = client.get(url(world.referral)).text.split('class="handout handout-copy"')
    # Open Monday to Friday: the week from today names Friday whatever the day.
    assert "الجمعة" in family and "vendredi" not in family
    assert "vendredi" in french and "الجمعة" not in french


def test_in_french_there_is_one_sheet_and_the_choice_of_languages(client, world):
    client.force_login(world.adviser_a)
    content = client.get(url(world.referral)).content.decode()
    assert "handout-copy" not in content
    assert '<article class="handout">' in content
    assert '<strong aria-current="true" lang="fr">français</strong>' in content
    assert (
        '<button type="submit" name="langue" value="tr" class="link-button" lang="tr">'
        "Türkçe</button>"
    ) in content


def test_a_language_the_territory_no_longer_offers_gives_the_french_sheet(client, world, settings):
    in_arabic(world.referral)
    settings.LANGUAGES = [("fr", "Français"), ("en", "English")]
    client.force_login(world.adviser_a)
    response = client.get(url(world.referral))
    assert response.status_code == 200
    assert "handout-copy" not in response.text
    assert f"/suivi/{world.token}/" in response.text
    assert "/ar/suivi/" not in response.text
