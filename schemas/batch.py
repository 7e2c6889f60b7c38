"""What a batch report says about many envelopes at once."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from schemas.base import Frozen
from schemas.codes import IntakeStatus


class BatchEnvelope(Frozen):
    """One envelope's line in a batch report."""

    packet_id: str
    status: IntakeStatus
    received_date: dt.date
    deadline: dt.date | None = None
    pages: int
    flags: int
    seconds: float = Field(description="Wall time the pipeline spent on the envelope.")


class BatchSummary(Frozen):
    """Counts, the most frequent flags, envelopes by deadline and the series the plots draw."""

    batch_id: str
    made_at: dt.datetime
    envelopes: tuple[BatchEnvelope, ...]
    by_status: dict[IntakeStatus, int]
    top_flags: tuple[tuple[str, int], ...]
    legibility: tuple[float, ...] = Field(description="Every page's legibility score.")
    seconds_per_page: tuple[float, ...] = Field(description="Per envelope: seconds / pages.")
    flags_per_day: tuple[tuple[dt.date, int], ...] = Field(description="By received date.")

    @property
    def pages(self) -> int:
        return sum(e.pages for e in self.envelopes)
