"""Cleaning a rendered page for OCR: resolution, copier borders, noise, orientation, skew.

Contract with ``quality``: in the cleaned image, pixels outside the scanned paper (whitened
copier borders, corners uncovered by deskewing) are exactly 255 and the paper itself is at most
254, so completeness checks can still tell where the paper ended.
"""

from __future__ import annotations

import logging
import re

import cv2
import numpy as np

from extractors.ocr import detect_orientation, is_real_word, read_words
from schemas.config import OcrConfig, PreprocessConfig
from schemas.ocr import CleanInfo, PageOcr

log = logging.getLogger(__name__)

#: Value of pixels that are not paper (see module docstring); paper is clipped below it.
OUTSIDE = 255
#: Border and skew analysis run on a copy at this resolution: coarse shapes, fast.
_BORDER_DPI = 75
_SKEW_DPI = 150
_OSD_DPI = 200
#: OSD confidence above which "upright" needs no second opinion. Text pages score 9-30; the
#: form 4-10; passport pages up to 8.6 for the wrong answer. Proposed turns are always checked.
_OSD_SURE = 10.0
#: Reading check (``_orientation_by_reading``): share of the height read, words read well
#: needed, share of words read well that settles it alone, lead over the other turn.
_READ_BAND = 0.35
_READ_MIN_WORDS = 4
_READ_GOOD_SHARE = 0.4
_READ_MARGIN = 3
#: Grey paper is scaled up to this level.
_PAPER_WHITE = 245
#: Solid dark regions are at least this thick (in); text strokes, even bold, are thinner.
_SOLID_IN = 0.07
#: A copier border runs along at least this share of one edge of the image.
_BAND_MIN_SHARE = 0.2
#: Whitened borders grow this far (in) to take the grey fringe at the paper's edge.
_FRINGE_IN = 0.015
#: Skew search: coarse grid, then two finer passes around the best angle (degrees).
_SKEW_STEPS = (0.5, 0.1, 0.02)
_SKEW_MAX_POINTS = 250_000
_SKEW_COARSE_POINTS = 60_000
#: Fewer ink pixels than this share of the page: too little text to measure a skew.
_SKEW_MIN_INK = 0.001


def _resample(image: np.ndarray, dpi: int, target_dpi: int) -> tuple[np.ndarray, int]:
    """Downsample to ``target_dpi`` if sharper; never upsample (it adds no detail)."""
    if dpi <= target_dpi:
        return image, dpi
    scale = target_dpi / dpi
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return small, target_dpi


def _scaled(image: np.ndarray, dpi: int, work_dpi: int) -> tuple[np.ndarray, float]:
    scale = min(1.0, work_dpi / dpi)
    if scale == 1.0:
        return image, 1.0
    return cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), scale


def _dark_mask(gray: np.ndarray) -> np.ndarray:
    """Ink and borders (1) against paper (0), by Otsu's threshold capped for pale pages."""
    thresh, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # A nearly empty page has Otsu split the paper's own grain: never call light grey ink.
    return (gray <= min(thresh, 160)).astype(np.uint8)


def solid_regions(dark: np.ndarray, *, dpi: float) -> np.ndarray:
    """Dark regions thicker than any text stroke (borders, photos, filled marks)."""
    k = max(3, round(_SOLID_IN * dpi) | 1)
    closed = cv2.morphologyEx(dark, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    return cv2.morphologyEx(closed, cv2.MORPH_OPEN, np.ones((k, k), np.uint8))


def _edge_bands(labels: np.ndarray) -> list[int]:
    """Labels of regions running along an edge; a photo merely touching one is content.

    A ragged border can break into islands, so an edge's regions are taken together: when
    they cover ``_BAND_MIN_SHARE`` of that edge, all of them are border.
    """
    keep: set[int] = set()
    for edge in (labels[0, :], labels[-1, :], labels[:, 0], labels[:, -1]):
        found = edge[edge > 0]
        if found.size >= _BAND_MIN_SHARE * edge.size:
            keep.update(int(f) for f in np.unique(found))
    return sorted(keep)


def _bands(mask: np.ndarray) -> np.ndarray:
    """The regions of ``mask`` that run along an edge of the image."""
    count, labels = cv2.connectedComponents(mask, connectivity=4)
    return labels_mask(labels, count, _edge_bands(labels)).astype(np.uint8)


def labels_mask(labels: np.ndarray, count: int, wanted) -> np.ndarray:
    """Pixels whose label is one of ``wanted``, through a lookup table: ``np.isin`` would
    sort a copy of the whole label image (about 250 MB of temporaries at 300 dpi)."""
    table = np.zeros(max(count, 1), bool)
    table[np.asarray(wanted, dtype=np.int64)] = True
    return table[labels]


def border_mask(gray: np.ndarray, *, dpi: int, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """Copier borders as a bool mask of ``shape`` (default: the image's own).

    A border is a dark region running along an edge: a solid one (thicker than any stroke,
    so text touching it stays out), or a thin sliver inside the outermost strip.
    """
    small, scale = _scaled(gray, dpi, _BORDER_DPI)
    dark = _dark_mask(small)
    border = _bands(solid_regions(dark, dpi=dpi * scale))
    strip = max(2, round(_SOLID_IN * dpi * scale))
    outer = dark.copy()
    outer[strip:-strip, strip:-strip] = 0
    border |= _bands(outer)
    h, w = (shape or gray.shape)[:2]
    if not border.any():
        return np.zeros((h, w), bool)
    grow = max(1, round(_FRINGE_IN * dpi * scale))
    border = cv2.dilate(border, np.ones((2 * grow + 1, 2 * grow + 1), np.uint8))
    return cv2.resize(border, (w, h), interpolation=cv2.INTER_NEAREST).astype(bool)


def _denoise(gray: np.ndarray, dpi: int) -> np.ndarray:
    """Median 3x3 at scan resolutions: takes toner specks and grain, keeps 300-dpi strokes."""
    return cv2.medianBlur(gray, 3) if dpi >= 200 else gray


def _osd(gray: np.ndarray, *, dpi: int, ocr_cfg: OcrConfig,
         min_conf: float) -> tuple[int, float]:
    """Tesseract OSD on a 200-dpi copy (a form's 8-pt labels are misread at 150 dpi, even
    turned 180 degrees with confidence 5), then at full resolution if it found no answer
    worth checking (faint small print can need it)."""
    turn, conf = 0, 0.0
    for work_dpi in (_OSD_DPI, dpi):
        small, scale = _scaled(gray, dpi, work_dpi)
        turn, conf = detect_orientation(small, cfg=ocr_cfg, dpi=round(dpi * scale))
        if conf >= min_conf or scale == 1.0:
            break
    return turn, conf


#: Angles (degrees) at which the ink is projected to tell rows of text from columns: a line
#: 1.5 degrees off the nearest angle tried blurs its profile as much as a table's columns do.
_SIDEWAYS_ANGLES = np.arange(-4.0, 4.01, 0.5)


#: Ink projecting this much more sharply onto columns than onto rows is text running up and
#: down beyond doubt. Prose turned 90 degrees measures 3.4-9.8 (0.1-0.3 upright); forms,
#: tables, bills and identity pages are ambiguous (0.5-2.5 either way), so they are read as
#: they are first.
_CLEARLY_SIDEWAYS = 2.5


def _column_ratio(gray: np.ndarray, *, dpi: float) -> float:
    """How much more sharply the ink projects onto columns than onto rows (1.0: no ink)."""
    points = _ink_points(gray, dpi=round(dpi))
    if points is None:
        return 1.0
    xs, ys, size = points
    level = max(_profile_score(xs, ys, a, size) for a in _SIDEWAYS_ANGLES)
    upright = max(_profile_score(xs, ys, a, size) for a in 90.0 + _SIDEWAYS_ANGLES)
    return upright / level if level else 1.0


def _sideways(gray: np.ndarray, *, dpi: float) -> bool:
    """Whether the text lines more likely run up and down: ink projects more sharply onto
    columns (a first guess, for the reading check)."""
    return _column_ratio(gray, dpi=dpi) > 1.0


def _text_band(gray: np.ndarray) -> np.ndarray:
    """The horizontal band (``_READ_BAND`` of the height) holding the most ink: enough text to
    tell upright from upside down at a fraction of a whole page's OCR time."""
    h = gray.shape[0]
    band = max(1, round(_READ_BAND * h))
    rows = (gray < 128).sum(axis=1).astype(np.float64)
    totals = np.convolve(rows, np.ones(band), mode="valid")
    top = int(np.argmax(totals)) if totals.size else 0
    return gray[top:top + band]


def _reads_upright(gray: np.ndarray, turn: int, *, dpi: int, ocr_cfg: OcrConfig,
                   page_no: int) -> tuple[int, float]:
    """Words (letters only, 3+) Tesseract reads as real words at confidence 80+ in the page's
    densest band turned so, and their share of all words there. Digits do not count: read
    upside down they are digits still ("2026" gives "9202")."""
    band = _text_band(rotate_ccw(gray, turn))
    good, words = _good_words(read_words(band, page_no=page_no, cfg=ocr_cfg, dpi=dpi))
    return good, good / max(1, words)


def _good_words(ocr: PageOcr) -> tuple[int, int]:
    """Words of 3+ characters, and how many of them are letter words Tesseract read as real
    words at confidence 80+: (good, all)."""
    words = [w for w in ocr.words if len(w.text) >= 3]
    good = sum(1 for w in words if w.conf >= 80 and w.text.isalpha() and is_real_word(w.text))
    return good, len(words)


def _orientation_by_reading(gray: np.ndarray, *, dpi: int, ocr_cfg: OcrConfig, page_no: int,
                            osd_turn: int | None) -> int | None:
    """The turn under which the page reads as words, on a 200-dpi copy.

    The candidates are the two turns on OSD's axis (OSD tells upright from sideways well even
    where it mistakes upside down), else on the axis the projection profiles show. OSD's own
    answer is read first and kept if most of it reads as words (upright text measured 0.35-1,
    upside down 0-0.16); else the other turn is read too, and one wins with
    ``_READ_MARGIN`` times the other's good words. ``None`` when neither does.
    """
    small, scale = _scaled(gray, dpi, _OSD_DPI)
    if _ink_points(small, dpi=round(dpi * scale)) is None:
        return None
    first = osd_turn if osd_turn is not None else 90 * _sideways(small, dpi=dpi * scale)
    second, work_dpi = (first + 180) % 360, round(dpi * scale)
    good, share = _reads_upright(small, first, dpi=work_dpi, ocr_cfg=ocr_cfg, page_no=page_no)
    if good >= _READ_MIN_WORDS and share >= _READ_GOOD_SHARE:
        return first
    other, _ = _reads_upright(small, second, dpi=work_dpi, ocr_cfg=ocr_cfg, page_no=page_no)
    for turn, mine, theirs in ((second, other, good), (first, good, other)):
        if mine >= _READ_MIN_WORDS and mine >= _READ_MARGIN * (theirs + 1):
            return turn
    return None


def _orientation(gray: np.ndarray, *, dpi: int, cfg: PreprocessConfig,
                 ocr_cfg: OcrConfig, page_no: int) -> int:
    """Counter-clockwise turn to upright.

    A sure "already upright" from OSD is taken as is. Any turn OSD proposes, and any unsure
    answer, is checked by reading: OSD turned passport pages 180 degrees at confidence up to
    8.6 and called an upside-down one upright at 5.5. If the reading is inconclusive, OSD is
    trusted from ``cfg.osd_min_confidence``, else the page is left as it is.
    """
    if _ink_points(gray, dpi=dpi) is None:
        return 0  # a page without text has no orientation; OSD would spend a second on it
    turn, conf = _osd(gray, dpi=dpi, ocr_cfg=ocr_cfg, min_conf=cfg.osd_min_confidence)
    trusted = conf >= cfg.osd_min_confidence
    if turn == 0 and trusted and conf >= _OSD_SURE:
        return 0
    read = _orientation_by_reading(gray, dpi=dpi, ocr_cfg=ocr_cfg, page_no=page_no,
                                   osd_turn=turn if trusted else None)
    if read is not None:
        if read != turn:
            log.info("page %d: turned %d by reading, not %d (OSD conf %.2f)", page_no, read,
                     turn, conf)
        return read
    if trusted:
        return turn
    log.info("page %d: orientation unknown (OSD %d, conf %.2f); kept as is", page_no, turn, conf)
    return 0


def _whiten_paper(gray: np.ndarray, outside: np.ndarray) -> np.ndarray:
    """Scale a grey copy so its paper is near white. Tesseract binarises with one global
    Otsu threshold: grey paper next to white (whitened borders) would all turn black."""
    paper = gray[~outside][::7]
    if paper.size == 0:
        return gray
    level = float(np.percentile(paper, 75))
    if level >= _PAPER_WHITE:
        return gray
    return cv2.convertScaleAbs(gray, alpha=_PAPER_WHITE / max(level, 1.0))


def rotate_ccw(image: np.ndarray, degrees: int) -> np.ndarray:
    """Turn an image counter-clockwise by a multiple of 90 degrees, losslessly."""
    codes = {90: cv2.ROTATE_90_COUNTERCLOCKWISE, 180: cv2.ROTATE_180,
             270: cv2.ROTATE_90_CLOCKWISE}
    return image if degrees % 360 == 0 else cv2.rotate(image, codes[degrees % 360])


def _profile_score(xs: np.ndarray, ys: np.ndarray, angle: float, size: int) -> float:
    """Sharpness of the row profile of ink projected along ``angle``: peaks when lines align."""
    t = np.deg2rad(angle)
    rows = (ys * np.cos(t) + xs * np.sin(t) + size / 2).astype(np.int32)
    hist = np.bincount(rows, minlength=size + 1).astype(np.float64)
    return float(np.sum(np.diff(hist) ** 2))


def _ink_points(gray: np.ndarray, *, dpi: int) -> tuple[np.ndarray, np.ndarray, int] | None:
    """Centred coordinates of text-like ink on a small copy, photos and bars left out."""
    small, scale = _scaled(gray, dpi, _SKEW_DPI)
    dark = _dark_mask(small)
    ink = dark & (1 - solid_regions(dark, dpi=dpi * scale)) & (small < OUTSIDE)
    ys, xs = np.nonzero(ink)
    if len(xs) < _SKEW_MIN_INK * ink.size:
        return None
    if len(xs) > _SKEW_MAX_POINTS:
        keep = np.random.default_rng(0).choice(len(xs), _SKEW_MAX_POINTS, replace=False)
        ys, xs = ys[keep], xs[keep]
    h, w = small.shape
    size = int(np.hypot(h, w)) + 2
    return xs.astype(np.float32) - w / 2, ys.astype(np.float32) - h / 2, size


def measure_skew(gray: np.ndarray, *, dpi: int, max_deg: float) -> float:
    """Skew of the text lines in degrees, positive when content is turned counter-clockwise.

    Projection-profile search: the ink is projected onto rows for each candidate angle and the
    angle with the sharpest profile wins, on a coarse grid then two finer ones. The coarse
    grid reaches well past ``max_deg`` so a page skewed beyond it is recognised as such (and
    left alone, returning 0) instead of settling on a lesser in-range peak. Also 0 when the
    page has too little ink.
    """
    points = _ink_points(gray, dpi=dpi)
    if points is None:
        return 0.0
    xs, ys, size = points
    coarse = slice(None, None, max(1, len(xs) // _SKEW_COARSE_POINTS))
    best, span = 0.0, max(1.5 * max_deg, max_deg + 5.0)
    for step in _SKEW_STEPS:
        grid = np.arange(best - span, best + span + step / 2, step)
        sx, sy = (xs[coarse], ys[coarse]) if step == _SKEW_STEPS[0] else (xs, ys)
        scores = [_profile_score(sx, sy, a, size) for a in grid]
        best, span = float(grid[int(np.argmax(scores))]), step
    return round(best, 2) if abs(best) <= max_deg else 0.0


def _deskew(gray: np.ndarray, skew_deg: float) -> np.ndarray:
    """Turn the page by ``-skew_deg``; uncovered corners become outside-the-paper white."""
    if abs(skew_deg) < 0.05:
        return gray
    h, w = gray.shape
    # OpenCV's positive angle is counter-clockwise as displayed; undo the measured skew.
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -skew_deg, 1.0)
    return cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=OUTSIDE)


def _resampled(image: np.ndarray, *, dpi: int,
               ocr_cfg: OcrConfig) -> tuple[np.ndarray, np.ndarray, int]:
    """The page at OCR resolution, its copier borders (``border_mask``), and its resolution."""
    gray, dpi = _resample(np.ascontiguousarray(image, dtype=np.uint8), dpi, ocr_cfg.ocr_dpi)
    return gray, border_mask(gray, dpi=dpi), dpi


def _prepared(gray: np.ndarray, outside: np.ndarray, *, dpi: int, denoise: bool) -> np.ndarray:
    """A new image: copier borders whitened, denoised if asked, paper scaled to white
    (see ``clean_and_read``); ``gray`` is left as it is, to be prepared again otherwise."""
    if denoise:
        gray = _denoise(gray, dpi)
    gray = np.minimum(_whiten_paper(gray, outside), OUTSIDE - 1)
    gray[outside] = OUTSIDE
    return gray


def _straightened(gray: np.ndarray, *, dpi: int, cfg: PreprocessConfig) -> tuple[np.ndarray, float]:
    skew = measure_skew(gray, dpi=dpi, max_deg=cfg.max_skew_deg)
    return _deskew(gray, skew), skew


#: Paper darker than this (grey level) in ``_EMPTY_DARK_SHARE`` of the page or more is
#: marks of some kind (faint text, a smear): such a page is read, however little ink it has.
_EMPTY_DARKEST = 200
_EMPTY_DARK_SHARE = _SKEW_MIN_INK


def is_empty(gray: np.ndarray, *, dpi: int) -> bool:
    """Whether a prepared page holds nothing to read: nothing darker than light grey but dust.
    Duplex scans give one such back per sheet; OCR would spend most of a second on each to
    read nothing.

    Text-like ink (``_ink_points``) is a part of what is darker than light grey, measured on
    the same small copy against the same share: an empty page has too little of it too.
    """
    small, _ = _scaled(gray, dpi, _SKEW_DPI)
    paper = small[small < OUTSIDE]
    return paper.size == 0 or float((paper < _EMPTY_DARKEST).mean()) < _EMPTY_DARK_SHARE


def reads_as_words(ocr: PageOcr) -> bool:
    """Whether a page's OCR is real text read the right way up: at least ``_READ_MIN_WORDS``
    letter words read well, and ``_READ_GOOD_SHARE`` of all its words of 3+ characters (the
    test ``_reads_upright`` applies to a band, here applied to a whole page)."""
    good, words = _good_words(ocr)
    return good >= _READ_MIN_WORDS and good >= _READ_GOOD_SHARE * words


_ZONE_UPSIDE_DOWN = re.compile(r">{6,}")
_ZONE_UPRIGHT = re.compile(r"<{6,}")
#: A page turned because its zone read upside down is kept turned on less: fillers read
#: ``<<<<`` (Tesseract, without an OCR-B model, reads many of them K, E or L) outnumbering
#: any ``>`` read.
_ZONE_TURNED_UPRIGHT = re.compile(r"<{4,}")


def zone_reads_upright(ocr: PageOcr) -> bool:
    """Whether the page holds a machine-readable zone read the right way up: its fillers
    ``<<<<<<`` come out as such only from an upright page (upside down they read ``>>>>>>``,
    sideways not at all). An identity page's sparse text and photo often fail
    ``reads_as_words``; its zone proves it upright all the same."""
    text = ocr.text
    return bool(_ZONE_UPRIGHT.search(text)) and not _ZONE_UPSIDE_DOWN.search(text)


def zone_reads_upside_down(ocr: PageOcr) -> bool:
    """The converse of ``zone_reads_upright``: fillers read ``>>>>>>`` only."""
    text = ocr.text
    return bool(_ZONE_UPSIDE_DOWN.search(text)) and not _ZONE_UPRIGHT.search(text)


def upright_by_zone(
    image: np.ndarray, info: CleanInfo, ocr: PageOcr, *, ocr_cfg: OcrConfig
) -> tuple[np.ndarray, CleanInfo, PageOcr]:
    """Turn a page whose machine-readable zone reads upside down.

    A zone's fillers ``<<<<<<`` read as ``>>>>>>`` (and never the right way round) say the page
    lies upside down: orientation detection is least sure on identity papers, whose sparse text
    and photo give it little to go on. The page is turned and read again, and kept turned only
    if its zone now reads the right way up (``_ZONE_TURNED_UPRIGHT``).
    """
    if not zone_reads_upside_down(ocr):
        return image, info, ocr
    turned = rotate_ccw(image, 180)
    again = read_words(turned, page_no=info.page_no, cfg=ocr_cfg, dpi=info.dpi)
    text = again.text
    if not _ZONE_TURNED_UPRIGHT.search(text) or text.count(">") >= text.count("<"):
        return image, info, ocr
    log.info("page %d: machine-readable zone upside down, turned", info.page_no)
    turn = (info.rotation_deg + 180) % 360
    return turned, info.model_copy(update={"rotation_deg": turn}), again


def clean_and_read(image: np.ndarray, *, page_no: int, dpi: int, cfg: PreprocessConfig,
                   ocr_cfg: OcrConfig) -> tuple[np.ndarray, CleanInfo, PageOcr]:
    """Make a rendered page upright, straight and clean, and OCR it.

    Steps: downsample to ``ocr_cfg.ocr_dpi`` if sharper; whiten dark copier borders touching
    the edges; median denoise; scale grey paper to white; then orientation and skew.

    A page with nothing on it (``is_empty``) is not read at all. Most pages arrive upright,
    and the OCR that has to be done anyway is the best proof of it: a page is straightened
    and read as it is, and if it reads as words (``reads_as_words``) nothing more is spent
    on orientation. A page that does not is read again without the
    median filter (small print suffers from it), and a machine-readable zone read the right
    way up proves it upright too. Only a page that still does not read, or whose lines clearly
    run up and down (``_CLEARLY_SIDEWAYS``), goes through orientation detection (Tesseract OSD
    with a reading check, ``_orientation``), and is read again if it had to be turned. Last,
    a machine-readable zone read upside down turns the page (``upright_by_zone``).
    Orientation detection used to cost as much as the OCR itself on every page.

    Returns:
        The cleaned 8-bit image (outside-the-paper pixels 255, paper at most 254), what was
        done to it, and its OCR.
    """
    raw, outside, dpi = _resampled(image, dpi=dpi, ocr_cfg=ocr_cfg)
    gray = _prepared(raw, outside, dpi=dpi, denoise=cfg.denoise)
    turn, ocr = 0, None
    if is_empty(gray, dpi=dpi):
        h, w = gray.shape
        info = CleanInfo(page_no=page_no, dpi=dpi, width_px=w, height_px=h)
        return gray, info, PageOcr(page_no=page_no, source="none")
    if _column_ratio(gray, dpi=dpi) >= _CLEARLY_SIDEWAYS:
        turn = _orientation(gray, dpi=dpi, cfg=cfg, ocr_cfg=ocr_cfg, page_no=page_no)
    else:
        page, skew = _straightened(gray, dpi=dpi, cfg=cfg)
        ocr = read_words(page, page_no=page_no, cfg=ocr_cfg, dpi=dpi)
        if cfg.denoise and not reads_as_words(ocr):
            # The median filter that takes a copy's grain also breaks the one-pixel strokes
            # of small print (identity papers above all): read such a page unfiltered too,
            # and keep the reading with more real words.
            plain = _prepared(raw, outside, dpi=dpi, denoise=False)
            plain_page = _deskew(plain, skew)
            plain_ocr = read_words(plain_page, page_no=page_no, cfg=ocr_cfg, dpi=dpi)
            if _good_words(plain_ocr)[0] > _good_words(ocr)[0]:
                gray, page, ocr = plain, plain_page, plain_ocr
        if not reads_as_words(ocr) and not zone_reads_upright(ocr):
            turn = _orientation(page, dpi=dpi, cfg=cfg, ocr_cfg=ocr_cfg, page_no=page_no)
    if turn or ocr is None:
        page, skew = _straightened(rotate_ccw(gray, turn), dpi=dpi, cfg=cfg)
        ocr = read_words(page, page_no=page_no, cfg=ocr_cfg, dpi=dpi)
    h, w = page.shape
    log.debug("page %d cleaned: turn %d, skew %.2f, %dx%d at %d dpi", page_no, turn, skew,
              w, h, dpi)
    info = CleanInfo(page_no=page_no, rotation_deg=turn, skew_deg=skew, dpi=dpi,
                     width_px=w, height_px=h)
    return upright_by_zone(page, info, ocr, ocr_cfg=ocr_cfg)
