from decimal import Decimal

from indicators.secrecy import MASKED, average, mask_cells, mask_count, percent


def test_it_masks_one_to_four_people_but_not_zero():
    assert [mask_count(n) for n in (0, 1, 4, 5)] == [0, MASKED, MASKED, 5]


def test_it_hides_rates_and_averages_over_fewer_than_five_people():
    assert percent(2, 4) is MASKED
    assert percent(3, 6) == Decimal("50.0")
    assert percent(0, 0) is None
    assert average(12, 4) is MASKED
    assert average(17, 5) == Decimal("3.40")


def test_it_hides_a_second_cell_when_one_could_be_subtracted_from_the_total():
    assert mask_cells([12, 3, 7, 0]) == [12, MASKED, MASKED, 0]
    assert mask_cells([12, 3, 2]) == [12, MASKED, MASKED]
    assert mask_cells([12, 8]) == [12, 8]
