"""Dates and times as the language being rendered writes them: the one home of the rule.

« 1er décembre 2026 » in French (the first of a month is an ordinal, « 1er », which Django's
`date:"j F Y"` cannot write), « Dec. 1, 2026 » in English, « 01 грудня 2026 р. » in
Ukrainian: each language's own format (Django's locale formats), so a sheet printed in
Arabic or Turkish reads as its family expects. Times: « 9 h », « 17 h 30 » in French, each
language's `TIME_FORMAT` otherwise. Templates use the `long_date` filter
(`templatetags/dates.py`); Python code (opening statuses, notices, indicators' periods)
calls `long_date` and `short_time` here.
"""

import datetime as dt
import re

from django.utils import dateformat, formats, translation
from django.utils.functional import lazy
from django.utils.translation import gettext

# Each language's Django format, by what is asked for: "date" (day, month, year), "day"
# (day and month), "weekday" (the day of the week, then day and month).
FORMAT_NAMES = {"date": "DATE_FORMAT", "day": "MONTH_DAY_FORMAT", "weekday": "MONTH_DAY_FORMAT"}
# Where Django's own format is wrong for a date in a sentence: Ukrainian names the month in
# the genitive after a day (« 1 грудня »), which Django's "d F" (« 01 Грудень ») does not.
OVERRIDES = {("uk", "MONTH_DAY_FORMAT"): "j E"}
# The day of the month, where the format has it unescaped.
_DAY = re.compile(r"(?<!\\)j")


def date_format(parts: str, language: str, day: int) -> str:
    """The Django format string for `parts` in `language`, for a date on `day`."""
    kind = parts.split()[0]
    name = FORMAT_NAMES[kind]
    fmt = OVERRIDES.get((language, name)) or formats.get_format(name, lang=language)
    if kind == "weekday":
        fmt = "l " + fmt
    if language == "fr" and day == 1:
        fmt = _DAY.sub(r"1\\e\\r", fmt)
    return fmt


def current_language() -> str:
    return translation.get_language() or "fr"


def long_date(value: dt.date, parts: str = "date") -> str:
    """`value` in the active language; " time" after the parts adds the hour."""
    language = current_language()
    text = dateformat.format(value, date_format(parts, language, value.day))
    if "time" in parts.split() and isinstance(value, dt.datetime):
        return gettext("%(date)s à %(hour)s") % {"date": text, "hour": short_time(value)}
    return text


def short_time(value: dt.time | dt.datetime) -> str:
    """9 h, 17 h 30 in French; the active language's own way otherwise (9 a.m., 17:30)."""
    language = current_language()
    if language == "fr":
        return f"{value.hour} h {value.minute:02d}" if value.minute else f"{value.hour} h"
    return dateformat.time_format(value, formats.get_format("TIME_FORMAT", lang=language))


# The same, written only when shown (`str()`), in the language active then: for what is
# computed once and shown in two languages (a week table on a sheet and its French copy).
lazy_date = lazy(long_date, str)
lazy_time = lazy(short_time, str)
