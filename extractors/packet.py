"""From the pages of one envelope to its report: classify, group, identify, check, decide.

This is the packet-level half of the pipeline. It is cheap (no image work): every input is the
typed output of the page chain.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence

from rapidfuzz.distance import Levenshtein

from extractors.checks import run_checks
from extractors.classify import DocTypeMatcher, classify_page, group_documents, says_continued
from extractors.dates import find_dates
from extractors.doc_split import split_by_subject
from extractors.document_end import lost_endings, mark_unfinished
from extractors.identity import extract_mentions
from extractors.paper_witness import confirm_from_papers
from extractors.people import (
    assign_documents,
    people_from_form,
    proofs_at_the_address,
    settle_from_papers,
    tokens,
)
from extractors.quality import rejudge
from extractors.status import deadline, decide_status, missing_documents
from schemas.codes import DocType, FieldKind, FieldStatus, FlagCode
from schemas.config import PipelineConfig
from schemas.extraction import ClassifiedPage, DocumentFacts, FieldRead, FormPageRead
from schemas.flags import Flag
from schemas.ocr import Issue
from schemas.page import PageResult
from schemas.registry import Registry
from schemas.report import FieldReport, FileReport, IntakeReport, PageReport

log = logging.getLogger(__name__)


def merge_form_fields(form_pages: Sequence[FormPageRead]) -> dict[str, FieldRead]:
    """All fields of the form; a form page sent twice counts once, the better-aligned copy."""
    best: dict[int, FormPageRead] = {}
    for fp in form_pages:
        if fp.form_page not in best or fp.alignment_quality > best[fp.form_page].alignment_quality:
            best[fp.form_page] = fp
    ordered = sorted(best.values(), key=lambda p: p.form_page)
    fields = {f.name: f for fp in ordered for f in fp.fields}
    named = [fp for fp in ordered if fp.preprinted_name]
    if named:
        # The ministry's typed name stands in when the hand-printed one cannot be read. It is
        # printed on every page: the reading closest to the others, so that one page's bad
        # copy (94 5 BAKIMI for HAKIMI) is outvoted by the pages that read it alike.
        fp = min(named, key=lambda a: sum(
            Levenshtein.distance(a.preprinted_name or "", b.preprinted_name or "") for b in named))
        fields["preprinted_name"] = FieldRead(
            name="preprinted_name", kind=FieldKind.PREPRINTED, form_page=fp.form_page,
            page_no=fp.page_no, value=fp.preprinted_name, confidence=fp.alignment_quality,
            status=FieldStatus.READ, bbox=fp.name_bbox,
        )
    return fields


def build_documents(
    pages: Sequence[PageResult], classified: Sequence[ClassifiedPage], *, nlp: object | None,
    page_words: Mapping[int, list[str]], page_dates: Mapping[int, list[dt.date]],
) -> list[DocumentFacts]:
    """Group supporting pages into documents and read who each is about (``page_words`` and
    ``page_dates``: each page's folded words and dates, read once for the packet)."""
    by_no = {p.page_no: p for p in pages}
    docs = []
    for doc_type, page_nos in group_documents(classified):
        if doc_type in (DocType.APPLICATION_FORM, DocType.BLANK):
            continue
        mentions = tuple(
            m.model_copy(update={"page_no": n})
            for n in page_nos
            for m in extract_mentions(by_no[n].ocr, doc_type=doc_type, nlp=nlp)
        )
        mrz_page = next((n for n in page_nos if by_no[n].mrz is not None), None)
        docs.append(DocumentFacts(
            doc_type=doc_type, pages=page_nos, mentions=mentions,
            mrz=by_no[mrz_page].mrz if mrz_page else None, mrz_page=mrz_page,
            name_words=tuple(w for n in page_nos for w in page_words[n]),
            dates=tuple(d for n in page_nos for d in page_dates[n]),
        ))
    return docs


def analyse_packet(
    pages: Sequence[PageResult],
    *,
    packet_id: str,
    files: Sequence[FileReport],
    received_date: dt.date,
    report_date: dt.date,
    registry: Registry | None,
    matcher: DocTypeMatcher,
    nlp: object | None,
    cfg: PipelineConfig,
    extra_flags: Sequence[Flag] = (),
    issues: Sequence[Issue] = (),
) -> IntakeReport:
    """Everything after the page chain, as one pure function of its inputs."""
    # Quality judged under this configuration, from each page's measurements.
    pages = [
        p.model_copy(update={"quality": rejudge(
            p.quality, p.ocr, cfg=cfg.quality, template_page=p.form is not None and p.form.aligned,
        )})
        for p in pages
    ]
    classified = [
        classify_page(
            p.ocr, quality=p.quality, matcher=matcher, cfg=cfg.classify,
            is_form_page=p.form.form_page if p.form else None, has_mrz=p.mrz is not None,
        )
        for p in pages
    ]
    form_pages = [p.form for p in pages if p.form is not None]
    fields = merge_form_fields(form_pages)
    people = people_from_form(fields)
    page_texts = {p.page_no: p.ocr.text for p in pages}
    page_words = {n: tokens(text) for n, text in page_texts.items()}
    page_dates = {n: [d for d, _ in find_dates(text)] for n, text in page_texts.items()}
    documents = split_by_subject(
        build_documents(pages, classified, nlp=nlp, page_words=page_words, page_dates=page_dates),
        people, cfg=cfg.rules, page_words=page_words, page_dates=page_dates,
        continued=frozenset(c.page_no for c in classified if says_continued(c)),
    )
    documents = assign_documents(documents, people, cfg=cfg.rules)
    confirmed = confirm_from_papers(fields, people, documents, page_texts)
    # (An address read unsure that a proof prints alike is read: two readers agree.)
    documents = proofs_at_the_address(documents, fields | confirmed, page_words)
    settled = settle_from_papers(people, documents, fields)
    if settled != people:
        # Birth dates the papers settled say better whose the other documents are.
        documents = proofs_at_the_address(assign_documents(documents, settled, cfg=cfg.rules),
                                          fields | confirmed, page_words)
    people = settled
    # A letter whose copy stops short (no closing, no signature, its text stopping high on
    # a page the letter goes on after) lost its lower part.
    unfinished = lost_endings(
        documents, {p.page_no: p for p in pages}, {c.page_no: c.doc_type for c in classified},
        cfg=cfg.quality,
    )
    pages = [p.model_copy(update={"quality": mark_unfinished(p.quality, unfinished[p.page_no])})
             if p.page_no in unfinished else p for p in pages]
    flags = list(extra_flags)
    if pages:
        flags += run_checks(
            people=people, fields=fields, form_pages=form_pages, documents=documents,
            pages=classified, quality=[p.quality for p in pages],
            received_date=received_date, registry=registry, cfg=cfg,
            confirmed=frozenset(confirmed),
        )
    flags = _unique(flags)
    all_issues = tuple(issues) + tuple(i for p in pages for i in p.issues)
    status = decide_status(flags, all_issues, cfg)
    log.info("packet %s: %d pages, %d flags, status %s", packet_id, len(pages), len(flags), status)
    return IntakeReport(
        packet_id=packet_id,
        status=status,
        received_date=received_date,
        report_date=report_date,
        deadline=deadline(flags, report_date, cfg),
        files=tuple(files),
        pages=_page_reports(pages, classified, documents),
        fields=_report_fields({**fields, **confirmed}, form_pages),
        flags=tuple(flags),
        missing=missing_documents(flags, people),
        people={p.id: p.display_name for p in people},
        issues=all_issues,
        dossier_number=_dossier_number(form_pages),
    )


def _unique(flags: Sequence[Flag]) -> list[Flag]:
    seen: set[tuple] = set()
    out = []
    for f in flags:
        if f.subject not in seen:
            seen.add(f.subject)
            out.append(f)
    return out


def _field_report(f: FieldRead) -> FieldReport:
    return FieldReport(
        value=f.value, confidence=f.confidence, status=f.status, page=f.page_no, bbox=f.bbox
    )


def _report_fields(
    fields: Mapping[str, FieldRead], form_pages: Sequence[FormPageRead]
) -> dict[str, FieldReport]:
    """The form's fields, plus the pre-printed file number agreed by the form pages."""
    out = {name: _field_report(f) for name, f in fields.items()}
    number = _dossier_number(form_pages)
    if number:
        agree = sum(fp.dossier_number == number for fp in form_pages) / len(form_pages)
        fp = next(fp for fp in form_pages if fp.dossier_number == number)
        out["dossier_number"] = FieldReport(
            value=number, confidence=round(agree, 3), page=fp.page_no, bbox=fp.dossier_bbox
        )
    return out


def _dossier_number(form_pages: Sequence[FormPageRead]) -> str | None:
    numbers = [fp.dossier_number for fp in form_pages if fp.dossier_number]
    return max(set(numbers), key=numbers.count) if numbers else None


def _page_reports(
    pages: Sequence[PageResult],
    classified: Sequence[ClassifiedPage],
    documents: Sequence[DocumentFacts],
) -> tuple[PageReport, ...]:
    person_of: Mapping[int, str | None] = {n: d.person for d in documents for n in d.pages}
    out = []
    for p, c in zip(pages, classified, strict=True):
        person = "principal" if c.doc_type is DocType.APPLICATION_FORM else person_of.get(p.page_no)
        out.append(
            PageReport(
                page=p.page_no, doc_type=c.doc_type, person=person, doc_confidence=c.confidence,
                legibility=round(p.quality.legibility, 3), legible=p.quality.legible,
                complete=p.quality.complete, blank=p.quality.blank,
                form_page=p.form.form_page if p.form else None,
                source_file=p.source.file.name, rotation_deg=p.clean.rotation_deg,
                skew_deg=round(p.clean.skew_deg, 2), image=f"pages/{p.image.name}",
                width_px=p.clean.width_px, height_px=p.clean.height_px,
                image_scale=p.image_scale,
            )
        )
    return tuple(out)


def unreadable_file_flag(name: str, reason: str, cfg: PipelineConfig) -> Flag:
    """The flag for a file preflight or rendering refused."""
    return Flag(
        code=FlagCode.UNREADABLE_FILE,
        severity=cfg.policy(FlagCode.UNREADABLE_FILE).severity,
        message=f"The file cannot be used: {reason}",
        file=name,
    )

