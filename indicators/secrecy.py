"""Statistical secrecy, in one place: no figure about fewer than 5 people is shown.

Every table, chart and export goes through these functions before display:

- a count of people from 1 to 4 is replaced by « < 5 » (zero is shown: it reveals nobody);
- a rate or an average computed over fewer than 5 people is not shown either;
- when a table shows a total and exactly one of its cells is masked, the next smallest cell
  is masked too, otherwise the total minus the others would give the hidden figure away.

Counts that are not about people (pathways, page views, référents who are public
professional contacts) are never masked. docs/indicateurs.md explains the rule to users.
"""

from decimal import ROUND_HALF_UP, Decimal

THRESHOLD = 5


class Masked:
    """A hidden figure. Falsy, so that templates and charts can skip it."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return f"< {THRESHOLD}"

    def __repr__(self) -> str:
        return "MASKED"


MASKED = Masked()


def is_masked(value) -> bool:
    return value is MASKED


def mask_count(count: int | None):
    """A count of people, or MASKED when it could point at one of 1 to 4 people."""
    if count is None:
        return None
    return MASKED if 0 < count < THRESHOLD else count


def percent(numerator: int, denominator: int):
    """A share in percent with one decimal; None without data, MASKED under the threshold."""
    if not denominator:
        return None
    if denominator < THRESHOLD:
        return MASKED
    value = Decimal(100 * numerator) / Decimal(denominator)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def average(total, count: int, places: str = "0.01"):
    """A mean over `count` people; None without data, MASKED under the threshold."""
    if not count:
        return None
    if count < THRESHOLD:
        return MASKED
    return (Decimal(total) / Decimal(count)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def mask_cells(counts: list[int]) -> list:
    """Mask a line of counts that comes with its total (primary and secondary secrecy)."""
    masked = [mask_count(count) for count in counts]
    hidden = [i for i, value in enumerate(masked) if value is MASKED]
    if len(hidden) == 1:
        # The smallest other non-zero cell hides the first one from a subtraction.
        others = [(count, i) for i, count in enumerate(counts) if count and i not in hidden]
        if others:
            masked[min(others)[1]] = MASKED
    return masked
