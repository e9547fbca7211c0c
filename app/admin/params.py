"""Reading ids and numbers from requests: ASCII digits that fit the database's integers.

str.isdigit() accepts "²" and "١", which int() then refuses, and PostgreSQL refuses
integers past 2**31 - 1: both would otherwise end as a server error.
"""

from __future__ import annotations

import re

MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_id(value: object) -> int | None:
    """A positive integer that fits a database id, or None."""
    if not isinstance(value, str) or not _DIGITS.fullmatch(value.strip()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values: list[str]) -> list[int]:
    """The valid ids among a list of submitted values."""
    return [n for n in (parse_id(v) for v in values) if n is not None]


def db_int(value: object) -> int:
    """WTForms coerce: an int within the database's range (0 meaning none), else ValueError."""
    number = int(value)
    if not 0 <= number <= MAX_ID:
        raise ValueError("out of range")
    return number
