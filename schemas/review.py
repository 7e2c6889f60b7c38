"""The review station's records: who may do what, and the audit trail of every decision.

The audit log is the only record of a review: the state of an envelope under review (fields
corrected, flags settled, final status) is derived from its entries, never stored twice.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from schemas.base import Frozen
from schemas.codes import IntakeStatus


class Role(StrEnum):
    """What a signed-in person may do."""

    MAILROOM = "mailroom"  # sees the queue and its counts, never an envelope's content
    REVIEWER = "reviewer"  # opens envelopes, corrects, settles flags, decides
    ADMIN = "admin"  # a reviewer who also sees the whole audit log

    @property
    def can_review(self) -> bool:
        return self is not Role.MAILROOM


class ReviewAction(StrEnum):
    """What an audit entry records."""

    CORRECT_FIELD = "correct_field"
    RESOLVE_FLAG = "resolve_flag"  # the problem is real and has been dealt with
    OVERRIDE_FLAG = "override_flag"  # the flag was wrong
    SET_STATUS = "set_status"
    DOWNLOAD_NOTICE = "download_notice"


class AuditEntry(Frozen):
    """One action of one person on one envelope; written once, never changed."""

    id: int | None = None
    at: dt.datetime
    actor: str
    role: Role
    packet_id: str
    action: ReviewAction
    target: str = Field("", description="Field name, flag key or 'status'.")
    before: str | None = None
    after: str | None = None
    reason: str = ""


class FlagDecision(Frozen):
    action: ReviewAction
    reason: str
    actor: str
    at: dt.datetime


class ReviewState(Frozen):
    """An envelope as its audit entries leave it."""

    corrections: dict[str, str] = Field(default_factory=dict, description="Field → value.")
    flags: dict[str, FlagDecision] = Field(default_factory=dict, description="Flag key → decision.")
    final_status: IntakeStatus | None = None
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    reason: str = ""

    @property
    def decided(self) -> bool:
        return self.final_status is not None
