"""A packet's outcome: its status, the deadline to complete it and what is missing."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from schemas.codes import FlagCode, IntakeStatus
from schemas.config import PipelineConfig
from schemas.flags import Flag
from schemas.ocr import Issue
from schemas.people import Person
from schemas.report import MissingDocument

log = logging.getLogger(__name__)


def decide_status(
    flags: Sequence[Flag], issues: Sequence[Issue], cfg: PipelineConfig
) -> IntakeStatus:
    """The worst outcome any flag implies (unreadable > needs_review > incomplete > complete).

    A soft problem met on the way (an ``Issue``) means something may have been missed, so the
    packet is at least ``needs_review``.
    """
    status = IntakeStatus.COMPLETE
    for flag in flags:
        outcome = cfg.policy(flag.code).outcome
        if outcome.rank > status.rank:
            status = outcome
    if issues and status.rank < IntakeStatus.NEEDS_REVIEW.rank:
        status = IntakeStatus.NEEDS_REVIEW
    log.debug("status %s from %d flag(s), %d issue(s)", status.value, len(flags), len(issues))
    return status


def deadline(flags: Sequence[Flag], notice_date: dt.date, cfg: PipelineConfig) -> dt.date | None:
    """When what is missing must arrive: the notice date plus the configured days (60).

    Given whenever the applicant has something to send (a flag whose outcome is incomplete),
    even when a worse flag makes the packet need review: the reviewer still sends the notice.
    """
    if not any(cfg.policy(f.code).outcome is IntakeStatus.INCOMPLETE for f in flags):
        return None
    return notice_date + dt.timedelta(days=cfg.rules.deadline_days)


def _missing(flag: Flag) -> tuple[str, str] | None:
    """(person, document) a flag asks the applicant to send, if any."""
    if flag.code is FlagCode.MISSING_DOCUMENT and flag.person and flag.document:
        return flag.person, flag.document
    if flag.code is FlagCode.FORM_MISSING:
        return "principal", "application_form"
    if flag.code is FlagCode.FORM_PAGE_MISSING and flag.form_page:
        return "principal", f"application_form page {flag.form_page}"
    return None


def missing_documents(
    flags: Sequence[Flag], people: Sequence[Person]
) -> tuple[MissingDocument, ...]:
    """Every document to ask for, once, with the person's name as the form gives it."""
    names = {p.id: p.display_name for p in people}
    out: dict[tuple[str, str], MissingDocument] = {}
    for flag in flags:
        key = _missing(flag)
        if key is not None and key not in out:
            person, document = key
            out[key] = MissingDocument(
                person=person, person_name=names.get(person), document=document
            )
    return tuple(out.values())
