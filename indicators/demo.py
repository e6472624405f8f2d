"""Demo data for the indicators: the CTG frame and a few values entered by hand.

Called last by `manage.py load_demo`. Idempotent: values are keyed by indicator and period,
the survey campaign by title. The figures are illustrative, like the rest of the demo
territory, and their comments say so.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from services_directory.models import Sector

from . import frame
from .models import (
    ActionSheet,
    Axis,
    Framework,
    Indicator,
    ManualValue,
    ProfessionalResponse,
    ProfessionalSurvey,
)

DEMO_NOTE = "Valeur de démonstration."


def _quarters_before(today: dt.date, count: int) -> list[tuple[dt.date, dt.date]]:
    """The `count` complete quarters before today, oldest first."""
    quarters = []
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _n in range(count):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        start = dt.date(year, 3 * quarter - 2, 1)
        end_month = 3 * quarter
        end = (
            dt.date(year + 1, 1, 1) if end_month == 12 else dt.date(year, end_month + 1, 1)
        ) - dt.timedelta(days=1)
        quarters.append((start, end))
    return list(reversed(quarters))


def load(stdout) -> None:
    created = frame.install(Framework, Axis, ActionSheet, Indicator, Sector)
    today = timezone.localdate()
    values = 0

    # Beneficiaries of targeted actions that do not go through the portal (workshops).
    beneficiaries = Indicator.objects.filter(slug="beneficiaires-actions-ciblees").first()
    if beneficiaries:
        for (start, end), figure in zip(_quarters_before(today, 4), (18, 23, 15, 27), strict=True):
            _value, made = ManualValue.objects.get_or_create(
                indicator=beneficiaries,
                period_start=start,
                period_end=end,
                defaults={
                    "value": Decimal(figure),
                    "comment": f"Ateliers numériques du bus France Services. {DEMO_NOTE}",
                },
            )
            values += made

    # The comité technique's yearly appreciation.
    qualitative = Indicator.objects.filter(slug="evaluation-qualitative").first()
    if qualitative:
        for year, figure, comment in (
            (today.year - 2, "2.5", "Parcours peu connus des partenaires, peu de passerelles."),
            (
                today.year - 1,
                "3.5",
                "Parcours types diffusés ; coordination enfance-jeunesse à renforcer.",
            ),
        ):
            _value, made = ManualValue.objects.get_or_create(
                indicator=qualitative,
                period_start=dt.date(year, 1, 1),
                period_end=dt.date(year, 12, 31),
                defaults={"value": Decimal(figure), "comment": f"{comment} {DEMO_NOTE}"},
            )
            values += made

    # A past campaign of the professionals' questionnaire, answered anonymously.
    opens = dt.date(today.year - 1, 11, 1)
    survey, made = ProfessionalSurvey.objects.get_or_create(
        title="Questionnaire annuel aux professionnels (démonstration)",
        defaults={
            "opens_on": opens,
            "closes_on": opens + dt.timedelta(days=29),
            "invited_count": 14,
        },
    )
    if made:
        answers = [(4, 3), (3, 3), (4, 4), (5, 3), (3, 2), (4, 3), (2, 3), (4, 4)]
        ProfessionalResponse.objects.bulk_create(
            ProfessionalResponse(
                survey=survey,
                readability=readability,
                coordination=coordination,
                submitted_at=timezone.make_aware(
                    dt.datetime.combine(opens + dt.timedelta(days=index), dt.time(10))
                ),
            )
            for index, (readability, coordination) in enumerate(answers)
        )
    # A campaign open now, so that the demo advisers can answer it; its dates follow today.
    ProfessionalSurvey.objects.update_or_create(
        title="Questionnaire aux professionnels en cours (démonstration)",
        defaults={
            "opens_on": today - dt.timedelta(days=7),
            "closes_on": today + dt.timedelta(days=30),
            "invited_count": 14,
        },
    )
    stdout.write(
        f"Indicateurs : {created} indicateur(s) créé(s), {values} valeur(s) saisie(s) ajoutée(s)."
    )
