"""E-mails to a family in its language, with the French under it for the service that
receives it; e-mails to professionals in French, whatever the page that caused them."""

import uuid

from django.urls import reverse
from django.utils import translation

from orientations import notices
from orientations.models import Origin, Referral
from services_directory.models import OutgoingMessage
from tests.factories import make_translation

HEADING_AR = "— بالفرنسية، للمصلحة التي تستقبلكم —"


def speaks(world, language: str) -> None:
    Referral.objects.filter(batch=world.referral.batch).set_family_language(language)
    world.referral.refresh_from_db()


def test_the_reminder_reaches_the_family_in_arabic_then_french(world):
    make_translation(world.service, "name", "ar", "مركز الطفولة المبكرة")
    speaks(world, "ar")
    notices.reminder(world.referral)
    message = OutgoingMessage.objects.get(kind="family_reminder")
    assert message.subject == "هل تمّ استقبالكم؟"
    family, french = message.body.split(HEADING_AR)
    assert family.startswith("مرحبًا،")
    assert "مركز الطفولة المبكرة" in family
    assert f"/ar/suivi/{world.token}/" in family
    assert "Bonjour," in french and "Vous avez été orienté vers Relais Petite Enfance." in french
    # The partner's reminder stays French.
    partner = OutgoingMessage.objects.get(kind="referral_reminder")
    assert partner.subject.startswith("Orientation n°")
    assert "بالفرنسية" not in partner.body


def test_a_name_without_translation_is_marked_french_in_the_family_s_language(world):
    speaks(world, "tr")
    notices.reminder(world.referral)
    family = OutgoingMessage.objects.get(kind="family_reminder").body.split("— ")[0]
    assert "Relais Petite Enfance (Fransızca)" in family


def test_in_french_there_is_one_text(world):
    notices.reminder(world.referral)
    body = OutgoingMessage.objects.get(kind="family_reminder").body
    assert body.count("Bonjour,") == 1
    assert "pour le service qui vous reçoit" not in body


def test_a_refusal_tells_the_family_in_its_language_and_the_adviser_in_french(world):
    speaks(world, "uk")
    with translation.override("en"):  # a partner answering from an English page
        world.referral.move_to("refusee", by=world.partner_staff, reason="complet")
    family = OutgoingMessage.objects.get(kind="family_failed")
    assert family.subject == "Ваше направлення: що відбувається зараз"
    assert "Relais Petite Enfance ne peut pas vous recevoir." in family.body
    assert family.body.index("Французькою") < family.body.index("Bonjour,")
    adviser = OutgoingMessage.objects.get(kind="referral_failed")
    assert adviser.subject.startswith("Orientation n°") and "réorienter" in adviser.subject
    assert "/en/" not in adviser.body and "Bonjour," in adviser.body


def test_the_new_orientation_reaches_the_partner_in_french_from_an_english_page(client, world):
    client.force_login(world.adviser_a)
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "services": [world.service.pk],
        "commune": world.commune.pk,
        "needs": [world.need.pk],
        "age_band": "0-2",
        "situation": "parent_isole",
        "origin": Origin.PETITE_ENFANCE,
        "kind": Referral.Kind.CONNECTION,
        "consent": "on",
        "name": "Camille Martin",
        "phone": "06 12 34 56 78",
        "family_language": "pt",
        "send_to": "famille@example.org",
    }
    with translation.override("en"):
        url = reverse("orientations:referral_new")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    referral = Referral.objects.exclude(pk=world.referral.pk).get()
    assert referral.family_language == "pt"
    new = OutgoingMessage.objects.get(kind="referral_new")
    assert new.subject.startswith("Nouvelle orientation n°")
    assert "/en/" not in new.body
    sheet = OutgoingMessage.objects.get(kind="handout")
    assert sheet.subject == "A sua ficha de encaminhamento"
    assert f"/pt/suivi/{referral.token}/" in sheet.body
    assert sheet.body.index("Em francês") < sheet.body.index("Voici votre fiche d'orientation.")


def test_the_sheet_sent_from_the_handout_is_in_the_family_s_language(client, world):
    make_translation(world.service, "summary", "ar", "ملخّص الخدمة")
    speaks(world, "ar")
    client.force_login(world.adviser_a)
    client.post(
        reverse("orientations:handout_send", args=[world.referral.batch]),
        {"email": "famille@example.org"},
    )
    body = OutgoingMessage.objects.get(kind="handout").body
    family, french = body.split(HEADING_AR)
    assert "ملخّص الخدمة" in family and "الجمعة" in family
    assert world.service.summary in french and "vendredi" in french
