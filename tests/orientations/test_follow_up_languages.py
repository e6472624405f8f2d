"""The family's follow-up page in its language (chosen by the adviser), with the French
under it for the service that receives the family; the family can still switch."""

import re

from django.urls import reverse
from django.utils import translation

from orientations.models import Referral
from tests.factories import make_translation


def url(token: str, language: str) -> str:
    with translation.override(language):
        return reverse("orientations:follow_up", args=[token])


def speaks(world, language: str) -> None:
    Referral.objects.filter(batch=world.referral.batch).set_family_language(language)


def test_in_arabic_the_page_is_right_to_left_and_french_follows(client, world):
    make_translation(world.service, "name", "ar", "مركز الطفولة المبكرة")
    speaks(world, "ar")
    response = client.get(url(world.token, "ar"))
    assert response.status_code == 200
    text = response.text
    assert '<html lang="ar" dir="rtl">' in text
    family, french = text.split('<section class="card french-copy"')
    assert '<h2 id="titre-' in family and "مركز الطفولة المبكرة" in family
    assert "تمّ إبلاغ الخدمة." in family  # « Le service a été prévenu. »
    # The French copy: its heading in the family's language, its text in French, left to right.
    heading, copy = french.split('<div lang="fr" dir="ltr">')
    assert '<h2 id="copie-francais">بالفرنسية، للمصلحة التي تستقبلكم</h2>' in heading
    assert "<h3>Relais Petite Enfance" in copy
    assert "Le service a été prévenu." in copy
    assert "Téléphone :" in copy and "03 86 00 00 01" in copy
    assert "vendredi" in copy and "vendredi" not in family
    # The hours too: each copy writes them its way, from the same week table.
    assert re.search(r"\d{1,2} h", copy) and not re.search(r"\d{1,2} h", family)
    assert re.search(r"\d{1,2}:\d{2} [صم]", family)
    assert "<form" not in copy  # the answers stay the family's, in its language


def test_a_french_page_has_no_copy(client, world):
    response = client.get(url(world.token, "fr"))
    assert "french-copy" not in response.text
    assert "family-language" not in response.text


def test_the_family_can_switch_to_french_and_finds_its_language_in_one_tap(client, world):
    speaks(world, "ar")
    text = client.get(url(world.token, "fr")).text
    assert '<html lang="fr">' in text
    assert (
        '<p class="family-language" lang="ar" dir="rtl">'
        f'<a href="/ar/suivi/{world.token}/" hreflang="ar">'
    ) in text
    # In the family's language already: no such link.
    assert "family-language" not in client.get(url(world.token, "ar")).text


def test_an_answer_in_arabic_comes_back_to_the_arabic_page(client, world):
    speaks(world, "ar")
    response = client.post(url(world.token, "ar"), {"received": "pas_encore"})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/ar/suivi/{world.token}/")
    world.referral.refresh_from_db()
    assert world.referral.family_received == "pas_encore"


def test_a_refusal_s_reason_is_in_french_in_the_copy(client, world):
    world.referral.move_to("refusee", by=world.partner_staff, reason="complet")
    text = client.get(url(world.token, "en")).text
    english, french = text.split('<div lang="fr" dir="ltr">')
    assert "Le service ne peut pas vous recevoir." in french
    assert "Le service ne peut pas vous recevoir." not in english
    reason = Referral.Reason("complet").label
    with translation.override("fr"):
        assert f"({reason})" in french
