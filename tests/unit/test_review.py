"""Review decisions replayed from the audit log, notices in words, and the batch plots."""

from __future__ import annotations

import datetime as dt

from extractors.notice import notice_lines, render_notice_html
from extractors.review import flag_key, open_flags, review_state
from extractors.svg_plots import histogram
from schemas.codes import FlagCode, IntakeStatus, Severity
from schemas.flags import Flag
from schemas.report import IntakeReport, MissingDocument
from schemas.review import AuditEntry, ReviewAction, Role

T0 = dt.datetime(2026, 12, 1, 9, 0)
MISSING = Flag(
    code=FlagCode.MISSING_DOCUMENT,
    severity=Severity.ERROR,
    message="m",
    document="union_proof",
    person="member1",
)
UNSIGNED = Flag(code=FlagCode.FORM_UNSIGNED, severity=Severity.ERROR, message="u")


def _entry(minutes: int, action: ReviewAction, target: str, after: str | None = None) -> AuditEntry:
    return AuditEntry(
        at=T0 + dt.timedelta(minutes=minutes),
        actor="ana",
        role=Role.REVIEWER,
        packet_id="p1",
        action=action,
        target=target,
        after=after,
        reason="r",
    )


class TestReviewState:
    def test_the_latest_entry_wins_whatever_order_they_come_in(self) -> None:
        entries = [
            _entry(3, ReviewAction.CORRECT_FIELD, "family_name", "TREMBLAY"),
            _entry(1, ReviewAction.CORRECT_FIELD, "family_name", "TREMBLEY"),
            _entry(2, ReviewAction.SET_STATUS, "status", "incomplete"),
            _entry(4, ReviewAction.SET_STATUS, "status", "complete"),
        ]
        state = review_state(entries)
        assert state.corrections == {"family_name": "TREMBLAY"}
        assert state.final_status is IntakeStatus.COMPLETE and state.decided
        assert state.decided_at == T0 + dt.timedelta(minutes=4)

    def test_settled_flags_leave_the_open_list(self) -> None:
        key = flag_key(MISSING)
        assert key == "missing_document:person=member1:document=union_proof"
        state = review_state([_entry(1, ReviewAction.OVERRIDE_FLAG, key)])
        assert open_flags([MISSING, UNSIGNED], state) == [UNSIGNED]
        assert not state.decided

    def test_an_empty_log_is_an_undecided_envelope(self) -> None:
        state = review_state([])
        assert not state.decided and not state.corrections and not state.flags


class TestNotice:
    REPORT = IntakeReport(
        packet_id="p1",
        status=IntakeStatus.INCOMPLETE,
        received_date=dt.date(2026, 11, 2),
        report_date=dt.date(2026, 11, 3),
        flags=(MISSING, UNSIGNED),
        missing=(
            MissingDocument(person="member1", person_name="Awa DIALLO", document="union_proof"),
            MissingDocument(person="principal", document="application_form page 2"),
        ),
        people={"principal": "Marie TREMBLAY", "member1": "Awa DIALLO"},
        dossier_number="PCH-2026-000001",
    )

    def test_every_missing_item_is_named_for_its_person(self) -> None:
        lines = notice_lines(self.REPORT, lang="en")
        assert [(x.person, x.what.split(" ")[0]) for x in lines] == [
            ("Awa DIALLO", "a"),
            ("Marie TREMBLAY", "the"),
            ("Marie TREMBLAY", "the"),
        ]
        assert lines[1].what.endswith("page 2") and "signature" in lines[2].what

    def test_the_deadline_counts_from_the_notice_date(self) -> None:
        html = render_notice_html(
            self.REPORT,
            fields={"family_name": "TREMBLAY", "postal_code": "H2X0C9"},
            notice_date=dt.date(2026, 12, 1),
            deadline_days=60,
            lang="fr",
        )
        assert "2027-01-30" in html and "H2X 0C9" in html and "PCH-2026-000001" in html


class TestPlots:
    def test_a_histogram_puts_every_value_in_a_bar(self) -> None:
        svg = histogram([0.0, 0.05, 0.5, 0.99, 1.0, 1.7], lo=0.0, hi=1.0, bins=10, label="x")
        assert svg.startswith("<svg") and svg.count("<rect") == 10
        counts = [int(t.split(": ")[1].split("<")[0]) for t in svg.split("<title>")[1:]]
        assert sum(counts) == 6 and counts[0] == 2 and counts[-1] == 3
