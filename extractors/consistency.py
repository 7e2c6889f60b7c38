"""The rules about people and their documents: what is missing, whose each document is, and
whether names, dates of birth and machine-readable zones agree.

``checks.run_checks`` applies these with the form, page and file-number rules. ``CheckInputs``
holds the typed inputs of one packet and the lookups every rule shares.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from extractors.classify import MRZ_CUE
from extractors.people import NEAR_MISS, mrz_mention, name_score
from schemas.codes import DocType, FieldStatus, FlagCode
from schemas.config import PipelineConfig, RequiredDocuments, Requirement, load_required_documents
from schemas.extraction import (
    ClassifiedPage,
    DocumentFacts,
    FieldRead,
    FormPageRead,
    MrzRead,
    PersonMention,
)
from schemas.flags import Evidence, Flag
from schemas.people import Person
from schemas.quality import PageQuality
from schemas.registry import Registry

F = FlagCode
CHILD_RELATIONSHIPS = (2, 3, 4)
#: Documents whose names and dates of birth must agree with the form.
IDENTITY_TYPES = (DocType.IDENTITY_DOCUMENT, DocType.BIRTH_CERTIFICATE)
#: A valid zone's name is called different from the form only this far under the threshold:
#: OCR of a zone's names is not protected by its check digits.
MRZ_NAME_SLACK = 10.0


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
        """A document with any legible page (an unknown page counts as legible)."""
        return any(self.quality[n].legible if n in self.quality else True for n in doc.pages)

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


def _prefix(pid: str) -> str:
    """Field-name prefix of a person: ``member2_`` or nothing for the principal."""
    return "" if pid == "principal" else f"{pid}_"


def _shown(m: PersonMention) -> str:
    return m.full_name or " ".join(filter(None, (m.given_names, m.family_name)))


# --- required documents -----------------------------------------------------------------------


def _needs(pk: CheckInputs, person: Person, required: RequiredDocuments) -> list[Requirement]:
    if person.id == "principal":
        # The form has its own flags (form_missing, form_page_missing).
        return [r for r in required.principal if DocType.APPLICATION_FORM not in r.any_of]
    if not person.included:
        return []
    needs = list(required.member)
    age = person.age_on(pk.received)
    for cond in required.member_when:
        if cond.relationship and person.relationship not in cond.relationship:
            continue
        if cond.min_age is not None and (age is None or age < cond.min_age):
            continue
        needs += cond.documents
    return needs


def _missing(pk: CheckInputs) -> Iterator[tuple[Person, Requirement]]:
    """Requirements no document satisfies. An illegible document nobody could be matched to
    may be the one wanted: it answers one missing requirement of its type instead of a flag.
    Without any name on the form (no form), a document of the right type is enough."""
    spare = [d for d in pk.documents if d.person is None and not pk.legible(d)]
    required = required_documents(pk.cfg.rules.required_documents_file)
    anyone = not pk.has_names
    for person in pk.people:
        for req in _needs(pk, person, required):
            if any(
                d.doc_type in req.any_of and (anyone or d.person == person.id)
                for d in pk.documents
            ):
                continue
            stand_in = next((d for d in spare if d.doc_type in req.any_of), None)
            if stand_in is not None:
                spare.remove(stand_in)
                continue
            yield person, req


def missing_documents(pk: CheckInputs) -> Iterator[Flag]:
    for person, req in _missing(pk):
        yield pk.flag(
            F.MISSING_DOCUMENT,
            f"No {req.name.replace('_', ' ')} found for {person.display_name} ({person.id}).",
            Evidence(
                expected=" or ".join(t.value for t in req.any_of),
                note=f"{len(pk.documents)} document(s) in the envelope",
            ),
            document=req.name,
            person=person.id,
        )


def unmatched_documents(pk: CheckInputs) -> Iterator[Flag]:
    """Required kinds of document naming nobody of the form (letters and unknown pages may)."""
    required = required_documents(pk.cfg.rules.required_documents_file)
    wanted = {t for r in (*required.principal, *required.member) for t in r.any_of}
    wanted |= {t for c in required.member_when for r in c.documents for t in r.any_of}
    if not pk.has_names:
        return  # No name on the form to match anything against.
    for doc in pk.documents:
        if doc.person is None and doc.doc_type in wanted and pk.legible(doc):
            m = doc.mentions[0] if doc.mentions else None
            names = "; ".join(_shown(x) for x in doc.mentions[:3]) or None
            yield pk.flag(
                F.UNMATCHED_DOCUMENT,
                f"The {doc.doc_type.value.replace('_', ' ')} on "
                f"page {doc.pages[0]} names nobody on the form.",
                Evidence(
                    page=doc.pages[0],
                    bbox=m.bbox if m else None,
                    text_read=names,
                    note="no readable name" if m is None else None,
                ),
                page=doc.pages[0],
            )


# --- family members ---------------------------------------------------------------------------


def _member_evidence(pk: CheckInputs, pid: str, suffix: str) -> Evidence:
    f = pk.fields.get(f"{pid}_{suffix}")
    return field_evidence(f) if f is not None else Evidence(note=f"{pid} {suffix}")


def dependants(pk: CheckInputs) -> Iterator[Flag]:
    """Members abroad marked included; included children who are not dependent."""
    proofs = {DocType.MEDICAL_CERTIFICATE, DocType.FINANCIAL_DEPENDENCY_PROOF}
    for p in pk.people:
        if p.id == "principal" or not p.included:
            continue
        if p.residence == "abroad":
            yield pk.flag(
                F.MEMBER_ABROAD_INCLUDED,
                f"{p.display_name} lives abroad and cannot be included in the application.",
                _member_evidence(pk, p.id, "residence"),
                person=p.id,
            )
        if p.relationship not in CHILD_RELATIONSHIPS:
            continue
        age = p.age_on(pk.received)
        held = {d.doc_type for d in pk.documents if d.person == p.id}
        if p.has_spouse:
            why, suffix = "is married or has a de facto spouse", "has_spouse"
        elif age is not None and age >= pk.cfg.rules.dependent_max_age and not proofs <= held:
            why, suffix = f"is {age} and lacks the medical and financial proofs", "date_of_birth"
        else:
            continue
        yield pk.flag(
            F.NOT_DEPENDENT_CHILD,
            f"{p.display_name} {why}: not a dependent child.",
            _member_evidence(pk, p.id, suffix),
            person=p.id,
        )


# --- names and dates of birth -----------------------------------------------------------------


def readable(pk: CheckInputs, pid: str, *suffixes: str) -> bool:
    """The form's fields for this person were all read with confidence (or left empty)."""
    got = [pk.fields.get(_prefix(pid) + s) for s in suffixes]
    return any(f is not None and f.status is FieldStatus.READ for f in got) and not any(
        f is not None and f.status is FieldStatus.UNREADABLE for f in got
    )


def _mismatch(pk: CheckInputs, doc: DocumentFacts, person: Person, what: str, ev: Evidence) -> Flag:
    label = "name" if what == "name" else "date of birth"
    return pk.flag(
        F.IDENTITY_MISMATCH,
        f"The {label} on the {doc.doc_type.value.replace('_', ' ')}"
        f" (page {ev.page}) differs from the form for {person.display_name}.",
        ev,
        person=person.id,
        field=what,
        page=ev.page,
    )


def _zone_page(pk: CheckInputs, doc: DocumentFacts) -> int:
    cued = [p.page_no for p in pk.pages if p.page_no in doc.pages and MRZ_CUE in p.evidence]
    return cued[0] if cued else doc.pages[0]


def _names_agree(pk: CheckInputs, doc: DocumentFacts, person: Person) -> Iterator[Flag]:
    expected = person.display_name
    if doc.match_score < pk.threshold:
        best = max(doc.mentions, key=lambda m: name_score(m, person), default=None)
        yield _mismatch(
            pk,
            doc,
            person,
            "name",
            Evidence(
                page=doc.pages[0],
                bbox=best.bbox if best else None,
                text_read=best.text if best else None,
                expected=expected,
                note=f"name match {doc.match_score:.0f}/100",
            ),
        )
    zone = doc.mrz
    if zone is not None and zone.checks_ok:
        score = name_score(mrz_mention(zone), person)
        if score < pk.threshold - MRZ_NAME_SLACK:
            yield _mismatch(
                pk,
                doc,
                person,
                "name",
                Evidence(
                    page=_zone_page(pk, doc),
                    bbox=zone.bbox,
                    text_read=f"{zone.family_name}, {zone.given_names}",
                    expected=expected,
                    note=f"machine-readable zone; name match {score:.0f}/100",
                ),
            )


def _dobs(
    pk: CheckInputs, doc: DocumentFacts, person: Person
) -> Iterator[tuple[dt.date, Evidence]]:
    """Birth dates the document gives its subject: the zone's (when its check digit holds)
    and that of the best-named mention that has one."""
    zone: MrzRead | None = doc.mrz
    if zone and zone.date_of_birth and "date_of_birth" not in zone.failed_checks:
        yield (
            zone.date_of_birth,
            Evidence(page=_zone_page(pk, doc), bbox=zone.bbox, note="machine-readable zone"),
        )
    dated = [m for m in doc.mentions if m.date_of_birth is not None]
    best = max(dated, key=lambda m: name_score(m, person), default=None)
    if best is not None and name_score(best, person) >= pk.threshold - NEAR_MISS:
        yield (
            best.date_of_birth,
            Evidence(
                page=doc.pages[0],
                bbox=best.bbox,  # type: ignore[misc]
                note=best.text,
            ),
        )


def _dob_agrees(pk: CheckInputs, doc: DocumentFacts, person: Person) -> Iterator[Flag]:
    if person.date_of_birth is None or not readable(pk, person.id, "date_of_birth"):
        return
    for dob, ev in _dobs(pk, doc, person):
        if dob != person.date_of_birth:
            yield _mismatch(
                pk,
                doc,
                person,
                "date_of_birth",
                ev.model_copy(
                    update={
                        "text_read": dob.isoformat(),
                        "expected": person.date_of_birth.isoformat(),
                    }
                ),
            )
            return


def _preprinted(pk: CheckInputs) -> Iterator[Flag]:
    """The name the ministry printed on the form against the name the applicant wrote."""
    principal = pk.person("principal")
    printed = next((fp for fp in pk.form_pages if fp.preprinted_name), None)
    if (
        principal is None
        or printed is None
        or not readable(pk, "principal", "family_name", "given_names")
    ):
        return
    family, _, given = (printed.preprinted_name or "").partition(",")
    score = name_score(PersonMention(family_name=family, given_names=given), principal)
    if score < pk.threshold:
        yield pk.flag(
            F.IDENTITY_MISMATCH,
            "The name written on the form differs from the name printed on it by the ministry.",
            Evidence(
                page=printed.page_no,
                text_read=printed.preprinted_name,
                expected=principal.display_name,
                note=f"name match {score:.0f}",
            ),
            person="principal",
            field="name",
            page=printed.page_no,
        )


def identity_mismatches(pk: CheckInputs) -> Iterator[Flag]:
    yield from _preprinted(pk)
    for doc in pk.documents:
        person = pk.person(doc.person)
        if person is None or doc.doc_type not in IDENTITY_TYPES or not pk.legible(doc):
            continue
        if readable(pk, person.id, "family_name", "given_names"):
            yield from _names_agree(pk, doc, person)
        yield from _dob_agrees(pk, doc, person)


def invalid_zones(pk: CheckInputs) -> Iterator[Flag]:
    for doc in pk.documents:
        zone = doc.mrz
        if zone is not None and not zone.checks_ok:
            page = _zone_page(pk, doc)
            yield pk.flag(
                F.MRZ_INVALID,
                f"The machine-readable zone on page {page} fails its "
                "check digits: " + ", ".join(zone.failed_checks) + ".",
                Evidence(
                    page=page,
                    bbox=zone.bbox,
                    text_read="\n".join(zone.lines),
                    note="failed: " + ", ".join(zone.failed_checks),
                ),
                page=page,
            )
