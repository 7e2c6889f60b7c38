"""The orientation check on identity papers: the zone says which way is up."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.mrz import find_mrz
from extractors.ocr import read_words
from extractors.preflight import preflight
from extractors.preprocess import clean_and_read, rotate_ccw, upright_by_zone
from extractors.rasterize import render_page
from schemas.config import PipelineConfig

SAMPLE = Path(__file__).resolve().parents[2] / "sample_scans" / "packets" / "p0001"


@pytest.fixture(scope="module")
def passport(config: PipelineConfig):
    """Page 4 of a committed sample envelope: a passport data page, cleaned and read."""
    scan = preflight(next(SAMPLE.glob("*.tif")), config.limits)
    raster = render_page(scan, 3, cfg=config.raster)
    return clean_and_read(raster.image, page_no=4, dpi=raster.dpi, cfg=config.preprocess,
                          ocr_cfg=config.ocr)


def test_an_upright_page_is_left_alone(passport, config: PipelineConfig) -> None:
    image, info, ocr = passport
    assert "<<<<<<" in ocr.text
    assert upright_by_zone(image, info, ocr, ocr_cfg=config.ocr) == (image, info, ocr)


def test_a_page_left_upside_down_is_turned_by_its_zone(passport, config: PipelineConfig) -> None:
    image, info, _ = passport
    upside = rotate_ccw(image, 180)
    wrong = read_words(upside, page_no=4, cfg=config.ocr, dpi=info.dpi)
    assert find_mrz(wrong) is None and ">>>>>>" in wrong.text
    turned, fixed, ocr = upright_by_zone(upside, info, wrong, ocr_cfg=config.ocr)
    assert fixed.rotation_deg == (info.rotation_deg + 180) % 360
    assert find_mrz(ocr) is not None
    assert turned.shape == image.shape


def test_a_zone_whose_fillers_read_as_letters_still_turns_its_page(
    tmp_path: Path, config: PipelineConfig
) -> None:
    """GIVEN a speckled copy of a passport card (envelope p0100 of generated seed 9700, page
    5) that orientation detection turns upside down, its zone then reading ``>>>>>>``, and
    read the right way up only ``<<<<`` at a time (Tesseract reads most fillers K, E or L)
    WHEN cleaned and read THEN it is kept the right way up, its zone found."""
    from sample_scans.generate import Job, build_packet, plan_corpus

    plan = plan_corpus(seed=9700, count=100)[99]
    build_packet(Job(plan, tmp_path, 9700, 300))
    scan = preflight(next((tmp_path / plan.packet_id).glob("*.tif")), config.limits)
    raster = render_page(scan, 4, cfg=config.raster)
    _, info, ocr = clean_and_read(raster.image, page_no=5, dpi=raster.dpi,
                                  cfg=config.preprocess, ocr_cfg=config.ocr)
    assert info.rotation_deg == 0
    assert find_mrz(ocr) is not None
