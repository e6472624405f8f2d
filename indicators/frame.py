"""The evaluation frame of the territory's CTG: two fiches actions and their indicators.

Product data, re-applied by `indicators.demo.load`; migration 0002 installed a frozen copy
of it, so changing the frame here reaches existing databases only through a new migration.
It is keyed by slug and only creates what is missing, so the chargée de mission's edits in
the admin (titles, baselines, targets) are kept.
The wording of the fiches and of the indicators is the convention's own.
"""

FRAMEWORK = {
    "kind": "ctg",
    "name": "Convention territoriale globale",
    "description": (
        "Convention entre la CAF et la communauté de communes sur les politiques familles, "
        "enfance, jeunesse et action sociale."
    ),
}

CONTINUITY_DEFINITION = (
    "Part des familles qui, interrogées par le lien de suivi de leur orientation (ou par leur "
    "conseiller), répondent « Oui » à « Vous êtes-vous senti·e suivi·e ? » : accompagnées sans "
    "avoir à répéter leur situation à chaque service."
)

AXIS = {
    "title": "Faciliter l'accès aux services et sécuriser les parcours des familles et des jeunes",
}

SHEETS = [
    {
        "title": "Parcours d'accueil et d'orientation des familles et des jeunes",
        "goal": (
            "Permettre aux familles et aux jeunes de s'orienter plus facilement et sans rupture "
            "dans les services du territoire, grâce à des parcours lisibles, accessibles et "
            "coordonnés."
        ),
        "expected_results": (
            "Parcours d'accès aux services plus lisibles et sécurisés\n"
            "Réduction des ruptures de parcours et du non recours\n"
            "Services mieux coordonnés et plus proches des familles et des jeunes"
        ),
        "lead": (
            "Direction des Services à la population – Chargée de Mission Action sociale "
            "territoriale"
        ),
        "indicators": [
            {
                "slug": "parcours-formalises",
                "name": "Nombre de parcours d'accueil et d'orientation formalisés",
                "definition": (
                    "Parcours types publiés sur le portail et validés (date et fonction de la "
                    "personne qui a validé)."
                ),
                "unit": "count",
                "source": "computed",
                "metric": "pathways_formalised",
                "counts_people": False,
                "periodicity": "year",
            },
            {
                "slug": "satisfaction",
                "name": "Taux de satisfaction des familles et des jeunes sur l'orientation reçue",
                "definition": (
                    "Part des familles et des jeunes satisfaits : réponses au suivi des "
                    "orientations et à « Cette page vous a-t-elle aidé ? »."
                ),
                "unit": "percent",
                "source": "computed",
                "metric": "satisfaction",
                "periodicity": "quarter",
            },
            {
                "slug": "sans-rupture",
                "name": "Nombre de situations orientées sans rupture vers les bons services",
                "definition": (
                    "Situations orientées par l'outil d'accueil qui ont abouti : le service les "
                    "a prises en charge ou la famille dit avoir été reçue. Avec la part sans "
                    "rupture et le taux de rupture."
                ),
                "unit": "count",
                "source": "computed",
                "metric": "without_rupture",
                "periodicity": "quarter",
            },
            {
                "slug": "origine-orientations",
                "name": (
                    "Origine de l'orientation ou prise de contact (Petite Enfance, Enfance, "
                    "Jeunesse et Parentalité)"
                ),
                "definition": (
                    "D'où viennent les personnes orientées : Petite Enfance, Enfance, Jeunesse, "
                    "Parentalité, France Services ou autre."
                ),
                "unit": "count",
                "source": "computed",
                "metric": "origins",
                "periodicity": "quarter",
            },
            {
                "slug": "retours-professionnels",
                "name": (
                    "Retours des professionnels sur la lisibilité et la coordination des parcours"
                ),
                "definition": (
                    "Questionnaire périodique aux conseillers et aux professionnels des "
                    "partenaires : lisibilité des parcours et coordination entre services, "
                    "notées de 1 à 5, avec commentaires et taux de réponse."
                ),
                "unit": "score",
                "source": "computed",
                "metric": "professional_feedback",
                "periodicity": "year",
            },
            {
                "slug": "passerelles",
                "name": (
                    "Nombre de passerelles entre les services Petite Enfance, Enfance, Jeunesse"
                ),
                "definition": (
                    "Orientations d'une étape (Petite Enfance, Enfance, Jeunesse) vers une "
                    "autre, et parcours types qui les relient."
                ),
                "unit": "count",
                "source": "computed",
                "metric": "passerelles",
                "periodicity": "year",
            },
        ],
    },
    {
        "title": "Sécuriser les parcours des publics fragilisés",
        "goal": (
            "Éviter les ruptures de parcours et faciliter l'accès aux droits, aux services et "
            "aux accompagnements adaptés, en proposant un accompagnement clair, coordonné et de "
            "proximité pour les publics fragilisés."
        ),
        "expected_results": (
            "Parcours des publics vulnérables plus sécurisés et lisibles\n"
            "Réduction des ruptures d'accès aux droits et aux services\n"
            "Accompagnement mieux coordonné et adapté aux besoins des habitants"
        ),
        "lead": (
            "Direction des services à la population, Chargée de Mission Action Sociale "
            "Territoriale, RPE dans le cadre de la mise en place du SPPE"
        ),
        "indicators": [
            {
                "slug": "referents-mobilises",
                "name": "Nombre de personnes-relais et référents thématiques mobilisés",
                "definition": (
                    "Personnes-relais et référents thématiques (parentalité, précarité, "
                    "handicap, petite enfance, enfance-jeunesse) mobilisés à la fin de la "
                    "période, tels qu'enregistrés dans l'annuaire."
                ),
                "unit": "count",
                "source": "computed",
                "metric": "referents",
                "counts_people": False,
                "periodicity": "year",
            },
            {
                "slug": "parcours-diffuses",
                "name": "Nombre de parcours d'orientation simplifiés formalisés et diffusés",
                "definition": (
                    "Parcours types formalisés consultés, imprimés ou remis au moins une fois "
                    "pendant la période."
                ),
                "unit": "count",
                "source": "computed",
                "metric": "pathways_diffused",
                "counts_people": False,
                "periodicity": "year",
            },
            {
                "slug": "beneficiaires-actions-ciblees",
                "name": "Nombre de bénéficiaires d'actions d'accompagnement ciblées",
                "definition": (
                    "Personnes accompagnées par les actions ciblées (démarches administratives "
                    "et numériques, insertion sociale et professionnelle de proximité) : "
                    "orientations abouties vers ces services, plus les bénéficiaires déclarés "
                    "par les partenaires."
                ),
                "unit": "count",
                "source": "mixed",
                "metric": "targeted_beneficiaries",
                "periodicity": "quarter",
                "sectors": [
                    "france-services",
                    "numerique",
                    "insertion-emploi",
                    "acces-aux-droits",
                ],
            },
            {
                "slug": "evaluation-qualitative",
                "name": (
                    "Évaluation qualitative de la lisibilité et de la coordination des parcours"
                ),
                "definition": (
                    "Appréciation portée chaque année par le comité technique sur la lisibilité "
                    "et la coordination des parcours, notée de 1 à 5, avec ses constats en "
                    "commentaire."
                ),
                "unit": "score",
                "source": "manual",
                "metric": "",
                "counts_people": False,
                "periodicity": "year",
            },
            {
                "slug": "retours-habitants",
                "name": (
                    "Retours des habitants sur la sécurité et la continuité de l'accompagnement"
                ),
                "definition": CONTINUITY_DEFINITION,
                "unit": "percent",
                "source": "computed",
                "metric": "continuity",
                "periodicity": "quarter",
            },
        ],
    },
]


def install(Framework, Axis, ActionSheet, Indicator, Sector) -> int:
    """Create what is missing of the frame; return the number of indicators created."""
    framework = Framework.objects.filter(kind=FRAMEWORK["kind"], name=FRAMEWORK["name"]).first()
    if framework is None:
        framework = Framework.objects.create(**FRAMEWORK)
    axis, _created = Axis.objects.get_or_create(
        framework=framework, title=AXIS["title"], defaults={"position": 1}
    )
    created = 0
    for position, sheet_data in enumerate(SHEETS, start=1):
        sheet_data = dict(sheet_data)
        indicators = sheet_data.pop("indicators")
        sheet, _created = ActionSheet.objects.get_or_create(
            axis=axis,
            title=sheet_data["title"],
            defaults={**sheet_data, "position": position},
        )
        for rank, data in enumerate(indicators, start=1):
            data = dict(data)
            sector_slugs = data.pop("sectors", [])
            if Indicator.objects.filter(slug=data["slug"]).exists():
                continue
            indicator = Indicator.objects.create(action_sheet=sheet, position=rank, **data)
            indicator.sectors.set(Sector.objects.filter(slug__in=sector_slugs))
            created += 1
    return created
