"""The Tesseract boundary, on real test images with reference text; every test runs with
both engines, the command line and the library in the process (``extractors.tess_api``)."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from rapidfuzz.distance import Levenshtein

from extractors import ocr, tess_api
from extractors.errors import OcrEngineError, OcrEngineMissingError
from extractors.ocr import (
    detect_orientation,
    read_line,
    read_words,
    text_layer_page,
    words_from_data,
)
from extractors.preflight import preflight
from extractors.preprocess import clean_and_read
from extractors.rasterize import render_page
from schemas.config import OcrConfig, PipelineConfig

OCR = OcrConfig()
#: Measured 0.000 with fra+eng (Tesseract 5.3.0); the bound leaves room for other builds.
PHOTOTEST_MAX_CER = 0.02
#: Measured 0.012 on francais.pdf after cleaning; 18 of its 20 accented words come out right.
FRANCAIS_MAX_CER = 0.04
FRANCAIS_MIN_ACCENTED = 0.8


@pytest.fixture(autouse=True, params=["cli", "api"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("INTAKE_OCR_ENGINE", request.param)
    return request.param


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(scope="module")
def tess_images(real_scans: Path) -> Path:
    return real_scans / "tesseract-test-images"


@pytest.fixture(scope="module")
def phototest(tess_images: Path) -> np.ndarray:
    return np.asarray(Image.open(tess_images / "phototest.tif").convert("L"))


class TestReadWords:
    def test_phototest_against_its_gold_text(self, phototest: np.ndarray,
                                             tess_images: Path) -> None:
        page = read_words(phototest, page_no=3, cfg=OCR, dpi=200)
        gold = (tess_images / "phototest.gold.txt").read_text(encoding="utf-8")
        assert page.page_no == 3 and page.source == "tesseract" and not page.issues
        assert Levenshtein.normalized_distance(_norm(page.text), _norm(gold)) <= PHOTOTEST_MAX_CER
        assert page.mean_conf > 85

    def test_words_carry_boxes_and_line_keys(self, phototest: np.ndarray) -> None:
        words = read_words(phototest, page_no=1, cfg=OCR, dpi=200).words
        first_line = [w.text for w in words if w.line == 0]
        assert first_line[:3] == ["This", "is", "a"]
        assert len({w.line for w in words}) == 8  # eight text lines in the gold text
        x0, y0, x1, y1 = words[0].bbox
        assert 0 <= x0 < x1 <= phototest.shape[1] and 0 <= y0 < y1 <= phototest.shape[0]

    def test_francais_accents(self, real_scans: Path, config: PipelineConfig) -> None:
        problems = real_scans / "problem-pdfs"
        raster = render_page(preflight(problems / "francais.pdf", config.limits), 0,
                             cfg=config.raster)
        _, _, ocr = clean_and_read(raster.image, page_no=1, dpi=raster.dpi,
                                   cfg=config.preprocess, ocr_cfg=config.ocr)
        text = _norm(ocr.text)
        truth = _norm(json.loads((problems / "ground_truth.json").read_text(encoding="utf-8"))
                      ["francais.pdf"]["reference_text"])
        assert Levenshtein.normalized_distance(text, truth) <= FRANCAIS_MAX_CER
        accented = [w.strip(".,") for w in truth.split() if any(ord(c) > 127 for c in w)]
        found = {w.strip(".,") for w in text.split()}
        assert sum(w in found for w in accented) >= FRANCAIS_MIN_ACCENTED * len(accented)

    def test_layout_rows_and_blank_rows_are_dropped(self) -> None:
        data = {"text": ["", "Nom", "  ", "TREMBLAY", "Date"], "conf": [-1, 91.5, 30, 88, 77],
                "block_num": [1, 1, 1, 1, 2], "par_num": [1, 1, 1, 1, 1],
                "line_num": [0, 1, 1, 1, 1], "left": [0, 10, 60, 70, 10],
                "top": [0, 5, 5, 5, 50], "width": [100, 40, 5, 90, 40],
                "height": [80, 12, 12, 12, 12]}
        words = words_from_data(data)
        assert [(w.text, w.line, w.block) for w in words] == [
            ("Nom", 0, 1), ("TREMBLAY", 0, 1), ("Date", 1, 2)]
        assert words[1].bbox == (70, 5, 160, 17)

    def test_thread_limit_is_set(self, phototest: np.ndarray,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
        read_words(phototest[:130], page_no=1, cfg=OCR)
        assert os.environ["OMP_THREAD_LIMIT"] == "1"


class TestEngineFailures:
    def test_timeout_is_a_soft_issue(self, real_scans: Path) -> None:
        big = np.asarray(Image.open(real_scans / "problem-pdfs" / "linn.png").convert("L"))
        page = read_words(big, page_no=7, cfg=OcrConfig(timeout_s=1), dpi=300)
        assert page.words == () and page.source == "none"
        assert [(i.stage, i.code, i.page_no) for i in page.issues] == [("ocr", "ocr_timeout", 7)]

    def test_engine_missing(self, phototest: np.ndarray, monkeypatch: pytest.MonkeyPatch,
                            engine: str) -> None:
        if engine == "cli":
            monkeypatch.setattr(ocr.pytesseract.pytesseract, "tesseract_cmd",
                                "/nonexistent/tesseract")
        else:
            monkeypatch.setattr(tess_api, "tesserocr", None)
        with pytest.raises(OcrEngineMissingError):
            read_words(phototest, page_no=1, cfg=OCR)

    def test_language_pack_missing(self, phototest: np.ndarray) -> None:
        with pytest.raises(OcrEngineMissingError, match="language"):
            read_words(phototest, page_no=1, cfg=OcrConfig(lang="xyz"))

    def test_engine_error(self, phototest: np.ndarray) -> None:
        with pytest.raises(OcrEngineError):
            read_words(phototest, page_no=1, cfg=OcrConfig(psm=99))


class TestOrientationAndLines:
    @pytest.mark.parametrize(("name", "turn"), [("phototest-rotated-180.png", 180),
                                                ("phototest-rotated-R.png", 90)])
    def test_osd_gives_the_counter_clockwise_turn(self, tess_images: Path, name: str,
                                                  turn: int) -> None:
        image = np.asarray(Image.open(tess_images / name).convert("L"))
        got, conf = detect_orientation(image, cfg=OCR, dpi=200)
        assert got == turn and conf > 3

    def test_osd_on_a_blank_page(self) -> None:
        assert detect_orientation(np.full((1100, 850), 250, np.uint8), cfg=OCR) == (0, 0.0)

    def test_read_line_and_whitelist(self, phototest: np.ndarray) -> None:
        crop = phototest[87:127, 31:585]  # the first line of the page
        text, conf = read_line(crop, whitelist=None)
        assert text == "This is a lot of 12 point text to test the" and conf > 0.8
        letters, _ = read_line(crop, whitelist="abcdefghijklmnopqrstuvwxyzT")
        assert "12" not in letters and letters.startswith("This is a lot of")

    def test_text_layer_page(self) -> None:
        page = text_layer_page(4, "Table of Contents\nHeading")
        assert page.source == "text_layer" and page.page_no == 4 and page.words == ()
        assert page.text == "Table of Contents\nHeading"
