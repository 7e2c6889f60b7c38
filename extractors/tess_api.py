"""Tesseract in the process (tesserocr over the system's libtesseract), engines kept loaded.

The command line loads ``fra+eng`` again for every call (0.13 s) and takes the image through a
file; a page costs 0.6 s of recognition, so that is a fifth of it, and more for the many small
crops (form header, machine-readable zone). An engine here is loaded once and lent to one
thread at a time: ``Recognize`` releases the GIL, so pages in parallel threads are read in
parallel. Built against the same libtesseract as the ``tesseract`` command, it gives the same
words, boxes and confidences (checked in ``tests/unit/test_tess_api.py``).

Returns the columns of ``pytesseract.image_to_data`` (its TSV, numbers as integers), so that
``extractors.ocr`` turns either engine's output into words the same way.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import os
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

log = logging.getLogger(__name__)

# One thread per engine, pages run in parallel: Debian's OpenMP build is ~3x slower with its
# own threads on shared cores. OpenMP reads the limit once, when tesserocr loads it.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
try:
    import tesserocr
except ImportError:  # the command line serves instead (``extractors.ocr``)
    tesserocr = None

#: ``image_to_data``'s columns, in the order of Tesseract's TSV.
_COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num",
            "left", "top", "width", "height", "conf", "text")
#: The command line ran OSD as ``--oem 1 --psm 0 -l osd``: the same here.
_OSD_OEM = 1
#: Tesseract's page segmentation modes (the command line refuses others).
_PSM_RANGE = (0, 13)
#: Leptonica's severity that prints nothing (``L_SEVERITY_NONE``).
_LEPT_QUIET = 6


class EngineTimeout(Exception):
    """Recognition stopped at its time limit."""


class EngineError(Exception):
    """Tesseract refused the call or failed on the image (the command line's non-zero exit)."""


def available() -> bool:
    return tesserocr is not None


def version() -> str:
    """The libtesseract this process reads with, e.g. ``5.3.0``."""
    return tesserocr.tesseract_version().split()[1] if tesserocr else ""


class _Pool:
    """Idle engines by (language, engine mode): one is taken per call and given back after.
    There are never more engines than calls at once (``jobs``), each ~30 MB."""

    def __init__(self) -> None:
        self._idle: dict[tuple[str, int], list] = defaultdict(list)
        self._lock = threading.Lock()

    @contextmanager
    def borrow(self, lang: str, oem: int) -> Iterator[object]:
        key = (lang, oem)
        with self._lock:
            api = self._idle[key].pop() if self._idle[key] else None
        if api is None:
            api = _new_engine(lang, oem)
        try:
            yield api
        finally:
            api.Clear()
            with self._lock:
                self._idle[key].append(api)

    def clear(self) -> None:
        """Unload every idle engine (tests: the next call loads a new one)."""
        with self._lock:
            engines = [api for apis in self._idle.values() for api in apis]
            self._idle.clear()
        for api in engines:
            api.End()


_POOL = _Pool()


@functools.cache
def _silence_leptonica() -> None:
    """Leptonica prints warnings of its own to the process's stderr ("invalid box"), which
    the command line's stderr used to take away; they say nothing about a page's content."""
    name = ctypes.util.find_library("leptonica") or ctypes.util.find_library("lept")
    try:
        ctypes.CDLL(name or "liblept.so.5").setMsgSeverity(_LEPT_QUIET)
    except (OSError, AttributeError):
        log.debug("leptonica's messages left on")


def _new_engine(lang: str, oem: int):
    _silence_leptonica()
    kwargs = {"path": os.environ["TESSDATA_PREFIX"]} if os.environ.get("TESSDATA_PREFIX") else {}
    # Init errors (a missing language) raise RuntimeError, which ``extractors.ocr`` translates.
    api = tesserocr.PyTessBaseAPI(lang=lang, oem=oem, init=True, **kwargs)
    # Tesseract's own messages ("Too few characters", "Empty page!!") go nowhere, as they
    # went to the command line's discarded stderr.
    api.SetVariable("debug_file", os.devnull)
    log.debug("tesseract %s engine loaded (%s, oem %d)", version(), lang, oem)
    return api


def _set_image(api, image: np.ndarray, dpi: int | None) -> None:
    gray = np.ascontiguousarray(image, dtype=np.uint8)
    h, w = gray.shape
    api.SetImageBytes(gray.tobytes(), w, h, 1, w)
    if dpi:
        api.SetSourceResolution(int(dpi))


def image_data(image: np.ndarray, *, lang: str, oem: int, psm: int, dpi: int | None,
               timeout_s: float, whitelist: str = "") -> dict[str, list]:
    """Words and layout rows of an 8-bit grayscale image, as ``pytesseract.image_to_data``.

    Raises:
        EngineTimeout: recognition ran past ``timeout_s``.
        EngineError: no such page segmentation mode, or recognition failed.
        RuntimeError: the engine could not be loaded (tesserocr's message).
    """
    if not _PSM_RANGE[0] <= psm <= _PSM_RANGE[1]:
        raise EngineError(f"no page segmentation mode {psm}")
    with _POOL.borrow(lang, oem) as api:
        api.SetPageSegMode(psm)
        if whitelist:
            api.SetVariable("tessedit_char_whitelist", whitelist)
        try:
            _set_image(api, image, dpi)
            started = time.monotonic()
            if not api.Recognize(timeout=int(timeout_s * 1000)):
                if timeout_s and time.monotonic() - started >= timeout_s:
                    raise EngineTimeout
                raise EngineError("recognition failed")
            tsv = api.GetTSVText(0)
        finally:
            if whitelist:
                api.SetVariable("tessedit_char_whitelist", "")
    return _tsv_columns(tsv)


def orientation(image: np.ndarray, *, dpi: int) -> tuple[int, float] | None:
    """Tesseract OSD: (counter-clockwise turn to upright in degrees, confidence), the
    command line's ``Orientation in degrees`` and ``Orientation confidence``; ``None`` when it
    finds too little text to decide. No time limit: the API has none for OSD, which takes a
    fraction of a second on the 150-dpi copy it is given."""
    with _POOL.borrow("osd", _OSD_OEM) as api:
        api.SetPageSegMode(0)
        _set_image(api, image, dpi)
        osd = api.DetectOrientationScript()
    if not osd:
        return None
    # The command line prints the confidence with two decimals.
    return int(osd["orient_deg"]) % 360, round(float(osd["orient_conf"]), 2)


def _tsv_columns(tsv: str) -> dict[str, list]:
    """TSV rows to columns; numbers truncated to integers as pytesseract does (the thresholds
    on word confidences were set on such whole numbers)."""
    out: dict[str, list] = {c: [] for c in _COLUMNS}
    for row in tsv.splitlines():
        cells = row.split("\t")
        if len(cells) < len(_COLUMNS) - 1:
            continue
        cells += [""] * (len(_COLUMNS) - len(cells))
        for name, cell in zip(_COLUMNS[:-1], cells, strict=False):
            out[name].append(int(float(cell)))
        out["text"].append(cells[-1])
    return out


def unload() -> None:
    _POOL.clear()
