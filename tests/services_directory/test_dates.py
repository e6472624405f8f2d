"""`long_date`: a date as each language writes it, « 1er » for the first of a month in French."""

import datetime as dt
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import translation

FIRST = dt.date(2026, 12, 1)
SECOND = dt.date(2026, 12, 2)


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load dates %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "first", "second"),
    [
        ("fr", "1er décembre 2026", "2 décembre 2026"),
        ("en", "Dec. 1, 2026", "Dec. 2, 2026"),
        ("ar", "1 ديسمبر، 2026", "2 ديسمبر، 2026"),
        ("tr", "01 Aralık 2026", "02 Aralık 2026"),
        ("pt", "1 de Dezembro de 2026", "2 de Dezembro de 2026"),
        ("uk", "01 грудня 2026 р.", "02 грудня 2026 р."),
    ],
)
def test_each_language_writes_the_date_its_way(language, first, second):
    assert render("{{ day|long_date }}", language, day=FIRST) == first
    assert render("{{ day|long_date }}", language, day=SECOND) == second


def test_the_first_of_the_month_is_an_ordinal_in_french_only():
    assert render('{{ day|long_date:"day" }}', "fr", day=FIRST) == "1er décembre"
    assert render('{{ day|long_date:"day" }}', "fr", day=dt.date(2026, 12, 11)) == "11 décembre"
    assert render('{{ day|long_date:"day" }}', "fr", day=dt.date(2026, 12, 21)) == "21 décembre"
    assert render('{{ day|long_date:"weekday" }}', "fr", day=FIRST) == "mardi 1er décembre"
    assert render('{{ day|long_date:"day" }}', "en", day=FIRST) == "December 1"


def test_ukrainian_names_the_month_in_the_genitive_after_a_day():
    assert render('{{ day|long_date:"day" }}', "uk", day=FIRST) == "1 грудня"


def test_the_hour_is_local_and_joined_in_the_language(settings):
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    at = dt.datetime(2026, 12, 1, 8, 5, tzinfo=dt.UTC)  # 9:05 in Paris
    assert at.astimezone(paris).hour == 9
    assert render('{{ at|long_date:"date time" }}', "fr", at=at) == "1er décembre 2026 à 9 h 05"
    assert render('{{ at|long_date:"day time" }}', "fr", at=at) == "1er décembre à 9 h 05"
    assert render('{{ at|long_date:"date time" }}', "en", at=at) == "Dec. 1, 2026 at 9:05 a.m."


def test_nothing_for_no_date():
    assert render("{{ day|long_date }}", "fr", day=None) == ""
    assert render("{{ day|long_date }}", "fr", day="") == ""
