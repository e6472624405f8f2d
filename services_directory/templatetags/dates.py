"""Dates as the page's language writes them: `{% load dates %}` (the rule itself is
`services_directory.dates`).

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

from django import template
from django.utils import timezone

from services_directory import dates
from services_directory.hours import compact_week

register = template.Library()


@register.filter(expects_localtime=True)
def long_date(value, parts: str = "date") -> str:
    if not isinstance(value, dt.date):
        return ""
    return dates.long_date(value, parts)


@register.simple_tag
def today() -> dt.date:
    return timezone.localdate()


@register.filter
def week_lines(week) -> list[str]:
    return compact_week(week) if week else []
