"""The inputs every intake rule reads, with the lookups they share."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from schemas.codes import FieldStatus, FlagCode
from schemas.config import PipelineConfig, RequiredDocuments, load_required_documents
from schemas.extraction import ClassifiedPage, DocumentFacts, FieldRead, FormPageRead
from schemas.flags import Evidence, Flag
from schemas.people import Person
from schemas.quality import PageQuality
from schemas.registry import Registry


@functools.cache
def required_documents(path: Path) -> RequiredDocuments:
    return load_required_documents(path)


@dataclass
class CheckInputs:
    """The inputs of ``run_checks`` and lookups shared by the rules."""

    people: Sequence[Person]
    fields: Mapping[str, FieldRead]
    form_pages: Sequence[FormPageRead]
    documents: Sequence[DocumentFacts]
    pages: Sequence[ClassifiedPage]
    quality: Mapping[int, PageQuality]
    received: dt.date
    registry: Registry | None
    cfg: PipelineConfig
    #: Fields read unsure that a paper states alike: reported read, not flagged unreadable.
    confirmed: frozenset[str] = frozenset()
    form_present: set[int] = field(default_factory=set)
    form_unplaced: int = 0

    def flag(self, code: FlagCode, message: str, *evidence: Evidence, **subject: object) -> Flag:
        return Flag(
            code=code,
            severity=self.cfg.policy(code).severity,
            message=message,
            evidence=evidence,
            **subject,
        )  # type: ignore[arg-type]

    def person(self, pid: str | None) -> Person | None:
        return next((p for p in self.people if p.id == pid), None)

    def read(self, name: str) -> FieldRead | None:
        """The field when it was read with confidence, else None."""
        f = self.fields.get(name)
        return f if f is not None and f.status is FieldStatus.READ and f.value else None

    def legible(self, doc: DocumentFacts) -> bool:
        """A document with any legible page counts (an unknown page counts as legible)."""
        return any(self._legible(n) for n in doc.pages)

    def first_legible(self, doc: DocumentFacts) -> bool:
        """What a document says is judged on its first page, when that can be read."""
        return self._legible(doc.pages[0])

    def _legible(self, page: int) -> bool:
        return self.quality[page].legible if page in self.quality else True

    @property
    def threshold(self) -> float:
        return self.cfg.rules.name_match_min

    @property
    def has_names(self) -> bool:
        """The form names someone documents can be matched to."""
        return any(p.family_name or p.given_names for p in self.people)

    @property
    def has_form(self) -> bool:
        return bool(self.form_present) or self.form_unplaced > 0


def field_evidence(
    f: FieldRead, *, expected: str | None = None, note: str | None = None
) -> Evidence:
    return Evidence(
        page=f.page_no, bbox=f.bbox, text_read=f.raw or f.value, expected=expected, note=note
    )


def field_prefix(pid: str) -> str:
    """Field-name prefix of a person: ``member2_`` or nothing for the principal."""
    return "" if pid == "principal" else f"{pid}_"
