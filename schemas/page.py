"""Everything the page chain learned about one page, in one JSON-serialisable hand-off."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import Field

from schemas.base import Frozen
from schemas.extraction import FormPageRead, MrzRead
from schemas.flags import Flag
from schemas.ocr import CleanInfo, Issue, PageOcr
from schemas.quality import PageQuality
from schemas.report import FileReport
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


class PacketPages(Frozen):
    """What the page stage handed to the packet stage for one envelope (``pages.json``).

    Enough to apply the rules again — after a change of thresholds, documents or rules — without
    rendering or reading a single page again. It holds OCR text: personal data, kept private.
    """

    packet_id: str
    received_date: dt.date
    content_key: str = Field("", description="Hash of the envelope's files, for duplicates.")
    files: tuple[FileReport, ...] = ()
    pages: tuple[PageResult, ...] = ()
    extra_flags: tuple[Flag, ...] = Field(
        (), description="Flags found before the packet stage: unreadable files, duplicates."
    )
    issues: tuple[Issue, ...] = Field((), description="Pages the page chain could not process.")
    timings_s: dict[str, float] = Field(default_factory=dict)
