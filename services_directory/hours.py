"""Opening hours in OpenStreetMap `opening_hours` syntax, read by opening-hours-py.

French public holidays (PH) come from the library's calendar for country FR; their names,
and the school holidays (SH) of the territory's zone, come from the `holidays` package
(`settings.SCHOOL_HOLIDAYS_ZONE`; upgrade the package once a year for the new calendar).
opening-hours-py parses `SH` but ignores it, so a rule starting with `SH` is rewritten
into the dated ranges of the zone's school holidays before parsing.

Dated notices (closures, changed hours) become `Period`s, appended as dated rules after
a place's own hours: `… ; 2026 Nov 28-2026 Dec 12 off`. Later rules win in the OSM
syntax, so one expression answers "open now?", the next change, the week table and the
search flags, with the notices, the holidays and the monthly rules all taken into account.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from opening_hours import OpeningHours, State

from .dates import lazy_date, lazy_time, long_date, short_time

# Lazy: the module is imported once, the names are read in the language of each request.
DAY_NAMES = [
    gettext_lazy("lundi"),
    gettext_lazy("mardi"),
    gettext_lazy("mercredi"),
    gettext_lazy("jeudi"),
    gettext_lazy("vendredi"),
    gettext_lazy("samedi"),
    gettext_lazy("dimanche"),
]
OSM_DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
OSM_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_PH_CLOSED = re.compile(r"\bPH\s+(off|closed)\b", re.IGNORECASE)
EVENING = dt.time(18, 0)
# "Open at lunchtime": a weekday opening that covers 12 h 30 to 13 h 30.
LUNCH_START, LUNCH_END = dt.time(12, 30), dt.time(13, 30)
# The search flags and "open now" slots describe this many days from the day they are
# computed (see Service.refresh_hours and `manage.py refresh_hours`).
WINDOW_DAYS = 7


def adapted_hours(slots) -> tuple[bool, bool, bool]:
    """Open on Saturday, after 18 h, at lunchtime on a weekday: the directory's "adapted
    hours" filters, from (weekday, opens, closes) slots (Service.HOURS_FLAGS order)."""
    slots = list(slots)
    return (
        any(weekday == 5 for weekday, _opens, _closes in slots),
        any(closes > EVENING for _weekday, _opens, closes in slots),
        any(
            weekday < 5 and opens <= LUNCH_START and closes >= LUNCH_END
            for weekday, opens, closes in slots
        ),
    )


EXAMPLE = "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off"


# --- school holidays ------------------------------------------------------------------------


def school_zone() -> str:
    return getattr(settings, "SCHOOL_HOLIDAYS_ZONE", "A")


@lru_cache(maxsize=64)
def _school_holidays_of(year: int, zone: str) -> tuple[tuple[dt.date, dt.date, str], ...]:
    days = holidays.country_holidays(
        "FR", subdiv=f"Zone {zone}", years=year, categories=("school",), language="fr"
    )
    ranges: list[list] = []
    for day, name in sorted(days.items()):
        if ranges and (day - ranges[-1][1]).days == 1:
            ranges[-1][1] = day
        else:
            ranges.append([day, day, name])
    return tuple((start, end, name) for start, end, name in ranges)


def school_holidays(start: dt.date, end: dt.date, zone: str | None = None) -> list[tuple]:
    """The school holidays (first day, last day, name) that meet [start, end], merged
    across the new year (the library cuts Christmas holidays at 31 December)."""
    zone = zone or school_zone()
    merged: list[list] = []
    for year in range(start.year - 1, end.year + 1):
        for first, last, name in _school_holidays_of(year, zone):
            if merged and (first - merged[-1][1]).days <= 1:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last, name])
    return [tuple(item) for item in merged if item[1] >= start and item[0] <= end]


def school_holiday_at(day: dt.date) -> tuple | None:
    """The school holidays `day` falls in, or None on a school day."""
    found = school_holidays(day, day)
    return found[0] if found else None


def next_school_holidays(day: dt.date) -> tuple | None:
    """The school holidays in progress on `day`, or the next ones."""
    found = school_holidays(day, day + dt.timedelta(days=200))
    return found[0] if found else None


def _osm_date(day: dt.date) -> str:
    return f"{day.year} {OSM_MONTHS[day.month - 1]} {day.day:02d}"


def osm_range(start: dt.date, end: dt.date) -> str:
    """`2026 Nov 28-2026 Dec 12`, or one day: `2026 Dec 25`."""
    if start == end:
        return _osm_date(start)
    return f"{_osm_date(start)}-{_osm_date(end)}"


# --- reading an expression -----------------------------------------------------------------


def split_rules(expression: str) -> list[str]:
    """The `;`-separated rules of an expression, outside quoted comments."""
    rules, current, quoted = [], [], False
    for char in expression:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            rules.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    rules.append("".join(current).strip())
    return [rule for rule in rules if rule]


_SH_RULE = re.compile(r"^SH(?=\s|$)\s*")


def _sh_ranges(today: dt.date) -> str:
    # From last year to two years ahead: pages, searches and stops never look further.
    ranges = school_holidays(dt.date(today.year - 1, 1, 1), dt.date(today.year + 2, 12, 31))
    return ",".join(osm_range(first, last) for first, last, _name in ranges)


@lru_cache(maxsize=256)
def _expand_school_holidays(expression: str, year: int, zone: str) -> str:
    rules = []
    for rule in split_rules(expression):
        if _SH_RULE.match(rule):
            body = _SH_RULE.sub("", rule) or "open"
            dates = _sh_ranges(dt.date(year, 1, 1))
            # No school holidays known (a calendar not yet published): the rule never applies.
            rules.append(f"{dates} {body}" if dates else "")
        else:
            rules.append(rule)
    return "; ".join(rule for rule in rules if rule)


def expand(expression: str, today: dt.date | None = None) -> str:
    """The expression opening-hours-py reads: `SH` rules turned into dated ranges."""
    if "SH" not in expression:
        return expression
    today = today or local_now().date()
    return _expand_school_holidays(expression, today.year, school_zone())


@lru_cache(maxsize=4096)
def _parse(expression: str) -> OpeningHours:
    return OpeningHours(expression, country="FR")


def parse(expression: str) -> OpeningHours:
    return _parse(expand(expression))


# --- French messages for a wrong expression ------------------------------------------------

_POSITION = re.compile(r"-->\s*(\d+):(\d+)")
_EXPECTED = re.compile(r"=\s*(expected|unexpected)\s+(.+)$", re.MULTILINE)
TOKENS = {
    "EOI": "la fin des horaires",
    "any_rule_separator": "« ; » entre deux règles",
    "normal_rule_separator": "« ; » entre deux règles",
    "additional_rule_separator": "« , » entre deux règles",
    "rules_modifier": "« off » (fermé)",
    "always_open": "« 24/7 »",
    "small_range_selectors": "un jour (Mo, Tu, We, Th, Fr, Sa, Su) ou « PH »",
    "wide_range_selectors": "une période (mois, semaines)",
    "week_selector": "des semaines (« week 01-26 »)",
    "monthday_range": "un mois ou une date (« Dec 25 »)",
    "year": "une année",
    "comment": "un commentaire entre guillemets",
    "timespan": "une plage d'heures (« 09:00-12:00 »)",
    "extended_time": "une heure sur 4 chiffres (« 09:00 »)",
    "time": "une heure sur 4 chiffres (« 09:00 »)",
    "holiday": "« PH » (jours fériés) ou « SH » (vacances scolaires)",
    "weekday_range": "un jour (Mo, Tu, We, Th, Fr, Sa, Su)",
    "weekday_selector": "un jour (Mo, Tu, We, Th, Fr, Sa, Su)",
}
PRIORITY = [
    "small_range_selectors",
    "weekday_range",
    "weekday_selector",
    "timespan",
    "extended_time",
    "time",
    "rules_modifier",
    "holiday",
    "monthday_range",
    "normal_rule_separator",
    "any_rule_separator",
    "EOI",
]
_FRENCH_DAYS = re.compile(r"\b(Lu|Ma|Me|Je|Ve|Di|lundi|mardi|mercredi|jeudi|vendredi)\b", re.I)
_FRENCH_HOURS = re.compile(r"\d\s*h\b|\d+h\d", re.I)


def _hints(expression: str) -> list[str]:
    hints = []
    if _FRENCH_DAYS.search(expression):
        hints.append(
            _(
                "Les jours s'écrivent en anglais abrégé : Mo lundi, Tu mardi, We mercredi, "
                "Th jeudi, Fr vendredi, Sa samedi, Su dimanche."
            )
        )
    if _FRENCH_HOURS.search(expression):
        hints.append(_("Les heures s'écrivent sur 4 chiffres : 09:00, pas 9h."))
    return hints


def error_message(expression: str, error: Exception) -> str:
    """The parser's error in French: where the mistake starts, and what was expected."""
    text = str(error)
    position = _POSITION.search(text)
    column = int(position.group(2)) if position else None
    expected = _EXPECTED.search(text)
    words = []
    if expected:
        tokens = [
            token.strip().removeprefix("or ").strip() for token in expected.group(2).split(",")
        ]
        # The likeliest fixes first, three at most: a long list helps nobody.
        tokens.sort(key=lambda token: PRIORITY.index(token) if token in PRIORITY else 99)
        for token in tokens:
            if token in TOKENS and TOKENS[token] not in words and len(words) < 3:
                words.append(TOKENS[token])
    if column:
        excerpt = expression[column - 1 : column + 19] or _("(fin)")
        message = _("Horaires illisibles à partir du caractère %(n)s (« %(excerpt)s »).") % {
            "n": column,
            "excerpt": excerpt,
        }
    else:
        message = _("Horaires illisibles.")
    if words and expected.group(1) == "expected":
        message += " " + _("Ici, on attend : %(words)s.") % {"words": " ou ".join(words)}
    elif words:
        message += " " + _("Ici, %(words)s est en trop.") % {"words": words[0]}
    for hint in _hints(expression):
        message += " " + hint
    message += " " + _("Exemple : « %(example)s ».") % {"example": EXAMPLE}
    return message


def _sh_error(expression: str) -> str | None:
    for rule in split_rules(expression):
        if re.search(r"\bSH\b", rule.split('"')[0]) and not _SH_RULE.match(rule):
            return _(
                "Écrivez « SH » (vacances scolaires) au début de sa règle, par exemple "
                "« SH Mo-Fr 08:00-18:00 » ou « SH off »."
            )
    return None


def validate(expression: str) -> None:
    """Raise a French ValidationError when the expression is not valid OSM syntax."""
    expression = expression.strip()
    message = _sh_error(expression)
    if message is None:
        try:
            parse(expression)
        except Exception as exc:  # the parser raises SyntaxError or its own ParserError
            message = error_message(expression, exc)
    if message:
        raise ValidationError(message, code="invalid_hours")


def closed_on_public_holidays(expression: str) -> bool:
    return bool(_PH_CLOSED.search(expression or ""))


# --- plain French ----------------------------------------------------------------------------


def compact_week(rows: list["DayRow"]) -> list[str]:
    """The week table (week_rows) as a few lines, consecutive days with the same hours
    together: "lundi – vendredi : 9 h – 12 h, 14 h – 17 h". Closed days are left out."""
    lines, start = [], 0
    for end in range(len(rows)):
        last = end + 1 == len(rows) or rows[end + 1].ranges != rows[start].ranges
        if not last:
            continue
        if rows[start].ranges:
            days = rows[start].day
            if end > start:
                days += (" – " if end > start + 1 else " et ") + rows[end].day
            hours = ", ".join(f"{opens} – {closes}" for opens, closes in rows[start].ranges)
            lines.append(f"{days} : {hours}")
        start = end + 1
    return lines


def _join(items: list[str]) -> str:
    items = [str(item) for item in items]  # day names are lazy
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " " + _("et") + " " + items[-1]


_DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)"
_NTH = r"(?:\[-?[1-5](?:,-?[1-5])*\])"
_DAY_ITEM = re.compile(rf"^({_DAY})(?:-({_DAY}))?({_NTH})?$")
_TIME = r"\d{2}:\d{2}-\d{2}:\d{2}"
_RULE = re.compile(
    rf"^(?:(?P<holiday>SH|PH)\s*)?(?:(?P<days>{_DAY}(?:-{_DAY})?{_NTH}?(?:,{_DAY}(?:-{_DAY})?{_NTH}?)*)\s*)?"
    rf"(?P<times>{_TIME}(?:,{_TIME})*|off|closed|open)?$"
)


def _ordinal(n: int) -> str:
    if n == -1:
        return _("dernier")
    # The same words as the quarters' ordinals (indicators/periods.py): one translation.
    return _("1er") if n == 1 else _("%(n)se") % {"n": n}


def _day_items(days: str) -> list[str]:
    return re.findall(rf"{_DAY}(?:-{_DAY})?{_NTH}?", days)


def _days_phrase(days: str) -> str:
    parts = []
    for item in _day_items(days):
        match = _DAY_ITEM.match(item)
        if not match:
            return ""
        first, last, nth = match.groups()
        first_name = DAY_NAMES[OSM_DAYS.index(first)]
        if nth:
            numbers = [int(n) for n in nth.strip("[]").split(",")]
            if len(numbers) == 1:
                parts.append(
                    _("le %(nth)s %(day)s du mois")
                    % {"nth": _ordinal(numbers[0]), "day": first_name}
                )
            else:
                parts.append(
                    _("les %(nths)s %(day)ss du mois")
                    % {"nths": _join([_ordinal(n) for n in numbers]), "day": first_name}
                )
        elif last:
            parts.append(
                _("du %(first)s au %(last)s")
                % {"first": first_name, "last": DAY_NAMES[OSM_DAYS.index(last)]}
            )
        else:
            parts.append(_("le %(day)s") % {"day": first_name})
    return _join(parts)


def _times_phrase(times: str) -> str:
    if times in ("off", "closed"):
        return _("fermé")
    if times == "open":
        return _("ouvert")
    ranges = []
    for span in times.split(","):
        opens, closes = span.split("-")
        ranges.append(
            _("de %(opens)s à %(closes)s")
            % {
                "opens": short_time(dt.time.fromisoformat(opens)),
                "closes": short_time(_time_or_midnight(closes)),
            }
        )
    return _join(ranges)


def _time_or_midnight(text: str) -> dt.time:
    return dt.time(23, 59) if text in ("24:00", "23:59") else dt.time.fromisoformat(text)


@dataclass(frozen=True)
class Rule:
    """One rule of an expression, as a family reads it."""

    text: str  # "le 1er samedi du mois, de 9 h à 12 h"
    weekdays: frozenset[int]  # the days of the week it speaks about
    monthly: bool  # "le 1er samedi du mois": the week table notes it on its day
    school_holidays: bool  # "pendant les vacances scolaires"


def describe_rule(rule: str) -> Rule | None:
    """A rule in plain French, or None when it is beyond this small translator."""
    match = _RULE.match(rule.strip())
    if not match or not (match.group("days") or match.group("holiday") or match.group("times")):
        return None
    holiday, days, times = match.group("holiday"), match.group("days"), match.group("times")
    times = times or "open"
    weekdays: set[int] = set()
    if days:
        for item in _day_items(days):
            first, last, _nth = _DAY_ITEM.match(item).groups()
            start, stop = OSM_DAYS.index(first), OSM_DAYS.index(last or first)
            if stop < start:  # Sa-Mo wraps round the week
                stop += 7
            weekdays.update(day % 7 for day in range(start, stop + 1))
    if holiday == "PH":
        if days:
            return None
        text = _("les jours fériés : %(times)s") % {"times": _times_phrase(times)}
        return Rule(text, frozenset(), False, False)
    day_text = _days_phrase(days) if days else _("tous les jours")
    if not day_text:
        return None
    text = f"{day_text}, {_times_phrase(times)}"
    if holiday == "SH":
        text = _("pendant les vacances scolaires, %(rule)s") % {"rule": text}
    return Rule(text, frozenset(weekdays or range(7)), bool(days and "[" in days), holiday == "SH")


def describe(expression: str) -> list[Rule]:
    """Every rule of the expression that the translator can read, in order."""
    rules = [describe_rule(rule) for rule in split_rules(expression or "")]
    return [rule for rule in rules if rule is not None]


# --- dated notices ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A dated notice as the hours see it: closed, or other hours, from start to end."""

    start: dt.date
    end: dt.date
    closed: bool
    expression: str = ""
    reason: str = ""

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _period_rules(period: Period) -> list[str]:
    dates = osm_range(period.start, period.end)
    rules = [f"{dates} off"]
    if not period.closed and period.expression:
        # Normalised first: additional rules ("a, b") become plain rules we can date.
        normal = str(_parse(period.expression).normalize())
        rules += [f"{dates} {rule}" for rule in split_rules(normal)]
    return rules


def compose(expression: str, periods=(), today: dt.date | None = None) -> str:
    """One expression for a place: its own hours, then each notice's dated rules."""
    rules = [expand(expression, today)] if expression else []
    for period in sorted(periods, key=lambda period: (period.start, period.end)):
        rules += _period_rules(period)
    return "; ".join(rule for rule in rules if rule)


def validate_period_hours(expression: str) -> None:
    """A notice's hours: days and times only (the notice gives the dates)."""
    validate(expression)
    try:
        _parse(compose("", [Period(dt.date(2026, 1, 5), dt.date(2026, 1, 9), False, expression)]))
    except Exception:
        raise ValidationError(
            _(
                "Pour une période, écrivez seulement des jours et des heures, par exemple "
                "« Mo-Fr 09:00-12:00 » : les dates sont celles de l'avis."
            ),
            code="invalid_hours",
        ) from None


def local_now() -> dt.datetime:
    # The library works on naive local times; our places are all in France.
    return timezone.localtime().replace(tzinfo=None)


@lru_cache(maxsize=8)
def _public_holidays_of(year: int) -> dict[dt.date, str]:
    # Building the calendar costs about 0.7 ms: once per year and process, not once per card.
    return dict(holidays.country_holidays("FR", years=year, language="fr"))


def public_holiday_name(day: dt.date) -> str | None:
    return _public_holidays_of(day.year).get(day)


# --- what a day, a week, a moment look like -----------------------------------------------------


def _day_ranges(hours: OpeningHours, day: dt.date) -> list[tuple[dt.time, dt.time]]:
    start = dt.datetime.combine(day, dt.time.min)
    end = start + dt.timedelta(days=1)
    ranges = []
    for begin, finish, state, _comment in hours.intervals(start, end):
        if state != State.OPEN:
            continue
        closes = dt.time(23, 59) if finish >= end else finish.time()
        ranges.append((begin.time(), closes))
    return ranges


def window(
    expression: str, periods=(), start: dt.date | None = None, days: int = WINDOW_DAYS
) -> list[list[tuple[dt.time, dt.time]]]:
    """Seven lists (Monday first) of (opens, closes): each weekday's hours on its date in
    the `days` days from `start`, notices, holidays and monthly rules applied."""
    start = start or local_now().date()
    hours = _parse(compose(expression, periods, start))
    week: list[list[tuple[dt.time, dt.time]]] = [[] for _ in range(7)]
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        week[day.weekday()] += _day_ranges(hours, day)
    return week


@dataclass
class DayRow:
    """One row of the week table, as the public sees it."""

    date: dt.date
    day: str  # "mardi"
    label: str  # "mardi 1er décembre"
    ranges: list[tuple[str, str]]
    is_today: bool
    closed_reason: str = ""  # "fermeture temporaire : travaux", "jour férié : Noël"
    changed: str = ""  # "horaires modifiés : congés"
    notes: list[str] = field(default_factory=list)  # "le 1er samedi du mois, de 9 h à 12 h"


def week_rows(
    expression: str, periods=(), start: dt.date | None = None, days: int = 7
) -> list[DayRow]:
    """The next `days` days from `start`, each with its hours and why they differ."""
    start = start or local_now().date()
    hours = _parse(compose(expression, periods, start))
    monthly = [rule for rule in describe(expression) if rule.monthly]
    rows = []
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        ranges = _day_ranges(hours, day)
        active = [period for period in periods if period.covers(day)]
        row = DayRow(
            date=day,
            day=DAY_NAMES[day.weekday()],
            # Written when the page is rendered, in the language of the block being rendered:
            # a sheet or a follow-up page prints the family's language, then French.
            label=lazy_date(day, "weekday"),
            ranges=[(lazy_time(opens), lazy_time(closes)) for opens, closes in ranges],
            is_today=offset == 0,
        )
        if active and active[-1].closed:
            reason = active[-1].reason
            row.closed_reason = (
                _("fermeture temporaire : %(reason)s") % {"reason": reason}
                if reason
                else _("fermeture temporaire")
            )
        elif active:
            reason = active[-1].reason
            row.changed = (
                _("horaires modifiés : %(reason)s") % {"reason": reason}
                if reason
                else _("horaires modifiés")
            )
        elif not ranges and (holiday := public_holiday_name(day)):
            row.closed_reason = _("jour férié : %(name)s") % {"name": holiday}
        if not active:
            row.notes = [rule.text for rule in monthly if day.weekday() in rule.weekdays]
        rows.append(row)
    return rows


@dataclass(frozen=True)
class LiveStatus:
    is_open: bool
    label: str  # "Ouvert" / "Fermé" / "Fermé temporairement jusqu'au 12 décembre — travaux"
    detail: str  # "ferme à 17 h", "rouvre lundi à 7 h"
    notice: str = ""  # "horaires modifiés jusqu'au 15 décembre"
    temporarily_closed: bool = False
    # When these words change: the next opening or closing (services_directory.until).
    changes_at: dt.datetime | None = None

    def __str__(self) -> str:
        text = f"{self.label} · {self.detail}" if self.detail else self.label
        return f"{text} ({self.notice})" if self.notice else text


def _when(moment: dt.datetime, now: dt.datetime) -> str:
    days = (moment.date() - now.date()).days
    hour = short_time(moment)
    if days == 0:
        return _("à %(hour)s") % {"hour": hour}
    if days == 1:
        return _("demain à %(hour)s") % {"hour": hour}
    if days < 7:
        return _("%(day)s à %(hour)s") % {"day": DAY_NAMES[moment.weekday()], "hour": hour}
    return _("le %(date)s à %(hour)s") % {"date": long_date(moment.date(), "day"), "hour": hour}


def _next_change(hours: OpeningHours, now: dt.datetime) -> dt.datetime | None:
    upcoming = hours.next_change(now)
    return upcoming.replace(tzinfo=None) if upcoming is not None else None


def live_status(expression: str, now: dt.datetime | None = None, periods=()) -> LiveStatus:
    now = now or local_now()
    active = [period for period in periods if period.covers(now.date())]
    hours = _parse(compose(expression, periods, now.date()))
    if active and active[-1].closed:
        period = active[-1]
        label = _("Fermé temporairement jusqu'au %(date)s") % {
            "date": long_date(period.end, "day")
        }
        if period.reason:
            label += f" — {period.reason}"
        upcoming = _next_change(hours, now) if expression else None
        detail = _("rouvre %(when)s") % {"when": _when(upcoming, now)} if upcoming else ""
        return LiveStatus(False, label, detail, temporarily_closed=True, changes_at=upcoming)
    notice = ""
    if active:
        notice = _("horaires modifiés jusqu'au %(date)s") % {
            "date": long_date(active[-1].end, "day")
        }
    state, _comment = hours.state(now)
    upcoming = _next_change(hours, now)
    if state == State.OPEN:
        if upcoming is None:
            return LiveStatus(True, _("Ouvert"), _("24 h/24"), notice)  # until midnight
        return LiveStatus(
            True,
            _("Ouvert"),
            _("ferme %(when)s") % {"when": _when(upcoming, now)},
            notice,
            changes_at=upcoming,
        )
    if state == State.UNKNOWN:
        return LiveStatus(False, _("Horaires à confirmer"), "", notice)
    holiday = public_holiday_name(now.date())
    label = _("Fermé (jour férié : %(name)s)") % {"name": holiday} if holiday else _("Fermé")
    if upcoming is None:
        return LiveStatus(False, label, "", notice)
    detail = _("ouvre %(when)s") % {"when": _when(upcoming, now)}
    return LiveStatus(False, label, detail, notice, changes_at=upcoming)


def open_intervals(expression: str, start: dt.datetime, end: dt.datetime, periods=()):
    """The (begin, end) open intervals between two local moments, notices applied."""
    hours = _parse(compose(expression, periods, start.date()))
    return [
        (begin, finish)
        for begin, finish, state, _comment in hours.intervals(start, end)
        if state == State.OPEN
    ]


# --- checking an expression before it is saved or imported ------------------------------------


@dataclass
class HoursCheck:
    """What the admin's preview and any importer say about an expression."""

    expression: str
    error: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.error


def _merge_suggestion(rule: str, earlier: list[tuple[dt.time, dt.time]]) -> str | None:
    match = re.match(rf"^(.*?)\s*({_TIME}(?:,{_TIME})*)$", rule)
    if not match:
        return None
    spans = set(earlier)
    for span in match.group(2).split(","):
        opens, closes = span.split("-")
        spans.add((dt.time.fromisoformat(opens), _time_or_midnight(closes)))
    merged = ",".join(
        f"{opens:%H:%M}-{'24:00' if closes == dt.time(23, 59) else f'{closes:%H:%M}'}"
        for opens, closes in sorted(spans)
    )
    return f"{match.group(1)} {merged}".strip()


def overriding_warnings(expression: str, today: dt.date | None = None) -> list[str]:
    """Where a later rule replaces, for the same day, the hours an earlier rule gave
    ("Mo-Fr 09:00-12:00; We 14:00-17:00" leaves Wednesday morning out). Closing rules
    (`PH off`, `SH off`, dated closures) are left alone: replacing is what they are for."""
    rules = split_rules(expression)
    if len(rules) < 2 or "||" in expression:
        return []
    start = today or local_now().date()
    start -= dt.timedelta(days=start.weekday())
    dates = [start + dt.timedelta(days=offset) for offset in range(35)]
    warnings = []
    for index in range(1, len(rules)):
        try:
            before = _parse(expand("; ".join(rules[:index]), start))
            alone = _parse(expand(rules[index], start))
        except Exception:
            return []
        days_lost: dict[int, list] = {}
        for day in dates:
            if public_holiday_name(day):
                continue
            earlier = _day_ranges(before, day)
            later = _day_ranges(alone, day)
            if earlier and later and not set(earlier) <= set(later):
                days_lost.setdefault(day.weekday(), earlier)
        if not days_lost:
            continue
        lost = sorted(days_lost)
        earlier_ranges = days_lost[lost[0]]
        same = all(days_lost[weekday] == earlier_ranges for weekday in lost)
        message = _(
            "La règle « %(rule)s » remplace les horaires donnés avant pour le %(days)s "
            "(%(ranges)s ne s'affiche plus)."
        ) % {
            "rule": rules[index],
            "days": _join([DAY_NAMES[weekday] for weekday in lost]),
            "ranges": _join(
                [
                    _("de %(opens)s à %(closes)s")
                    % {"opens": short_time(opens), "closes": short_time(closes)}
                    for opens, closes in earlier_ranges
                ]
            ),
        }
        suggestion = _merge_suggestion(rules[index], earlier_ranges) if same else None
        if suggestion:
            fixed = "; ".join([*rules[:index], suggestion, *rules[index + 1 :]])
        else:
            fixed = "; ".join(rules[:index]) + ", " + "; ".join(rules[index:])
        message += " " + _("Pour garder les deux, écrivez : « %(fixed)s ».") % {"fixed": fixed}
        warnings.append(message)
    return warnings


def check(expression: str, today: dt.date | None = None) -> HoursCheck:
    """Validate an expression and look for rules that silently replace others.

    For the admin's preview and for any importer: the error is in French with the
    position of the mistake; the warnings do not prevent saving.
    """
    expression = (expression or "").strip()
    result = HoursCheck(expression)
    if not expression:
        return result
    try:
        validate(expression)
    except ValidationError as error:
        result.error = error.messages[0]
        return result
    result.warnings = overriding_warnings(expression, today)
    return result
