"""What a telephone number must look like wherever one is typed: the one rule.

Written as people write them ("03 53 73 10 25", "+33 3 53 73 10 25", "3919", "116 006"):
spaces, dots, dashes, brackets and a leading + are fine; the digits count, between 3 (a
short national number such as 3919 or 119) and 15 (the international maximum, E.164).
Anything else would become a "tel:" link that rings nobody.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ALLOWED = re.compile(r"^\+?[\d\s.\-()/]+$")


def validate_phone(value: str) -> None:
    value = (value or "").strip()
    if not value:
        return
    digits = sum(ch.isascii() and ch.isdigit() for ch in value)
    if not _ALLOWED.match(value) or not 3 <= digits <= 15:
        raise ValidationError(
            _("Ce numéro de téléphone n'est pas valide, par exemple 03 86 12 34 56."),
            code="phone",
        )
