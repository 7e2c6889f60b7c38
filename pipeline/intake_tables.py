"""Tables and snapshots of the envelope state machine (see ``pipeline.intake_state``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Date, Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class State(StrEnum):
    RECEIVED = "received"
    CLAIMED = "claimed"
    PROCESSING = "processing"
    DONE = "done"
    QUARANTINED = "quarantined"


#: States in which a worker holds a lease.
LEASED = (State.CLAIMED, State.PROCESSING)


class ServiceBase(DeclarativeBase):
    pass


class EnvelopeRow(ServiceBase):
    __tablename__ = "envelopes"
    __table_args__ = (UniqueConstraint("sha256", "arrival", name="uq_envelope_arrival"),)

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    arrival: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))
    # May hold a person's name: kept here for the clerk, never logged.
    original_name: Mapped[str] = mapped_column(Text)
    work_path: Mapped[str] = mapped_column(Text)
    received_on: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), index=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    owner: Mapped[str | None] = mapped_column(String(120), nullable=True)
    runner_pid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    lease_until: Mapped[float] = mapped_column(Float, default=0.0)
    not_before: Mapped[float] = mapped_column(Float, default=0.0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    retries: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    duplicate_of: Mapped[str | None] = mapped_column(String(100), nullable=True)
    report_dir: Mapped[str | None] = mapped_column(Text, nullable=True)
    archive_path: Mapped[str | None] = mapped_column(Text, nullable=True)
    quarantine_path: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)


class EventRow(ServiceBase):
    """The audit trail: every step of every envelope, never updated."""

    __tablename__ = "envelope_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    envelope_id: Mapped[str] = mapped_column(String(80), index=True)
    at: Mapped[float] = mapped_column(Float)
    event: Mapped[str] = mapped_column(String(20), index=True)
    owner: Mapped[str | None] = mapped_column(String(120), nullable=True)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)


@dataclass(frozen=True)
class NewEnvelope:
    """What the claim step knows of an envelope it has moved into the work area."""

    id: str
    sha256: str
    arrival: str
    kind: str
    original_name: str
    work_path: str
    received_on: dt.date


@dataclass(frozen=True)
class Envelope:
    """A snapshot of one row."""

    id: str
    sha256: str
    arrival: str
    kind: str
    original_name: str
    work_path: str
    received_on: dt.date
    state: State
    version: int
    owner: str | None
    runner_pid: int | None
    lease_until: float
    not_before: float
    attempts: int
    retries: int
    reason: str | None
    status: str | None
    duplicate_of: str | None
    report_dir: str | None
    archive_path: str | None
    quarantine_path: str | None
    created_at: float
    updated_at: float


@dataclass(frozen=True)
class Finished:
    """What a successful run leaves in the row."""

    status: str
    report_dir: str | None
    duplicate_of: str | None
    archive_path: str


def snapshot(row: EnvelopeRow) -> Envelope:
    fields = {k: getattr(row, k) for k in Envelope.__dataclass_fields__}
    fields["state"] = State(row.state)
    return Envelope(**fields)
