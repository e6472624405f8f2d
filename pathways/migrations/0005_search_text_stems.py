"""Derived data: the pathways' search text with the analysis of this release (stems).

The same words as `Pathway.build_search_text()`, computed from the rows as they are.
"""

from django.db import migrations


def recompute(apps, schema_editor):
    from services_directory.text import normalize

    Pathway = apps.get_model("pathways", "Pathway")
    pathways = Pathway.objects.prefetch_related("life_moments", "sectors", "needs", "steps")
    for pathway in pathways:
        parts = [pathway.title, pathway.summary, pathway.situation, pathway.audience]
        parts += [moment.name for moment in pathway.life_moments.all()]
        parts += [sector.name for sector in pathway.sectors.all()]
        for need in pathway.needs.all():
            synonyms = [line.strip() for line in need.synonyms.splitlines() if line.strip()]
            parts.append(" ".join([need.name, *synonyms]))
        parts += [step.title for step in pathway.steps.all()]
        text = f" {normalize(' '.join(parts))} "
        Pathway.objects.filter(pk=pathway.pk).update(search_text=text)


class Migration(migrations.Migration):
    dependencies = [
        ("pathways", "0004_step_easy_read_required"),
        ("services_directory", "0013_needs_everyday_words"),
    ]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
