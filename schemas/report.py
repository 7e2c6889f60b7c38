"""The per-packet report (``report.json``): the contract of ``corpus-format.md`` and more."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from schemas.base import Frozen, PixelBox
from schemas.codes import DocType, FieldStatus, IntakeStatus
from schemas.flags import Flag
from schemas.ocr import Issue


class PageReport(Frozen):
    """One page as the reviewer sees it in the report."""

    page: int
    doc_type: DocType
    person: str | None = None
    legibility: float
    legible: bool = True
    complete: bool = True
    blank: bool = False
    form_page: int | None = None
    source_file: str
    rotation_deg: int = 0
    skew_deg: float = 0.0
    doc_confidence: float = 0.0
    image: str | None = Field(None, description="Page thumbnail, relative to the report folder.")
    width_px: int = 0
    height_px: int = 0
    image_scale: float = Field(1.0, description="Thumbnail pixels per cleaned-page pixel.")


class FieldReport(Frozen):
    """A form field read, with where it is so the report can show its crop."""

    value: str | None
    confidence: float
    status: FieldStatus = FieldStatus.READ
    page: int | None = None
    bbox: PixelBox | None = None


class MissingDocument(Frozen):
    """A required document not found for a person."""

    person: str
    person_name: str | None = None
    document: str


class FileReport(Frozen):
    """A file of the envelope: its fingerprint and what became of it."""

    name: str
    sha256: str
    pages: int = 0
    error: str | None = None


class IntakeReport(Frozen):
    """Everything the pipeline concluded about one envelope."""

    packet_id: str
    status: IntakeStatus
    received_date: dt.date
    report_date: dt.date
    deadline: dt.date | None = Field(None, description="Notice date + 60 days, when something is missing.")
    files: tuple[FileReport, ...] = ()
    pages: tuple[PageReport, ...] = ()
    fields: dict[str, FieldReport] = Field(default_factory=dict)
    flags: tuple[Flag, ...] = ()
    missing: tuple[MissingDocument, ...] = ()
    people: dict[str, str] = Field(default_factory=dict, description="Person id → display name.")
    issues: tuple[Issue, ...] = ()
    timings_s: dict[str, float] = Field(default_factory=dict)
    dossier_number: str | None = None
