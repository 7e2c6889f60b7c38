"""Find the application form's pages on a scan and register them to the template.

A form page is told first by its QR code (``PCH|<dossier>|<page>/3``), which also gives the
page's orientation; a page whose QR is damaged is told by its four registration marks and by how
well its box lines fall on one of the template pages' once aligned. The registration is a
homography from the upright scan to template pixels (PDF points × dpi/72) computed from the
registration marks, with two fallbacks when marks are missing: marks searched again where the
QR code predicts them, then the copy scale and angle that best lay the scan's ink on the
template's box lines, anchored on the QR code.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

import cv2
import numpy as np

from extractors.form_align import (
    LOW_DPI,
    Scan,
    plausible,
    score_page,
    search_qr_similarity,
    turn_image,
    turn_points,
)
from schemas.codes import FieldKind
from schemas.form import FormLayout

log = logging.getLogger(__name__)

QR_PATTERN = re.compile(r"^PCH\|(PCH-\d{4}-\d{6})\|([123])/3$")
#: QR decoding at this resolution first: 5 px a module for a 60-pt version-2 code, 4× cheaper.
QR_DPI = 150
#: The cheap test looks for the QR code within this many inches of a corner: the template
#: prints it 0.6–1.4 in from the top right one, and a turned, shifted or reduced copy keeps it
#: near a corner. Four windows are half of a letter page's pixels, and hold fewer of the
#: patterns that mislead the detector: on the 93 sample pages, 22 of the 29 form pages' codes
#: read in 2.4 s CPU against 19 in 8.5 s on the whole page (one-off script).
QR_CORNER_IN = 3.5
#: A page whose boxes match the template less than this is not the template's page.
MIN_PAGE_QUALITY = 0.45


@dataclass(frozen=True)
class QrRead:
    """A decoded QR code: its text and corners (its own TL, TR, BR, BL) in image pixels."""

    text: str
    corners: np.ndarray

    @property
    def parsed(self) -> tuple[str, int] | None:
        """(dossier number, form page) when the text is the ministry's payload."""
        m = QR_PATTERN.match(self.text.strip())
        return (m.group(1), int(m.group(2))) if m else None


@dataclass(frozen=True)
class PageFrame:
    """Where a form page is: the turn making the scan upright and the map to the template.

    ``homography`` maps upright-scan pixels to template pixels at the page's dpi; ``quality``
    (0–1) is how well the template's box lines then fall on the scan's ink.
    """

    form_page: int
    turn_ccw: int
    homography: np.ndarray
    quality: float
    method: str
    qr: QrRead | None = None
    marks_quality: float = 0.0

    @property
    def overall(self) -> float:
        """The better of the two measures: box lines on ink, or four marks in true geometry
        (a faint copy whose lines broke up is still aligned if its marks agree)."""
        return max(self.quality, self.marks_quality)


def read_qr(image: np.ndarray, *, dpi: int, at_dpi: int = QR_DPI) -> QrRead | None:
    """Decode a QR code at ``at_dpi`` at most. Reduced (the default, the cheap test every page
    goes through), it is looked for near the four corners only; at full resolution (a page
    whose marks say it is the form), on the whole page."""
    f = min(1.0, at_dpi / dpi)
    small = image if f == 1.0 else cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    side = round(QR_CORNER_IN * at_dpi) if f < 1.0 else max(small.shape)
    for x0, y0 in _corner_windows(small.shape, side=side):
        text, pts = _detect_qr(small[y0 : y0 + side, x0 : x0 + side])
        if text and pts is not None:
            corners = pts.reshape(4, 2).astype(np.float64) + (x0, y0)
            return QrRead(text=text, corners=corners / f)
    return None


def _corner_windows(shape: tuple[int, ...], *, side: int) -> list[tuple[int, int]]:
    """Top-left corners (x, y) of square windows in the page's four corners, the template's
    own corner (top right) first; a page smaller than two windows is one window."""
    h, w = shape[:2]
    if h <= 2 * side and w <= 2 * side:
        return [(0, 0)]
    right, bottom = max(0, w - side), max(0, h - side)
    return [(right, 0), (0, 0), (0, bottom), (right, bottom)]


def _detect_qr(image: np.ndarray) -> tuple[str, np.ndarray | None]:
    """OpenCV's detector, which can fail an internal assertion on noise that looks like a
    finder pattern (seen with OpenCV 5.1 on a speckled copy): that is no QR code, not a crash."""
    try:
        text, pts, _ = cv2.QRCodeDetector().detectAndDecode(image)
    except cv2.error as e:
        log.warning("QR detector failed on a %dx%d image: %s", image.shape[1], image.shape[0],
                    str(e).splitlines()[-1][:120])  # fmt: skip
        return "", None
    return text, pts


def read_qr_in_place(
    upright: np.ndarray, *, h: np.ndarray, dpi: int, layout: FormLayout, page: int
) -> str | None:
    """Decode the QR at full resolution where the template has it (aligned pages only)."""
    spec = next((f for f in layout.on_page(page) if f.kind is FieldKind.QR), None)
    if spec is None:
        return None
    s, pad = dpi / 72, 16.0
    x0, y0 = (spec.bbox[0] - pad) * s, (spec.bbox[1] - pad) * s
    size = (
        round((spec.bbox[2] - spec.bbox[0] + 2 * pad) * s),
        round((spec.bbox[3] - spec.bbox[1] + 2 * pad) * s),
    )
    shift = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]])
    crop = cv2.warpPerspective(upright, shift @ h, size, flags=cv2.INTER_LINEAR, borderValue=255)
    text, _ = _detect_qr(crop)
    return text or None


def qr_turn(qr: QrRead) -> int:
    """Counter-clockwise turn that makes the page upright, from the QR's top edge direction."""
    dx, dy = qr.corners[1] - qr.corners[0]
    return int(round(np.degrees(np.arctan2(dy, dx)) / 90.0)) % 4 * 90


def mark_centres_pt(layout: FormLayout) -> np.ndarray:
    """Registration mark centres in PDF points, TL, TR, BL, BR as in the field map."""
    return np.array(
        [((x0 + x1) / 2, (y0 + y1) / 2) for x0, y0, x1, y1 in layout.registration_marks]
    )


def _mark_candidates(binary: np.ndarray, side_px: float) -> np.ndarray:
    """Centres of solid, square blobs about ``side_px`` wide (scans are 85–105 % scale)."""
    n, _, stats, cents = cv2.connectedComponentsWithStats(binary, connectivity=8)
    x, y, w, h, area = stats[1:].T
    # A square turned by up to ~10° has a bounding box up to 1.2× its side.
    ok = (w > 0.75 * side_px) & (w < 1.35 * side_px) & (h > 0.75 * side_px) & (h < 1.35 * side_px)
    ok &= (area > 0.65 * w * h) & (area > 0.6 * side_px**2)
    return cents[1:][ok] if n > 1 else np.empty((0, 2))


def _corner_marks(cands: np.ndarray, shape: tuple[int, ...]) -> list[np.ndarray | None]:
    """The candidate nearest each image corner (TL, TR, BL, BR), if in that corner's quarter."""
    h, w = shape[:2]
    out: list[np.ndarray | None] = []
    for cx, cy in ((0, 0), (w, 0), (0, h), (w, h)):
        near = [c for c in cands if abs(c[0] - cx) < w / 4 and abs(c[1] - cy) < h / 4]
        out.append(min(near, key=lambda c: np.hypot(c[0] - cx, c[1] - cy)) if near else None)
    return out


def find_marks(gray: np.ndarray, *, dpi: float, layout: FormLayout) -> list[np.ndarray | None]:
    """Registration marks of ``gray`` (any orientation) as [TL, TR, BL, BR] image corners."""
    x0, y0, x1, _ = layout.registration_marks[0]
    side = (x1 - x0) * dpi / 72
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return _corner_marks(_mark_candidates(binary, side), gray.shape)


def _mark_near(
    gray: np.ndarray, centre: np.ndarray, *, radius: int, side: float
) -> np.ndarray | None:
    """Centre of the mark nearest ``centre`` within ``radius`` pixels, at ``gray``'s resolution."""
    x, y = int(centre[0]), int(centre[1])
    x0, y0 = max(0, x - radius), max(0, y - radius)
    win = gray[y0 : max(0, y + radius), x0 : max(0, x + radius)]
    if win.size == 0:
        return None
    _, binary = cv2.threshold(win, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    cands = _mark_candidates(binary, side) + (x0, y0)
    return min(cands, key=lambda c: np.hypot(*(c - centre))) if len(cands) else None


def homography_from_marks(
    found: list[np.ndarray | None], *, dst_px: np.ndarray
) -> np.ndarray | None:
    """Upright-scan → template transform from 3 or 4 marks (TL, TR, BL, BR), if plausible."""
    pairs = [(s, d) for s, d in zip(found, dst_px, strict=True) if s is not None]
    if len(pairs) < 3:
        return None
    src = np.array([p[0] for p in pairs], dtype=np.float64)
    dst = np.array([p[1] for p in pairs], dtype=np.float64)
    if len(pairs) == 4:
        h, _ = cv2.findHomography(src, dst, 0)
    else:
        h = np.vstack(
            [cv2.getAffineTransform(src.astype(np.float32), dst.astype(np.float32)), [0, 0, 1]]
        )
    return h if h is not None and plausible(h) else None


def marks_agreement(found: list[np.ndarray | None], *, dst_px: np.ndarray, dpi: float) -> float:
    """How well four marks keep the template's geometry (a copier shifts, turns and scales a
    page, it does not bend it): 1 when an affine map fits them within 0.15 pt, 0 from 0.6 pt
    (one mark 2.4 pt out of place: a blot taken for a mark). Three marks prove nothing: 0."""
    if any(m is None for m in found):
        return 0.0
    src = np.hstack([np.array(found, dtype=np.float64), np.ones((4, 1))])
    coef, *_ = np.linalg.lstsq(src, dst_px, rcond=None)
    error_pt = float(np.abs(src @ coef - dst_px).max()) * 72 / dpi
    return float(np.clip((0.6 - error_pt) / 0.45, 0.0, 1.0))


def _marks_upright(scan: Scan, marks_low: list, turn: int, side: float) -> list:
    """Marks refined at full resolution, then turned upright and sorted into corners."""
    # Sub-pixel centres at full resolution; the low-resolution one if that fails.
    full = [
        _mark_near(scan.gray, m / scan.f, radius=int(side), side=side)
        for m in marks_low
        if m is not None
    ]
    full = [
        f if f is not None else m / scan.f
        for f, m in zip(full, [m for m in marks_low if m is not None], strict=True)
    ]
    if not full:
        return [None] * 4
    turned = turn_points(np.array(full), turn, scan.gray.shape)
    return _corner_marks(turned, _turned_shape(scan.gray.shape, turn))


def _turned_shape(shape: tuple[int, ...], turn: int) -> tuple[int, int]:
    h, w = shape[:2]
    return (w, h) if (turn // 90) % 2 else (h, w)


def _mark_side_px(layout: FormLayout, dpi: float) -> float:
    x0, _, x1, _ = layout.registration_marks[0]
    return (x1 - x0) * dpi / 72


def _best_by_marks(
    scan: Scan, *, marks_low: list, turns: list[int], pages: list[int], layout: FormLayout
) -> PageFrame | None:
    """The (turn, page) whose mark-based alignment best matches the template's lines."""
    dst = mark_centres_pt(layout) * scan.dpi / 72
    side = _mark_side_px(layout, scan.dpi)
    best: PageFrame | None = None
    for turn in turns:
        found = _marks_upright(scan, marks_low, turn, side)
        h = homography_from_marks(found, dst_px=dst)
        if h is None:
            continue
        agree = marks_agreement(found, dst_px=dst, dpi=scan.dpi)
        for page in pages:
            q = score_page(scan, h_full=h, turn=turn, layout=layout, page=page)
            if best is None or q > best.quality:
                best = PageFrame(form_page=page, turn_ccw=turn, homography=h, quality=q,
                                 method="marks", marks_quality=agree)  # fmt: skip
    return best


def _marks_near(scan: Scan, *, h: np.ndarray, turn: int, layout: FormLayout) -> list:
    """Marks searched within 60 pt of where ``h`` predicts them (upright coordinates)."""
    dst = mark_centres_pt(layout) * scan.dpi / 72
    pred = cv2.perspectiveTransform(dst[None].astype(np.float64), np.linalg.inv(h))[0]
    up = turn_image(scan.gray, turn)
    side = _mark_side_px(layout, scan.dpi)
    return [_mark_near(up, p, radius=int(60 * scan.dpi / 72), side=side) for p in pred]


def _frame_from_qr(
    scan: Scan, *, qr: QrRead, turn: int, layout: FormLayout, page: int
) -> PageFrame:
    """Fallback when the marks were not found globally: start from the QR and refine."""
    coarse = search_qr_similarity(scan, corners=qr.corners, turn=turn, layout=layout, page=page)
    dst = mark_centres_pt(layout) * scan.dpi / 72
    found = _marks_near(scan, h=coarse, turn=turn, layout=layout)
    h = homography_from_marks(found, dst_px=dst)
    h, method = (coarse, "qr+lines") if h is None else (h, "qr+marks")
    q = score_page(scan, h_full=h, turn=turn, layout=layout, page=page)
    agree = marks_agreement(found, dst_px=dst, dpi=scan.dpi) if method == "qr+marks" else 0.0
    return PageFrame(form_page=page, turn_ccw=turn, homography=h, quality=q, method=method,
                     qr=qr, marks_quality=agree)  # fmt: skip


def locate_form_page(gray: np.ndarray, *, dpi: int, layout: FormLayout) -> PageFrame | None:
    """Tell whether ``gray`` is a form page and, if so, which one and how to align it.

    Returns None for a page that is not the form: no ministry QR code and no registration
    marks whose alignment fits a template page. A page the QR names is always returned; its
    ``quality`` says whether it could be aligned.
    """
    qr = read_qr(gray, dpi=dpi)
    parsed = qr.parsed if qr else None
    scan = Scan.of(gray, dpi)
    marks_low = find_marks(scan.low, dpi=LOW_DPI, layout=layout)
    marks_found = sum(m is not None for m in marks_low)
    if parsed is None and marks_found == 2:
        # Two corner marks where the template has them, too few to align by: a form page,
        # likely, whose QR a speckled copy hid at the cheap resolution. Read it again at full
        # (~0.4 s, only here; with three marks or more the page aligns by them).
        qr = read_qr(gray, dpi=dpi, at_dpi=dpi) or qr
        parsed = qr.parsed if qr else None
    if parsed is None and marks_found < 3:
        return None
    if qr is not None and parsed is not None:
        turns, pages = [qr_turn(qr)], [parsed[1]]
    else:
        turns = [0, 180] if gray.shape[0] >= gray.shape[1] else [90, 270]
        pages = list(range(1, layout.pages + 1))
    best = _best_by_marks(scan, marks_low=marks_low, turns=turns, pages=pages, layout=layout)
    if qr is not None and parsed is not None:
        if best is None or best.overall < MIN_PAGE_QUALITY:
            fallback = _frame_from_qr(scan, qr=qr, turn=turns[0], layout=layout, page=pages[0])
            best = fallback if best is None or fallback.overall > best.overall else best
        best = replace(best, qr=qr)
    elif best is None:
        return None
    else:
        # The QR where the aligned page has it names the page; else the box lines must.
        best = _with_qr_in_place(scan, best, layout=layout)
        if best.qr is None and best.quality < MIN_PAGE_QUALITY:
            return None
    log.debug("form page %d turn=%d method=%s quality=%.2f marks=%.2f", best.form_page,
              best.turn_ccw, best.method, best.quality, best.marks_quality)  # fmt: skip
    return best


def _with_qr_in_place(scan: Scan, frame: PageFrame, *, layout: FormLayout) -> PageFrame:
    """Read the QR where the aligned page has it; a readable one names the page.

    The QR found this way keeps no corners (they are not needed once the page is aligned).
    """
    up = turn_image(scan.gray, frame.turn_ccw)
    text = read_qr_in_place(up, h=frame.homography, dpi=scan.dpi, layout=layout,
                            page=frame.form_page)  # fmt: skip
    qr = QrRead(text=text, corners=np.zeros((4, 2))) if text else None
    parsed = qr.parsed if qr else None
    if parsed is None:
        return frame
    quality = frame.quality
    if parsed[1] != frame.form_page:
        quality = score_page(scan, h_full=frame.homography, turn=frame.turn_ccw, layout=layout,
                             page=parsed[1])  # fmt: skip
    return replace(frame, form_page=parsed[1], quality=quality, qr=qr)
