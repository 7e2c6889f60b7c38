"""The file number: the same on every form page and in every QR code, and, when the ministry's
list of invited files is given, one of them, issued to this applicant.

QR codes are decoded exactly; printed numbers are OCR readings, so a printed number only
disagrees when it is clearly another number (several characters apart), never for a digit OCR
misread.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from rapidfuzz.distance import Levenshtein

from extractors.check_inputs import CheckInputs
from extractors.people import name_score
from schemas.codes import FieldStatus, FlagCode
from schemas.extraction import PersonMention
from schemas.flags import Evidence, Flag
from schemas.people import Person
from schemas.registry import RegistryEntry, normalise_dossier

F = FlagCode
#: Edits between two readings of a printed number beyond which they are different numbers.
OCR_SLACK = 2
_DOSSIER = re.compile(r"PCH-?([0-9OIL]{4})-?([0-9OIL]{6})")
_DIGITS = str.maketrans("OIL", "011")


def _dossier(text: str | None) -> str | None:
    m = _DOSSIER.search(normalise_dossier(text or ""))
    return f"PCH-{m.group(1).translate(_DIGITS)}-{m.group(2).translate(_DIGITS)}" if m else None


def _readings(pk: CheckInputs) -> list[tuple[str, int, str]]:
    """(number, page, where) of every file number read: printed and in the QR code."""
    out = []
    for fp in pk.form_pages:
        qr = (fp.qr_text or "").split("|")
        for number, where in (
            (qr[1] if len(qr) > 1 else None, "QR code"),
            (fp.dossier_number, "printed"),
        ):
            clean = _dossier(number)
            if clean:
                out.append((clean, fp.page_no, where))
    return out


def _disagree(number: str, where: str, reference: str) -> bool:
    if where == "QR code":
        return number != reference
    return Levenshtein.distance(number, reference) > OCR_SLACK


def _reference(readings: list[tuple[str, int, str]]) -> tuple[str, bool]:
    """The packet's number (the QR codes' when any was decoded) and whether it is exact."""
    qr = Counter(n for n, _, w in readings if w == "QR code")
    return (qr or Counter(n for n, _, _ in readings)).most_common(1)[0][0], bool(qr)


def registry_entry(pk: CheckInputs) -> RegistryEntry | None:
    """The invited file this packet answers, when the list is given, the number read, and
    the file issued to this applicant (not to someone else: ``dossier_mismatch``)."""
    readings = _readings(pk)
    if pk.registry is None or not readings:
        return None
    number, exact = _reference(readings)
    entry = _find(pk, number, exact=exact)
    if entry is None or _issued_to_other(pk, entry) is not None:
        return None
    return entry


def _issued_to_other(pk: CheckInputs, entry: RegistryEntry) -> tuple[float, Person, int] | None:
    """(score, name, page) of the best name the packet shows, when the entry names someone
    else; None when it names the applicant or the packet shows no name."""
    named = PersonMention(family_name=entry.family_name, given_names=entry.given_names)
    shown = printed_names(pk) + _written_name(pk)
    if not shown:
        return None
    best = max(((name_score(named, p), p, n) for p, n in shown), key=lambda s: s[0])
    return best if best[0] < pk.threshold else None


def dossier_mismatches(pk: CheckInputs) -> Iterator[Flag]:
    readings = _readings(pk)
    if not readings:
        return
    reference, exact = _reference(readings)
    if any(_disagree(n, w, reference) for n, _, w in readings):
        yield pk.flag(
            F.DOSSIER_MISMATCH,
            "The file number differs between the form's pages or their QR codes.",
            *(
                Evidence(page=p, text_read=n, note=w, expected=reference)
                for n, p, w in readings[:6]
            ),
        )
    if pk.registry is not None:
        yield from _registered(pk, reference, exact=exact, page=readings[0][1])


def _find(pk: CheckInputs, number: str, *, exact: bool) -> RegistryEntry | None:
    """The registry entry of a number; an OCR-read number may be a character or two off."""
    assert pk.registry is not None
    entry = pk.registry.find(number)
    if entry is not None or exact:
        return entry
    near = [
        e
        for e in pk.registry.entries
        if Levenshtein.distance(normalise_dossier(e.dossier_number), number) <= OCR_SLACK
    ]
    return near[0] if len(near) == 1 else None


def _registered(pk: CheckInputs, number: str, *, exact: bool, page: int) -> Iterator[Flag]:
    entry = _find(pk, number, exact=exact)
    if entry is None:
        yield pk.flag(
            F.DOSSIER_MISMATCH,
            f"File number {number} is not in the list of invited files.",
            Evidence(page=page, text_read=number),
        )
        return
    other = _issued_to_other(pk, entry)
    if other is not None:
        score, person, at = other
        yield pk.flag(
            F.DOSSIER_MISMATCH,
            f"File number {number} was issued to someone else.",
            Evidence(
                page=at,
                text_read=person.display_name,
                expected=f"{entry.given_names} {entry.family_name}".strip(),
                note=f"registry name match {score:.0f}",
            ),
        )


def printed_names(pk: CheckInputs) -> list[tuple[Person, int]]:
    """The ministry's pre-printed name as read on each form page (``FAMILY, Given``)."""
    out = []
    for fp in pk.form_pages:
        if fp.preprinted_name:
            family, given = printed_parts(fp.preprinted_name)
            out.append((Person(id="principal", family_name=family, given_names=given), fp.page_no))
    return out


def printed_parts(name: str) -> tuple[str | None, str | None]:
    """FAMILY and Given of the typed header's ``FAMILY, Given``, without what OCR read before
    it: punctuation (``, NDJOCK, Boris``: a comma and nothing would be the family name) and a
    lone character (``ë NDJOCK``: a speck read as a letter would be a word of it)."""
    family, _, given = re.sub(r"^[\W_]+", "", name).partition(",")
    words = family.split()
    if len(words) > 1 and len(words[0]) == 1:
        words = words[1:]
    return " ".join(words) or None, given.strip() or None


def _written_name(pk: CheckInputs) -> list[tuple[Person, int | None]]:
    principal = pk.person("principal")
    fields = [pk.fields.get(n) for n in ("family_name", "given_names")]
    if principal is None or not all(f and f.status is FieldStatus.READ for f in fields):
        return []
    return [(principal, fields[0].page_no if fields[0] else None)]
