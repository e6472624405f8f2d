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


def test_the_window_gives_each_weekday_its_own_date_public_holidays_included():
    # From Monday 13 July 2026: Tuesday is the 14th (a public holiday), closed.
    week = hours.window(WEEKDAYS, start=dt.date(2026, 7, 13))
    assert week[0] == [(dt.time(9), dt.time(12)), (dt.time(14), dt.time(17))]
    assert week[1] == []
    assert week[5] == [(dt.time(9), dt.time(12))]
    assert week[6] == []


@pytest.mark.parametrize(
    ("expression", "column", "excerpt"),
    [
        ("Mo-Fr 9h-12h", 7, "9h-12h"),
        ("lundi 9:00", 1, "lundi 9:00"),
        ("Mo-Fr 09:00-12:00 ; Sq 10:00-12:00", 21, "Sq 10:00-12:00"),
    ],
)
def test_invalid_expressions_get_a_french_message_with_the_position(expression, column, excerpt):
    with pytest.raises(ValidationError) as error:
        hours.validate(expression)
    message = error.value.messages[0]
    assert message.startswith(f"Horaires illisibles à partir du caractère {column} (« {excerpt}")
    assert "Exemple : « Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off »" in message
    assert "expected" not in message and "-->" not in message  # no English parser text


def test_french_day_names_and_hours_get_a_hint():
    message = hours.check("Lu-Ve 9h-12h").error
    assert "Les jours s'écrivent en anglais abrégé : Mo lundi" in message
    assert "Les heures s'écrivent sur 4 chiffres : 09:00, pas 9h." in message


def test_sh_must_start_its_rule():
    assert "Écrivez « SH » (vacances scolaires) au début" in hours.check("Mo-Fr SH 09:00").error


# --- a later rule that replaces an earlier one for the same day -------------------------------


def test_a_later_rule_that_replaces_a_day_is_warned_with_a_fix():
    check = hours.check("Mo-Fr 09:00-12:00; We 14:00-17:00", dt.date(2026, 11, 24))
    assert check.is_valid
    [warning] = check.warnings
    assert "La règle « We 14:00-17:00 » remplace les horaires donnés avant pour le mercredi" in (
        warning
    )
    assert "de 9 h à 12 h ne s'affiche plus" in warning
    assert "écrivez : « Mo-Fr 09:00-12:00; We 09:00-12:00,14:00-17:00 »" in warning


@pytest.mark.parametrize(
    "expression",
    [
        "Mo-Fr 09:00-12:00; We 09:00-12:00,14:00-17:00",
        "Mo-Fr 09:00-12:00, We 14:00-17:00",
        "Mo-Fr 09:00-12:00; PH off",
        "Mo-Fr 09:00-12:00; SH off",
        "Mo-Fr 09:00-12:00; Dec 25 off",
        "Mo,Tu 09:00-12:00; We 14:00-17:00",
    ],
)
def test_rules_that_add_or_close_are_not_warned(expression):
    assert hours.check(expression, dt.date(2026, 11, 24)).warnings == []


# --- monthly rules and school holidays ---------------------------------------------------------


def test_a_monthly_rule_is_said_in_plain_french_on_its_day():
    rows = hours.week_rows("Tu 09:00-12:00; Sa[1] 09:00-12:00", start=dt.date(2026, 12, 1))
    saturday = rows[4]
    assert saturday.label == "samedi 5 décembre"
    assert saturday.ranges == [("9 h", "12 h")]
    assert saturday.notes == ["le 1er samedi du mois, de 9 h à 12 h"]
    rows = hours.week_rows("Tu 09:00-12:00; Sa[1] 09:00-12:00", start=dt.date(2026, 12, 8))
    other_saturday = rows[4]
    assert other_saturday.label == "samedi 12 décembre"
    assert other_saturday.ranges == []
    assert other_saturday.notes == ["le 1er samedi du mois, de 9 h à 12 h"]
    assert rows[0].notes == []  # Tuesday is a plain weekly rule


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("Mo-Fr 09:00-12:00,14:00-17:00", "du lundi au vendredi, de 9 h à 12 h et de 14 h à 17 h"),
        ("Mo,Tu,Th 13:30-17:30", "le lundi, le mardi et le jeudi, de 13 h 30 à 17 h 30"),
        ("Tu[2,4] 09:00-12:00", "les 2e et 4e mardis du mois, de 9 h à 12 h"),
        ("Fr[-1] 14:00-16:00", "le dernier vendredi du mois, de 14 h à 16 h"),
        (
            "SH Mo-Fr 07:30-18:30",
            "pendant les vacances scolaires, du lundi au vendredi, de 7 h 30 à 18 h 30",
        ),
        ("PH off", "les jours fériés : fermé"),
    ],
)
def test_rules_are_described_in_plain_french(rule, text):
    assert hours.describe_rule(rule).text == text


HOLIDAYS_ONLY = "SH Mo-Fr 07:30-18:30; PH off"


def test_a_school_holiday_service_is_closed_on_a_school_day_until_the_holidays():
    # Tuesday 1 December 2026, zone A: the Christmas holidays start on Saturday 19.
    status = hours.live_status(HOLIDAYS_ONLY, at("2026-12-01 10:00"))
    assert not status.is_open
    assert str(status) == "Fermé · ouvre le 21 décembre à 7 h 30"
    assert "demain" not in str(status)


def test_a_school_holiday_service_is_open_in_the_holidays():
    status = hours.live_status(HOLIDAYS_ONLY, at("2026-12-22 10:00"))
    assert str(status) == "Ouvert · ferme à 18 h 30"
    # Christmas Day is a public holiday, in the holidays all the same.
    assert not hours.live_status(HOLIDAYS_ONLY, at("2026-12-25 10:00")).is_open


def test_school_holidays_follow_the_zone(settings):
    # Winter 2027: zone A from 13 February, zone C from 6 February.
    day = dt.date(2027, 2, 8)
    assert hours.school_holiday_at(day) is None
    settings.SCHOOL_HOLIDAYS_ZONE = "C"
    assert hours.school_holiday_at(day)[2] == "Vacances d'hiver"


def test_christmas_holidays_are_one_range_across_the_new_year():
    first, last, name = hours.next_school_holidays(dt.date(2026, 12, 1))
    assert (first, last, name) == (dt.date(2026, 12, 19), dt.date(2027, 1, 3), "Vacances de Noël")


# --- dated notices ---------------------------------------------------------------------------

CRECHE = "Mo-Fr 07:00-19:00; PH off"
WORKS = hours.Period(dt.date(2026, 11, 28), dt.date(2026, 12, 12), closed=True, reason="travaux")


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-11-27 10:00", "Ouvert · ferme à 19 h"),
        (
            "2026-11-30 10:00",
            "Fermé temporairement jusqu'au 12 décembre — travaux · rouvre le 14 décembre à 7 h",
        ),
        (
            "2026-12-11 18:00",
            "Fermé temporairement jusqu'au 12 décembre — travaux · rouvre lundi à 7 h",
        ),
        ("2026-12-14 10:00", "Ouvert · ferme à 19 h"),
    ],
)
def test_a_closure_closes_from_its_first_to_its_last_day(moment, expected):
    assert str(hours.live_status(CRECHE, at(moment), [WORKS])) == expected


def test_the_day_before_a_closure_says_when_it_reopens_after_it():
    # Friday 27 November at 19 h: next opening is after the closure, not Monday.
    status = hours.live_status(CRECHE, at("2026-11-27 19:30"), [WORKS])
    assert str(status) == "Fermé · ouvre le 14 décembre à 7 h"


def test_a_closure_shows_in_the_week_rows():
    rows = hours.week_rows(CRECHE, [WORKS], start=dt.date(2026, 12, 10))
    assert [row.closed_reason for row in rows[:3]] == ["fermeture temporaire : travaux"] * 3
    assert rows[3].closed_reason == ""  # Sunday 13: closed anyway, not by the notice
    assert rows[4].label == "lundi 14 décembre"
    assert rows[4].ranges == [("7 h", "19 h")]


CHANGED = hours.Period(
    dt.date(2026, 11, 30), dt.date(2026, 12, 4), closed=False, expression="Mo-Fr 13:30-17:00"
)


def test_changed_hours_apply_from_their_first_to_their_last_day():
    assert str(hours.live_status(CRECHE, at("2026-11-27 10:00"), [CHANGED])) == (
        "Ouvert · ferme à 19 h"
    )
    status = hours.live_status(CRECHE, at("2026-11-30 10:00"), [CHANGED])
    assert str(status) == "Fermé · ouvre à 13 h 30 (horaires modifiés jusqu'au 4 décembre)"
    rows = hours.week_rows(CRECHE, [CHANGED], start=dt.date(2026, 12, 4))
    assert rows[0].ranges == [("13 h 30", "17 h")]
    assert rows[0].changed == "horaires modifiés"
    assert rows[3].ranges == [("7 h", "19 h")]  # Monday 7: the usual hours again
    assert rows[3].changed == ""


def test_a_public_holiday_row_says_which():
    rows = hours.week_rows(CRECHE, start=dt.date(2026, 12, 24))
    assert rows[1].label == "vendredi 25 décembre"
    assert rows[1].ranges == []
    assert rows[1].closed_reason == "jour férié : Noël"


def test_public_holiday_closing_is_detected():
    assert hours.closed_on_public_holidays(WEEKDAYS)
    assert not hours.closed_on_public_holidays("Mo-Fr 09:00-17:00")
