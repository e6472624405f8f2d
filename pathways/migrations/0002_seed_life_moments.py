"""The moments de vie of the action plan: how families describe where they stand.

Slugs are stable: the demo pathways and the list page refer to them.
"""

from django.db import migrations

LIFE_MOMENTS = [
    # slug, name, description, age_min, age_max
    (
        "attendre-un-enfant",
        "Attendre un enfant, la naissance",
        "Se faire suivre, préparer l'arrivée du bébé, faire les démarches.",
        None,
        0,
    ),
    (
        "faire-garder-son-enfant",
        "Faire garder son enfant (0-3 ans)",
        "Crèche, assistante maternelle, lieux d'éveil.",
        0,
        3,
    ),
    (
        "ecole-periscolaire",
        "L'école et le périscolaire (3-11 ans)",
        "Entrer à l'école, garderie, cantine, mercredis, aide aux devoirs.",
        3,
        11,
    ),
    (
        "vacances-loisirs",
        "Vacances et loisirs (3-17 ans)",
        "Centres de loisirs, séjours, sport et culture.",
        3,
        17,
    ),
    (
        "adolescence",
        "Adolescence, santé et information des jeunes (11-17 ans)",
        "S'informer, être écouté, se sentir bien, trouver un lieu pour les jeunes.",
        11,
        17,
    ),
    (
        "16-25-ans",
        "Orientation, formation, emploi, logement, mobilité (16-25 ans)",
        "Trouver sa voie, un premier emploi, un logement, passer le permis.",
        16,
        25,
    ),
    (
        "parentalite-separation",
        "Difficultés d'éducation, conflit, séparation",
        "Être écouté comme parent, apaiser un conflit, vivre une séparation.",
        None,
        None,
    ),
    (
        "handicap-enfant",
        "Un enfant en situation de handicap",
        "Faire reconnaître le handicap, être accompagné, trouver un accueil adapté.",
        0,
        20,
    ),
    (
        "argent-acces-aux-droits",
        "Difficultés d'argent et accès aux droits",
        "Connaître ses droits, être aidé en urgence, ne plus rester seul face aux dettes.",
        None,
        None,
    ),
    (
        "demarches-numerique",
        "Démarches administratives et numériques",
        "Être aidé pour un dossier, un compte en ligne, un courrier.",
        None,
        None,
    ),
]


def forward(apps, schema_editor):
    LifeMoment = apps.get_model("pathways", "LifeMoment")
    for position, (slug, name, description, age_min, age_max) in enumerate(LIFE_MOMENTS):
        LifeMoment.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "age_min": age_min,
                "age_max": age_max,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("pathways", "0001_initial")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
