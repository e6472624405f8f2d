"""Primary keys read from a request: anything but a plain key is no key, never a 500."""

import pytest

from services_directory.ids import MAX_PK, pk_or_none, pks


@pytest.mark.parametrize(
    "value, expected",
    [
        ("12", 12),
        (" 12 ", 12),
        (12, 12),
        ("0", None),
        ("-3", None),
        ("", None),
        (None, None),
        ("1e3", None),
        ("²", None),  # str.isdigit() says yes, int() says no
        ("٣", None),  # an Arabic-Indic digit
        (str(MAX_PK), MAX_PK),
        ("99999999999999999999999", None),  # past SQLite's and PostgreSQL's bigints
    ],
)
def test_a_key_is_a_plain_positive_number_that_fits(value, expected):
    assert pk_or_none(value) == expected


def test_keys_keep_their_order_and_the_limit():
    assert pks(["3", "x", "1", "99999999999999999999999", "2"], limit=2) == [3, 1]
