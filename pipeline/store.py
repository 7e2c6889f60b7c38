"""The packet store: packets, their files, pages, fields and flags, through SQLAlchemy.

SQLite under the data directory by default; any SQLAlchemy URL (PostgreSQL) works the same.
The report JSON stays the source of truth for one packet; these tables serve queries across
packets (duplicates, the review queue, batch reports).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    event,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker

from schemas.report import IntakeReport


class Base(DeclarativeBase):
    pass


class PacketRow(Base):
    __tablename__ = "packets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    packet_id: Mapped[str] = mapped_column(String(100), unique=True, index=True)
    content_key: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    received_date: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    dossier_number: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    report_dir: Mapped[str] = mapped_column(Text)
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    processed_at: Mapped[dt.datetime] = mapped_column(DateTime)

    files: Mapped[list[FileRow]] = relationship(cascade="all, delete-orphan")
    pages: Mapped[list[PageRow]] = relationship(cascade="all, delete-orphan")
    fields: Mapped[list[FieldRow]] = relationship(cascade="all, delete-orphan")
    flags: Mapped[list[FlagRow]] = relationship(cascade="all, delete-orphan")


class FileRow(Base):
    __tablename__ = "files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    packet: Mapped[int] = mapped_column(ForeignKey("packets.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)


class PageRow(Base):
    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    packet: Mapped[int] = mapped_column(ForeignKey("packets.id", ondelete="CASCADE"), index=True)
    page_no: Mapped[int] = mapped_column(Integer)
    doc_type: Mapped[str] = mapped_column(String(40))
    person: Mapped[str | None] = mapped_column(String(20), nullable=True)
    legibility: Mapped[float] = mapped_column(Float)
    legible: Mapped[bool] = mapped_column(Boolean)
    complete: Mapped[bool] = mapped_column(Boolean)
    blank: Mapped[bool] = mapped_column(Boolean)


class FieldRow(Base):
    __tablename__ = "fields"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    packet: Mapped[int] = mapped_column(ForeignKey("packets.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    value: Mapped[str | None] = mapped_column(Text, nullable=True)
    confidence: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20))


class FlagRow(Base):
    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    packet: Mapped[int] = mapped_column(ForeignKey("packets.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    subject: Mapped[dict] = mapped_column(JSON)


@dataclass(frozen=True)
class PacketSummary:
    packet_id: str
    status: str
    received_date: dt.date
    deadline: dt.date | None
    page_count: int
    flag_codes: tuple[str, ...]
    report_dir: str
    processed_at: dt.datetime


class Store:
    """Typed access to the packet tables."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = open_engine(url)
        Base.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as s:
            yield s

    def find_duplicate(self, content_key: str, *, packet_id: str) -> str | None:
        """The earliest other packet with exactly the same files, if any."""
        with self.session() as s:
            row = s.execute(
                select(PacketRow.packet_id)
                .where(PacketRow.content_key == content_key, PacketRow.packet_id != packet_id)
                .order_by(PacketRow.processed_at, PacketRow.id)
                .limit(1)
            ).scalar_one_or_none()
        return row

    def save(self, report: IntakeReport, *, content_key: str, report_dir: str, seconds: float) -> None:
        """Insert or replace a packet and everything the report says about it."""
        with self.session() as s:
            old = s.execute(
                select(PacketRow).where(PacketRow.packet_id == report.packet_id)
            ).scalar_one_or_none()
            if old is not None:
                s.delete(old)
                s.flush()
            s.add(_packet_row(report, content_key=content_key, report_dir=report_dir, seconds=seconds))

    def get(self, packet_id: str) -> PacketSummary | None:
        with self.session() as s:
            row = s.execute(
                select(PacketRow).where(PacketRow.packet_id == packet_id)
            ).scalar_one_or_none()
            return _summary(row) if row else None

    def packet_ids(self) -> list[str]:
        with self.session() as s:
            return list(s.execute(select(PacketRow.packet_id)).scalars())

    def list(self) -> list[PacketSummary]:
        with self.session() as s:
            rows = s.execute(select(PacketRow).order_by(PacketRow.received_date, PacketRow.id))
            return [_summary(r) for r in rows.scalars()]


@functools.cache
def open_engine(url: str) -> Engine:
    """One connection pool per database per process, shared by the packet and review tables."""
    engine = create_engine(url, future=True)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", sqlite_pragmas)
    return engine


def sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets report readers and the batch writer work at once; a busy timeout instead of
    # "database is locked" when two processes write.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _packet_row(r: IntakeReport, *, content_key: str, report_dir: str, seconds: float) -> PacketRow:
    return PacketRow(
        packet_id=r.packet_id, content_key=content_key, status=r.status.value,
        received_date=r.received_date, deadline=r.deadline, dossier_number=r.dossier_number,
        report_dir=report_dir, page_count=len(r.pages), seconds=seconds,
        processed_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        files=[FileRow(name=f.name, sha256=f.sha256, pages=f.pages, error=f.error) for f in r.files],
        pages=[
            PageRow(
                page_no=p.page, doc_type=p.doc_type.value, person=p.person, legibility=p.legibility,
                legible=p.legible, complete=p.complete, blank=p.blank,
            )
            for p in r.pages
        ],
        fields=[
            FieldRow(name=n, value=f.value, confidence=f.confidence, status=f.status.value)
            for n, f in r.fields.items()
        ],
        flags=[
            FlagRow(
                code=f.code.value, severity=f.severity.value, message=f.message,
                subject=json.loads(json.dumps(dict(f.subject))),
            )
            for f in r.flags
        ],
    )


def _summary(row: PacketRow) -> PacketSummary:
    return PacketSummary(
        packet_id=row.packet_id, status=row.status, received_date=row.received_date,
        deadline=row.deadline, page_count=row.page_count,
        flag_codes=tuple(f.code for f in row.flags), report_dir=row.report_dir,
        processed_at=row.processed_at,
    )


@functools.cache
def open_store(url: str) -> Store:
    """One engine per database per process."""
    return Store(url)
