"""Chilean RUT (Rol Único Tributario): normalising and checking the check digit, without the database.

A RUT is a number and a check digit (0-9 or K) computed with modulo 11 over the number's digits weighted
2, 3, 4, 5, 6, 7, 2, 3… from the right. People write it as ``12.345.678-5``, ``12345678-5`` or
``123456785``; it is stored as ``12345678-5`` (no dots, a hyphen, an upper-case K)::

    >>> normalize("12.345.678-5")
    '12345678-5'
    >>> check_digit("12345678")
    '5'
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SHAPE = re.compile(r"^0*(\d{1,8})-?([\dK])$")


def check_digit(number: str) -> str:
    """The check digit of a RUT's number (digits only)."""
    total = 0
    for position, digit in enumerate(reversed(number)):
        total += int(digit) * (2 + position % 6)
    remainder = 11 - total % 11
    return {11: "0", 10: "K"}.get(remainder, str(remainder))


def normalize(value: str) -> str:
    """``12.345.678-k`` -> ``12345678-K``; anything that does not look like a RUT comes back cleaned only."""
    cleaned = re.sub(r"[\s.]", "", value or "").upper()
    match = _SHAPE.match(cleaned)
    if not match:
        return cleaned
    number, digit = match.groups()
    return f"{int(number)}-{digit}"


def is_valid(value: str) -> bool:
    match = _SHAPE.match(normalize(value))
    if not match:
        return False
    number, digit = match.groups()
    return int(number) > 0 and check_digit(number) == digit


def validate_rut(value: str) -> None:
    """A form and model validator with messages that say what to fix."""
    if not value:
        return
    if not _SHAPE.match(normalize(value)):
        raise ValidationError(
            _("Escriba el RUT con su dígito verificador, por ejemplo 65.123.456-7."), code="rut_shape"
        )
    if not is_valid(value):
        raise ValidationError(
            _("El dígito verificador no corresponde a este RUT. Revise el número."), code="rut_check_digit"
        )
