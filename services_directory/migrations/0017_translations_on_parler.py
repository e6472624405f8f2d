"""Content translations move onto django-parler: each translated field of an object becomes a
`TranslatableText` (the shared model) and its languages are parler's translation rows
(`ContentTranslation`, with `master` and `language_code`). The rows already written keep
their text, state and review: each gets its `TranslatableText` before the old columns go."""

import django.db.models.deletion
import parler.fields
from django.db import migrations, models


def attach_masters(apps, schema_editor):
    TranslatableText = apps.get_model("services_directory", "TranslatableText")
    ContentTranslation = apps.get_model("services_directory", "ContentTranslation")
    masters = {}
    for row in ContentTranslation.objects.order_by("pk"):
        key = (row.content_type_id, row.object_id, row.field)
        if key not in masters:
            masters[key] = TranslatableText.objects.create(
                content_type_id=row.content_type_id, object_id=row.object_id, field=row.field
            )
        row.master = masters[key]
        row.language_code = row.language
        row.save(update_fields=["master", "language_code"])


def detach_masters(apps, schema_editor):
    ContentTranslation = apps.get_model("services_directory", "ContentTranslation")
    for row in ContentTranslation.objects.select_related("master"):
        row.content_type_id = row.master.content_type_id
        row.object_id = row.master.object_id
        row.field = row.master.field
        row.language = row.language_code
        row.save(update_fields=["content_type", "object_id", "field", "language"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("services_directory", "0016_languages"),
    ]

    operations = [
        migrations.CreateModel(
            name="TranslatableText",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField(verbose_name="objet")),
                ("field", models.CharField(max_length=60, verbose_name="champ")),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        to="contenttypes.contenttype",
                        verbose_name="type de contenu",
                    ),
                ),
            ],
            options={
                "verbose_name": "texte traduisible",
                "verbose_name_plural": "textes traduisibles",
                "ordering": ["content_type", "object_id", "field"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("content_type", "object_id", "field"),
                        name="translatable_text_unique",
                    )
                ],
            },
            # A plain model here, so that the data step below can create rows without
            # parler (whose metadata historical models do not carry).
            bases=(models.Model,),
        ),
        migrations.RemoveConstraint(
            model_name="contenttranslation", name="content_translation_unique"
        ),
        migrations.AddField(
            model_name="contenttranslation",
            name="master",
            field=parler.fields.TranslationsForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="translations",
                to="services_directory.translatabletext",
                verbose_name="texte traduisible",
            ),
        ),
        migrations.AddField(
            model_name="contenttranslation",
            name="language_code",
            field=models.CharField(
                db_index=True, default="", max_length=15, verbose_name="Language"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(attach_masters, detach_masters),
        migrations.AlterModelOptions(
            name="contenttranslation",
            options={
                "ordering": ["master", "language_code"],
                "verbose_name": "traduction",
                "verbose_name_plural": "traductions",
            },
        ),
        migrations.RemoveField(model_name="contenttranslation", name="content_type"),
        migrations.RemoveField(model_name="contenttranslation", name="object_id"),
        migrations.RemoveField(model_name="contenttranslation", name="field"),
        migrations.RemoveField(model_name="contenttranslation", name="language"),
        migrations.AddConstraint(
            model_name="contenttranslation",
            constraint=models.UniqueConstraint(
                fields=("master", "language_code"), name="content_translation_unique"
            ),
        ),
    ]
