"""Tesseract: the only module that calls it.

Two ways to the same engine: in the process, engines kept loaded (``extractors.tess_api``,
when tesserocr is installed: the default), or the ``tesseract`` command through pytesseract,
one process per call. ``INTAKE_OCR_ENGINE=cli`` forces the command line (a library crash then
costs one call, not the process); both give the same words.

Raw output is turned into typed objects at this boundary: ``image_to_data`` columns become
``OcrWord`` rows, OSD text becomes a (turn, confidence) pair. Engine failures become
``extractors.errors`` exceptions; a page that times out becomes a ``PageOcr`` with an ``Issue``.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shlex

import numpy as np
import pytesseract
from PIL import Image
from pytesseract import Output, TesseractError, TesseractNotFoundError

from extractors import tess_api
from extractors.errors import OcrEngineError, OcrEngineMissingError
from schemas.base import PixelBox
from schemas.config import OcrConfig
from schemas.ocr import Issue, OcrWord, PageOcr

log = logging.getLogger(__name__)

#: Tesseract's own message when OSD finds too little text to decide.
_TOO_FEW_CHARACTERS = "Too few characters"
#: Messages meaning a language pack or the engine's data is missing, not a bad page.
_MISSING_DATA = ("Failed loading language", "Error opening data file", "Could not initialize")
#: White margin added around a single-line crop: Tesseract misreads glyphs touching the edge.
_LINE_PAD_PX = 12
_LINE_TIMEOUT_S = 30
_OSD_DPI = 150

_VOWELS = set("aeiouyàâäéèêëîïôöùûüÿæœAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸÆŒ")
_LETTERS = re.compile(r"^[^\W\d_]+(?:[-'’][^\W\d_]+)*$")
_NUMBER = re.compile(r"^\d+(?:[-/.,:]\d+)*$")
_CONSONANT_RUN = re.compile(r"[^\W\d_aeiouyàâäéèêëîïôöùûüÿæœ]{5,}", re.IGNORECASE)
_EDGE_PUNCT = "\"'«»“”‘’()[]{}<>.,;:!?*"


def is_real_word(token: str) -> bool:
    """Whether an OCR or text-layer token looks like a French or English word or a number.

    Without a dictionary: letters only (hyphens and apostrophes inside), at least one vowel,
    no run of five consonants, no lower-to-upper case switch inside
    ("tHe" is OCR noise); or a number, a date or a code made of digits.
    """
    core = token.strip(_EDGE_PUNCT)
    if len(core) < 2:
        return False
    if _NUMBER.match(core):
        return True
    if not _LETTERS.match(core):
        return False
    if not _VOWELS.intersection(core):
        return False
    if _CONSONANT_RUN.search(core):
        return False
    return not re.search(r"[a-zà-ÿ][A-ZÀ-Ý]", core)


def real_word_count(text: str) -> int:
    """Number of whitespace-separated tokens of ``text`` that look like real words."""
    return sum(is_real_word(t) for t in text.split())


def in_process() -> bool:
    """Whether Tesseract runs in this process (``extractors.tess_api``) or as a command."""
    choice = os.environ.get("INTAKE_OCR_ENGINE", "auto").strip().lower()
    if choice == "cli":
        return False
    if choice == "api" and not tess_api.available():
        raise OcrEngineMissingError("INTAKE_OCR_ENGINE=api but tesserocr is not installed")
    return choice == "api" or _same_engine()


@functools.cache
def _same_engine() -> bool:
    """Whether tesserocr runs the command line's Tesseract. A tesserocr wheel bundles a
    Tesseract of its own, which reads a little differently from the one the thresholds were
    set with (and looks for its language data elsewhere): the command line serves then."""
    if not tess_api.available():
        return False
    try:
        command = str(pytesseract.get_tesseract_version())
    except (TesseractNotFoundError, OSError):
        return True  # the library is the only Tesseract there is
    if tess_api.version() != command:
        log.warning("tesserocr runs Tesseract %s, the command line %s: using the command line"
                    " (install tesserocr with pip's --no-binary tesserocr)",
                    tess_api.version(), command)
        return False
    return True


class _TimedOut(Exception):
    """Tesseract stopped at its time limit, whichever engine ran it."""


def _image_data(image: np.ndarray, *, what: str, lang: str, oem: int, psm: int,
                dpi: int | None, timeout_s: float, whitelist: str = "") -> dict[str, list]:
    """``image_to_data`` columns from the engine in use (``in_process``), its failures as
    intake errors whichever it is, and its time limit reached as ``_TimedOut``."""
    _prepare_env()
    if in_process():
        try:
            return tess_api.image_data(image, lang=lang, oem=oem, psm=psm, dpi=dpi,
                                       timeout_s=timeout_s, whitelist=whitelist)
        except tess_api.EngineTimeout as e:
            raise _TimedOut from e
        except tess_api.EngineError as e:
            raise OcrEngineError(f"Tesseract failed on {what} ({e})") from e
        except RuntimeError as e:  # tesserocr could not initialise the language
            raise OcrEngineMissingError(f"Tesseract language data missing for {what}") from e
    extra = f"-c {shlex.quote(f'tessedit_char_whitelist={whitelist}')}" if whitelist else ""
    config = _config(oem=oem, psm=psm, dpi=dpi, extra=extra)
    log.debug("tesseract on %s lang=%s config=%s", what, lang, config)
    try:
        return pytesseract.image_to_data(_as_pil(image), lang=lang, config=config,
                                         output_type=Output.DICT, timeout=timeout_s)
    except TesseractNotFoundError as e:
        raise OcrEngineMissingError("Tesseract is not installed or not on PATH") from e
    except TesseractError as e:
        raise _translate(e, what) from e
    except RuntimeError as e:  # pytesseract signals its timeout with a bare RuntimeError
        if "timeout" not in str(e).lower():
            raise
        raise _TimedOut from e


def _prepare_env() -> None:
    """Keep Tesseract single-threaded: Debian's OpenMP build is ~3x slower on 2 shared cores."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def _as_pil(image: np.ndarray) -> Image.Image:
    """Wrap an array for pytesseract, which writes it to a temp file in the image's format."""
    pil = Image.fromarray(np.ascontiguousarray(image))
    pil.format = "PPM"  # PGM/PPM is written instantly; the default PNG costs ~0.2 s a page
    return pil


def _translate(e: TesseractError, what: str) -> Exception:
    """Turn a TesseractError into the intake error it means (missing data or engine failure)."""
    message = str(getattr(e, "message", "") or e)
    if any(marker in message for marker in _MISSING_DATA):
        return OcrEngineMissingError(f"Tesseract language data missing for {what}")
    return OcrEngineError(f"Tesseract failed on {what} (status {getattr(e, 'status', '?')})")


def _config(*, oem: int, psm: int, dpi: int | None = None, extra: str = "") -> str:
    parts = [f"--oem {oem}", f"--psm {psm}"]
    if dpi:
        parts.append(f"--dpi {dpi}")  # PPM carries no resolution; stop Tesseract guessing it
    if extra:
        parts.append(extra)
    return " ".join(parts)


def _box(data: dict[str, list], i: int) -> PixelBox:
    left, top = int(data["left"][i]), int(data["top"][i])
    return left, top, left + int(data["width"][i]), top + int(data["height"][i])


def words_from_data(data: dict[str, list]) -> tuple[OcrWord, ...]:
    """``image_to_data`` columns to words: rows with conf -1 (layout rows) or no text dropped.

    ``line`` numbers each (block, paragraph, line) triple in reading order, unique in the page.
    """
    lines: dict[tuple[int, int, int], int] = {}
    words = []
    for i, text in enumerate(data["text"]):
        conf = float(data["conf"][i])
        if conf < 0 or not str(text).strip():
            continue
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        line = lines.setdefault(key, len(lines))
        words.append(OcrWord(text=str(text).strip(), conf=conf, bbox=_box(data, i),
                             block=key[0], line=line))
    return tuple(words)


def read_words(image: np.ndarray, *, page_no: int, cfg: OcrConfig,
               dpi: int | None = None) -> PageOcr:
    """OCR a cleaned page into words with confidences.

    Args:
        image: 8-bit grayscale, upright.
        page_no: 1-based packet page number, carried into the result.
        cfg: language, engine and page-segmentation modes, time limit.
        dpi: resolution of ``image``, passed to Tesseract (recommended).

    Raises:
        OcrEngineMissingError: Tesseract or a language pack is not installed.
        OcrEngineError: Tesseract failed for a reason that is not the page's.
    """
    try:
        data = _image_data(image, what=f"page {page_no}", lang=cfg.lang, oem=cfg.oem,
                           psm=cfg.psm, dpi=dpi, timeout_s=cfg.timeout_s)
    except _TimedOut:
        log.warning("tesseract timed out after %d s on page %d", cfg.timeout_s, page_no)
        issue = Issue(stage="ocr", code="ocr_timeout", page_no=page_no,
                      message=f"OCR stopped after {cfg.timeout_s} s; page left unread")
        return PageOcr(page_no=page_no, source="none", issues=(issue,))
    words = words_from_data(data)
    log.debug("page %d: %d words", page_no, len(words))
    return PageOcr(page_no=page_no, words=words, source="tesseract")


def detect_orientation(image: np.ndarray, *, cfg: OcrConfig,
                       dpi: int | None = None) -> tuple[int, float]:
    """Turn that makes a page upright, by Tesseract OSD.

    Returns:
        (degrees to rotate counter-clockwise: 0, 90, 180 or 270; OSD confidence). A page with
        too little text for OSD gives ``(0, 0.0)``.

    Raises:
        OcrEngineMissingError, OcrEngineError: as ``read_words``.
    """
    _prepare_env()
    if in_process():
        try:
            found = tess_api.orientation(image, dpi=dpi or _OSD_DPI)
        except RuntimeError as e:
            raise OcrEngineMissingError("Tesseract's orientation data is missing") from e
        return found or (0, 0.0)
    config = _config(oem=cfg.oem, psm=0, dpi=dpi or _OSD_DPI)
    log.debug("tesseract osd config=%s", config)
    try:
        osd = pytesseract.image_to_osd(_as_pil(image), config=config, output_type=Output.DICT,
                                       timeout=cfg.timeout_s)
    except TesseractNotFoundError as e:
        raise OcrEngineMissingError("Tesseract is not installed or not on PATH") from e
    except TesseractError as e:
        if _TOO_FEW_CHARACTERS in str(getattr(e, "message", e)):
            return 0, 0.0
        raise _translate(e, "orientation detection") from e
    except RuntimeError as e:
        if "timeout" not in str(e).lower():
            raise
        log.warning("tesseract OSD timed out after %d s", cfg.timeout_s)
        return 0, 0.0
    # "Orientation in degrees" is the counter-clockwise turn to upright ("Rotate" is clockwise).
    return int(osd.get("orientation", 0)) % 360, float(osd.get("orientation_conf", 0.0))


def read_line(image: np.ndarray, *, whitelist: str | None, psm: int = 7,
              lang: str = "fra+eng") -> tuple[str, float]:
    """OCR a crop holding one line of text (e.g. the form's pre-printed header).

    Returns:
        (text with single spaces, mean word confidence scaled to 0–1); ``("", 0.0)`` if none.
    """
    padded = np.pad(image, _LINE_PAD_PX, mode="constant", constant_values=255)
    # Without the space in it, a whitelist makes the LSTM run a line's words together.
    allowed = whitelist if not whitelist or " " in whitelist else whitelist + " "
    try:
        data = _image_data(padded, what="a text line", lang=lang, oem=1, psm=psm, dpi=None,
                           timeout_s=_LINE_TIMEOUT_S, whitelist=allowed or "")
    except _TimedOut:
        return "", 0.0
    words = words_from_data(data)
    if not words:
        return "", 0.0
    return " ".join(w.text for w in words), sum(w.conf for w in words) / len(words) / 100.0


def text_layer_page(page_no: int, text: str) -> PageOcr:
    """A born-digital page: its text layer stands in for OCR (no words, no boxes)."""
    return PageOcr(page_no=page_no, source="text_layer", text_layer=text)
