"""Opening hours in OpenStreetMap `opening_hours` syntax, read by opening-hours-py.

French public holidays (PH) come from the library's calendar for country FR;
their names come from the `holidays` package.
"""

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from opening_hours import OpeningHours, State

DAY_NAMES = [
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
]
_PH_CLOSED = re.compile(r"\bPH\s+(off|closed)\b", re.IGNORECASE)
EVENING = dt.time(18, 0)
# "Open at lunchtime": a weekday opening that covers 12 h 30 to 13 h 30.
LUNCH_START, LUNCH_END = dt.time(12, 30), dt.time(13, 30)


@lru_cache(maxsize=4096)
def parse(expression: str) -> OpeningHours:
    return OpeningHours(expression, country="FR")


def validate(expression: str) -> None:
    """Raise a French ValidationError when the expression is not valid OSM syntax."""
    try:
        parse(expression.strip())
    except (SyntaxError, ValueError, Exception) as exc:  # the parser raises its own ParserError
        raise ValidationError(
            _(
                "Horaires illisibles : utilisez la syntaxe OpenStreetMap, par exemple "
                "« Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off ». (%(detail)s)"
            ),
            code="invalid_hours",
            params={"detail": str(exc).splitlines()[0][:120]},
        ) from None


def closed_on_public_holidays(expression: str) -> bool:
    return bool(_PH_CLOSED.search(expression or ""))


def french_time(value: dt.time | dt.datetime) -> str:
    """9 h, 17 h 30: how times are written in French."""
    if value.minute:
        return f"{value.hour} h {value.minute:02d}"
    return f"{value.hour} h"


def compact_week(rows: list[dict]) -> list[str]:
    """A week table as a few lines, consecutive days with the same hours together:
    "lundi – vendredi : 9 h – 12 h, 14 h – 17 h". Closed days are left out."""
    lines, start = [], 0
    for end in range(len(rows)):
        last = end + 1 == len(rows) or rows[end + 1]["ranges"] != rows[start]["ranges"]
        if not last:
            continue
        if rows[start]["ranges"]:
            days = rows[start]["day"]
            if end > start:
                days += (" – " if end > start + 1 else " et ") + rows[end]["day"]
            hours = ", ".join(f"{opens} – {closes}" for opens, closes in rows[start]["ranges"])
            lines.append(f"{days} : {hours}")
        start = end + 1
    return lines


def local_now() -> dt.datetime:
    # The library works on naive local times; our places are all in France.
    return timezone.localtime().replace(tzinfo=None)


def public_holiday_name(day: dt.date) -> str | None:
    return holidays.country_holidays("FR", years=day.year, language="fr").get(day)


def _reference_monday(today: dt.date) -> dt.date:
    """The first week from today's on that has no public holiday: a typical week."""
    monday = today - dt.timedelta(days=today.weekday())
    for _week in range(10):
        days = [monday + dt.timedelta(days=i) for i in range(7)]
        if not any(public_holiday_name(day) for day in days):
            return monday
        monday += dt.timedelta(days=7)
    return monday


def typical_week(
    expression: str, today: dt.date | None = None
) -> list[list[tuple[dt.time, dt.time]]]:
    """Seven lists (Monday first) of (opens, closes) for a week without public holiday."""
    today = today or local_now().date()
    monday = _reference_monday(today)
    start = dt.datetime.combine(monday, dt.time.min)
    end = start + dt.timedelta(days=7)
    week: list[list[tuple[dt.time, dt.time]]] = [[] for _ in range(7)]
    for begin, finish, state, _comment in parse(expression).intervals(start, end):
        if state != State.OPEN:
            continue
        cursor = begin
        while cursor < finish:
            day_end = dt.datetime.combine(cursor.date() + dt.timedelta(days=1), dt.time.min)
            piece_end = min(finish, day_end)
            closes = dt.time(23, 59) if piece_end == day_end else piece_end.time()
            week[cursor.weekday()].append((cursor.time(), closes))
            cursor = piece_end
    return week


@dataclass(frozen=True)
class LiveStatus:
    is_open: bool
    label: str  # "Ouvert" / "Fermé" / "Horaires à confirmer"
    detail: str  # "ferme à 17 h"

    def __str__(self) -> str:
        return f"{self.label} · {self.detail}" if self.detail else self.label


def _when(moment: dt.datetime, now: dt.datetime) -> str:
    days = (moment.date() - now.date()).days
    hour = french_time(moment)
    if days == 0:
        return _("à %(hour)s") % {"hour": hour}
    if days == 1:
        return _("demain à %(hour)s") % {"hour": hour}
    if days < 7:
        return _("%(day)s à %(hour)s") % {"day": DAY_NAMES[moment.weekday()], "hour": hour}
    return _("le %(date)s à %(hour)s") % {"date": date_format(moment.date(), "j F"), "hour": hour}


def live_status(expression: str, now: dt.datetime | None = None) -> LiveStatus:
    now = now or local_now()
    hours = parse(expression)
    state, _comment = hours.state(now)
    upcoming = hours.next_change(now)
    if upcoming is not None:
        upcoming = upcoming.replace(tzinfo=None)
    if state == State.OPEN:
        if upcoming is None:
            return LiveStatus(True, _("Ouvert"), _("24 h/24"))
        return LiveStatus(True, _("Ouvert"), _("ferme %(when)s") % {"when": _when(upcoming, now)})
    if state == State.UNKNOWN:
        return LiveStatus(False, _("Horaires à confirmer"), "")
    holiday = public_holiday_name(now.date())
    label = _("Fermé (jour férié : %(name)s)") % {"name": holiday} if holiday else _("Fermé")
    if upcoming is None:
        return LiveStatus(False, label, "")
    return LiveStatus(False, label, _("ouvre %(when)s") % {"when": _when(upcoming, now)})
