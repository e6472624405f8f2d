import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.periods import Period, PeriodError

from .conftest import PARIS


@pytest.mark.parametrize(
    "code, start, end, label",
    [
        ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "année 2026"),
        ("2026-T1", dt.date(2026, 1, 1), dt.date(2026, 3, 31), "1er trimestre 2026"),
        ("2026-t4", dt.date(2026, 10, 1), dt.date(2026, 12, 31), "4e trimestre 2026"),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "février 2024"),
    ],
)
def test_it_reads_a_month_a_quarter_or_a_year(code, start, end, label):
    period = Period.parse(code)

    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize("code", ["", "2026-T5", "2026-00", "26", "2026-03-01", "<script>"])
def test_it_refuses_an_unknown_period_in_french(code):
    with pytest.raises(PeriodError, match="période connue|mois doit"):
        Period.parse(code)


def test_it_refuses_inverted_or_too_long_custom_periods():
    with pytest.raises(PeriodError, match="avant la date de début"):
        Period.custom(dt.date(2026, 5, 2), dt.date(2026, 5, 1))
    with pytest.raises(PeriodError, match="dix ans au plus"):
        Period.custom(dt.date(2001, 1, 1), dt.date(2026, 1, 1))


def test_it_compares_with_the_period_just_before():
    assert Period.parse("2026-01").previous() == Period.parse("2025-12")
    assert Period.parse("2026-T1").previous() == Period.parse("2025-T4")
    assert Period.custom(dt.date(2026, 3, 10), dt.date(2026, 3, 19)).previous() == Period.custom(
        dt.date(2026, 2, 28), dt.date(2026, 3, 9)
    )


def test_it_starts_and_ends_at_midnight_in_paris_even_across_summer_time():
    start, end = Period.parse("2026-03").bounds()

    assert start == dt.datetime(2026, 3, 1, tzinfo=PARIS)
    assert start.utcoffset() == dt.timedelta(hours=1)
    assert end == dt.datetime(2026, 4, 1, tzinfo=PARIS)
    assert end.utcoffset() == dt.timedelta(hours=2)


def test_it_charts_a_month_by_day_and_a_year_by_month():
    assert len(Period.parse("2026-02").buckets()) == 28
    assert Period.parse("2026").buckets()[3] == dt.date(2026, 4, 1)
    assert len(Period.custom(dt.date(2026, 1, 15), dt.date(2026, 6, 10)).buckets()) == 6


@given(st.text(max_size=30))
def test_it_never_fails_other_than_with_a_french_message(code):
    try:
        Period.parse(code)
    except PeriodError as error:
        assert str(error)
