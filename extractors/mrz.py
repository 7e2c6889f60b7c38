"""Machine-readable zones (ICAO 9303): find them among OCR lines, parse them, verify them.

Two formats are read: TD3 (passport data page, 2 lines of 44) and TD1 (identity card, 3 lines
of 30). Every check digit is verified and each failure is named in ``failed_checks``, so a
reviewer sees which field disagrees. OCR noise is undone only where the format leaves no doubt:
spaces dropped, ``«`` read for fillers, letters read for digits in numeric fields and digits read
for letters in names and country codes. The document number is alphanumeric, so it is never
"corrected": a misread there fails its check digit, as it should. A check that fails on a
character no check digit can be (a letter, a filler after a field that is not empty) is also
named in ``unread_checks``: OCR misread the zone there, which proves nothing about the paper.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator, Sequence

import numpy as np

from extractors.ocr import read_line
from schemas.base import PixelBox
from schemas.extraction import MrzRead
from schemas.ocr import OcrWord, PageOcr

log = logging.getLogger(__name__)

TD3_LEN, TD1_LEN = 44, 30

_WEIGHTS = (7, 3, 1)
# T for 7: OCR-B's 7 has a short bar that Tesseract, with no OCR-B model, reads as a T.
_TO_DIGIT = str.maketrans("OQDUILZSBGT", "00001125867")
_TO_ALPHA = str.maketrans("01258", "OIZSB")
# Glyphs OCR gives for the filler '<': the guillemet usually stands for two of them.
_FILLER_LOOKALIKES = str.maketrans({"‹": "<", "＜": "<", "〈": "<", "≤": "<", "(": "<"})
_NOT_MRZ = re.compile(r"[^A-Z0-9<]")


def check_digit(field: str) -> str:
    """ICAO 9303 check digit: weights 7, 3, 1; digits as such, A=10 … Z=35, filler 0."""
    total = 0
    for i, ch in enumerate(field):
        if ch.isdigit():
            value = int(ch)
        elif "A" <= ch <= "Z":
            value = ord(ch) - ord("A") + 10
        else:
            value = 0
        total += value * _WEIGHTS[i % 3]
    return str(total % 10)


def _verifies(field: str, digit: str) -> bool:
    # An optional field left empty may carry a filler instead of 0 as its check digit.
    if digit == "<":
        return set(field) <= {"<"}
    return check_digit(field) == digit


def _clean(line: str) -> str:
    """One OCR line in the zone's alphabet: capitals, digits and fillers."""
    # A lower-case l in a zone of capitals is an I (a 1 in numeric fields, mended there).
    text = line.replace("l", "I").upper().translate(_FILLER_LOOKALIKES)
    text = _NOT_MRZ.sub("", re.sub(r"\s+", "", text).replace("«", "<<"))
    if text[1:3] == "<<" and text[:1].isalpha():
        # Document code then issuer: "P<UTO"; a guillemet there stood for a single filler.
        text = text[0] + text[2:]
    return text


def _fit(line: str, length: int) -> str:
    """Clean one OCR line and bring it to ``length``.

    OCR miscounts fillers far more than anything else (a run of ``<`` is read one short or as
    ``«``), so a wrong length is mended in the longest run of fillers, which keeps the fixed
    positions of the fields that follow it.
    """
    text = _clean(line)
    runs = list(re.finditer(r"<+", text))
    if len(text) == length or not runs:
        return text[:length].ljust(length, "<")
    run = max(runs, key=lambda m: (len(m.group(0)), m.start()))
    size = max(1, len(run.group(0)) + length - len(text))
    text = text[: run.start()] + "<" * size + text[run.end() :]
    return text[:length].ljust(length, "<")


def _fits(line: str, length: int) -> list[str]:
    """Readings of a line one character too long or too short: the filler-run fit first, then
    each single character dropped (OCR saw one too many) or filler added. The check digits
    choose among them; a line of the right length is never second-guessed, so a zone that was
    really altered still fails."""
    text, first = _clean(line), _fit(line, length)
    if len(text) == length + 1:
        return [first] + [text[:i] + text[i + 1 :] for i in range(len(text))]
    if len(text) == length - 1:
        return [first] + [text[:i] + "<" + text[i:] for i in range(len(text) + 1)]
    return [first]


#: Letters OCR reads for digits.
_LETTER_FOR_DIGIT = {"S": "5", "O": "0", "I": "1", "B": "8", "Z": "2", "G": "6", "D": "0",
                     "Q": "0"}  # fmt: skip


def _confusions(line: str, start: int, end: int) -> Iterator[str]:
    """The line with one letter of ``start:end`` that sits between two digits read as the
    digit it resembles ("9S6" → "956"); the number's last one sits before its check digit.
    Used only when the document number fails its check, and kept only if every check then
    holds; a letter among letters, or a digit, is never changed, so a number really altered
    still fails."""
    for i in range(start + 1, min(end, len(line) - 1)):
        digit = _LETTER_FOR_DIGIT.get(line[i])
        if digit and line[i - 1].isdigit() and line[i + 1].isdigit():
            yield line[:i] + digit + line[i + 1 :]


#: What OCR gives for a run of OCR-B fillers ``<`` (Tesseract has no OCR-B model).
_FILLER_MISREADS = frozenset("<KXLCERS")


def _blank_span(line: str, start: int, end: int) -> Iterator[str]:
    """The line with ``start:end`` all fillers, where everything read there could be fillers
    misread (``<KK<KEKK``), and is not already. Optional data is most often empty; its check
    digit and the composite one say whether it was. Kept only if every check then holds."""
    span = line[start:end]
    if set(span) <= _FILLER_MISREADS and set(span) != {"<"}:
        yield line[:start] + "<" * (end - start) + line[end:]


def _letter_o(line: str, start: int, end: int) -> Iterator[str]:
    """The line with one ``O`` of ``start:end`` read as ``0``, or one ``0`` as ``O``: the two
    are one glyph in many prints. Kept only if every check then holds (the document number's
    and the composite), so a number really altered still fails."""
    for i in range(start, end):
        swap = {"O": "0", "0": "O"}.get(line[i])
        if swap:
            yield line[:i] + swap + line[i + 1 :]


def _number_misreads(line: str, start: int, end: int) -> Iterator[str]:
    """The line as it is, then with one misreading in the document number ``start:end``
    undone (``_confusions``, ``_letter_o``)."""
    yield line
    yield from _confusions(line, start, end)
    yield from _letter_o(line, start, end)


def _digits(line: str, spans: Sequence[tuple[int, int]]) -> str:
    """Letters read for digits inside the purely numeric spans of a line."""
    chars = list(line)
    for start, end in spans:
        chars[start:end] = line[start:end].translate(_TO_DIGIT)
    return "".join(chars)


def _alpha(text: str) -> str:
    return text.translate(_TO_ALPHA)


def _names(field: str) -> tuple[str, str]:
    """Family and given names of the name field.

    The names end where only fillers remain; OCR often reads fillers there as K, X, L or C,
    so a tail of those that starts with a filler is dropped whole. A tail with E and R in it
    too goes only when it holds two K or X at least (a run of misread fillers, not a given
    name such as ELLE).
    """
    field = _alpha(field)
    tail = re.search(r"<[<KXLC]*$", field)
    longer = re.search(r"<[<KXLCER]*$", field)
    if longer is not None and sum(c in "KX" for c in longer.group(0)) >= 2:
        tail = longer
    if tail is not None:
        field = field[: tail.start()]
    family, _, given = field.partition("<<")
    return _spaced(family), _spaced(given)


def _spaced(part: str) -> str:
    return " ".join(part.replace("<", " ").split())


def _birth_date(yymmdd: str) -> dt.date | None:
    """YYMMDD of a birth date: the century that does not put it in the future."""
    if not yymmdd.isdigit():
        return None
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    year = 2000 + yy if 2000 + yy <= dt.date.today().year else 1900 + yy
    try:
        return dt.date(year, mm, dd)
    except ValueError:
        return None


def _failed(checks: Sequence[tuple[str, str, str]]) -> tuple[str, ...]:
    return tuple(name for name, field, digit in checks if not _verifies(field, digit))


def _unread(checks: Sequence[tuple[str, str, str]]) -> tuple[str, ...]:
    """Checks that fail on a character no check digit can be: a letter, or a filler after a
    field that is not empty. Printed zones carry digits there; a letter or a filler in their
    place is OCR's (the fillers ``<`` around it read as ``K``, a line read a character short).
    """
    return tuple(name for name, field, digit in checks
                 if not _verifies(field, digit) and not digit.isdigit())


def _sex(ch: str) -> str | None:
    return ch if ch in "MFX" else None


def parse_td3(lines: Sequence[str]) -> MrzRead:
    """Parse and verify a passport MRZ (2 lines of 44 characters).

    Raises:
        ValueError: not two lines.
    """
    if len(lines) != 2:
        raise ValueError(f"TD3 has 2 lines, got {len(lines)}")
    l1 = _fit(lines[0], TD3_LEN)
    reads = [_td3(l1, l2) for l2 in _fits(lines[1], TD3_LEN)]
    best = min(reads, key=lambda r: len(r.failed_checks))
    if best.checks_ok:
        return best
    line2 = best.lines[1]
    # The personal number (optional) is most often empty: blanked, then as read.
    mended = (
        _td3(l1, v)
        for blanked in (*_blank_span(line2, 28, 43), line2)
        for v in _number_misreads(blanked, 0, 9)
    )  # fmt: skip
    return next((r for r in mended if r.checks_ok), best)


def _issuer_realigned(l1: str, nationality: str) -> str:
    """Line 1 with the issuing state put back in its place when the holder's nationality
    stands one place late there (``PSKHTIDORVIL`` for ``P<HTIDORVIL``: a filler read as two
    letters) or early (``PHTIJEAN`` for ``P<HTIJEAN``: the filler lost): the names would
    gain or lose their first letter. The state that issues a passport is its holder's
    nearly always; when it is not, nothing moves."""
    if len(nationality) != 3 or l1[2:5] == nationality:
        return l1
    if l1[3:6] == nationality:
        return (l1[:2] + l1[3:]).ljust(len(l1), "<")
    if l1[1:4] == nationality:
        return (l1[:1] + "<" + l1[1:])[: len(l1)]
    return l1


def _td3(l1: str, line2: str) -> MrzRead:
    l2 = _digits(line2, ((9, 10), (13, 20), (21, 28), (42, 44)))
    l1 = _issuer_realigned(l1, _alpha(l2[10:13]))
    family, given = _names(l1[5:])
    checks = (
        ("document_number", l2[0:9], l2[9]),
        ("date_of_birth", l2[13:19], l2[19]),
        ("expiry_date", l2[21:27], l2[27]),
        ("personal_number", l2[28:42], l2[42]),
        ("composite", l2[0:10] + l2[13:20] + l2[21:43], l2[43]),
    )
    failed = _failed(checks)
    return MrzRead(
        kind="TD3", lines=(l1, l2), family_name=family, given_names=given,
        date_of_birth=_birth_date(l2[13:19]), sex=_sex(l2[20]),
        nationality=_alpha(l2[10:13]).strip("<") or None,
        document_number=l2[0:9].strip("<") or None,
        checks_ok=not failed, failed_checks=failed, unread_checks=_unread(checks),
    )


def _td1_number(l1: str) -> tuple[str, str]:
    """Document number and its check digit; a number over 9 characters runs on in the optional
    data, where its last character is the check digit (ICAO 9303-5, note j)."""
    if l1[14] != "<":
        return l1[5:14], l1[14]
    extra = l1[15:30].split("<", 1)[0]
    if not extra:
        return l1[5:14], l1[14]
    return l1[5:14] + extra[:-1], extra[-1]


def parse_td1(lines: Sequence[str]) -> MrzRead:
    """Parse and verify an identity-card MRZ (3 lines of 30 characters).

    Raises:
        ValueError: not three lines.
    """
    if len(lines) != 3:
        raise ValueError(f"TD1 has 3 lines, got {len(lines)}")
    l3 = _fit(lines[2], TD1_LEN)
    reads = [
        _td1(l1, l2, l3) for l1 in _fits(lines[0], TD1_LEN) for l2 in _fits(lines[1], TD1_LEN)
    ]
    best = min(reads, key=lambda r: len(r.failed_checks))
    if best.checks_ok:
        return best
    l1, l2, _ = best.lines
    # Optional data (line 1 after the number, line 2 before the composite digit) is most often
    # empty; every other field has a check digit of its own.
    mended = (
        _td1(v1, v2, l3)
        for v2 in (*_blank_span(l2, 18, 29), l2)
        for blanked in (*_blank_span(l1, 15, 30), l1)
        for v1 in _number_misreads(blanked, 5, 14)
    )  # fmt: skip
    return next((r for r in mended if r.checks_ok), best)


def _td1(l1: str, line2: str, l3: str) -> MrzRead:
    l2 = _digits(line2, ((0, 7), (8, 15), (29, 30)))
    if l1[14] != "<":
        l1 = _digits(l1, ((14, 15),))
    number, digit = _td1_number(l1)
    family, given = _names(l3)
    checks = (
        ("document_number", number, digit),
        ("date_of_birth", l2[0:6], l2[6]),
        ("expiry_date", l2[8:14], l2[14]),
        ("composite", l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29]),
    )
    failed = _failed(checks)
    return MrzRead(
        kind="TD1", lines=(l1, l2, l3), family_name=family, given_names=given,
        date_of_birth=_birth_date(l2[0:6]), sex=_sex(l2[7]),
        nationality=_alpha(l2[15:18]).strip("<") or None,
        document_number=number.strip("<") or None,
        checks_ok=not failed, failed_checks=failed, unread_checks=_unread(checks),
    )


# --- finding the zone on a page ---------------------------------------------------------------

_Line = tuple[str, tuple[OcrWord, ...]]


def _ocr_lines(ocr: PageOcr) -> list[_Line]:
    """Lines of the page, top to bottom, with their words (none for a text layer)."""
    if ocr.text_layer is not None:
        return [(t, ()) for t in ocr.text_layer.splitlines()]
    groups: dict[tuple[int, int], list[OcrWord]] = {}
    for w in ocr.words:
        groups.setdefault((w.block, w.line), []).append(w)
    # Blocks top to bottom, and within a block Tesseract's own reading order: on a skewed or
    # tilted card the tops of a zone's long lines can come out in any order.
    top = {}
    for (block, _), ws in groups.items():
        top[block] = min(top.get(block, 1 << 30), *(w.bbox[1] for w in ws))
    ordered = [groups[k] for k in sorted(groups, key=lambda k: (top[k[0]], k[0], k[1]))]
    return [(" ".join(w.text for w in ws), tuple(ws)) for ws in ordered]


def _looks_like_mrz(text: str) -> bool:
    """Mostly capitals, digits and fillers, long enough for a TD1 line even with a loss."""
    compact = re.sub(r"\s+", "", text).replace("«", "<<")
    if len(compact) < TD1_LEN - 4:
        return False
    valid = sum(ch.isupper() or ch.isdigit() or ch == "<" for ch in compact)
    return valid / len(compact) >= 0.9 and ("<" in compact or sum(c.isdigit() for c in compact) > 8)


def _length(text: str) -> int:
    return len(re.sub(r"\s+", "", text).replace("«", "<<"))


def _union(words: Sequence[OcrWord]) -> PixelBox | None:
    if not words:
        return None
    return (
        min(w.bbox[0] for w in words), min(w.bbox[1] for w in words),
        max(w.bbox[2] for w in words), max(w.bbox[3] for w in words),
    )


def _near(text: str, length: int, *, names: bool = False) -> bool:
    """A line of about the right length; a names line may carry any tail of fillers or junk,
    its check digits being elsewhere."""
    n = _length(text)
    return length - 4 <= n <= (length + 16 if names else length + 4)


def _candidates(lines: Sequence[_Line]) -> list[tuple[MrzRead, tuple[OcrWord, ...]]]:
    """Every run of MRZ-like lines of the right count and length, parsed."""
    out = []
    for i in range(len(lines)):
        w = lines[i : i + 3]
        if len(w) >= 2 and _near(w[0][0], TD3_LEN, names=True) and _near(w[1][0], TD3_LEN):
            out.append((parse_td3([w[0][0], w[1][0]]), w[0][1] + w[1][1]))
        if (len(w) == 3 and _near(w[0][0], TD1_LEN) and _near(w[1][0], TD1_LEN)
                and _near(w[2][0], TD1_LEN, names=True)):
            out.append((parse_td1([t for t, _ in w]), tuple(x for _, ws in w for x in ws)))
    return out


def _plausible(mrz: MrzRead) -> bool:
    """A real zone, even misread, passes some of its checks or at least names someone."""
    checks = 5 if mrz.kind == "TD3" else 4
    return len(mrz.failed_checks) < checks and bool(mrz.family_name)


def find_mrz(ocr: PageOcr) -> MrzRead | None:
    """The machine-readable zone of a page, or None when it has none.

    Args:
        ocr: The page's OCR words (or text layer).

    Returns:
        The zone whose check digits fail least, with the box of its words on the page.
    """
    lines = [ln for ln in _ocr_lines(ocr) if _looks_like_mrz(ln[0])]
    found = [(m, ws) for m, ws in _candidates(lines) if _plausible(m)]
    if not found:
        return None
    mrz, words = min(found, key=lambda f: len(f[0].failed_checks))
    log.info("page %d: %s MRZ, %d check(s) failed", ocr.page_no, mrz.kind, len(mrz.failed_checks))
    return mrz.model_copy(update={"bbox": _union(words)})


# --- a second reading of a zone that fails ----------------------------------------------------

#: The zone's alphabet: what its second reading may give.
MRZ_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
#: Margin (share of a line's height) kept around the zone's words when it is cut out.
_ZONE_MARGIN = 0.6


def _zone_lines(band: np.ndarray, count: int) -> list[np.ndarray]:
    """The zone's ``count`` lines, by the rows that hold ink; equal slices when the rows do
    not fall into that many runs (lines touching, a speck between them)."""
    inked = (band < 128).sum(axis=1) > 0
    runs, start = [], None
    for y, on in enumerate([*inked, False]):
        if on and start is None:
            start = y
        elif not on and start is not None:
            runs.append((start, y))
            start = None
    tall = [r for r in runs if r[1] - r[0] >= 0.3 * band.shape[0] / (2 * count)]
    if len(tall) != count:
        step = band.shape[0] / count
        tall = [(round(i * step), round((i + 1) * step)) for i in range(count)]
    return [band[max(0, a - 2) : b + 2] for a, b in tall]


def reread_zone(image: np.ndarray, zone: MrzRead, *, page_no: int) -> MrzRead:
    """A zone that fails a check, read again on its own: each line that carries check digits
    cut out of the cleaned page and read as one line of the zone's alphabet (English model: no
    accents to choose from). The names line has no check digit to prove a new reading better,
    so the page's stays.

    Read with the page, OCR-B fillers come out as ``K``, ``E`` or ``L`` at confidence near
    zero, and one misread character fails a check digit. The reading with fewer failed checks
    is kept, so a zone that really was altered still fails.
    """
    if zone.checks_ok or zone.bbox is None:
        return zone
    count = 2 if zone.kind == "TD3" else 3
    x0, y0, x1, y1 = zone.bbox
    pad = round(_ZONE_MARGIN * (y1 - y0) / count)
    h, w = image.shape[:2]
    band = image[max(0, y0 - pad) : min(h, y1 + pad), max(0, x0 - pad) : min(w, x1 + pad)]
    if band.size == 0:
        return zone
    lines = _zone_lines(band, count)
    length = TD3_LEN if count == 2 else TD1_LEN
    texts = [read_line(line, whitelist=MRZ_CHARS, lang="eng")[0]
             for line in (lines[1:2] if count == 2 else lines[:2])]  # fmt: skip
    # Empty fields pass their checks: a line read short or not at all proves nothing.
    if not all(_near(t, length) for t in texts):
        return zone
    if count == 2:
        again = parse_td3((zone.lines[0], texts[0]))
    else:
        again = parse_td1((*texts, zone.lines[2]))
    if len(again.failed_checks) >= len(zone.failed_checks) or not again.family_name:
        return zone
    log.info("page %d: zone read again alone, %d check(s) failed instead of %d", page_no,
             len(again.failed_checks), len(zone.failed_checks))  # fmt: skip
    return again.model_copy(update={"bbox": zone.bbox})
