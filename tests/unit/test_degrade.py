"""Photocopy and scan degradation of sample pages (``sample_scans/degrade.py``)."""

from __future__ import annotations

import math
import os
import random
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from sample_scans import degrade

DPI = 150
FONT = "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"


def _page(dpi: int = DPI) -> Image.Image:
    """A letter page of plain printed text lines, upright."""
    img = Image.new("L", (round(8.5 * dpi), 11 * dpi), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, round(dpi * 0.17))
    for i in range(14):
        text = f"Ligne {i} : attestation de residence numero {i * 37}"
        draw.text((dpi, dpi + i * dpi * 0.45), text, font=font, fill=0)
    return img


def _bar_page(dpi: int = DPI) -> Image.Image:
    """A page with one long horizontal black bar across its middle."""
    img = Image.new("L", (round(8.5 * dpi), 11 * dpi), 255)
    w, h = img.size
    ImageDraw.Draw(img).rectangle((w * 0.15, h * 0.5 - 4, w * 0.85, h * 0.5 + 4), fill=0)
    return img


def _ink(img: Image.Image) -> np.ndarray:
    return np.asarray(img.convert("L")) < 128


def _ocr(img: Image.Image, tmp_path: Path) -> str:
    path = tmp_path / "page.png"
    img.save(path, dpi=(DPI, DPI))
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    out = subprocess.run(["tesseract", str(path), "-", "-l", "fra", "--dpi", str(DPI)],
                         capture_output=True, text=True, env=env, check=True)
    return out.stdout


class TestPhotocopy:
    @pytest.mark.parametrize("seed", [1, 2, 3])
    def test_skew_is_measured_back(self, seed: int) -> None:
        """GIVEN a page with a horizontal bar WHEN photocopied THEN the bar tilts by the
        drawn skew angle (counter-clockwise positive)."""
        expected = degrade.sample_params("heavy", random.Random(seed), dpi=DPI).skew_deg
        assert abs(expected) > 1.0  # seeds chosen so a missing skew cannot pass
        out = degrade.photocopy(_bar_page(), rng=random.Random(seed), level="heavy", dpi=DPI,
                                borders=False)
        a = np.asarray(out)
        h, w = a.shape
        core = a[h // 4: 3 * h // 4, w // 4: 3 * w // 4] < 100
        ys, xs = np.nonzero(core)
        near = np.abs(ys - np.median(ys)) < 30  # drop toner specks away from the bar
        ys, xs = ys[near], xs[near]
        slope = np.polyfit(xs, ys, 1)[0]
        assert -math.degrees(math.atan(slope)) == pytest.approx(expected, abs=0.15)

    def test_rescans_at_the_scanner_resolution(self) -> None:
        out = degrade.photocopy(_page(300), rng=random.Random(4), dpi=300, out_dpi=200)
        assert out.size == (1700, 2200)
        assert out.mode == "L"

    def test_is_deterministic_and_changes_pixels(self) -> None:
        page = _page()
        a = degrade.photocopy(page, rng=random.Random(5), level="normal", dpi=DPI)
        b = degrade.photocopy(page, rng=random.Random(5), level="normal", dpi=DPI)
        assert a.tobytes() == b.tobytes()
        assert a.tobytes() != page.tobytes()

    def test_heavy_copy_stays_readable(self, tmp_path: Path) -> None:
        out = degrade.photocopy(_page(), rng=random.Random(6), level="heavy", dpi=DPI)
        assert "attestation" in _ocr(out, tmp_path)

    def test_dark_borders_along_an_edge(self) -> None:
        a = np.asarray(degrade._dark_borders(np.full((300, 200), 250, np.uint8), ("left",),
                                             random.Random(1)))
        assert (a[:, 0] < 100).all()
        assert (a[:, -1] == 250).all()


class TestTurn:
    @pytest.mark.parametrize("degrees", [90, 180, 270])
    def test_marker_moves_with_the_turn(self, degrees: int) -> None:
        img = Image.new("L", (200, 300), 255)
        ImageDraw.Draw(img).rectangle((0, 0, 20, 20), fill=0)  # top-left corner
        out = degrade.turn(img, degrees)
        a = _ink(out)
        h, w = a.shape
        corner = {90: (h - 10, 10), 180: (h - 10, w - 10), 270: (10, w - 10)}[degrees]
        assert a[corner]
        assert out.size == ((300, 200) if degrees % 180 else (200, 300))

    def test_refuses_other_angles(self) -> None:
        with pytest.raises(ValueError):
            degrade.turn(Image.new("L", (10, 10)), 45)


class TestTargetedDefects:
    def test_illegible_page_cannot_be_read_but_is_not_blank(self, tmp_path: Path) -> None:
        """GIVEN a page Tesseract reads WHEN made illegible THEN no word survives, and a
        black-and-white scan of it still shows marks (it never passes for a blank)."""
        page = _page()
        assert "attestation" in _ocr(page, tmp_path)
        ruined = degrade.make_illegible(page, random.Random(7))
        words = [w for w in _ocr(ruined, tmp_path).split() if len(w) > 3 and w.isalpha()]
        assert words == []
        bw = np.asarray(degrade.to_bilevel(ruined).convert("L")) == 0
        assert bw.mean() > 0.01

    def test_cut_off_half_leaves_the_lower_part_white(self) -> None:
        page = _page()
        out = np.asarray(degrade.cut_off(page, random.Random(1), mode="half"))
        rows = np.nonzero(_ink(page).any(axis=1))[0]
        lower = rows[rows > rows.min() + (rows.max() - rows.min()) * 0.6]
        assert len(lower)
        assert (out[lower] == out[lower][0, 0]).all()  # one flat fill: glass or lid
        assert not (out[rows.min():rows.min() + 20] == 255).all()

    @pytest.mark.parametrize("seed", [1, 2, 3, 4])
    def test_cut_off_edge_pushes_text_off_the_page(self, seed: int) -> None:
        page = _page()
        out = degrade.cut_off(page, random.Random(seed), mode="edge")
        assert _ink(out).sum() < _ink(page).sum() * 0.95
        assert out.size == page.size

    def test_blank_sheet_has_no_ink(self) -> None:
        sheet = degrade.blank_sheet((1275, 1650), random.Random(2))
        copy = degrade.photocopy(sheet, rng=random.Random(2), level="normal", dpi=DPI,
                                 borders=False)
        ink = np.asarray(degrade.to_bilevel(copy).convert("L")) == 0
        assert ink.mean() < 0.0015
        assert np.asarray(sheet).std() > 0.5  # paper grain, not a flat synthetic white
