"""The packet store and the review station's tables on a real PostgreSQL server."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy.exc import DatabaseError

from pipeline.flows import intake_batch
from pipeline.review_store import ReviewStore
from pipeline.store import open_store
from pipeline.workdir import DB_URL_ENV, DataDir
from schemas.review import AuditEntry, ReviewAction, Role
from tests.postgres import fresh_database


@pytest.fixture()
def pg_url(postgres, monkeypatch) -> str:
    url = fresh_database(postgres)
    monkeypatch.setenv(DB_URL_ENV, url)
    return url


def test_the_batch_flow_stores_on_postgresql_and_finds_duplicates(
    pg_url: str, tmp_path: Path, sample_scans: Path
) -> None:
    """GIVEN INTAKE_DB_URL naming PostgreSQL, WHEN the same envelope comes twice,
    THEN both are stored there and the second is flagged a duplicate of the first."""
    inbox = tmp_path / "inbox"
    shutil.copytree(sample_scans / "p0012", inbox / "a-first")
    shutil.copytree(sample_scans / "p0012", inbox / "b-again")
    data = tmp_path / "data"
    reports = {r.packet_id: r for r in intake_batch(inbox, data)}
    assert DataDir(data).db_url == pg_url
    assert not (data / "intake.sqlite").exists()
    store = open_store(pg_url)
    assert [s.packet_id for s in store.list()] == ["a-first", "b-again"]
    assert store.get("b-again").status == reports["b-again"].status.value
    dup = [f for f in reports["b-again"].flags if f.code.value == "duplicate_packet"]
    assert dup and dup[0].of == "a-first"


def test_accounts_and_the_append_only_audit_log_on_postgresql(pg_url: str) -> None:
    import datetime as dt

    store = ReviewStore(pg_url)
    store.add_user("ana", "ana-reviews-2026", Role.REVIEWER)
    assert store.authenticate("ana", "ana-reviews-2026") is Role.REVIEWER
    assert store.authenticate("ana", "wrong-password") is None
    entry = store.append(AuditEntry(at=dt.datetime(2026, 12, 1, 9), actor="ana", role=Role.REVIEWER,
                                    packet_id="p1", action=ReviewAction.SET_STATUS,
                                    target="status", before="needs_review", after="complete"))  # fmt: skip
    assert store.entries("p1") == [entry]
    with pytest.raises(DatabaseError, match="append-only"), store.engine.begin() as c:
        c.exec_driver_sql("DELETE FROM review_audit")
    with pytest.raises(DatabaseError, match="append-only"), store.engine.begin() as c:
        c.exec_driver_sql("UPDATE review_audit SET actor = 'mallory'")
