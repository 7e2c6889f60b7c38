"""Tesseract in the process reads as the command line does, engines lent one thread at a time."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np
import pytest

from extractors import ocr, tess_api
from extractors.ocr import detect_orientation, read_line, read_words
from schemas.config import OcrConfig

pytestmark = pytest.mark.skipif(not tess_api.available(), reason="tesserocr not installed")

OCR = OcrConfig()
PAGE = Path(__file__).parents[1] / "data" / "generated" / "certificate-edge-shadow.png"


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    """A cleaned, degraded photocopy of a generated certificate (synthetic)."""
    return cv2.imread(str(PAGE), cv2.IMREAD_GRAYSCALE)


def _words(image: np.ndarray, engine: str, monkeypatch: pytest.MonkeyPatch, **kw) -> tuple:
    monkeypatch.setenv("INTAKE_OCR_ENGINE", engine)
    return read_words(image, page_no=1, cfg=OCR, dpi=kw.get("dpi", 200)).words


def test_same_words_boxes_and_confidences_as_the_command_line(
    page: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = _words(page, "cli", monkeypatch)
    assert len(cli) > 40
    assert _words(page, "api", monkeypatch) == cli
    # A second page through the same engine: nothing of the first is carried over.
    assert _words(page[: page.shape[0] // 2], "api", monkeypatch) == _words(
        page[: page.shape[0] // 2], "cli", monkeypatch)


def test_same_turn_as_the_command_line(page: np.ndarray, monkeypatch: pytest.MonkeyPatch) -> None:
    sideways = np.ascontiguousarray(np.rot90(page))  # counter-clockwise: turn it back 270°
    small = cv2.resize(sideways, None, fx=0.75, fy=0.75, interpolation=cv2.INTER_AREA)
    found = {}
    for engine in ("cli", "api"):
        monkeypatch.setenv("INTAKE_OCR_ENGINE", engine)
        found[engine] = detect_orientation(small, cfg=OCR, dpi=150)
    assert found["api"] == found["cli"] and found["api"][0] == 270


def test_a_whitelist_does_not_stay_with_the_engine(
    page: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTAKE_OCR_ENGINE", "api")
    words = read_words(page, page_no=1, cfg=OCR, dpi=200).words
    w = max(words, key=lambda w: len(w.text) if w.text.isalpha() else 0)
    x0, y0, x1, y1 = w.bbox
    crop = page[y0 - 4:y1 + 4, x0 - 4:x1 + 4]
    before, _ = read_line(crop, whitelist=None)
    digits, _ = read_line(crop, whitelist="0123456789")
    after, _ = read_line(crop, whitelist=None)
    assert before == after and before.isalpha() and not any(c.isalpha() for c in digits)


def test_pages_in_parallel_threads_read_as_one_by_one(
    page: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTAKE_OCR_ENGINE", "api")
    h = page.shape[0]
    parts = [page[i * h // 4:(i + 1) * h // 4] for i in range(4)]
    alone = [read_words(p, page_no=1, cfg=OCR, dpi=200).words for p in parts]
    tess_api.unload()
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda p: read_words(p, page_no=1, cfg=OCR, dpi=200).words,
                                 parts * 2))
    assert together == alone * 2
    # Never more engines than calls at once, and each given back.
    assert 1 <= len(tess_api._POOL._idle[(OCR.lang, OCR.oem)]) <= 4


def test_another_tesseract_in_the_library_leaves_the_command_line(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("INTAKE_OCR_ENGINE", raising=False)
    ocr._same_engine.cache_clear()
    assert ocr.in_process()
    monkeypatch.setattr(tess_api, "version", lambda: "5.5.4")  # a wheel's own Tesseract
    ocr._same_engine.cache_clear()
    try:
        assert not ocr.in_process()
        assert "using the command line" in caplog.text
    finally:
        ocr._same_engine.cache_clear()


def test_a_time_limit_stops_recognition(page: np.ndarray) -> None:
    with pytest.raises(tess_api.EngineTimeout):
        tess_api.image_data(page, lang="fra+eng", oem=1, psm=3, dpi=200, timeout_s=0.01)


def test_engines_run_one_thread_each_whatever_the_environment() -> None:
    """OpenMP takes its thread limit once, when tesserocr loads it: three times slower on
    shared cores without it (a profile run without the variable: 2.8 s a page, not 0.7)."""
    code = ("import ctypes, extractors.ocr; "
            "print(ctypes.CDLL('libgomp.so.1').omp_get_thread_limit())")
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[2])
    assert out.stdout.strip() == "1"
