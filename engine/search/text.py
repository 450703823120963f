"""Text helpers of the search: folding, cleaning, and the highlight markers snippets carry.

Highlighted words travel from the database (``ts_headline``) or from :func:`highlight` to the template as
plain text between two private-use characters, which indexed texts and queries never contain
(:func:`clean` removes them). The template escapes the whole text and only then turns the markers into
``<mark>`` (``engine_search.highlighted``), so no stored or typed text is ever trusted as HTML.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

START = "\ue000"
STOP = "\ue001"
MAX_TERMS = 10
_WORD = re.compile(r"\w+")
# Control characters (PostgreSQL refuses NUL in text) and the markers become spaces.
_UNWANTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f" + START + STOP + "]")


def clean(text: str) -> str:
    return _UNWANTED.sub(" ", text or "")


# The combining marks of Latin, Greek and Cyrillic letters once decomposed (accents, cedilla, tilde…).
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower case without accents: "Migración" → "migracion", "Kreyòl" → "kreyol"."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).lower()


def terms(query: str) -> list[str]:
    """The folded words of a query (at most ``MAX_TERMS``), for the fallback's ``icontains``."""
    return list(dict.fromkeys(_WORD.findall(fold(query))))[:MAX_TERMS]


def highlight(text: str, words: list[str], *, max_chars: int | None = None) -> str:
    """``text`` with every occurrence of a folded ``word`` between the markers, accents and case ignored.

    With ``max_chars``, a window of about that length around the first match (or the beginning).
    """
    folded_chars = [fold(char) for char in text]
    folded = "".join(folded_chars)
    # Where each character of ``text`` starts in ``folded`` (folding may change lengths, e.g. "ﬁ" → "fi").
    starts, position = [], 0
    for piece in folded_chars:
        starts.append(position)
        position += len(piece)
    spans: list[tuple[int, int]] = []
    if words:
        pattern = re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)))
        for match in pattern.finditer(folded):
            # The characters of ``text`` whose folded forms hold the match's first and last characters.
            first_char = bisect_right(starts, match.start()) - 1
            last_char = bisect_right(starts, match.end() - 1) - 1
            spans.append((first_char, last_char + 1))
    begin, end = 0, len(text)
    if max_chars and len(text) > max_chars:
        first = spans[0][0] if spans else 0
        begin = max(0, first - max_chars // 3)
        if begin:  # start and end on a word boundary
            begin = text.rfind(" ", 0, begin) + 1
        end = min(len(text), begin + max_chars)
        space = text.rfind(" ", begin, end)
        if end < len(text) and space > first:
            end = space
    pieces, cursor = [], begin
    for span_start, span_end in spans:
        if span_start < cursor or span_end > end:
            continue
        pieces += [text[cursor:span_start], START, text[span_start:span_end], STOP]
        cursor = span_end
    pieces.append(text[cursor:end])
    prefix = "… " if begin > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + "".join(pieces).strip() + suffix
