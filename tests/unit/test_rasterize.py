"""Rendering real PDFs page by page and image files frame by frame."""

from __future__ import annotations

import shutil
from pathlib import Path

import img2pdf
import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from extractors.errors import OcrEngineMissingError, UnreadableScanError
from extractors.preflight import preflight
from extractors.rasterize import (
    DEFAULT_IMAGE_DPI,
    RasterPage,
    _run_poppler,
    capped_dpi,
    render_page,
    scanned_picture,
)
from schemas.config import LimitsConfig, RasterConfig

LIMITS = LimitsConfig()
RASTER = RasterConfig()


@pytest.fixture(autouse=True)
def _restore_pillow_limit():
    saved = Image.MAX_IMAGE_PIXELS
    yield
    Image.MAX_IMAGE_PIXELS = saved


@pytest.fixture(scope="module")
def problems(real_scans: Path) -> Path:
    return real_scans / "problem-pdfs"


def _render(path: Path, index: int = 0, *, cfg: RasterConfig = RASTER,
            limits: LimitsConfig = LIMITS) -> RasterPage:
    return render_page(preflight(path, LIMITS), index, cfg=cfg, limits=limits)


class TestPdfPages:
    def test_gray_uint8_at_render_dpi(self, problems: Path) -> None:
        page = _render(problems / "linn.pdf")
        assert page.image.dtype == np.uint8 and page.image.ndim == 2
        assert page.image.shape == (3300, 2550)
        assert page.dpi == 300 and page.source_dpi == 300
        assert page.text_layer is None

    def test_one_page_at_a_time_with_its_own_size(self, problems: Path) -> None:
        scan = preflight(problems / "cardinal.pdf", LIMITS)
        shapes = [render_page(scan, i, cfg=RASTER).image.shape for i in (0, 1)]
        assert shapes == [(3300, 2550), (2550, 3300)]

    def test_rotate_attribute_is_honoured(self, problems: Path) -> None:
        # rotated_skew.pdf is a landscape MediaBox with /Rotate 90: upright portrait.
        assert _render(problems / "rotated_skew.pdf").image.shape == (3300, 2550)

    def test_born_digital_page_keeps_its_text(self, problems: Path) -> None:
        page = _render(problems / "tagged.pdf")
        assert page.text_layer is not None and "Table of Contents" in page.text_layer

    def test_hidden_ocr_layer_is_not_a_text_layer(self, problems: Path) -> None:
        # multipage.pdf page 4 is a scan with another tool's invisible OCR text over it.
        assert _render(problems / "multipage.pdf", 3).text_layer is None

    def test_pixel_limit_caps_the_dpi(self, problems: Path) -> None:
        limits = LimitsConfig(max_page_megapixels=2)
        page = _render(problems / "linn.pdf", limits=limits)
        assert page.dpi == capped_dpi(8.5 * 11, wanted_dpi=300, max_megapixels=2) == 146
        assert page.image.size <= 2_000_000

    def test_poster_page_is_not_rendered_at_full_size(self, problems: Path) -> None:
        page = _render(problems / "poster.pdf")  # 25 x 50 in
        assert page.dpi < 150 and max(page.image.shape) <= 18 * 300

    def test_tiny_page_with_absurd_size_keeps_its_pixels(self, problems: Path) -> None:
        # 2400dpi.pdf: a 4000 px wide typewriter page "printed" 1.7 in wide.
        page = _render(problems / "2400dpi.pdf")
        assert page.image.shape == (2864, 4000) and page.dpi == DEFAULT_IMAGE_DPI

    def test_damaged_after_preflight(self, problems: Path, tmp_path: Path) -> None:
        path = tmp_path / "scan.pdf"
        shutil.copy(problems / "skew.pdf", path)
        scan = preflight(path, LIMITS)
        path.write_bytes(b"%PDF-1.4\n" + b"\x00" * 200 + b"%%EOF\n")
        with pytest.raises(UnreadableScanError):
            render_page(scan, 0, cfg=RASTER)

    def test_gone_after_preflight(self, problems: Path, tmp_path: Path) -> None:
        path = tmp_path / "scan.pdf"
        shutil.copy(problems / "skew.pdf", path)
        scan = preflight(path, LIMITS)
        path.unlink()  # moved or deleted while the envelope waited for its turn
        with pytest.raises(UnreadableScanError, match="cannot be opened"):
            render_page(scan, 0, cfg=RASTER)

    def test_poppler_timeout(self, problems: Path) -> None:
        scan = preflight(problems / "multipage.pdf", LIMITS)  # page 2: 9000x9000 px picture
        with pytest.raises(UnreadableScanError, match="render"):
            render_page(scan, 1, cfg=RasterConfig(render_dpi=600, pdf_timeout_s=1))

    def test_poppler_missing(self, problems: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        scan = preflight(problems / "linn.pdf", LIMITS)
        monkeypatch.setenv("PATH", "/nonexistent")
        with pytest.raises(OcrEngineMissingError):
            render_page(scan, 0, cfg=RASTER)

    def test_index_outside_the_file(self, problems: Path) -> None:
        with pytest.raises(ValueError):
            render_page(preflight(problems / "linn.pdf", LIMITS), 1, cfg=RASTER)


class TestScannedPictures:
    """A scanner's PDF page is one picture over the whole page: it is decoded here, not
    rendered by poppler, and comes out as poppler would have drawn it."""

    @staticmethod
    def _poppler(path: Path, index: int = 0) -> np.ndarray:
        return _run_poppler(path, index, dpi=300, timeout_s=60)

    def test_bilevel_scan_needs_no_poppler(self, problems: Path, monkeypatch) -> None:
        """GIVEN a real CCITT G4 scan WHEN rendered with poppler gone THEN it still is, the
        size and ink of poppler's render."""
        expected = self._poppler(problems / "ccitt.pdf")
        scan = preflight(problems / "ccitt.pdf", LIMITS)
        monkeypatch.setenv("PATH", "/nonexistent")
        page = render_page(scan, 0, cfg=RASTER)
        assert page.image.shape == expected.shape and page.dpi == 300
        assert abs((page.image < 128).mean() - (expected < 128).mean()) < 0.002
        assert np.abs(page.image.astype(int) - expected).mean() < 10

    def test_page_size_rounds_up_as_poppler_does(self, problems: Path) -> None:
        """epson.pdf's page is 2479.x by 3504.x pixels at 300 dpi: poppler makes 2480 by 3505."""
        epson = problems / "epson.pdf"
        assert _render(epson).image.shape == self._poppler(epson).shape

    @pytest.mark.parametrize("turn", [0, 90])
    def test_200_dpi_jpeg_is_scaled_and_turned_as_poppler_renders_it(self, tmp_path: Path,
                                                                      turn: int) -> None:
        """GIVEN a 200-dpi grey JPEG page, /Rotate 90 or none WHEN rendered THEN 300 dpi, upright
        as displayed, within a few grey levels of poppler's render."""
        rng = np.random.default_rng(1)
        sheet = np.full((2200, 1700), 235, np.uint8)
        for _ in range(300):
            x, y = int(rng.integers(100, 1500)), int(rng.integers(100, 2000))
            sheet[y : y + 30, x : x + 80] = 20
        sheet[100:400, 100:160] = 0  # a mark that shows which way is up
        Image.fromarray(sheet).save(tmp_path / "p.jpg", dpi=(200, 200), quality=90)
        pdf = tmp_path / "scan.pdf"
        pdf.write_bytes(img2pdf.convert(str(tmp_path / "p.jpg")))
        if turn:
            writer = PdfWriter(clone_from=pdf)
            writer.pages[0].rotate(turn)
            writer.write(pdf)
        page = _render(pdf)
        expected = self._poppler(pdf)
        assert page.image.shape == expected.shape == ((3300, 2550) if not turn else (2550, 3300))
        assert page.dpi == 300 and page.source_dpi == 200
        assert np.abs(page.image.astype(int) - expected).mean() < 4

    @pytest.mark.parametrize(("name", "index"), [
        ("multipage.pdf", 4),  # a clip path and state around its picture
        ("aspect.pdf", 0),     # a soft mask
        ("jbig2.pdf", 0),      # a JBIG2 picture
        ("tagged.pdf", 0),     # text and drawings, no picture
    ])  # fmt: skip
    def test_anything_more_than_a_lone_picture_is_left_to_poppler(self, problems: Path,
                                                                  name: str, index: int) -> None:
        page = PdfReader(problems / name).pages[index]
        assert scanned_picture(page, dpi=300) is None


class TestImageFiles:
    def test_multipage_tiff(self, tmp_path: Path) -> None:
        frames = [Image.new("L", (850, 1100), 255), Image.new("L", (850, 1100), 40)]
        path = tmp_path / "two.tif"
        frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(100, 100))
        scan = preflight(path, LIMITS)
        assert scan.page_count == 2
        second = render_page(scan, 1, cfg=RASTER)
        assert second.dpi == 100 and int(second.image.mean()) == 40

    def test_rgba_tiff_on_white_paper(self, real_scans: Path) -> None:
        page = _render(real_scans / "tesseract-test-images" / "phototestrot.tif")
        assert page.image.shape == (640, 480) and page.dpi == 200
        assert np.median(page.image) > 200  # transparent background became paper, not black

    @pytest.mark.parametrize(("dpi", "expected"), [(None, 300), ((72, 72), 300), ((1, 1), 300),
                                                   ((200, 200), 200)])
    def test_dpi_metadata(self, tmp_path: Path, dpi, expected: int) -> None:
        path = tmp_path / "page.png"
        Image.new("L", (1700, 2200), 255).save(path, **({"dpi": dpi} if dpi else {}))
        assert _render(path).dpi == expected

    def test_non_square_pixels_are_squared(self, tmp_path: Path) -> None:
        path = tmp_path / "fax.tif"
        Image.new("L", (1728, 1100), 255).save(path, dpi=(204, 98))
        page = _render(path)
        assert page.dpi == 204 and page.image.shape == (round(1100 * 204 / 98), 1728)

    def test_exif_orientation(self, tmp_path: Path) -> None:
        img = Image.new("L", (1200, 800), 255)
        exif = img.getexif()
        exif[0x0112] = 6  # "rotate 90 CW to display"
        path = tmp_path / "photo.jpg"
        img.save(path, exif=exif, dpi=(300, 300))
        assert _render(path).image.shape == (1200, 800)
