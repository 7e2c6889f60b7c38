"""Cleaning: orientation and skew on real scans, copier borders on synthetic photocopies."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from extractors.preflight import preflight
from extractors.preprocess import (
    OUTSIDE,
    border_mask,
    clean_and_read,
    is_empty,
    measure_skew,
    reads_as_words,
)
from extractors.rasterize import render_page
from schemas.config import PipelineConfig, PreprocessConfig

#: Required accuracy of the measured skew on the real scans (degrees).
SKEW_TOLERANCE = 0.3
SAMPLES = Path(__file__).resolve().parents[2] / "sample_scans" / "packets"


def photocopy(page: np.ndarray, *, angle: float = 0.0, scale: float = 1.0,
              shift: tuple[int, int] = (0, 0), paper: int = 215, ink: int = 50,
              border: int = 30, noise: float = 6.0, seed: int = 0) -> np.ndarray:
    """A grey photocopy: the sheet turned ``angle`` degrees CCW, scaled and shifted on a dark
    glass (``border`` grey wherever the sheet does not cover it), with sensor noise."""
    h, w = page.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    matrix[:, 2] += shift
    ink_cover = cv2.warpAffine((page < 128).astype(np.float32), matrix, (w, h))
    sheet = cv2.warpAffine(np.ones((h, w), np.float32), matrix, (w, h))
    out = border * (1 - sheet) + sheet * (paper * (1 - ink_cover) + ink * ink_cover)
    out += np.random.default_rng(seed).normal(0, noise, out.shape)
    return np.clip(out, 0, 255).astype(np.uint8)


def _clean(raw: np.ndarray, config: PipelineConfig, *, dpi: int = 300, page_no: int = 1,
           preprocess: PreprocessConfig | None = None):
    """The cleaned image and what was done to it (the OCR that comes with them is left out)."""
    image, info, _ = clean_and_read(raw, page_no=page_no, dpi=dpi,
                                    cfg=preprocess or config.preprocess, ocr_cfg=config.ocr)
    return image, info


@pytest.fixture(scope="module")
def problems(real_scans: Path) -> Path:
    return real_scans / "problem-pdfs"


@pytest.fixture(scope="module")
def linn(problems: Path) -> np.ndarray:
    return np.asarray(Image.open(problems / "linn.png").convert("L"))


def _render(path: Path, config: PipelineConfig, index: int = 0):
    return render_page(preflight(path, config.limits), index, cfg=config.raster)


class TestOrientation:
    @pytest.mark.parametrize("index", [0, 1, 2, 3])
    def test_cardinal_pages(self, problems: Path, config: PipelineConfig, index: int) -> None:
        expected = json.loads((problems / "ground_truth.json").read_text(encoding="utf-8"))[
            "cardinal.pdf"]["rotation_to_upright_ccw_deg"][index]
        raster = _render(problems / "cardinal.pdf", config, index)
        image, info = _clean(raster.image, config, dpi=raster.dpi, page_no=index + 1)
        assert info.rotation_deg == expected
        assert image.shape == (3300, 2550)  # every page ends upright, portrait
        assert info.page_no == index + 1 and (info.width_px, info.height_px) == (2550, 3300)

    @pytest.mark.parametrize(("name", "expected"), [
        ("phototest.tif", 0), ("phototest-rotated-180.png", 180),
        ("phototest-rotated-L.png", 270), ("phototest-rotated-R.png", 90),
        ("phototestrot.tif", 270)])
    def test_phototest_turns(self, real_scans: Path, config: PipelineConfig, name: str,
                             expected: int) -> None:
        raster = _render(real_scans / "tesseract-test-images" / name, config)
        image, info = _clean(raster.image, config, dpi=raster.dpi)
        assert info.rotation_deg == expected
        assert image.shape == (480, 640)

    def test_blank_page_keeps_its_orientation(self, problems: Path,
                                              config: PipelineConfig) -> None:
        raster = _render(problems / "blank.pdf", config)
        _, info = _clean(raster.image, config)
        assert (info.rotation_deg, info.skew_deg) == (0, 0.0)


class TestSkew:
    @pytest.mark.parametrize(("name", "skew"), [("skew.pdf", -1.865), ("rotated_skew.pdf", 2.792)])
    def test_real_skew_is_measured_and_removed(self, problems: Path, config: PipelineConfig,
                                               name: str, skew: float) -> None:
        raster = _render(problems / name, config)
        image, info = _clean(raster.image, config)
        assert info.rotation_deg == 0
        assert abs(info.skew_deg - skew) <= SKEW_TOLERANCE
        assert abs(measure_skew(image, dpi=300, max_deg=15)) <= 0.15  # straight afterwards

    @pytest.mark.parametrize("angle", [-7.5, -0.8, 0.4, 3.3])
    def test_synthetic_angles(self, linn: np.ndarray, angle: float) -> None:
        turned = photocopy(linn, angle=angle, scale=0.9, border=235, noise=0)
        # linn.png itself leans -0.06 degrees
        assert abs(measure_skew(turned, dpi=300, max_deg=15) - (angle - 0.06)) <= 0.1

    def test_skew_beyond_the_limit_is_left_alone(self, linn: np.ndarray) -> None:
        turned = photocopy(linn, angle=9, scale=0.8, border=235, noise=0)
        assert measure_skew(turned, dpi=300, max_deg=5) == 0.0


class TestBordersAndNoise:
    def test_copier_border_is_whitened_not_the_text(self, linn: np.ndarray,
                                                    config: PipelineConfig) -> None:
        """GIVEN a grey, tilted copy on a dark glass WHEN cleaned THEN the dark borders become
        outside-white (255), the paper stays below it, and the text is all still there."""
        raw = photocopy(linn, angle=1.5, scale=0.97, shift=(40, 25))
        image, info = _clean(raw, config)
        assert abs(info.skew_deg - 1.44) <= SKEW_TOLERANCE
        band = np.concatenate([image[:60].ravel(), image[-60:].ravel(),
                               image[:, :60].ravel(), image[:, -60:].ravel()])
        assert (band < 100).mean() < 0.001
        assert (image == OUTSIDE).any() and np.median(image) <= OUTSIDE - 1
        centre = (slice(400, 2900), slice(300, 2250))
        # Grey paper (215) is scaled up to white (245): the ink threshold scales with it.
        before, after = (raw[centre] < 132).mean(), (image[centre] < 132 * 245 / 215).mean()
        assert after == pytest.approx(before, rel=0.1)

    def test_text_touching_a_border_stays(self) -> None:
        page = np.full((1650, 1275), 230, np.uint8)
        page[:, :60] = 25  # a dark band down the left edge
        cv2.putText(page, "TREMBLAY", (62, 800), cv2.FONT_HERSHEY_SIMPLEX, 3, 20, 9)
        outside = border_mask(page, dpi=150)
        assert outside[:, :55].all()
        letters = page[700:820, 120:700] < 100
        assert letters.sum() > 2000 and not outside[700:820, 120:700][letters].any()

    def test_a_photo_touching_an_edge_is_content(self) -> None:
        page = np.full((1650, 1275), 235, np.uint8)
        page[600:900, 1075:] = 40  # a dark photo cut by the right edge: 18 % of it
        assert not border_mask(page, dpi=150).any()

    def test_resampled_to_the_ocr_resolution(self, linn: np.ndarray,
                                             config: PipelineConfig) -> None:
        big = cv2.resize(linn, None, fx=2, fy=2, interpolation=cv2.INTER_NEAREST)
        image, info = _clean(big, config, dpi=600)
        assert info.dpi == 300 and image.shape == (3300, 2550)

    def test_denoise_removes_specks(self, linn: np.ndarray, config: PipelineConfig) -> None:
        noisy = linn.copy()
        rng = np.random.default_rng(1)
        ys, xs = rng.integers(0, 3300, 3000), rng.integers(0, 2550, 3000)
        noisy[ys, xs] = 0
        clean, _ = _clean(noisy, config)
        raw, _ = _clean(noisy, config, preprocess=PreprocessConfig(denoise=False))
        margin = (slice(0, 3300), slice(0, 300))  # no text in the left margin, only specks
        assert (raw[margin] < 128).sum() > 100 and (clean[margin] < 128).sum() == 0


class TestWhatIsRead:
    def test_an_empty_page_is_not_read(self, config: PipelineConfig) -> None:
        """GIVEN the grey back of a duplex scan, dust on it THEN no OCR is spent on it."""
        page = photocopy(np.full((3300, 2550), 255, np.uint8), border=235, noise=2)
        page[np.random.default_rng(2).integers(0, 3300, 40),
             np.random.default_rng(3).integers(0, 2550, 40)] = 30
        image, info, ocr = clean_and_read(page, page_no=2, dpi=300, cfg=config.preprocess,
                                          ocr_cfg=config.ocr)
        assert ocr.source == "none" and not ocr.words
        assert (info.rotation_deg, info.skew_deg, image.shape) == (0, 0.0, (3300, 2550))

    def test_faint_text_is_not_empty(self, config: PipelineConfig) -> None:
        """Text too pale for the ink threshold is still something to read."""
        page = np.full((3300, 2550), 240, np.uint8)
        for row in range(400, 2800, 120):
            cv2.putText(page, "DEMANDE DE RESIDENCE PERMANENTE", (200, row),
                        cv2.FONT_HERSHEY_SIMPLEX, 2.2, 185, 5)
        prepared = np.minimum(page, OUTSIDE - 1)
        assert not is_empty(prepared, dpi=300)

    def test_small_print_is_read_without_the_median_filter(self, config: PipelineConfig) -> None:
        """GIVEN a committed sample identity page whose small print the median filter breaks
        (it read 5 words well of 39 filtered, 27 of 49 unfiltered) THEN it reads as words,
        upright, without orientation detection having turned it."""
        scan = preflight(SAMPLES / "p0006" / "scan-717696.tif", config.limits)
        raster = render_page(scan, 3, cfg=config.raster)
        _, info, ocr = clean_and_read(raster.image, page_no=4, dpi=raster.dpi,
                                      cfg=config.preprocess, ocr_cfg=config.ocr)
        assert reads_as_words(ocr) and info.rotation_deg == 0
