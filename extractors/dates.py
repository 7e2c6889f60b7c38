"""Dates written on documents, in French or English, as OCR read them.

Formats: ``12 avril 1988``, ``1er mai 1990``, ``April 12, 1988``, ``12 April 1988``,
``12/04/1988`` (day first, as in Canada and France; month first only when the second number
cannot be a month, as in ``04/25/1988``), ``1988-04-12``, ``12.04.1988``, ``12 AVR 1988`` and
the bilingual passport style ``12 APR/AVR 1988``. OCR confusions inside numbers (``O``/``o`` for 0,
``l``/``I``/``|`` for 1) are undone before matching; matched text is returned as it was read.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata

log = logging.getLogger(__name__)

#: Years accepted: anything else is more likely a number that is not a year.
MIN_YEAR, MAX_YEAR = 1900, 2100

_MONTHS: dict[str, int] = {
    # French (accents folded), with the abbreviations seen on passports and certificates.
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "octobre": 10,
    "novembre": 11, "decembre": 12,
    # English.
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}

# OCR reads 0 as O and 1 as l, I or | inside digit runs; only undone where a digit is adjacent,
# so words such as "Il" or "avril" are left alone.
_DIGIT_LOOKALIKE = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})
_NUMBERISH = re.compile(r"[0-9OoIl|]*[0-9][0-9OoIl|]*")

_MONTH = r"(?P<mon>[a-z]{3,9}\.?(?:\s?/\s?[a-z]{3,9}\.?)?)"
_DAY = r"(?P<day>[0-3]?\d|[1li]er)(?:er|re|st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"(?<!\d)(?P<year>\d{4})([-/.])(?P<mon>\d{1,2})\2(?P<day>\d{1,2})(?!\d)")),
    ("dmy", re.compile(r"(?<!\d)(?P<a>\d{1,2})([-/. ])(?P<b>\d{1,2})\2" + _YEAR + r"(?!\d)")),
    ("d_mon_y", re.compile(r"(?<![\w])" + _DAY + r"[\s.\-]{0,2}" + _MONTH + r"[\s,.\-]{0,3}"
                           + _YEAR + r"(?!\d)")),
    ("mon_d_y", re.compile(r"(?<![\w])" + _MONTH + r"\s{0,2}" + _DAY + r",?\s{0,2}" + _YEAR
                           + r"(?!\d)")),
    # Two-digit years only in the bilingual passport style, where nothing else looks like it.
    ("d_mon_yy", re.compile(r"(?<![\w])" + _DAY + r"\s{0,2}(?P<mon>[a-z]{3,4}\s?/\s?[a-z]{3,4})"
                            r"\s{0,2}(?P<yy>\d{2})(?!\d)")),
)


def _fold_char(ch: str) -> str:
    """Drop accents from one character without changing the text's length."""
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return base if len(base) == 1 else ch


def _normalise(text: str) -> str:
    """Same length as ``text``: accents folded, lower case, digit look-alikes made digits."""
    folded = "".join(_fold_char(c) for c in text)
    fixed = _NUMBERISH.sub(lambda m: m.group(0).translate(_DIGIT_LOOKALIKE), folded)
    return fixed.lower()


def _month(token: str) -> int | None:
    """Month of ``avr``, ``April``, ``apr/avr`` (either half of a bilingual pair may be read)."""
    for part in token.replace(".", "").split("/"):
        month = _MONTHS.get(part.strip())
        if month is not None:
            return month
    return None


def _make(year: int, month: int, day: int) -> dt.date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _day(token: str) -> int:
    return 1 if token.endswith("er") else int(token)


def _from_match(kind: str, m: re.Match[str]) -> dt.date | None:
    if kind == "iso":
        return _make(int(m["year"]), int(m["mon"]), int(m["day"]))
    if kind == "dmy":
        a, b = int(m["a"]), int(m["b"])
        # Day first (Canadian and French usage) unless that reading is impossible.
        day, month = (b, a) if b > 12 >= a else (a, b)
        return _make(int(m["year"]), month, day)
    month = _month(m["mon"])
    if month is None:
        return None
    year = _century(int(m["yy"])) if kind == "d_mon_yy" else int(m["year"])
    return _make(year, month, _day(m["day"]))


def _century(yy: int) -> int:
    """A two-digit year of a date already past (birth, issue): never in the future."""
    this_year = dt.date.today().year
    return 2000 + yy if 2000 + yy <= this_year else 1900 + yy


def find_dates(text: str) -> list[tuple[dt.date, str]]:
    """Every date in ``text``, in reading order, with the text it was read from.

    Args:
        text: Any OCR text; several lines are fine.

    Returns:
        ``(date, matched text)`` pairs; overlapping readings keep the earliest, longest one.
    """
    norm = _normalise(text)
    found: list[tuple[int, int, dt.date]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(norm):
            day = _from_match(kind, m)
            if day is not None:
                found.append((m.start(), m.end(), day))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[tuple[dt.date, str]] = []
    last_end = -1
    for start, end, day in found:
        if start >= last_end:
            out.append((day, text[start:end].strip()))
            last_end = end
    return out


def parse_date(text: str) -> dt.date | None:
    """The first date written in ``text``, or None when there is none."""
    dates = find_dates(text)
    return dates[0][0] if dates else None
