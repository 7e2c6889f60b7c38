"""Finding form pages on a scan and registering them to the template."""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import numpy as np
import pytest
import segno
from PIL import Image

from extractors.form_align import line_rects, turn_image, turn_points
from extractors.form_locate import (
    locate_form_page,
    mark_centres_pt,
    marks_agreement,
    read_qr,
)
from schemas.form import load_form_layout
from tests.unit.form_fixture import DOSSIER, DPI, blank_page, filled_pages, photocopy

REAL = Path(__file__).parents[1] / "data" / "real-scans" / "tesseract-test-images"
LAYOUT = load_form_layout()


def _mark_error_px(frame, image: np.ndarray) -> float:
    """Largest distance between where the registration puts the marks and where they are."""
    up = turn_image(image, frame.turn_ccw)
    tpl = mark_centres_pt(LAYOUT) * DPI / 72
    back = cv2.perspectiveTransform(tpl[None], np.linalg.inv(frame.homography))[0]
    errors = []
    for x, y in back:
        win = up[int(y) - 40 : int(y) + 40, int(x) - 40 : int(x) + 40]
        ys, xs = np.nonzero(win < 128)
        errors.append(np.hypot(xs.mean() + int(x) - 40 - x, ys.mean() + int(y) - 40 - y))
    return max(errors)


class TestLocateFormPage:
    @pytest.mark.parametrize("page", [1, 2, 3])
    def test_blank_template_page_aligns_perfectly(self, page: int) -> None:
        """GIVEN a blank template page (no QR) WHEN located THEN its page is told by layout."""
        frame = locate_form_page(blank_page(page), dpi=DPI, layout=LAYOUT)
        assert frame is not None
        assert (frame.form_page, frame.turn_ccw, frame.method) == (page, 0, "marks")
        assert frame.quality > 0.97
        assert frame.qr is None

    @pytest.mark.parametrize(("turn", "page"), [(90, 1), (180, 2), (270, 3)])
    def test_turned_skewed_scaled_copy_is_found_and_turned_back(self, turn: int, page: int) -> None:
        """GIVEN a filled page copied at 95 %, skewed 2°, shifted and turned
        WHEN located THEN the QR names the page and the turn undoes the scan's."""
        scan = photocopy(
            filled_pages()[page - 1],
            turn=turn,
            angle_deg=2.0,
            scale=0.95,
            shift_px=(25, -18),
            noise=0.04,
        )
        frame = locate_form_page(scan, dpi=DPI, layout=LAYOUT)
        assert frame is not None and frame.qr is not None
        assert frame.qr.parsed == (DOSSIER, page)
        assert frame.form_page == page
        assert frame.turn_ccw == (360 - turn) % 360
        assert frame.quality > 0.9
        assert _mark_error_px(frame, scan) < 3.0

    def test_damaged_qr_falls_back_to_layout(self) -> None:
        """GIVEN page 2 turned upside down with its QR scratched out
        WHEN located THEN the marks and the box layout still tell page and turn."""
        page = filled_pages()[1].copy()
        page[44 * 4 : 104 * 4, 510 * 4 : 575 * 4] = 255
        frame = locate_form_page(photocopy(page, turn=180, angle_deg=-1.0), dpi=DPI, layout=LAYOUT)
        assert frame is not None and frame.qr is None
        assert (frame.form_page, frame.turn_ccw) == (2, 180)
        assert frame.quality > 0.9

    def test_missing_marks_fall_back_to_qr_and_box_lines(self) -> None:
        """GIVEN a copy whose left and right margins (all four marks) were cut off
        WHEN located THEN the QR anchors a search that lays the box lines on the template."""
        scan = photocopy(filled_pages()[0], angle_deg=1.5, scale=0.96, shift_px=(10, 5))
        scan[:, :170] = 255
        scan[:, -170:] = 255
        frame = locate_form_page(scan, dpi=DPI, layout=LAYOUT)
        assert frame is not None
        assert frame.method == "qr+lines"
        assert frame.form_page == 1 and frame.quality > 0.8

    def test_faint_copy_whose_lines_broke_up_is_aligned_by_its_marks(self) -> None:
        """GIVEN a copy so faint that the box lines are gone but the solid marks are not
        WHEN located THEN the lines score low, the marks' geometry vouches for the alignment."""
        page = filled_pages()[0].copy()
        s = DPI / 72
        for x0, y0, x1, y1 in line_rects(LAYOUT, 1):
            cv2.rectangle(page, (round(x0 * s), round(y0 * s)), (round(x1 * s), round(y1 * s)),
                          255, 7)  # fmt: skip
        frame = locate_form_page(photocopy(page, angle_deg=1.0, scale=0.97), dpi=DPI,
                                 layout=LAYOUT)  # fmt: skip
        assert frame is not None and frame.form_page == 1
        assert frame.quality < 0.3 and frame.marks_quality > 0.9 and frame.overall > 0.9

    def test_speckled_copy_without_its_lower_marks(self) -> None:
        """GIVEN form page 2 copied speckled with dark dots (its QR unreadable at the cheap
        resolution) and its lower part, both lower marks with it, lost WHEN located THEN the
        two upper marks ask for the QR at full resolution, and the page is found."""
        page = photocopy(filled_pages()[1], angle_deg=1.0, scale=0.97, seed=2)
        h, w = page.shape
        dots = np.random.default_rng(2).random((h // 3, w // 3)) < 0.06
        page[np.kron(dots, np.ones((3, 3), bool))[:h, :w]] = 0
        page[int(0.85 * h):] = 255
        assert read_qr(page, dpi=DPI) is None
        frame = locate_form_page(page, dpi=DPI, layout=LAYOUT)
        assert frame is not None and frame.form_page == 2 and frame.qr is not None

    def test_page_that_is_not_the_form_is_refused_quickly(self) -> None:
        """GIVEN a real scanned text page WHEN located THEN None, in well under a second."""
        page = np.asarray(Image.open(REAL / "phototest.tif").convert("L"))
        start = time.perf_counter()
        assert locate_form_page(page, dpi=DPI, layout=LAYOUT) is None
        assert time.perf_counter() - start < 0.5

    def test_other_qr_code_does_not_make_a_form_page(self) -> None:
        """GIVEN a letter carrying somebody else's QR code WHEN located THEN None."""
        page = np.full((3300, 2550), 255, np.uint8)
        qr = np.array(segno.make("https://example.org/invoice/42").matrix, np.uint8)
        tile = np.kron(np.where(qr > 0, 0, 255), np.ones((8, 8))).astype(np.uint8)
        page[300 : 300 + tile.shape[0], 1800 : 1800 + tile.shape[1]] = tile
        assert read_qr(page, dpi=DPI) is not None
        assert locate_form_page(page, dpi=DPI, layout=LAYOUT) is None


class TestCheapQrTest:
    @pytest.mark.parametrize("turn", [0, 90, 180, 270])
    def test_the_forms_code_is_read_in_whichever_corner_the_turn_put_it(self, turn: int) -> None:
        """GIVEN form page 1 copied at 94 %, shifted and turned WHEN the cheap test looks near
        the corners THEN it reads the ministry's code, its centre
        given in the whole page's pixels, near a corner."""
        page = photocopy(filled_pages()[0], turn=turn, angle_deg=1.5, scale=0.94,
                         shift_px=(30, 24))  # fmt: skip
        qr = read_qr(page, dpi=DPI)
        assert qr is not None and qr.parsed == (DOSSIER, 1)
        x, y = qr.corners.mean(axis=0)
        assert min(x, page.shape[1] - x) < 3.5 * DPI and min(y, page.shape[0] - y) < 3.5 * DPI

    def test_a_code_in_the_middle_of_a_page_is_left_to_the_full_reading(self) -> None:
        """GIVEN a letter with a QR code in its middle WHEN the cheap test reads it THEN no code
        (the form's is never there), and the reading at full resolution still finds it."""
        page = np.full((3300, 2550), 255, np.uint8)
        qr = np.array(segno.make("https://example.org/invoice/42").matrix, np.uint8)
        tile = np.kron(np.where(qr > 0, 0, 255), np.ones((8, 8))).astype(np.uint8)
        page[1500 : 1500 + tile.shape[0], 1150 : 1150 + tile.shape[1]] = tile
        assert read_qr(page, dpi=DPI) is None
        assert read_qr(page, dpi=DPI, at_dpi=DPI) is not None


class TestMarksAgreement:
    def test_marks_in_true_geometry_agree_and_a_stray_one_does_not(self) -> None:
        dst = mark_centres_pt(LAYOUT) * DPI / 72
        turned = cv2.transform(dst[None], cv2.getRotationMatrix2D((1200, 1600), 2, 0.96))[0]
        assert marks_agreement(list(turned), dst_px=dst, dpi=DPI) > 0.99
        turned[3] += (0, 3 * DPI / 72)  # one "mark" 3 pt off: a blot, not the mark
        assert marks_agreement(list(turned), dst_px=dst, dpi=DPI) == 0.0
        assert marks_agreement([*turned[:3], None], dst_px=dst, dpi=DPI) == 0.0


class TestTurnPoints:
    @pytest.mark.parametrize("turn", [0, 90, 180, 270])
    def test_points_follow_the_image(self, turn: int) -> None:
        img = np.zeros((30, 50), np.uint8)
        img[7, 41] = 255
        turned = turn_image(img, turn)
        ((x, y),) = turn_points(np.array([[41, 7]]), turn, img.shape)
        assert turned[int(y), int(x)] == 255


class TestDetectorFailure:
    def test_an_opencv_assertion_in_the_qr_detector_means_no_qr_code(self, monkeypatch) -> None:
        """OpenCV's QR detector can fail an internal assertion on speckled copies (seen with
        OpenCV 5.1): the page is then read as one without a QR code, never a crash."""
        import cv2
        import numpy as np

        from extractors import form_locate

        class Broken:
            def detectAndDecode(self, image):  # noqa: N802 - OpenCV's name
                raise cv2.error("convexHull: (-215:Assertion failed) total >= 0")

        monkeypatch.setattr(form_locate.cv2, "QRCodeDetector", Broken)
        assert form_locate.read_qr(np.full((600, 400), 255, np.uint8), dpi=200) is None
