"""Moving the content translations onto django-parler loses nothing: each translation
written before keeps its text, the French it translates and its review."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("services_directory", "0016_languages")]
AFTER = [("services_directory", "0017_translations_on_parler")]


@pytest.mark.django_db(transaction=True)
def test_translations_written_before_parler_keep_their_text_and_review():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Service = old.get_model("services_directory", "Service")
    Partner = old.get_model("services_directory", "Partner")
    ContentType = old.get_model("contenttypes", "ContentType")
    Translation = old.get_model("services_directory", "ContentTranslation")
    partner = Partner.objects.create(name="CCAS", slug="ccas")
    service = Service.objects.create(name="Épicerie", slug="epicerie", partner=partner)
    service_type, _created = ContentType.objects.get_or_create(
        app_label="services_directory", model="service"
    )
    common = {"content_type": service_type, "object_id": service.pk}
    Translation.objects.create(
        **common,
        field="name",
        language="en",
        text="Food bank",
        source="Épicerie",
        state="reviewed",
        reviewed_on=dt.date(2026, 11, 2),
        reviewed_by="Relectrice",
    )
    Translation.objects.create(**common, field="name", language="ar", text="بقالة", source="")
    Translation.objects.create(**common, field="summary", language="en", text="Food.")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Text = new.get_model("services_directory", "TranslatableText")
    Translation = new.get_model("services_directory", "ContentTranslation")
    assert sorted(Text.objects.values_list("field", flat=True)) == ["name", "summary"]
    name = Text.objects.get(field="name")
    assert (name.content_type_id, name.object_id) == (service_type.pk, service.pk)
    english = Translation.objects.get(master=name, language_code="en")
    assert (english.text, english.source, english.state) == ("Food bank", "Épicerie", "reviewed")
    assert (english.reviewed_on, english.reviewed_by) == (dt.date(2026, 11, 2), "Relectrice")
    arabic = Translation.objects.get(master=name, language_code="ar")
    assert (arabic.text, arabic.state) == ("بقالة", "to_review")
    assert Translation.objects.count() == 3

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
