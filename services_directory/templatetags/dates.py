"""Dates as the page's language writes them: `{% load dates %}`, the one home of the rule.

`{{ day|long_date }}` gives « 1er décembre 2026 » in French (the first of a month is an
ordinal, « 1er », which Django's `date:"j F Y"` cannot write), « Dec. 1, 2026 » in
English, « 01 грудня 2026 р. » in Ukrainian: each language's own format (Django's locale
formats), so a sheet printed in Arabic or Turkish reads as its family expects.
`long_date:"day"` leaves the year out, `long_date:"weekday"` starts with the day of the
week, and " time" after either adds the hour: `long_date:"date time"`. `{% today as day %}`
gives today's date (in the portal's time zone) to format it so, and
`{{ service_place.week|week_lines }}` a week's opening hours in a few lines, in the
language being rendered (a sheet prints the family's language, then French).
"""

import datetime as dt
import re

from django import template
from django.utils import dateformat, formats, timezone, translation
from django.utils.translation import gettext

from services_directory.hours import compact_week

register = template.Library()

# Each language's Django format, by what is asked for.
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


@register.filter(expects_localtime=True)
def long_date(value, parts: str = "date") -> str:
    if not isinstance(value, dt.date):
        return ""
    language = translation.get_language() or "fr"
    text = dateformat.format(value, date_format(parts, language, value.day))
    if "time" in parts.split() and isinstance(value, dt.datetime):
        hour = dateformat.time_format(value, formats.get_format("TIME_FORMAT", lang=language))
        return gettext("%(date)s à %(hour)s") % {"date": text, "hour": hour}
    return text


@register.simple_tag
def today() -> dt.date:
    return timezone.localdate()


@register.filter
def week_lines(week) -> list[str]:
    return compact_week(week) if week else []
