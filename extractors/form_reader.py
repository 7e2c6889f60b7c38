"""Read one page of the application form: which page it is, and every field on it.

``read_form_page`` is the entry point: cheap test (QR code, else registration marks), turn
upright, register to the template, then read comb boxes, dates, checkboxes, the signature box
and the pre-printed header. A page that is a form page but cannot be aligned is returned with
every field unreadable: fields are never read blindly.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections import defaultdict
from pathlib import Path

import cv2
import numpy as np
from rapidfuzz.distance import Levenshtein

from extractors import writer_adaptation as writer
from extractors.form_decode import (
    TO_DIGIT,
    Candidates,
    Decoded,
    decode_date,
    decode_digits,
    decode_postal,
    decode_text,
    decode_with_lexicon,
    decode_words_with_lexicon,
    drop_unseen_accents,
    fill_lost_dots,
    fix_words,
    letter_runs,
    lexicon_entries,
    with_fixed_words,
)
from extractors.form_fields import (
    CHARSETS,
    GlyphReader,
    SplitOption,
    cut_comb,
    read_header,
    signature_ink,
    tick_ink,
    warp_to_template,
)
from extractors.form_locate import PageFrame, locate_form_page, turn_image
from extractors.form_tesseract import TesseractGlyphs
from schemas.base import PixelBox, PointBox
from schemas.codes import FieldKind, FieldStatus
from schemas.config import FormConfig
from schemas.extraction import FieldRead, FormPageRead
from schemas.form import AnswerContext, FieldSpec, FormLayout

log = logging.getLogger(__name__)

_NOT_ANSWERS = (FieldKind.QR, FieldKind.PREPRINTED)
#: Fields are read at this resolution at most: more only costs time.
WORK_DPI = 300
DOSSIER_RE = re.compile(r"PCH-\d{4}-\d{6}")
#: Edits between a printed number as read and the QR's within which it is the same number.
OCR_SLACK = 2
HEADER_WHITELIST = (
    "0123456789"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸàâäçéèêëîïôöùûüÿ ,-'"
)
#: Ink share of an option box's interior above which it is ticked, and below which it is
#: certainly not (a ✓ in 2-px pen covers ~9 %, dust and a shifted border stay under 1 %).
TICKED_INK = 0.045
UNTICKED_INK = 0.015
#: Ink share of the signature box's interior above which it is signed (a signature covers
#: 1–5 %, specks of a dirty copy stay under 0.05 %).
SIGNED_INK = 0.003
UNSIGNED_INK = 0.0008


def read_form_page(
    image: np.ndarray,
    *,
    page_no: int,
    dpi: int,
    layout: FormLayout,
    cfg: FormConfig,
    glyphs: GlyphReader | None = None,
    context: AnswerContext | None = None,
) -> tuple[FormPageRead, np.ndarray] | None:
    """Read a cleaned page as a page of the application form, or None if it is not one.

    Args:
        image: cleaned grayscale page (may still be turned 90/180/270° or a little skewed).
        page_no: 1-based packet page number, carried into the result.
        dpi: resolution of ``image``.
        layout: the form's field map.
        cfg: alignment and confidence thresholds.
        glyphs: character recogniser; Tesseract on re-packed boxes when None.
        context: what the envelope says of the answers (its received date, where most
            applicants live), weighed when decoding dates and postal codes.

    Returns:
        The page read and the upright image all its bounding boxes refer to; None when the page
        is not a form page.
    """
    frame = locate_form_page(image, dpi=dpi, layout=layout)
    if frame is None:
        return None
    upright = turn_image(image, frame.turn_ccw)
    specs = [f for f in layout.on_page(frame.form_page) if f.kind not in _NOT_ANSWERS]
    page = FormPageRead(
        page_no=page_no,
        form_page=frame.form_page,
        aligned=False,
        alignment_quality=round(frame.overall, 3),
        qr_text=frame.qr.text if frame.qr else None,
        fields=tuple(_unreadable(f, page_no=page_no) for f in specs),
    )
    if frame.overall < cfg.min_alignment_quality:
        log.info("page %d: form page %d not aligned (quality %.2f)", page_no, frame.form_page,
                 frame.overall)  # fmt: skip
        return page, upright
    wdpi = min(dpi, WORK_DPI)
    h_work = np.diag([wdpi / dpi, wdpi / dpi, 1.0]) @ frame.homography
    warped = warp_to_template(upright, h_work, dpi=wdpi, size_pt=layout.page_size)
    dossier, name = _read_preprinted(warped, layout=layout, page=frame.form_page, dpi=wdpi,
                                     qr=frame)  # fmt: skip
    reads = _read_fields(warped, specs=specs, dpi=wdpi, glyphs=glyphs or TesseractGlyphs(),
                         lexicons=cfg.lexicons, word_lexicons=cfg.word_lexicons,
                         printed=printed_name_entries(name),
                         context=context or AnswerContext())  # fmt: skip
    to_px = _point_to_pixel(frame, dpi=dpi, shape=upright.shape)
    fields = tuple(
        _field_read(spec, reads[spec.name], page_no=page_no, cfg=cfg, bbox=to_px(spec.bbox))
        for spec in specs
    )
    log.info("page %d: form page %d via %s, quality %.2f, %d fields", page_no, frame.form_page,
             frame.method, frame.overall, len(fields))  # fmt: skip
    update = {
        "aligned": True, "fields": fields,
        "dossier_number": dossier, "preprinted_name": name,
        # The report shows the printed header beside the values read, like any other field.
        "dossier_bbox": to_px(layout.field("dossier_number", frame.form_page).bbox),
        "name_bbox": to_px(layout.field("preprinted_name", frame.form_page).bbox),
    }
    return page.model_copy(update=update), upright


def _unreadable(spec: FieldSpec, *, page_no: int) -> FieldRead:
    return FieldRead(
        name=spec.name,
        kind=spec.kind,
        form_page=spec.page,
        page_no=page_no,
        status=FieldStatus.UNREADABLE,
        confidence=0.0,
    )


def _point_to_pixel(frame: PageFrame, *, dpi: int, shape: tuple[int, ...]):
    """Template box (points) → bounding box in pixels of the upright page."""
    inv = np.linalg.inv(frame.homography)
    s = dpi / 72
    h, w = shape[:2]

    def to_px(box: PointBox) -> PixelBox:
        x0, y0, x1, y1 = (v * s for v in box)
        pts = cv2.perspectiveTransform(np.array([[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]]), inv)[0]
        (a, b), (c, d) = pts.min(axis=0), pts.max(axis=0)
        return (
            int(np.clip(np.floor(a), 0, w)),
            int(np.clip(np.floor(b), 0, h)),
            int(np.clip(np.ceil(c), 0, w)),
            int(np.clip(np.ceil(d), 0, h)),
        )

    return to_px


#: Share of family members written with the principal's family name (spouses and children
#: often share it, and often do not): the prior of the printed family name for theirs.
SHARED_FAMILY_NAME = 0.5
#: Share of forms whose principal wrote the name the ministry printed on them.
WRITES_PRINTED_NAME = 0.9
#: Share of the letter runs of e-mail addresses' local parts that are one of their owner's
#: names: many addresses are built of them, many are not.
NAME_IN_EMAIL = 0.5


def printed_name_entries(printed: str | None) -> dict[str, tuple[list[str], float]]:
    """The pre-printed ``FAMILY, Given names`` as evidence for the name fields: each field's
    candidate answers and the share of answers that are one of them.

    Typed text read far better than hand printing; it is the principal's name, and often the
    family's. Evidence only: ``decode_with_lexicon`` keeps a clearly written other name.
    """
    if not printed or "," not in printed:
        return {}
    family, _, given = (part.strip().upper() for part in printed.partition(","))
    out = {}
    if family:
        out["family_name"] = ([family], WRITES_PRINTED_NAME)
        out.update({f"member{k}_family_name": ([family], SHARED_FAMILY_NAME) for k in range(1, 6)})
    if given:
        out["given_names"] = ([given], WRITES_PRINTED_NAME)
    # An e-mail address is often made of its owner's names (KARIM.BOUZID78@…): each word of
    # the printed name is evidence for a run of letters before its @ (``_names_in_address``;
    # word by word, never as a whole answer).
    words = sorted(set(re.findall(r"[^\W\d_]+", f"{family} {given}")))
    if words:
        out["email"] = (words, NAME_IN_EMAIL)
    return out


def _read_fields(
    warped: np.ndarray, *, specs: list[FieldSpec], dpi: int, glyphs: GlyphReader,
    context: AnswerContext,
    lexicons: dict[str, Path] | None = None,
    word_lexicons: dict[str, Path] | None = None,
    printed: dict[str, tuple[list[str], float]] | None = None,
) -> dict[str, Decoded]:
    """Every field of the page decoded, with its lexicon and the printed name as evidence.

    Comb fields are decoded twice when the reader gives features: the fields read surely
    then teach how this writer forms each character (``extractors.writer_adaptation``), and
    every other comb field is decoded again with that evidence.
    """
    out: dict[str, Decoded] = {}
    for spec in specs:
        if spec.kind is FieldKind.CHECKBOX:
            ink = tick_ink(warped, spec.options, dpi=dpi)
            out[spec.name] = _decode_ticks(ink, multiple=spec.multiple)
        elif spec.kind is FieldKind.SIGNATURE:
            out[spec.name] = _decode_signature(signature_ink(warped, spec.bbox, dpi=dpi))
    combs = [s for s in specs if s.kind in (FieldKind.COMB, FieldKind.DATE)]
    boxes, feats = _recognise(warped, combs, dpi=dpi, glyphs=glyphs)

    def decode(spec: FieldSpec, seen: list[Candidates]) -> Decoded:
        return _decode_answer(spec, seen, context=context, lexicons=lexicons,
                              word_lexicons=word_lexicons, printed=printed)  # fmt: skip

    for spec, seen in zip(combs, boxes, strict=True):
        out[spec.name] = decode(spec, seen)
    labelled = []
    for spec, seen, f in zip(combs, boxes, feats, strict=True):
        d = out[spec.name]
        if d.valid and d.value and d.confidence >= writer.LABEL_MIN:
            dashes = "- " if spec.kind is FieldKind.DATE else " "
            chars = writer.box_labels(d.value, seen, separators=dashes)
            if chars is not None:
                labelled.append((chars, f))
    protos = writer.prototypes(labelled)
    if protos is None:
        return out
    for spec, seen, f in zip(combs, boxes, feats, strict=True):
        if out[spec.name].confidence < writer.SURE:
            out[spec.name] = decode(spec, writer.adapt(seen, f, protos))
    return out


def _decode_answer(
    spec: FieldSpec, boxes: list[Candidates], *, context: AnswerContext,
    lexicons: dict[str, Path] | None, word_lexicons: dict[str, Path] | None,
    printed: dict[str, tuple[list[str], float]] | None,
) -> Decoded:
    """One comb field from its boxes: syntax first, then its lexicon and the printed name."""
    out = _decode_comb(spec, boxes, context)
    charset = _charset(spec)
    if lexicons and spec.name in lexicons:
        entries = load_lexicon(lexicons[spec.name], CHARSETS[charset])
        out = decode_with_lexicon(boxes, out, entries)
    if word_lexicons and spec.name in word_lexicons:
        allowed = CHARSETS[charset]
        entries = load_lexicon(word_lexicons[spec.name], allowed)
        seen = fill_lost_dots(boxes) if charset == "email" else boxes
        if charset == "email" and printed and "email" in printed and out.value is not None:
            seen, out = _names_in_address(seen, out, printed["email"], allowed=allowed)
        out = decode_words_with_lexicon(seen, out, entries, allowed=allowed)
    if printed and spec.name in printed and spec.name != "email":
        names, prior = printed[spec.name]
        entries = lexicon_entries(names, allowed=CHARSETS[charset])
        # Tesseract read the printed name: it drops the accents the glyph CNN cannot see
        # either (Ñ, Ó, Í), so its agreement does not make a reading surer.
        out = decode_with_lexicon(boxes, out, entries, prior=prior, vouch=False)
    return out


def _names_in_address(
    boxes: list[Candidates], read: Decoded, names: tuple[list[str], float], *, allowed: str
) -> tuple[list[Candidates], Decoded]:
    """An e-mail address's local part weighed against its owner's printed names: the runs of
    letters before its @ (``letter_runs``) that a name settles, written in, and the reading
    with them."""
    words, prior = names
    entries = lexicon_entries(words, allowed=allowed)
    fixed, factor = fix_words(boxes, entries, allowed=allowed, prior=prior,
                              spans=letter_runs(boxes))  # fmt: skip
    return fixed, with_fixed_words(read, boxes, fixed, factor, allowed=allowed)


@functools.cache
def load_lexicon(path: Path, allowed: str) -> dict[int, list[str]]:
    """A field's word list, by length, read once per process."""
    return lexicon_entries(path.read_text(encoding="utf-8").splitlines(), allowed=allowed)


def _recognise(
    warped: np.ndarray, specs: list[FieldSpec], *, dpi: int, glyphs: GlyphReader
) -> tuple[list[list[Candidates]], list[list[np.ndarray | None]]]:
    """Candidates for every box of every comb field, and each box's features where the reader
    gives them (``writer_adaptation``): inked boxes recognised in one batch per charset (a
    reader's optional ``SHARED_BATCH`` folds some into a wider one), empty boxes None."""
    boxes: list[list[Candidates]] = []
    feats: list[list[np.ndarray | None]] = []
    marked: list[list[bool]] = []
    splits: list[tuple[int, int, SplitOption]] = []  # (field, offset of its comb group, split)
    batches: dict[str, list[tuple[int, list[int], list[np.ndarray]]]] = defaultdict(list)
    for k, spec in enumerate(specs):
        dots = _charset(spec) in ("text", "email")
        cuts = [cut_comb(warped, g, dpi=dpi, dots=dots) for g in spec.combs]
        crops = [c for cut in cuts for c in cut.crops]
        marked.append([m for cut in cuts for m in cut.marked])
        boxes.append([None] * len(crops))
        feats.append([None] * len(crops))
        offset = 0
        for cut in cuts:
            splits += [(k, offset, sp) for sp in cut.splits]
            offset += len(cut.crops)
        inked = [i for i, c in enumerate(crops) if c is not None]
        for charset, idx in _reader_charsets(_charset(spec), inked):
            batch = getattr(glyphs, "SHARED_BATCH", {}).get(charset, charset)
            batches[batch].append((k, idx, [crops[i] for i in idx]))
    for charset, items in batches.items():
        results, features = classify_fields(glyphs, [crops for _, _, crops in items], charset)
        for (k, inked, _), cands, fs in zip(items, results, features, strict=True):
            for i, c, f in zip(inked, cands, fs, strict=True):
                boxes[k][i] = _adjust(c, marked=marked[k][i])
                feats[k][i] = f if boxes[k][i] is not None else None
    if splits:
        _try_splits(boxes, feats, splits, specs=specs, glyphs=glyphs)
    return boxes, feats


#: Both characters of a split must be read at least this sure, and surer than the two
#: taken as one, for the split to replace the reading of the box that held them.
SPLIT_MIN_P = 0.6


def _try_splits(
    boxes: list[list[Candidates]],
    feats: list[list[np.ndarray | None]],
    splits: list[tuple[int, int, SplitOption]],
    *,
    specs: list[FieldSpec],
    glyphs: GlyphReader,
) -> None:
    """Read each proposed split of touching characters and keep it where the recogniser is
    surer of the two halves than of the whole (segmentation by recognition): a wide single
    letter cut in two reads as two doubtful pieces, two touching characters as two sure ones.
    """
    asks: dict[str, list[tuple[int, int]]] = defaultdict(list)  # charset → (split, half)
    crops: dict[str, list[np.ndarray]] = defaultdict(list)
    for n, (k, offset, sp) in enumerate(splits):
        for half, box in enumerate((sp.empty, sp.inked)):
            charset = _box_charset(_charset(specs[k]), offset + box)
            asks[charset].append((n, half))
            crops[charset].append(sp.crops[half])
    read: dict[tuple[int, int], list[tuple[str, float]]] = {}
    for charset, keys in asks.items():
        read.update(zip(keys, glyphs.classify(crops[charset], charset), strict=True))
    best: dict[tuple[int, int], tuple[float, int]] = {}  # (field, empty box) → (score, split)
    for n, (k, offset, sp) in enumerate(splits):
        halves = [read[(n, 0)], read[(n, 1)]]
        whole = boxes[k][offset + sp.inked]
        if not whole or any(not h or h[0][0] == " " for h in halves):
            continue
        sure = min(h[0][1] for h in halves)
        key = (k, offset + sp.empty)
        if sure >= SPLIT_MIN_P and sure > whole[0][1] and sure > best.get(key, (0.0, -1))[0]:
            best[key] = (sure, n)
    for (k, _), (_, n) in sorted(best.items(), key=lambda kv: -kv[1][0]):
        _, offset, sp = splits[n]
        empty, inked = offset + sp.empty, offset + sp.inked
        if boxes[k][empty] is not None:  # filled by a surer split from its other side
            continue
        boxes[k][empty] = _adjust(read[(n, 0)], marked=sp.marked[0])
        boxes[k][inked] = _adjust(read[(n, 1)], marked=sp.marked[1])
        feats[k][empty] = feats[k][inked] = None  # features of the whole, not of the halves
        log.debug("field %s: touching characters split between boxes %d and %d",
                  specs[k].name, empty, inked)  # fmt: skip


def _box_charset(charset: str, box: int) -> str:
    """What the reader is asked for one box of a field (a postal code alternates A9A9A9)."""
    if charset != "postal":
        return charset
    return "letters" if box % 2 == 0 else "digits"


def _reader_charsets(charset: str, inked: list[int]) -> list[tuple[str, list[int]]]:
    """The inked boxes grouped by what the reader is asked for each (``_box_charset``)."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i in inked:
        groups[_box_charset(charset, i)].append(i)
    return list(groups.items())


def _adjust(cands: list[tuple[str, float]], *, marked: bool) -> Candidates:
    """A reader's candidates for an inked box, checked against what the ink shows.

    A reader that finds the box blank (the glyph CNN answers ``" "`` for ink it does not take
    for a character) leaves it empty; accents are kept only where a mark sits above the letter.
    """
    if cands and cands[0][0] == " " and cands[0][1] >= 0.5:
        return None
    cands = [(ch, p) for ch, p in cands if ch != " "]
    return cands if marked else drop_unseen_accents(cands)


def _charset(spec: FieldSpec) -> str:
    return "digits" if spec.kind is FieldKind.DATE else (spec.charset or "text")


#: Where a date field's answers fall, in days from the envelope's received date: a form is
#: signed in the year before it is mailed (or dated a little ahead by mistake, which the rules
#: flag), and nobody on it was born after it arrived or over 110 years before. Family
#: members' fields (``member3_date_of_birth``) take the window of the field they end with.
DATE_WINDOWS = {"date_signed": (-366, 90), "date_of_birth": (-110 * 366, 0)}


def _date_window(name: str, received_on: dt.date | None) -> tuple[dt.date, dt.date] | None:
    days = DATE_WINDOWS.get(name) or DATE_WINDOWS.get(name.split("_", 1)[-1])
    if received_on is None or days is None:
        return None
    return received_on + dt.timedelta(days=days[0]), received_on + dt.timedelta(days=days[1])


def _decode_comb(spec: FieldSpec, boxes: list[Candidates], context: AnswerContext) -> Decoded:
    charset = _charset(spec)
    if spec.kind is FieldKind.DATE:
        return decode_date(boxes, window=_date_window(spec.name, context.received_on))
    if charset == "postal":
        return decode_postal(boxes, home=context.home_postal_letters)
    if charset == "digits":
        return decode_digits(boxes, name=spec.name)
    if charset == "email":
        boxes = fill_lost_dots(boxes)
    # An apartment (the one alnum comb) is a number far more often than a lone I or O.
    return decode_text(boxes, allowed=CHARSETS[charset], digits_alone=charset == "alnum")


def _decode_ticks(ink: dict[str, float], *, multiple: bool) -> Decoded:
    """The ticked option(s) of a checkbox group, from each option box's ink share."""
    raw = " ".join(f"{k}={v:.3f}" for k, v in ink.items())
    ticked = [k for k, v in ink.items() if v >= TICKED_INK]
    doubtful = [k for k, v in ink.items() if UNTICKED_INK < v < TICKED_INK]
    # Confidence: how far the least clear-cut box is from the ticked/unticked boundary.
    margins = [
        min(1.0, v / (2 * TICKED_INK)) if k in ticked else 1.0 - v / TICKED_INK
        for k, v in ink.items()
    ]
    conf = 0.5 + 0.5 * min(margins) if not doubtful else 0.4
    if not ticked:
        return Decoded(None, conf, raw, valid=not doubtful)
    valid = multiple or len(ticked) == 1
    return Decoded(",".join(ticked), conf if valid else 0.0, raw, valid=valid and not doubtful)


def _decode_signature(ink: float) -> Decoded:
    raw = f"ink={ink:.4f}"
    if ink >= SIGNED_INK:
        return Decoded("true", min(1.0, 0.75 + ink / (4 * SIGNED_INK)), raw)
    if ink <= UNSIGNED_INK:
        return Decoded("false", 1.0 - 0.5 * ink / UNSIGNED_INK, raw)
    return Decoded("true", 0.4, raw, valid=False)


def _field_read(
    spec: FieldSpec, d: Decoded, *, page_no: int, cfg: FormConfig, bbox: PixelBox
) -> FieldRead:
    """Status from the decoded value: empty, read, or unreadable (invalid or not sure enough)."""
    empty = d.value is None or (spec.kind is FieldKind.SIGNATURE and d.value == "false" and d.valid)
    if empty and d.valid:
        status = FieldStatus.EMPTY
    elif d.valid and d.confidence >= cfg.field_min_confidence:
        status = FieldStatus.READ
    else:
        status = FieldStatus.UNREADABLE
    return FieldRead(
        name=spec.name,
        kind=spec.kind,
        form_page=spec.page,
        page_no=page_no,
        value=d.value,
        confidence=round(float(np.clip(d.confidence, 0, 1)), 3),
        status=status,
        bbox=bbox,
        raw=d.raw,
    )


def _read_preprinted(
    warped: np.ndarray, *, layout: FormLayout, page: int, dpi: int, qr: PageFrame
) -> tuple[str | None, str | None]:
    """The typed header: file number (checked against its pattern and the QR) and name."""
    number_spec = layout.field("dossier_number", page)
    name_spec = layout.field("preprinted_name", page)
    # One Tesseract call for both: the number is one word (digits), the name the rest.
    text = read_header(
        warped, [number_spec.bbox, name_spec.bbox], dpi=dpi, whitelist=HEADER_WHITELIST
    )
    number, name = split_header(text)
    qr_number = qr.qr.parsed[0] if qr.qr and qr.qr.parsed else None
    return _fix_dossier(number, qr_number), name


#: Digits in a file number (PCH-2026-004512).
_DOSSIER_DIGITS = 10


def split_header(text: str) -> tuple[str, str | None]:
    """The typed header read as one line: the file number (its first words; OCR may cut it at
    a gap, ``PCH-2 026-946301``), then the name. The number's words run until they hold its
    ten digits, or while they hold digits at all; a first word with fewer than four is no
    number."""
    words = text.split()
    taken = 0
    while taken < len(words) and sum(c.isdigit() for c in "".join(words[:taken])) < (
            _DOSSIER_DIGITS) and (taken == 0 or any(c.isdigit() for c in words[taken])):
        taken += 1
    number = "".join(words[:taken])
    if sum(c.isdigit() for c in number) < 4:
        number, taken = "", 0
    return number, " ".join(words[taken:]) or None


def _fix_dossier(text: str, qr_number: str | None) -> str | None:
    """The printed file number, checked against its pattern and the page's QR code.

    A reading a character or two from the QR's number is that number misread (OCR slack, as
    ``extractors.dossier`` allows); a number printed differently is several characters off and
    is kept as read, so that the mismatch is seen.
    """
    t = re.sub(r"\s", "", text).upper()
    if len(t) == 15:
        t = f"PCH-{_digits(t[4:8])}-{_digits(t[9:])}"
    elif len(t) == 13:  # its dashes lost
        t = f"PCH-{_digits(t[3:7])}-{_digits(t[7:])}"
    if qr_number and t and Levenshtein.distance(t, qr_number) <= OCR_SLACK:
        return qr_number
    return t if DOSSIER_RE.fullmatch(t) else None


def _digits(text: str) -> str:
    return "".join(TO_DIGIT.get(c, c) for c in text)


def classify_fields(
    reader: GlyphReader, fields: list[list[np.ndarray]], charset: str
) -> tuple[list[list[list[tuple[str, float]]]], list[list[np.ndarray | None]]]:
    """Candidates for the boxes of several fields sharing a charset, in one call if possible,
    and each box's features (None throughout for a reader without them).

    A reader with its own ``classify_fields`` (Tesseract, which reads whole lines) is given the
    fields apart; any other reader gets all crops as one batch.
    """
    batch = getattr(reader, "classify_fields", None)
    if callable(batch):
        return batch(fields, charset), [[None] * len(f) for f in fields]
    crops = [c for f in fields for c in f]
    with_features = getattr(reader, "classify_with_features", None)
    if callable(with_features):
        flat, flat_feats = with_features(crops, charset)
    else:
        flat, flat_feats = reader.classify(crops, charset), [None] * len(crops)
    out, out_feats, i = [], [], 0
    for f in fields:
        out.append(flat[i : i + len(f)])
        out_feats.append(flat_feats[i : i + len(f)])
        i += len(f)
    return out, out_feats
