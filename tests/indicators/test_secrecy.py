"""Statistical secrecy: primary and secondary, attacked by tests/indicators/attack.py."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.secrecy import (
    MASKED,
    SECRET,
    Unprotectable,
    average,
    mask_count,
    percent,
    protect_breakdown,
    protect_grid,
    protect_line,
)

from .attack import System


def test_it_masks_one_to_four_people_but_not_zero():
    assert [mask_count(n) for n in (0, 1, 4, 5)] == [0, MASKED, MASKED, 5]


def test_it_hides_rates_and_averages_over_fewer_than_five_people():
    assert percent(2, 4) is SECRET
    assert percent(3, 6) == Decimal("50.0")
    assert percent(0, 0) is None
    assert average(12, 4) is SECRET
    assert average(17, 5) == Decimal("3.40")


def test_a_rate_is_hidden_when_a_count_it_is_made_of_is_hidden():
    assert percent(9, 13, 9, MASKED) is SECRET


def test_it_hides_a_second_cell_with_its_own_mark():
    line = protect_line([12, 3, 7, 0])

    assert line.parts == [12, MASKED, SECRET, 0]  # the smallest cell that closes the gap
    assert line.total == 22


def test_it_hides_the_total_when_no_cell_can_protect_the_small_one():
    # 1 + 5 = 6: hiding 5 as « 5 or more » would still pin it (and the 1); the total goes.
    line = protect_line([1, 5])

    assert line.parts == [MASKED, 5]
    assert line.total is SECRET


def test_four_small_cells_under_a_small_total_are_not_published():
    line = protect_line([1, 1, 1, 1])

    assert line.parts == [None] * 4 and line.total is MASKED


# --- the leaks found by the chargée de mission, as regression cases -------------------------


def _attack_line(line) -> list:
    system = System(ceiling=line.raw_total + 10)
    parts = [
        system.term(("part", i), value, raw)
        for i, (value, raw) in enumerate(zip(line.parts, line.raw_parts, strict=True))
    ]
    system.equation(parts, system.term(("total",), line.total, line.raw_total))
    return system.recoverable()


def test_a_commune_with_nine_without_rupture_and_four_ruptures_keeps_both_hidden():
    # Villeneuve-la-Guyard: 13 followed, 0 in progress. Before: « < 5 », « < 5 », 69,2 %.
    line = protect_line([9, 4, 0])  # without rupture, rupture, in progress

    assert line.parts == [SECRET, MASKED, 0]
    assert line.total == 13
    # The share without rupture would give 9 back (69.2 % of 13): it is hidden too.
    assert percent(9, 9 + 4, *line.parts[:2]) is SECRET
    assert _attack_line(line) == []


def test_a_commune_in_progress_cannot_be_worked_out_from_its_total():
    # Michery: 25 followed, 15 without rupture, 3 ruptures, 7 in progress (25 − 15 − 3).
    line = protect_line([15, 3, 7])

    assert line.parts[1] is MASKED
    assert line.parts[2] is SECRET  # not « < 5 »: it is 7
    assert percent(15, 15 + 3, *line.parts[:2]) is SECRET
    assert _attack_line(line) == []


def test_a_month_cannot_be_worked_out_from_the_year_and_the_other_months():
    # Passerelles: 62 in the year, August 4, the other months 58.
    months = [6, 5, 7, 5, 6, 5, 5, 4, 6, 5, 8, 0]
    assert (sum(months), sum(months) - months[7]) == (62, 58)

    published = protect_breakdown(months, 62, 62)

    assert published[7] is MASKED
    assert published.count(SECRET) == 1  # one other month, not the year
    line = protect_line(months, 62, total_fixed=None)
    assert line.parts == published
    assert _attack_line(line) == []


# --- property-based: generated tables, every hidden figure attacked -------------------------

small = st.integers(min_value=0, max_value=9)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(small, min_size=1, max_size=6))
def test_no_hidden_figure_of_a_line_can_be_recovered(parts):
    line = protect_line(parts)

    assert _attack_line(line) == []
    for value, raw in zip(line.parts, line.raw_parts, strict=True):
        assert value in (None, MASKED, SECRET, raw)
        assert value is not MASKED or 0 < raw < 5
        assert value is not SECRET or raw >= 5


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(min_value=1, max_value=3).flatmap(
        lambda width: st.lists(
            st.lists(small, min_size=width, max_size=width), min_size=1, max_size=3
        )
    ),
    st.booleans(),
)
def test_no_hidden_figure_of_a_breakdown_can_be_recovered(rows, publish_row_totals):
    """A card (the line: one total per column) and its breakdown (rows × columns, with or
    without row totals), published together as on an indicator's page."""
    columns = list(zip(*rows, strict=True))
    line = protect_line([sum(column) for column in columns])
    try:
        grid = protect_grid(rows, line, publish_row_totals=publish_row_totals)
    except Unprotectable:
        grid = None
    system = System(ceiling=line.raw_total + 10)
    parts = [
        system.term(("part", c), value, raw)
        for c, (value, raw) in enumerate(zip(line.parts, line.raw_parts, strict=True))
    ]
    total = system.term(("total",), line.total, line.raw_total)
    system.equation(parts, total)
    if grid is not None:
        cells = [
            [
                system.term(("cell", r, c), value, raw, unpublished=not grid.detailed[c])
                for c, (value, raw) in enumerate(zip(row, raw_row, strict=True))
            ]
            for r, (row, raw_row) in enumerate(zip(grid.cells, grid.raw_cells, strict=True))
        ]
        totals = [
            system.term(("row", r), value, raw, unpublished=not publish_row_totals)
            for r, (value, raw) in enumerate(
                zip(grid.row_totals, grid.raw_row_totals, strict=True)
            )
        ]
        for row, row_total in zip(cells, totals, strict=True):
            system.equation(row, row_total)
        for c, column in enumerate(zip(*cells, strict=True)):
            system.equation(list(column), parts[c])
        system.equation(totals, total)
        if publish_row_totals and not all(grid.detailed):
            # What the parts that are not detailed hold together, row by row, is a row
            # total minus shown cells: it must not give away a figure under 5 either.
            hidden = [c for c, shown in enumerate(grid.detailed) if not shown]
            for r, (status, raw_row) in enumerate(zip(grid.others, grid.raw_cells, strict=True)):
                together = sum(raw_row[c] for c in hidden)
                if status is not None:
                    name = system.term(("others", r), status, together)
                    system.equation([cells[r][c] for c in hidden], name)
                else:
                    system.equation([cells[r][c] for c in hidden], together)

    assert system.recoverable() == []


def test_the_attacker_finds_what_primary_secrecy_alone_gives_away(monkeypatch):
    # Without secondary secrecy, « < 5 » next to its total is a subtraction away.
    monkeypatch.setattr("indicators.secrecy.Net._cheapest_cover", lambda self, i, s: [])

    line = protect_line([12, 3, 7, 0])

    assert line.parts == [12, MASKED, 7, 0]
    assert _attack_line(line) == [("part", 1)]
