"""Accounts and the audit log of the review station, beside the packet tables.

The audit table is append-only in the database itself: triggers refuse UPDATE and DELETE, so
not even a bug in this program can rewrite who decided what.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import DDL, DateTime, Integer, String, Text, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

from pipeline.store import open_engine
from schemas.review import AuditEntry, ReviewAction, Role

USERNAME = re.compile(r"[a-z][a-z0-9._-]{1,39}")
MIN_PASSWORD = 10


class Base(DeclarativeBase):
    pass


class UserRow(Base):
    __tablename__ = "review_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AuditRow(Base):
    __tablename__ = "review_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(20))
    packet_id: Mapped[str] = mapped_column(String(100), index=True)
    action: Mapped[str] = mapped_column(String(30))
    target: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[str | None] = mapped_column(Text, nullable=True)
    after: Mapped[str | None] = mapped_column(Text, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")


for _op in ("UPDATE", "DELETE"):
    event.listen(
        AuditRow.__table__,
        "after_create",
        DDL(
            f"CREATE TRIGGER review_audit_no_{_op.lower()} BEFORE {_op} ON review_audit "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        ).execute_if(dialect="sqlite"),
    )
event.listen(
    AuditRow.__table__,
    "after_create",
    DDL(
        "CREATE FUNCTION review_audit_frozen() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql; "
        "CREATE TRIGGER review_audit_frozen BEFORE UPDATE OR DELETE ON review_audit "
        "FOR EACH ROW EXECUTE FUNCTION review_audit_frozen()"
    ).execute_if(dialect="postgresql"),
)


class AccountError(ValueError):
    """A user name or password that cannot be accepted."""


class ReviewStore:
    """Users (argon2id hashes) and the audit log."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = open_engine(url)
        Base.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._hasher = PasswordHasher()

    def add_user(self, username: str, password: str, role: Role) -> None:
        if not USERNAME.fullmatch(username):
            raise AccountError("user names are 2–40 lower-case letters, digits, '.', '_' or '-'")
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"a password has at least {MIN_PASSWORD} characters")
        row = UserRow(
            username=username,
            password_hash=self._hasher.hash(password),
            role=role.value,
            created_at=_now(),
        )
        try:
            with self._sessions.begin() as s:
                s.add(row)
        except IntegrityError as e:
            raise AccountError(f"user {username!r} already exists") from e

    def users(self) -> list[tuple[str, Role]]:
        with self._sessions() as s:
            rows = s.execute(select(UserRow).order_by(UserRow.username)).scalars()
            return [(r.username, Role(r.role)) for r in rows]

    def authenticate(self, username: str, password: str) -> Role | None:
        """The user's role if the password is right, else None (same work either way)."""
        with self._sessions() as s:
            row = s.execute(
                select(UserRow).where(UserRow.username == username)
            ).scalar_one_or_none()
        stored = row.password_hash if row else _DUMMY_HASH
        try:
            self._hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        return Role(row.role) if row else None

    def role_of(self, username: str) -> Role | None:
        with self._sessions() as s:
            row = s.execute(
                select(UserRow).where(UserRow.username == username)
            ).scalar_one_or_none()
        return Role(row.role) if row else None

    def append(self, entry: AuditEntry) -> AuditEntry:
        with self._sessions.begin() as s:
            row = AuditRow(**entry.model_dump(exclude={"id"}, mode="python"))
            s.add(row)
            s.flush()
            return entry.model_copy(update={"id": row.id})

    def entries(self, packet_id: str | None = None) -> list[AuditEntry]:
        q = select(AuditRow).order_by(AuditRow.at, AuditRow.id)
        if packet_id is not None:
            q = q.where(AuditRow.packet_id == packet_id)
        with self._sessions() as s:
            return [_entry(r) for r in s.execute(q).scalars()]


def _entry(r: AuditRow) -> AuditEntry:
    return AuditEntry(
        id=r.id,
        at=r.at,
        actor=r.actor,
        role=Role(r.role),
        packet_id=r.packet_id,
        action=ReviewAction(r.action),
        target=r.target,
        before=r.before,
        after=r.after,
        reason=r.reason,
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


# Verifying against a hash of nothing when the user does not exist takes as long as a real
# check, so response times do not tell which user names exist.
_DUMMY_HASH = PasswordHasher().hash("no such user")


@functools.cache
def open_review_store(url: str) -> ReviewStore:
    return ReviewStore(url)
