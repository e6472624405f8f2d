import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from services_directory import hours

WEEKDAYS = "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off"


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_it_says_open_and_when_it_closes():
    status = hours.live_status(WEEKDAYS, at("2026-11-24 10:30"))  # a Tuesday
    assert status.is_open
    assert str(status) == "Ouvert · ferme à 12 h"


def test_it_says_closed_and_when_it_reopens_the_same_day():
    assert str(hours.live_status(WEEKDAYS, at("2026-11-24 12:30"))) == "Fermé · ouvre à 14 h"


def test_it_names_tomorrow():
    assert str(hours.live_status(WEEKDAYS, at("2026-11-24 18:00"))) == "Fermé · ouvre demain à 9 h"


def test_it_names_the_weekday_after_a_weekend():
    # Saturday afternoon: next opening is Monday morning.
    assert str(hours.live_status(WEEKDAYS, at("2026-11-28 15:00"))) == "Fermé · ouvre lundi à 9 h"


def test_it_is_closed_on_a_public_holiday_and_says_which():
    # 14 July 2026 is a Tuesday and a public holiday.
    status = hours.live_status(WEEKDAYS, at("2026-07-14 10:00"))
    assert not status.is_open
    assert str(status) == "Fermé (jour férié : Fête nationale) · ouvre demain à 9 h"


def test_minutes_are_written_the_french_way():
    status = hours.live_status("Mo-Fr 08:30-17:45", at("2026-11-24 09:00"))
    assert str(status) == "Ouvert · ferme à 17 h 45"


def test_a_far_opening_gives_the_date():
    status = hours.live_status("Dec 15 09:00-12:00", at("2026-11-24 09:00"))
    assert str(status) == "Fermé · ouvre le 15 décembre à 9 h"


def test_24_7_is_open_all_the_time():
    assert str(hours.live_status("24/7", at("2026-11-24 03:00"))) == "Ouvert · 24 h/24"


def test_typical_week_skips_weeks_with_a_public_holiday():
    # The week of 14 July has a holiday on Tuesday; the typical week still has Tuesday hours.
    week = hours.typical_week(WEEKDAYS, dt.date(2026, 7, 13))
    assert week[1] == [(dt.time(9), dt.time(12)), (dt.time(14), dt.time(17))]
    assert week[5] == [(dt.time(9), dt.time(12))]
    assert week[6] == []


@pytest.mark.parametrize("expression", ["Mo-Fr 9h-12h", "lundi 9:00", "Mo-Fr 25:00-26:00x"])
def test_invalid_expressions_get_a_french_message(expression):
    with pytest.raises(ValidationError) as error:
        hours.validate(expression)
    assert "syntaxe OpenStreetMap" in error.value.messages[0]


def test_public_holiday_closing_is_detected():
    assert hours.closed_on_public_holidays(WEEKDAYS)
    assert not hours.closed_on_public_holidays("Mo-Fr 09:00-17:00")
