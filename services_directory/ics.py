"""iCalendar (RFC 5545) files for one event: a collective session or an itinerant stop.

Plain text, no dependency: times in Europe/Paris with its VTIMEZONE, text values escaped
(backslash, semicolon, comma, new lines), lines folded at 75 octets, CRLF endings, and a
UID that stays the same for the same event, so a second download updates the phone's
calendar entry instead of adding a copy.
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlparse

from django.conf import settings
from django.utils import timezone

# The rules France has used since 1996: last Sunday of March and of October.
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Paris",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def escape(text: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, new lines as \\n."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    # No other control character may appear in a TEXT value.
    return "".join(char for char in text if char == "\t" or ord(char) >= 32)


def fold(line: str) -> str:
    """Lines of at most 75 octets, continued with CRLF and a space, never inside a
    UTF-8 sequence."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current, size, limit = [], [], 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # the leading space counts
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _local(moment: dt.datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


@dataclass
class Event:
    uid: str
    begin: dt.datetime  # naive, Europe/Paris
    end: dt.datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""


def uid(name: str) -> str:
    """A stable unique id, in the portal's own domain."""
    host = urlparse(settings.SITE_ROOT).hostname or "passerelles.local"
    return f"{name}@{host}"


def calendar(event: Event) -> str:
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Passerelles//Annuaire//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *VTIMEZONE,
        "BEGIN:VEVENT",
        f"UID:{escape(event.uid)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;TZID=Europe/Paris:{_local(event.begin)}",
        f"DTEND;TZID=Europe/Paris:{_local(event.end)}",
        f"SUMMARY:{escape(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
