"""Everything the page chain learned about one page, in one JSON-serialisable hand-off."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from schemas.base import Frozen
from schemas.extraction import FormPageRead, MrzRead
from schemas.ocr import CleanInfo, Issue, PageOcr
from schemas.quality import PageQuality
from schemas.scan import PageSource


class PageResult(Frozen):
    """Rendered, cleaned, read and assessed page. ``image`` is the cleaned page on disk."""

    source: PageSource
    clean: CleanInfo
    ocr: PageOcr
    quality: PageQuality
    form: FormPageRead | None = None
    mrz: MrzRead | None = None
    image: Path
    image_scale: float = 1.0
    issues: tuple[Issue, ...] = ()
    seconds: dict[str, float] = Field(
        default_factory=dict, description="Wall time of each stage of the page chain."
    )

    @property
    def page_no(self) -> int:
        return self.source.page_no
