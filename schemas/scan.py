"""Input files and the pages they hold."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from schemas.base import Frozen
from schemas.codes import FileKind


class ScanFile(Frozen):
    """One file of an envelope, checked by preflight before anything renders it."""

    path: Path
    sha256: str
    kind: FileKind
    size_bytes: int
    page_count: int = Field(ge=1)
    has_text_layer: bool = Field(
        default=False, description="Born-digital PDF whose text can be reused instead of OCR."
    )


class PageSource(Frozen):
    """Where a packet page comes from. ``page_no`` runs 1…N over the whole packet."""

    page_no: int = Field(ge=1)
    file: Path
    index_in_file: int = Field(ge=0, description="0-based page index inside its file.")


class Packet(Frozen):
    """One envelope: its files in packet order (sorted by name) and the pages they hold."""

    packet_id: str
    files: tuple[ScanFile, ...]
    pages: tuple[PageSource, ...]

    @property
    def page_count(self) -> int:
        return len(self.pages)
