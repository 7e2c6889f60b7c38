"""The page chain: one page from its file to a ``PageResult``, images never leaving it.

Render → form page? (register and read its fields) : (clean and OCR) → quality → MRZ.
A recognised form page is read field by field and never OCRed as a whole page: its type is
known, and a full-page OCR would cost more than reading every field.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path

import cv2
import numpy as np

from extractors.form_reader import read_form_page
from extractors.mrz import find_mrz, reread_zone
from extractors.ocr import text_layer_page
from extractors.preprocess import clean_and_read
from extractors.quality import assess_page
from extractors.rasterize import render_page
from schemas.config import PipelineConfig
from schemas.form import AnswerContext, FormLayout
from schemas.ocr import CleanInfo, PageOcr
from schemas.page import PageResult
from schemas.scan import PageSource, ScanFile

log = logging.getLogger(__name__)

#: Page images kept for the report are stored at this resolution: enough to read a crop.
REPORT_DPI = 150


def process_page(
    scan: ScanFile,
    source: PageSource,
    *,
    image_dir: Path,
    cfg: PipelineConfig,
    layout: FormLayout,
    glyphs: object | None = None,
    received_on: dt.date | None = None,
) -> PageResult:
    """Run the whole page chain on one page and keep a reduced copy of the cleaned image.

    ``received_on``, the envelope's received date, is evidence for the form's date fields.
    """
    clock = _Clock()
    raster = render_page(scan, source.index_in_file, cfg=cfg.raster)
    clock.lap("render")
    if raster.text_layer and raster.text_layer.strip():
        page = _born_digital(raster, source, image_dir=image_dir, cfg=cfg)
        clock.lap("text_layer")
        return page.model_copy(update={"seconds": clock.laps})
    # The form reader finds its own orientation (QR code) and registers the page to the
    # template, skew and scale included: a form page needs no cleaning, which is the costly
    # part (orientation detection) of every other page.
    form_read = read_form_page(
        raster.image, page_no=source.page_no, dpi=raster.dpi, layout=layout, cfg=cfg.form,
        glyphs=glyphs, context=AnswerContext(
            received_on=received_on, home_postal_letters=cfg.rules.quebec_postal_letters
        ),
    )
    clock.lap("form")
    if form_read is not None:
        form, image = form_read
        info = CleanInfo(
            page_no=source.page_no, dpi=raster.dpi,
            width_px=image.shape[1], height_px=image.shape[0],
        )
        ocr = PageOcr(page_no=source.page_no, source="none")
    else:
        form = None
        # Cleaning and OCR are one stage: the OCR is also the proof that the page is upright.
        image, info, ocr = clean_and_read(
            raster.image, page_no=source.page_no, dpi=raster.dpi, cfg=cfg.preprocess,
            ocr_cfg=cfg.ocr,
        )
        clock.lap("clean_ocr")
    quality = assess_page(image, ocr, dpi=info.dpi, cfg=cfg.quality,
                          template_page=form is not None and form.aligned, cleaned=form is None)
    mrz = find_mrz(ocr) if form is None else None
    if mrz is not None:
        mrz = reread_zone(image, mrz, page_no=source.page_no)
    clock.lap("quality")
    path, scale = _save_page_image(image, dpi=info.dpi, image_dir=image_dir, page_no=source.page_no)
    clock.lap("save_image")
    log.info("page %d: form_page=%s words=%d", source.page_no, form and form.form_page, len(ocr.words))
    return PageResult(
        source=source, clean=info, ocr=ocr, quality=quality, form=form, mrz=mrz,
        image=path, image_scale=scale, issues=ocr.issues, seconds=clock.laps,
    )


def _born_digital(raster, source: PageSource, *, image_dir: Path, cfg: PipelineConfig) -> PageResult:
    """A page with a real text layer: reuse the text, skip cleaning and OCR."""
    image = raster.image
    ocr = text_layer_page(source.page_no, raster.text_layer)
    info = CleanInfo(
        page_no=source.page_no, dpi=raster.dpi, width_px=image.shape[1], height_px=image.shape[0]
    )
    quality = assess_page(image, ocr, dpi=raster.dpi, cfg=cfg.quality)
    path, scale = _save_page_image(image, dpi=raster.dpi, image_dir=image_dir, page_no=source.page_no)
    return PageResult(
        source=source, clean=info, ocr=ocr, quality=quality, mrz=find_mrz(ocr),
        image=path, image_scale=scale,
    )


def _save_page_image(
    image: np.ndarray, *, dpi: int, image_dir: Path, page_no: int
) -> tuple[Path, float]:
    """Write the cleaned page as a JPEG at ``REPORT_DPI``; return its path and scale factor."""
    scale = min(1.0, REPORT_DPI / max(dpi, 1))
    small = image if scale >= 1.0 else cv2.resize(
        image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA
    )
    image_dir.mkdir(parents=True, exist_ok=True)
    path = image_dir / f"page-{page_no:03d}.jpg"
    if not cv2.imwrite(str(path), small, [cv2.IMWRITE_JPEG_QUALITY, 80]):
        raise OSError(f"could not write page image {path.name}")
    return path, scale


class _Clock:
    """Wall time per stage, for the benchmark's breakdown (``intake bench``)."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = round(self.laps.get(stage, 0.0) + now - self._t, 4)
        self._t = now
