"""A packet's status, deadline and list of missing documents."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.status import deadline, decide_status, missing_documents
from schemas.codes import FlagCode, IntakeStatus, Severity
from schemas.config import load_config
from schemas.flags import Flag
from schemas.ocr import Issue
from schemas.people import Person
from schemas.report import MissingDocument

CFG = load_config()
F, S = FlagCode, IntakeStatus


def _flag(code: FlagCode, **keys: object) -> Flag:
    return Flag(code=code, severity=Severity.ERROR, message="m", **keys)  # type: ignore[arg-type]


class TestDecideStatus:
    @pytest.mark.parametrize(
        ("codes", "status"),
        [
            ((), S.COMPLETE),
            ((F.BLANK_PAGE,), S.COMPLETE),
            ((F.MISSING_DOCUMENT,), S.INCOMPLETE),
            ((F.FORM_UNSIGNED, F.BLANK_PAGE), S.INCOMPLETE),
            ((F.MISSING_DOCUMENT, F.ILLEGIBLE_PAGE), S.NEEDS_REVIEW),
            ((F.IDENTITY_MISMATCH,), S.NEEDS_REVIEW),
            ((F.DUPLICATE_PACKET, F.FORM_MISSING), S.NEEDS_REVIEW),
            ((F.MISSING_DOCUMENT, F.UNREADABLE_FILE, F.ILLEGIBLE_PAGE), S.UNREADABLE),
        ],
    )
    def test_worst_outcome_wins(self, codes: tuple[FlagCode, ...], status: IntakeStatus) -> None:
        assert decide_status([_flag(c) for c in codes], [], CFG) is status

    def test_an_issue_caps_at_needs_review(self) -> None:
        """GIVEN no flag but a page whose OCR timed out WHEN decided THEN needs_review."""
        issue = Issue(stage="ocr", code="timeout", page_no=3, message="OCR timed out")
        assert decide_status([], [issue], CFG) is S.NEEDS_REVIEW
        assert decide_status([_flag(F.UNREADABLE_FILE)], [issue], CFG) is S.UNREADABLE

    def test_policy_comes_from_configuration(self) -> None:
        """GIVEN a deployment that treats blank pages as needing review WHEN decided THEN so."""
        cfg = load_config(flags={"blank_page": {"severity": "warning", "outcome": "needs_review"}})
        assert decide_status([_flag(F.BLANK_PAGE)], [], cfg) is S.NEEDS_REVIEW


class TestDeadline:
    def test_sixty_days_after_the_notice_when_something_is_missing(self) -> None:
        flags = [_flag(F.MISSING_DOCUMENT)]
        assert deadline(flags, dt.date(2026, 11, 2), CFG) == dt.date(2027, 1, 1)

    def test_kept_when_a_worse_flag_needs_review(self) -> None:
        """GIVEN a missing form page and an illegible page THEN the notice still has its date."""
        flags = [_flag(F.FORM_PAGE_MISSING), _flag(F.ILLEGIBLE_PAGE)]
        assert decide_status(flags, [], CFG) is S.NEEDS_REVIEW
        assert deadline(flags, dt.date(2026, 11, 2), CFG) == dt.date(2027, 1, 1)

    @pytest.mark.parametrize("code", [F.BLANK_PAGE, F.ILLEGIBLE_PAGE, F.UNREADABLE_FILE])
    def test_no_deadline_when_nothing_is_missing(self, code: F) -> None:
        assert deadline([_flag(code)], dt.date(2026, 11, 2), CFG) is None


class TestMissingDocuments:
    def test_each_document_once_with_the_persons_name(self) -> None:
        people = (
            Person(id="principal", family_name="TREMBLAY", given_names="MARIE"),
            Person(id="member1", family_name="OKAFOR", given_names="CHIDI", relationship=1),
        )
        flags = [
            _flag(F.MISSING_DOCUMENT, person="member1", document="marriage_certificate"),
            _flag(F.MISSING_DOCUMENT, person="member1", document="marriage_certificate"),
            _flag(F.FORM_PAGE_MISSING, form_page=2),
            _flag(F.ILLEGIBLE_PAGE, page=4),
        ]
        assert missing_documents(flags, people) == (
            MissingDocument(
                person="member1", person_name="CHIDI OKAFOR", document="marriage_certificate"
            ),
            MissingDocument(
                person="principal", person_name="MARIE TREMBLAY", document="application_form page 2"
            ),
        )
