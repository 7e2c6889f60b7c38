"""Cleaned pages and what OCR read on them. Page numbers are 1-based over the packet."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from schemas.base import Frozen, PixelBox


class Issue(Frozen):
    """A soft, page-scoped problem: the run goes on and the status is capped at needs_review."""

    stage: str
    code: str
    page_no: int | None = None
    message: str


class CleanInfo(Frozen):
    """What cleaning did to a page, in the order it was done."""

    page_no: int
    rotation_deg: int = Field(0, description="Turn applied to make it upright, counter-clockwise.")
    skew_deg: float = Field(0.0, description="Residual skew measured and removed, degrees.")
    dpi: int
    width_px: int
    height_px: int


class OcrWord(Frozen):
    """One word of Tesseract output with its confidence (0–100) on the cleaned page."""

    text: str
    conf: float
    bbox: PixelBox
    block: int = 0
    line: int = Field(0, description="Line key unique within the page (block, paragraph, line).")


class PageOcr(Frozen):
    """The text of one page, from Tesseract or from a born-digital text layer."""

    page_no: int
    words: tuple[OcrWord, ...] = ()
    source: Literal["tesseract", "text_layer", "none"] = "tesseract"
    text_layer: str | None = Field(None, description="Text of a born-digital page, when reused.")
    issues: tuple[Issue, ...] = ()

    @property
    def text(self) -> str:
        """Words joined line by line, in reading order."""
        if self.text_layer is not None:
            return self.text_layer
        lines: dict[tuple[int, int], list[str]] = {}
        for w in self.words:
            lines.setdefault((w.block, w.line), []).append(w.text)
        return "\n".join(" ".join(ws) for ws in lines.values())

    @property
    def mean_conf(self) -> float:
        """Mean word confidence, 0 for a page with no words."""
        return sum(w.conf for w in self.words) / len(self.words) if self.words else 0.0
