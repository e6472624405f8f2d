"""The indicator « Retours des habitants sur la sécurité et la continuité de l'accompagnement »
reads the families' answer to « Vous êtes-vous senti·e suivi·e ? » instead of the share of
« Oui » to « Avez-vous pu être reçu ? » (a proxy)."""

from django.db import migrations

DEFINITION = (
    "Part des familles qui, interrogées par le lien de suivi de leur orientation (ou par leur "
    "conseiller), répondent « Oui » à « Vous êtes-vous senti·e suivi·e ? » : accompagnées sans "
    "avoir à répéter leur situation à chaque service."
)
OLD_DEFINITION = (
    "Part des familles qui, interrogées par le lien de suivi de leur orientation, disent avoir "
    "pu être reçues par le service."
)


def forward(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for indicator in Indicator.objects.filter(metric="received"):
        indicator.metric = "continuity"
        if indicator.definition == OLD_DEFINITION:
            indicator.definition = DEFINITION
        indicator.save(update_fields=["metric", "definition"])


def backward(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Indicator.objects.filter(metric="continuity").update(metric="received")


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_ctg_frame"),
        ("orientations", "0003_family_answer_continuity"),
    ]

    operations = [migrations.RunPython(forward, backward)]
