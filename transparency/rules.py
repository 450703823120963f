"""Rules the register's layers share, without the database: when a publication is next reviewed, and what in
its text looks like personal data (Law 20.285 art. 7 asks for no sensitive data in active transparency)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

# How many months each update frequency allows between two substantive updates (None: no fixed review).
FREQUENCY_MONTHS: dict[str, int | None] = {
    "monthly": 1,
    "quarterly": 3,
    "half_yearly": 6,
    "yearly": 12,
    "none": None,
}


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review(*, frequency: str, last_update: date | None) -> date | None:
    """The date by which a publication must be reviewed: its last substantive update plus its frequency."""
    months = FREQUENCY_MONTHS.get(frequency)
    if months is None or last_update is None:
        return None
    return add_months(last_update, months)


@dataclass(frozen=True)
class PersonalDataHit:
    kind: str  # "rut", "passport", "email", "phone"
    text: str  # what was found, as written


# A Chilean RUT/RUN: 7-8 digits (dots optional) and a check digit after a hyphen.
_RUT = re.compile(r"\b\d{1,2}\.?\d{3}\.?\d{3}-[\dkK]\b")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Chilean phones: +56 9 1234 5678, 9 8765 4321, 22 123 4567 (spaces, dots or hyphens between groups).
_PHONE = re.compile(
    r"(?<![\w.])(?:\+?56[\s.-]?)?(?:9[\s.-]?\d{4}[\s.-]?\d{4}|2{1,2}[\s.-]?\d{3}[\s.-]?\d{4})(?![\w])"
)
# A passport number named as such: "pasaporte N° AB123456", "passport: P1234567".
_PASSPORT = re.compile(
    r"\b(?:pasaporte|passport|paspò)\b[^\w\n]{0,12}(?:n[°º.o]*\s*)?([A-Z]{0,3}\d{6,9})", re.I
)
_TAGS = re.compile(r"<[^>]+>")


def personal_data(*texts: str) -> list[PersonalDataHit]:
    """What in ``texts`` looks like a RUT, a passport number, an email address or a phone number (each once)."""
    hits: dict[tuple[str, str], PersonalDataHit] = {}
    for raw in texts:
        text = _TAGS.sub(" ", raw or "")
        for kind, pattern in (("rut", _RUT), ("passport", _PASSPORT), ("email", _EMAIL), ("phone", _PHONE)):
            for match in pattern.finditer(text):
                found = match.group(0).strip()
                hits.setdefault((kind, found), PersonalDataHit(kind, found))
    return list(hits.values())


def midday(day: date | None) -> datetime | None:
    """Publications carry dates; feeds and the home page want moments: noon, the portal's time zone."""
    return timezone.make_aware(datetime.combine(day, time(12))) if day else None
