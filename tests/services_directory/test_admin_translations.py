"""The admin shows what is missing per language and lets the chargée de mission review."""

import datetime as dt

import time_machine
from django.contrib.contenttypes.models import ContentType

from services_directory import translations
from services_directory.admin import TranslatableTextAdmin
from services_directory.models import ContentTranslation, TranslatableText
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
    english = f"English</bdi></a> : 1 relue(s), 1 à relire, {filled - 2} manquante(s)"
    assert english in response.text
    assert f"Türkçe</bdi></a> : 0 relue(s), 0 à relire, {filled} manquante(s)" in response.text


@time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False)
def test_the_chargee_de_mission_marks_translations_reviewed(client, directory):
    rpe = directory["rpe"]
    waiting = make_translation(
        rpe, "summary", "en", "Information for parents", source="Ancien résumé", reviewed_on=None
    )
    waiting.state = ContentTranslation.State.TO_REVIEW
    waiting.save()
    client.force_login(make_coordinator(first_name="Claire", last_name="Martin"))
    listing = client.get("/admin/services_directory/contenttranslation/?language_code=en")
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
    english = f"English</bdi></a> : 1 relue(s), 0 à relire, {filled - 1} manquante(s)"
    assert english in response.text


@time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False)
def test_a_missing_translation_is_written_then_reviewed_in_its_language_tab(client, directory):
    rpe = directory["rpe"]
    client.force_login(make_coordinator(first_name="Claire", last_name="Martin"))
    service_page = client.get(f"/admin/services_directory/service/{rpe.pk}/change/")
    add_url = TranslatableTextAdmin.url_for(rpe, "summary")
    assert "/translatabletext/add/?" in add_url
    assert add_url.replace("&", "&amp;") in service_page.text

    tab = client.get(f"{add_url}&language=ar")
    assert tab.status_code == 200
    assert rpe.summary in tab.text  # today's French beside the empty translation
    assert "language=tr" in tab.text and "Türkçe" in tab.text  # one tab per language
    assert 'lang="ar" dir="rtl"' in tab.text  # typed right to left
    assert "manquante" in tab.text

    client.post(f"{add_url}&language=ar", {"text": "معلومات للوالدين"})
    row = ContentTranslation.objects.of(rpe).get(master__field="summary", language_code="ar")
    assert (row.text, row.state) == ("معلومات للوالدين", ContentTranslation.State.TO_REVIEW)
    assert translations.shown(rpe, "summary", "ar").fallback  # not shown before a review

    change_url = TranslatableTextAdmin.url_for(rpe, "summary")
    assert change_url.endswith(f"/translatabletext/{row.master_id}/change/")
    client.post(f"{change_url}?language=ar", {"text": "معلومات للوالدين", "reviewed": "on"})
    row.refresh_from_db()
    assert row.state == ContentTranslation.State.REVIEWED
    assert (row.source, row.reviewed_on, row.reviewed_by) == (
        rpe.summary,
        dt.date(2026, 11, 20),
        "Claire Martin",
    )
    shown = translations.shown(type(rpe).objects.get(pk=rpe.pk), "summary", "ar")
    assert (shown.text, shown.fallback) == ("معلومات للوالدين", False)

    # Another language is another tab and another row; the Arabic one is untouched.
    client.post(f"{change_url}?language=tr", {"text": "Ebeveynler için bilgi"})
    assert ContentTranslation.objects.of(rpe).filter(master__field="summary").count() == 2
    row.refresh_from_db()
    assert row.state == ContentTranslation.State.REVIEWED

    # Corrected later without ticking « relue »: it waits for a review again.
    client.post(f"{change_url}?language=ar", {"text": "معلومات للآباء"})
    row.refresh_from_db()
    assert (row.text, row.state) == ("معلومات للآباء", ContentTranslation.State.TO_REVIEW)


def test_the_translation_page_refuses_a_field_that_is_not_translatable(client, directory):
    rpe = directory["rpe"]
    client.force_login(make_coordinator())
    content_type = ContentType.objects.get_for_model(rpe)
    base = "/admin/services_directory/translatabletext/add/"
    for query in (
        f"content_type={content_type.pk}&object_id={rpe.pk}&field=phone",
        f"content_type={content_type.pk}&object_id=999999&field=name",
        "content_type=x&object_id=1&field=name",
        "",
    ):
        response = client.get(f"{base}?{query}", follow=True)
        assert response.status_code == 200
        assert "Ouvrez les traductions depuis la page du contenu" in response.text
        response = client.post(f"{base}?{query}", {"text": "Hello"})
        assert response.status_code == 302
    assert not TranslatableText.objects.exists()


def test_the_list_of_translatable_texts_shows_their_languages(client, directory):
    rpe = directory["rpe"]
    make_translation(rpe, "name", "en", "Early Childhood Hub")
    client.force_login(make_coordinator())
    response = client.get("/admin/services_directory/translatabletext/")
    assert response.status_code == 200
    assert f"{rpe.name} — Nom du service" in response.text
    index = client.get("/admin/services_directory/")
    assert "/admin/services_directory/translatabletext/add/" not in index.text


def test_a_pathway_s_field_links_cost_the_same_queries_whatever_its_steps(client, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(make_coordinator())
    counts = []
    for steps in (2, 6):
        pathway = make_pathway(steps=steps, situation="")
        client.get(f"/admin/pathways/pathway/{pathway.pk}/change/")  # warm caches
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/admin/pathways/pathway/{pathway.pk}/change/")
        sql = [query["sql"] for query in queries.captured_queries]
        counts.append(sum("services_directory_translatabletext" in text for text in sql))
    assert counts[0] == counts[1]
