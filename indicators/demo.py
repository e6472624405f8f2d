"""Demo data for the indicators: the CTG frame and a few values entered by hand.

Called last by `manage.py load_demo`, which reads the values and the survey campaigns from
`portal/demo/indicators.toml` and passes them in. Idempotent: values are keyed by indicator
and period, the survey campaigns by title.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from services_directory.demo.schema import REQUIRED, record, records
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

# Every demo value's comment ends with it, so nobody mistakes it for a real figure.
DEMO_NOTE = "Valeur de démonstration."

INDICATORS_TOML = dict.fromkeys(
    ["quarterly_values", "yearly_values", "closed_survey", "open_survey"], REQUIRED
)
QUARTERLY_VALUES = {"indicator": REQUIRED, "values": REQUIRED, "comment": REQUIRED}
YEARLY_VALUE = {
    "indicator": REQUIRED,
    "years_ago": REQUIRED,
    "value": REQUIRED,
    "comment": REQUIRED,
}
CLOSED_SURVEY = dict.fromkeys(
    ["title", "opens_month", "opens_day", "days", "invited_count", "answers"], REQUIRED
)
ANSWER = {"readability": REQUIRED, "coordination": REQUIRED}
OPEN_SURVEY = dict.fromkeys(
    ["title", "opened_days_ago", "closes_in_days", "invited_count"], REQUIRED
)


def checked(data: dict) -> dict:
    """The indicators' demo data with every record complete; refuses a typo."""
    data = record(data, "indicateurs (indicators.toml)", INDICATORS_TOML)
    closed = record(data["closed_survey"], "campagne passée", CLOSED_SURVEY)
    closed["answers"] = records(closed["answers"], "campagne passée, réponse", ANSWER, None)
    return {
        "quarterly_values": records(
            data["quarterly_values"], "valeurs trimestrielles", QUARTERLY_VALUES, "indicator"
        ),
        "yearly_values": records(
            data["yearly_values"], "valeur annuelle", YEARLY_VALUE, "indicator"
        ),
        "closed_survey": closed,
        "open_survey": record(data["open_survey"], "campagne en cours", OPEN_SURVEY),
    }


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


def _indicator(slug: str, stdout) -> Indicator | None:
    indicator = Indicator.objects.filter(slug=slug).first()
    if indicator is None:
        stdout.write(f"Indicateurs : indicateur « {slug} » introuvable, valeurs ignorées.")
    return indicator


def _add_value(indicator, start: dt.date, end: dt.date, value, comment: str) -> bool:
    _value, made = ManualValue.objects.get_or_create(
        indicator=indicator,
        period_start=start,
        period_end=end,
        defaults={"value": Decimal(str(value)), "comment": f"{comment} {DEMO_NOTE}"},
    )
    return made


def load(data: dict, stdout) -> None:
    data = checked(data)
    created = frame.install(Framework, Axis, ActionSheet, Indicator, Sector)
    today = timezone.localdate()
    values = 0

    for item in data["quarterly_values"]:
        indicator = _indicator(item["indicator"], stdout)
        if indicator:
            quarters = _quarters_before(today, len(item["values"]))
            for (start, end), figure in zip(quarters, item["values"], strict=True):
                values += _add_value(indicator, start, end, figure, item["comment"])

    for item in data["yearly_values"]:
        indicator = _indicator(item["indicator"], stdout)
        if indicator:
            year = today.year - item["years_ago"]
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
            values += _add_value(indicator, start, end, item["value"], item["comment"])

    closed = data["closed_survey"]
    opens = dt.date(today.year - 1, closed["opens_month"], closed["opens_day"])
    survey, made = ProfessionalSurvey.objects.get_or_create(
        title=closed["title"],
        defaults={
            "opens_on": opens,
            "closes_on": opens + dt.timedelta(days=closed["days"] - 1),
            "invited_count": closed["invited_count"],
        },
    )
    if made:
        ProfessionalResponse.objects.bulk_create(
            ProfessionalResponse(
                survey=survey,
                readability=answer["readability"],
                coordination=answer["coordination"],
                submitted_at=timezone.make_aware(
                    dt.datetime.combine(opens + dt.timedelta(days=index), dt.time(10))
                ),
            )
            for index, answer in enumerate(closed["answers"])
        )
    current = data["open_survey"]
    ProfessionalSurvey.objects.update_or_create(
        title=current["title"],
        defaults={
            "opens_on": today - dt.timedelta(days=current["opened_days_ago"]),
            "closes_on": today + dt.timedelta(days=current["closes_in_days"]),
            "invited_count": current["invited_count"],
        },
    )
    stdout.write(
        f"Indicateurs : {created} indicateur(s) créé(s), {values} valeur(s) saisie(s) ajoutée(s)."
    )
