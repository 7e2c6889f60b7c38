"""What was read on the form and on the supporting documents."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from schemas.base import Frozen, PixelBox
from schemas.codes import DocType, FieldKind, FieldStatus


class FieldRead(Frozen):
    """One form field as read. Values follow ``truth.json``: capitals, dates ``YYYY-MM-DD``,
    checkbox groups by the ticked option (several joined by ``,``), signature ``true``/``false``.
    """

    name: str
    kind: FieldKind
    form_page: int
    page_no: int | None = Field(None, description="Packet page it was read on.")
    value: str | None = None
    confidence: float = Field(0.0, ge=0.0, le=1.0)
    status: FieldStatus = FieldStatus.EMPTY
    bbox: PixelBox | None = Field(None, description="Where the field is on the cleaned page.")
    raw: str | None = Field(None, description="What the recogniser saw before decoding.")


class FormPageRead(Frozen):
    """One form page: which page of the form it is, how well it aligned, and its fields."""

    page_no: int
    form_page: int = Field(ge=1, le=3)
    aligned: bool
    alignment_quality: float = Field(ge=0.0, le=1.0)
    qr_text: str | None = None
    dossier_number: str | None = Field(None, description="Pre-printed file number, as read.")
    dossier_bbox: PixelBox | None = Field(None, description="Where the file number is printed.")
    preprinted_name: str | None = None
    name_bbox: PixelBox | None = Field(None, description="Where the name is printed.")
    fields: tuple[FieldRead, ...] = ()


class MrzRead(Frozen):
    """A machine-readable zone (ICAO 9303 TD1 or TD3) and the result of its check digits."""

    kind: Literal["TD1", "TD3"]
    lines: tuple[str, ...]
    family_name: str
    given_names: str
    date_of_birth: dt.date | None
    sex: str | None = None
    nationality: str | None = None
    document_number: str | None = None
    checks_ok: bool
    failed_checks: tuple[str, ...] = ()
    unread_checks: tuple[str, ...] = Field(
        (), description="Failed checks whose check character is no digit: misread, so the "
        "zone is not verified, rather than proved invalid.")
    bbox: PixelBox | None = None


class PersonMention(Frozen):
    """A person named on a document, with their date of birth where the document gives it."""

    family_name: str | None = None
    given_names: str | None = None
    full_name: str | None = Field(None, description="Name as written when it cannot be split.")
    date_of_birth: dt.date | None = None
    source: Literal["label", "mrz", "ner", "heading"] = "label"
    bbox: PixelBox | None = None
    text: str | None = Field(None, description="The line it was read from (evidence).")
    page_no: int | None = Field(None, description="Packet page it was read on.")
    ocr_confidence: float | None = Field(
        None, description="Tesseract's lowest confidence (0–100) among the name's words."
    )
    date_confidence: float | None = Field(
        None, description="Tesseract's lowest confidence (0–100) among the page's words that "
        "hold the birth date's year.",
    )


class ClassifiedPage(Frozen):
    """The type of one page and why."""

    page_no: int
    doc_type: DocType
    confidence: float = Field(ge=0.0, le=1.0)
    evidence: tuple[str, ...] = Field((), description="Phrases or cues that decided it.")
    form_page: int | None = None
    language: Literal["fr", "en", "unknown"] = "unknown"


class DocumentFacts(Frozen):
    """A supporting document (one or more consecutive pages) and who it is about."""

    doc_type: DocType
    pages: tuple[int, ...]
    mentions: tuple[PersonMention, ...] = ()
    mrz: MrzRead | None = None
    mrz_page: int | None = Field(None, description="Packet page of ``mrz``.")
    name_words: tuple[str, ...] = Field(
        (), description="Every word of the document's text, folded: names typed anywhere on it."
    )
    dates: tuple[dt.date, ...] = Field((), description="Every date written on the document.")
    person: str | None = Field(None, description="principal, member1…member5, or None.")
    match_score: float = 0.0
