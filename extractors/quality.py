"""Legibility, completeness and blankness of a cleaned page."""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

_VOWELS = set("aeiouyàâäéèêëîïôöùûüÿæœAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸÆŒ")
_LETTERS = re.compile(r"^[^\W\d_]+(?:[-'’][^\W\d_]+)*$")
_NUMBER = re.compile(r"^\d+(?:[-/.,:]\d+)*$")
_CONSONANT_RUN = re.compile(r"[^\W\d_aeiouyàâäéèêëîïôöùûüÿæœ]{5,}", re.IGNORECASE)
_EDGE_PUNCT = "\"'«»“”‘’()[]{}<>.,;:!?*"


def is_real_word(token: str) -> bool:
    """Whether an OCR or text-layer token looks like a French or English word or a number.

    Without a dictionary: letters only (hyphens and apostrophes inside), a vowel in words of
    three letters or more, no run of five consonants, no lower-to-upper case switch inside
    ("tHe" is OCR noise); or a number, a date or a code made of digits.
    """
    core = token.strip(_EDGE_PUNCT)
    if len(core) < 2:
        return False
    if _NUMBER.match(core):
        return True
    if not _LETTERS.match(core):
        return False
    if len(core) >= 3 and not _VOWELS.intersection(core):
        return False
    if _CONSONANT_RUN.search(core):
        return False
    return not re.search(r"[a-zà-ÿ][A-ZÀ-Ý]", core)


def real_word_count(text: str) -> int:
    """Number of whitespace-separated tokens of ``text`` that look like real words."""
    return sum(is_real_word(t) for t in text.split())
