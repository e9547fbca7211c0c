"""Slugs: Unicode-aware, as WordPress's sanitize_title keeps non-Latin letters."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_DROP_RE = re.compile(r"[^\w\s-]", re.UNICODE)
_DASH_RE = re.compile(r"[-\s_]+", re.UNICODE)


def slugify(text: str, max_length: int = 200) -> str:
    """Lower-case words joined by hyphens; accents on Latin letters dropped, other scripts kept.

    "Ünïcode Café" -> "unicode-cafe", "Καλημέρα κόσμε" -> "καλημέρα-κόσμε".
    """
    normalized = unicodedata.normalize("NFKD", text or "")
    # Drop combining marks only where they sit on a Latin letter (é -> e), so that Greek,
    # Cyrillic or CJK words keep their own letters.
    out, prev_latin = [], False
    for ch in normalized:
        if unicodedata.combining(ch):
            if not prev_latin:
                out.append(ch)
            continue
        prev_latin = ch.isascii()
        out.append(ch)
    cleaned = unicodedata.normalize("NFC", "".join(out)).lower()
    cleaned = _DROP_RE.sub("", cleaned)
    slug = _DASH_RE.sub("-", cleaned).strip("-")
    return slug[:max_length].strip("-")


def unique_slug(base: str, taken: Callable[[str], bool], fallback: str = "post") -> str:
    """base, or base-2, base-3, ... : the first one for which taken(slug) is False."""
    slug = slugify(base) or fallback
    candidate, n = slug, 2
    while taken(candidate):
        candidate = f"{slug}-{n}"
        n += 1
    return candidate
