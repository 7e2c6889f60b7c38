"""The intake rules (``intake-rules.md``): every flag decided from what was read.

``run_checks`` applies every rule to a packet's typed inputs. Each rule is one short function
of ``CheckInputs`` yielding flags; the form, page, field and file-number rules are here, the
rules about people and their documents in ``consistency``. Every flag carries evidence (page,
box, what was read, what was expected) and a plain message for the reviewer. Personal data
may appear in flags (reports are access-controlled) but never in logs. What could not be read
is reported as such (``field_unreadable``, an illegible page), never as a mismatch.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from extractors.check_inputs import CheckInputs, field_evidence
from extractors.consistency import (
    CHILD_RELATIONSHIPS,
    dependants,
    held_documents,
    identity_mismatches,
    invalid_zones,
    missing_documents,
    reference_dob,
    unmatched_documents,
)
from extractors.document_end import CERTIFICATE_UNSIGNED, STOPS_EARLY, UNFINISHED, UNSIGNED
from extractors.dossier import dossier_mismatches
from extractors.people import row_used
from schemas.codes import DocType, FieldStatus, FlagCode
from schemas.config import PipelineConfig
from schemas.extraction import (
    ClassifiedPage,
    DocumentFacts,
    FieldRead,
    FormPageRead,
)
from schemas.flags import Evidence, Flag
from schemas.form import FormLayout, load_form_layout
from schemas.people import Person
from schemas.quality import PageQuality
from schemas.registry import Registry

log = logging.getLogger(__name__)

F = FlagCode
FORM_PAGES = (1, 2, 3)
#: Fields of a used page-2 row the applicant must fill; has_spouse only for children.
MEMBER_REQUIRED = ("family_name", "given_names", "relationship", "date_of_birth", "residence",
                   "included")  # fmt: skip
#: Page-3 boxes and the document types that answer them; the first names the flag.
ENCLOSED: Mapping[str, tuple[DocType, ...]] = {
    "enclosed_identity": (DocType.IDENTITY_DOCUMENT,),
    "enclosed_birth": (DocType.BIRTH_CERTIFICATE,),
    "enclosed_union": (DocType.MARRIAGE_CERTIFICATE, DocType.UNION_PROOF),
    "enclosed_residence": (DocType.RESIDENCE_PROOF,),
    "enclosed_dependency": (DocType.MEDICAL_CERTIFICATE, DocType.FINANCIAL_DEPENDENCY_PROOF),
    "enclosed_other": (DocType.SUPPORTING_LETTER, DocType.OTHER),
}
_DOSSIER = re.compile(r"PCH-?([0-9OIL]{4})-?([0-9OIL]{6})")
_DIGITS = str.maketrans("OIL", "011")
#: Fields with a flag of their own when empty (form_unsigned, form_undated).
_OWN_CODE_FIELDS = ("signature", "date_signed")


@functools.cache
def _layout(path: Path) -> FormLayout:
    return load_form_layout(path)


# --- pages and the form -----------------------------------------------------------------------


def _page_quality(pk: CheckInputs) -> Iterator[Flag]:
    for q in sorted(pk.quality.values(), key=lambda q: q.page_no):
        ev = Evidence(page=q.page_no, note=f"legibility {q.legibility:.2f}")
        if q.blank:
            yield pk.flag(F.BLANK_PAGE, f"Page {q.page_no} is blank.", ev, page=q.page_no)
            continue
        if not q.legible:
            yield pk.flag(
                F.ILLEGIBLE_PAGE,
                f"Page {q.page_no} cannot be read reliably; ask for a clearer copy if it matters.",
                ev,
                page=q.page_no,
            )
        lost = _lost_end(q)
        if lost:
            yield pk.flag(
                F.INCOMPLETE_PAGE,
                f"Page {q.page_no} {lost[0]}.",
                ev.model_copy(update={"note": lost[1]}),
                page=q.page_no,
            )
        elif not q.complete:
            edges = ", ".join(q.cut_edges) or "an edge"
            yield pk.flag(
                F.INCOMPLETE_PAGE,
                f"Page {q.page_no} is cut off ({edges}): part of "
                "the page is missing from the copy.",
                ev.model_copy(update={"note": f"cut edges: {edges}"}),
                page=q.page_no,
            )


#: How a page shows the end of its document lost (``extractors.document_end``): the signal,
#: the message's end, the evidence's note (``{share}``: how far down the text reaches).
_LOST_ENDS = (
    (UNFINISHED, "ends before the letter's closing and signature: the rest of the letter is "
     "missing from the copy", "no closing (Veuillez agréer, Sincerely…) after the last line read"),
    (STOPS_EARLY, "stops high on the sheet though the letter goes on on the next page: the "
     "lower part of the page is missing from the copy",
     "text ends {share:.0%} of the way down the page"),
    (CERTIFICATE_UNSIGNED, "ends on the certificate's place and date of issue with no "
     "officer's name or signature under it: the bottom of the page is missing from the copy",
     "nothing read under the place and date of issue"),
    (UNSIGNED, "ends on the letter's closing with no signature or name under it: the bottom "
     "of the page is missing from the copy", "nothing read under the closing"),
)


def _lost_end(q: PageQuality) -> tuple[str, str] | None:
    """What the page's document lost, told as the message's end and the evidence's note."""
    for signal, message, note in _LOST_ENDS:
        if q.signals.get(signal):
            return message, note.format(share=q.signals[signal])
    return None


def _form_pages(pk: CheckInputs) -> Iterator[Flag]:
    if not pk.has_form:
        yield pk.flag(
            F.FORM_MISSING,
            "The application form is not in the envelope.",
            Evidence(note=f"{len(pk.pages)} page(s) received, none is the form"),
        )
        return
    missing = [k for k in FORM_PAGES if k not in pk.form_present]
    if len(missing) <= pk.form_unplaced:
        return  # Unplaced form pages may well be the missing ones: nothing can be said.
    for k in missing:
        yield pk.flag(
            F.FORM_PAGE_MISSING,
            f"Page {k} of the application form is missing.",
            Evidence(note=f"form pages found: {sorted(pk.form_present)}"),
            form_page=k,
        )


def _signature(pk: CheckInputs) -> Iterator[Flag]:
    if 3 not in pk.form_present:
        if pk.has_form and not pk.form_unplaced:
            # The signature and its date are on page 3: without it the form is neither.
            note = Evidence(note="form page 3 is missing")
            yield pk.flag(F.FORM_UNSIGNED, "The form is not signed (page 3 is missing).", note)
            yield pk.flag(F.FORM_UNDATED, "The form is not dated (page 3 is missing).", note)
        return
    sig, dated = pk.fields.get("signature"), pk.fields.get("date_signed")
    if sig is not None and sig.status is not FieldStatus.UNREADABLE and sig.value != "true":
        yield pk.flag(F.FORM_UNSIGNED, "The form is not signed.", field_evidence(sig, note="empty"))
    if dated is not None and dated.status is FieldStatus.EMPTY:
        yield pk.flag(F.FORM_UNDATED, "The form is not dated.", field_evidence(dated, note="empty"))
    yield from _date_signed(pk)


def _date_signed(pk: CheckInputs) -> Iterator[Flag]:
    f = pk.read("date_signed")
    signed = _iso(f.value) if f else None
    if f is None or signed is None:
        return
    if signed > pk.received:
        yield pk.flag(
            F.DATE_SIGNED_INVALID,
            "The form is dated after the envelope was received.",
            field_evidence(f, expected=f"on or before {pk.received.isoformat()}"),
        )
    principal = pk.person("principal")
    born = reference_dob(pk, principal) if principal else None
    age = Person(id="principal", date_of_birth=born).age_on(signed)
    if age is not None and age < pk.cfg.rules.signing_min_age:
        yield pk.flag(
            F.DATE_SIGNED_INVALID,
            f"The form is dated before the applicant turned {pk.cfg.rules.signing_min_age}.",
            field_evidence(f, note=f"age on that date: {age}"),
        )


def _iso(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


# --- fields -----------------------------------------------------------------------------------


def _stray_name(pk: CheckInputs, name: str) -> bool:
    """A name field of a page-2 row that names nobody: the lone speck read there is no answer
    (``people.row_used``)."""
    row, _, suffix = name.partition("_")
    return (row.startswith("member") and suffix in ("family_name", "given_names")
            and not row_used(pk.fields, row))


def _required_field(pk: CheckInputs, name: str, required: bool) -> bool:
    if not name.startswith("member"):
        return required and name not in _OWN_CODE_FIELDS
    row, _, suffix = name.partition("_")
    if not row_used(pk.fields, row):  # (a stray mark in a tick box alone uses no row)
        return False
    rel = pk.person(row).relationship if pk.person(row) else None
    return suffix in MEMBER_REQUIRED or (suffix == "has_spouse" and rel in CHILD_RELATIONSHIPS)


def _fields(pk: CheckInputs) -> Iterator[Flag]:
    for spec in _layout(pk.cfg.form.fields_file).answer_fields():
        f = pk.fields.get(spec.name)
        if f is None:
            continue  # Its page was not read: the page flags say why.
        if f.status is FieldStatus.UNREADABLE and spec.name not in pk.confirmed and not (
                _stray_name(pk, spec.name)):
            yield pk.flag(
                F.FIELD_UNREADABLE,
                f"The field '{spec.label or spec.name}' could not "
                "be read with confidence; check it on the page.",
                field_evidence(f, note=f"confidence {f.confidence:.2f}"),
                field=spec.name,
            )
        elif f.status is FieldStatus.EMPTY and _required_field(pk, spec.name, spec.required):
            yield pk.flag(
                F.FIELD_MISSING,
                f"The required field '{spec.label or spec.name}' is empty.",
                field_evidence(f, note="empty"),
                field=spec.name,
            )


def _address(pk: CheckInputs) -> Iterator[Flag]:
    # A code the form reader was unsure of, but a proof of residence prints alike, is read:
    # two readers agreeing (confirm_from_papers); where it is, not whether papers agree, is
    # what this rule judges.
    f = pk.read("postal_code") or (
        pk.fields.get("postal_code") if "postal_code" in pk.confirmed else None)
    if f is None or not f.value:
        return
    code = "".join((f.value or "").split()).upper()
    letters = pk.cfg.rules.quebec_postal_letters
    if not code or code[0] not in letters:
        expected = f"a postal code starting with {', '.join(letters)}"
        yield pk.flag(
            F.ADDRESS_OUTSIDE_QUEBEC,
            "The postal code is not a Québec one.",
            field_evidence(f, expected=expected),
        )


def _enclosed(pk: CheckInputs) -> Iterator[Flag]:
    present = {d.doc_type for d in pk.documents} | {p.doc_type for p in pk.pages}
    present |= {t for _, t in held_documents(pk)}
    for name, types in ENCLOSED.items():
        f = pk.read(name)
        if f is not None and f.value == "yes" and not present & set(types):
            yield pk.flag(
                F.ENCLOSED_NOT_FOUND,
                f"The box for '{types[0].value}' is ticked but "
                "no such document is in the envelope.",
                field_evidence(f, note="ticked"),
                document=types[0].value,
            )


# --- all rules --------------------------------------------------------------------------------

_RULES: tuple[Callable[[CheckInputs], Iterator[Flag]], ...] = (
    _page_quality,
    _form_pages,
    _signature,
    _fields,
    _address,
    _enclosed,
    missing_documents,
    unmatched_documents,
    dependants,
    identity_mismatches,
    invalid_zones,
    dossier_mismatches,
)


def _form_presence(
    form_pages: Sequence[FormPageRead], pages: Sequence[ClassifiedPage]
) -> tuple[set[int], int]:
    """Form pages present (read, or recognised by their text) and form pages of unknown number."""
    present = {fp.form_page for fp in form_pages}
    present |= {p.form_page for p in pages if p.form_page is not None}
    read = {fp.page_no for fp in form_pages}
    unplaced = sum(
        p.doc_type is DocType.APPLICATION_FORM and p.form_page is None and p.page_no not in read
        for p in pages
    )
    return present, unplaced


def run_checks(
    *,
    people: Sequence[Person],
    fields: Mapping[str, FieldRead],
    form_pages: Sequence[FormPageRead],
    documents: Sequence[DocumentFacts],
    pages: Sequence[ClassifiedPage],
    quality: Sequence[PageQuality],
    received_date: dt.date,
    registry: Registry | None,
    cfg: PipelineConfig,
    confirmed: frozenset[str] = frozenset(),
) -> list[Flag]:
    """Every flag of ``corpus-format.md`` decided from a packet's pages, form and documents
    (``unreadable_file`` and ``duplicate_packet`` are the pipeline's).

    Args:
        people: From ``people_from_form``; the principal first.
        fields: The form's fields by name, from every form page read.
        form_pages: The form pages read (file numbers, QR codes, pre-printed name).
        documents: Supporting documents, with ``person`` set by ``assign_documents``.
        pages: Every page, classified.
        quality: Every page's legibility and completeness.
        received_date: When the envelope arrived; ages and the date signed are judged on it.
        registry: The ministry's invited files, or None when not given.
        cfg: Thresholds, required documents, and each flag's severity.
        confirmed: Fields read unsure that a paper states alike (``confirm_from_papers``):
            not flagged ``field_unreadable``; every other rule takes them as the form
            reader left them.

    Returns:
        Flags in rule order, each subject once.
    """
    present, unplaced = _form_presence(form_pages, pages)
    pk = CheckInputs(
        people=people,
        fields=fields,
        form_pages=form_pages,
        documents=documents,
        pages=pages,
        quality={q.page_no: q for q in quality},
        received=received_date,
        registry=registry,
        cfg=cfg,
        confirmed=confirmed,
        form_present=present,
        form_unplaced=unplaced,
    )
    flags: list[Flag] = []
    seen: set[tuple[tuple[str, object], ...]] = set()
    for rule in _RULES:
        for flag in rule(pk):
            if flag.subject not in seen:
                seen.add(flag.subject)
                flags.append(flag)
    counts = Counter(f.code.value for f in flags)
    log.info("checks: %d flag(s) %s", len(flags), dict(sorted(counts.items())))
    return flags
