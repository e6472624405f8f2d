"""Evaluation periods: a month, a quarter, a year or two dates, in local (Paris) time.

A period is a range of local calendar days, both ends included. Database timestamps are
in UTC: `bounds()` turns the days into aware datetimes at local midnight, so an
orientation recorded on 1 April at 00:30 in Paris (31 March, 22:30 UTC) counts in April.
"""

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from services_directory import dates

MIN_YEAR = 2000
MAX_YEAR = 2100
MAX_CUSTOM_DAYS = 10 * 366
# A custom period longer than this is charted month by month instead of day by day.
MAX_DAILY_BUCKETS = 62

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
QUARTER_RE = re.compile(r"^(\d{4})-T([1-4])$", re.IGNORECASE)
YEAR_RE = re.compile(r"^(\d{4})$")


class PeriodError(ValueError):
    """Bad period input; the message is French and meant for the user."""


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _month_start(day: dt.date, months_ahead: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 + months_ahead
    return dt.date(index // 12, index % 12 + 1, 1)


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(
            _("L'année doit être comprise entre %(min)s et %(max)s.")
            % {"min": MIN_YEAR, "max": MAX_YEAR}
        )


@dataclass(frozen=True)
class Period:
    kind: str  # "month", "quarter", "year" or "custom"
    start: dt.date
    end: dt.date  # included

    # --- constructors -----------------------------------------------------------------

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        _check_year(year)
        if not 1 <= month <= 12:
            raise PeriodError(_("Le mois doit être compris entre 01 et 12."))
        start = dt.date(year, month, 1)
        return cls("month", start, _month_start(start, 1) - dt.timedelta(days=1))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        _check_year(year)
        start = dt.date(year, 3 * (quarter - 1) + 1, 1)
        return cls("quarter", start, _month_start(start, 3) - dt.timedelta(days=1))

    @classmethod
    def year(cls, year: int) -> "Period":
        _check_year(year)
        return cls("year", dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def custom(cls, start: dt.date, end: dt.date) -> "Period":
        _check_year(start.year)
        _check_year(end.year)
        if end < start:
            raise PeriodError(
                _("La date de fin (%(end)s) est avant la date de début (%(start)s).")
                % {"start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")}
            )
        if (end - start).days >= MAX_CUSTOM_DAYS:
            raise PeriodError(_("Choisissez une période de dix ans au plus."))
        return cls("custom", start, end)

    @classmethod
    def parse(cls, code: str) -> "Period":
        """« 2026 », « 2026-T1 » or « 2026-03 »; raise PeriodError with a French message."""
        code = (code or "").strip()
        if match := YEAR_RE.match(code):
            return cls.year(int(match[1]))
        if match := QUARTER_RE.match(code):
            return cls.quarter(int(match[1]), int(match[2]))
        if match := MONTH_RE.match(code):
            return cls.month(int(match[1]), int(match[2]))
        raise PeriodError(
            _(
                "« %(code)s » n'est pas une période connue. Choisissez un mois (2026-03), "
                "un trimestre (2026-T1), une année (2026) ou deux dates."
            )
            % {"code": code[:40]}
        )

    @classmethod
    def default(cls, today: dt.date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls.year(today.year)

    @classmethod
    def containing(cls, kind: str, day: dt.date) -> "Period":
        if kind == "month":
            return cls.month(day.year, day.month)
        if kind == "quarter":
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        return cls.year(day.year)

    # --- navigation ---------------------------------------------------------------------

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same kind just before (the same length for custom periods)."""
        if self.kind == "custom":
            end = self.start - dt.timedelta(days=1)
            return Period("custom", end - dt.timedelta(days=self.days - 1), end)
        return Period.containing(self.kind, self.start - dt.timedelta(days=1))

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Aware datetimes [start, end) at local midnight, for timestamp fields."""
        tz = local_tz()
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return start, end

    @property
    def bucket_unit(self) -> str:
        """The step of this period's chart: days for a month, months otherwise."""
        if self.kind == "month" or (self.kind == "custom" and self.days <= MAX_DAILY_BUCKETS):
            return "day"
        return "month"

    def buckets(self) -> list[dt.date]:
        """The first day of each step of the chart, in order."""
        if self.bucket_unit == "day":
            return [self.start + dt.timedelta(days=n) for n in range(self.days)]
        firsts, month = [], _month_start(self.start)
        while month <= self.end:
            firsts.append(month)
            month = _month_start(month, 1)
        return firsts

    def bucket_of(self, day: dt.date) -> dt.date:
        return day if self.bucket_unit == "day" else day.replace(day=1)

    def bucket_label(self, first: dt.date) -> str:
        return _date_label(first, "j b" if self.bucket_unit == "day" else "b Y")

    def bucket_long_label(self, first: dt.date) -> str:
        return _date_label(first, "l j F Y" if self.bucket_unit == "day" else "F Y")

    # --- display ------------------------------------------------------------------------

    @property
    def code(self) -> str:
        """The value of the `periode` parameter ("perso" for a custom period)."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-T{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return "perso"

    @cached_property
    def label(self) -> str:
        if self.kind == "month":
            return formats.date_format(self.start, "F Y")
        if self.kind == "quarter":
            number = (self.start.month - 1) // 3 + 1
            ordinal = _("1er") if number == 1 else _("%(n)se") % {"n": number}
            return _("%(ordinal)s trimestre %(year)s") % {
                "ordinal": ordinal,
                "year": self.start.year,
            }
        if self.kind == "year":
            return _("année %(year)s") % {"year": self.start.year}
        return _("du %(start)s au %(end)s") % {
            "start": dates.long_date(self.start),
            "end": dates.long_date(self.end),
        }

    @property
    def slug(self) -> str:
        """For file names: 2026, 2026-T1, 2026-03 or 2026-01-15_2026-02-10."""
        if self.kind == "custom":
            return f"{self.start:%Y-%m-%d}_{self.end:%Y-%m-%d}"
        return self.code

    def query(self) -> dict:
        """The GET parameters that select this period."""
        if self.kind == "custom":
            return {"periode": "perso", "du": self.start.isoformat(), "au": self.end.isoformat()}
        return {"periode": self.code}


@lru_cache(maxsize=4096)
def _date_label(day: dt.date, pattern: str) -> str:
    # Formatted in French on every page: cached, the same few dates come back all the time.
    return formats.date_format(day, pattern)


def period_choices(today: dt.date | None = None) -> list:
    """Grouped options for the period select: recent months, quarters and years."""
    return _period_choices(today or timezone.localdate())


@lru_cache(maxsize=4)
def _period_choices(today: dt.date) -> list:
    years = [Period.year(year) for year in range(today.year, max(MIN_YEAR, today.year - 5), -1)]
    quarters, months = [], []
    current = Period.containing("quarter", today)
    for _n in range(8):
        quarters.append(current)
        current = current.previous()
    current = Period.containing("month", today)
    for _n in range(24):
        months.append(current)
        current = current.previous()
    return [
        (_("Années"), [(p.code, p.label.capitalize()) for p in years]),
        (_("Trimestres"), [(p.code, p.label.capitalize()) for p in quarters]),
        (_("Mois"), [(p.code, p.label.capitalize()) for p in months]),
        ("perso", _("Période personnalisée (dates ci-dessous)")),
    ]
