"""The admin shows what is missing per language and lets the chargée de mission review."""

import datetime as dt

import time_machine

from services_directory.models import ContentTranslation
from tests.factories import make_translation
from tests.pathways.factories import make_pathway
from tests.personas import make_coordinator


def test_a_service_page_says_what_is_missing_per_language(client, directory):
    rpe = directory["rpe"]
    make_translation(rpe, "name", "en", "Early Childhood Hub")
    make_translation(rpe, "summary", "en", "Old", source="Ancien résumé")
    client.force_login(make_coordinator())
    response = client.get(f"/admin/services_directory/service/{rpe.pk}/change/")
    assert response.status_code == 200
    filled = sum(1 for field in rpe.translatable_fields if getattr(rpe, field))
    assert f"English</a> : 1 relue(s), 1 à relire, {filled - 2} manquante(s)" in response.text
    assert f"Türkçe</a> : 0 relue(s), 0 à relire, {filled} manquante(s)" in response.text


@time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False)
def test_the_chargee_de_mission_marks_translations_reviewed(client, directory):
    rpe = directory["rpe"]
    waiting = make_translation(
        rpe, "summary", "en", "Information for parents", source="Ancien résumé", reviewed_on=None
    )
    waiting.state = ContentTranslation.State.TO_REVIEW
    waiting.save()
    client.force_login(make_coordinator(first_name="Claire", last_name="Martin"))
    listing = client.get("/admin/services_directory/contenttranslation/?language=en")
    assert "Information for parents" not in listing.text  # the list names the content
    assert "à relire" in listing.text
    response = client.post(
        "/admin/services_directory/contenttranslation/",
        {"action": "mark_reviewed", "_selected_action": [waiting.pk]},
        follow=True,
    )
    assert "1 traduction relue." in response.text
    waiting.refresh_from_db()
    assert waiting.state == ContentTranslation.State.REVIEWED
    assert waiting.source == rpe.summary  # reviewed against today's French
    assert waiting.reviewed_on == dt.date(2026, 11, 20)
    assert waiting.reviewed_by == "Claire Martin"


def test_a_translation_edited_by_hand_waits_for_a_review(client, directory):
    rpe = directory["rpe"]
    row = make_translation(rpe, "name", "en", "Early Childhood Hub")
    client.force_login(make_coordinator())
    url = f"/admin/services_directory/contenttranslation/{row.pk}/change/"
    page = client.get(url)
    assert rpe.name in page.text  # today's French beside the translation
    client.post(url, {"text": "Childhood Hub"})
    row.refresh_from_db()
    assert (row.text, row.state) == ("Childhood Hub", ContentTranslation.State.TO_REVIEW)


def test_a_pathway_page_counts_its_steps_too(client, db):
    pathway = make_pathway(steps=2, situation="")
    step = pathway.steps.first()
    make_translation(step, "title", "en", "First step")
    client.force_login(make_coordinator())
    response = client.get(f"/admin/pathways/pathway/{pathway.pk}/change/")
    filled = sum(
        1
        for obj in [pathway, *pathway.steps.all()]
        for field in obj.translatable_fields
        if getattr(obj, field)
    )
    assert f"English</a> : 1 relue(s), 0 à relire, {filled - 1} manquante(s)" in response.text
