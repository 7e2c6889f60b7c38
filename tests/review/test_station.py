"""The review station through HTTP: sign-in, roles, CSRF, corrections, audit, exports, PDFs."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import pytest
from sqlalchemy.exc import DatabaseError

from pipeline.review_app import envelope_key
from pipeline.review_store import AccountError, ReviewStore
from pipeline.workdir import DataDir
from schemas.review import AuditEntry, ReviewAction, Role
from tests.review.conftest import csrf_of, sign_in

P8 = envelope_key("p0008")


def _pdf_text(body: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(body)
        fh.flush()
        text = subprocess.run(
            ["pdftotext", fh.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    return " ".join(text.split())


class TestSignIn:
    def test_every_page_is_behind_the_login(self, station) -> None:
        for url in (
            "/",
            f"/envelopes/{P8}",
            f"/envelopes/{P8}/pages/page-001.jpg",
            "/batch",
            "/audit",
            "/decisions.csv",
            f"/envelopes/{P8}/notice.pdf",
        ):
            r = station.get(url, follow_redirects=False)
            assert r.status_code == 303 and r.headers["location"] == "/login", url

    def test_a_wrong_password_is_refused(self, station) -> None:
        token = csrf_of(station.get("/login").text)
        r = station.post(
            "/login", data={"username": "ana", "password": "nope-nope-nope", "csrf": token}
        )
        assert "erroné" in r.text
        assert station.get("/", follow_redirects=False).status_code == 303

    def test_the_session_cookie_is_httponly_and_samesite(self, station) -> None:
        r = sign_in(station, "ana")
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        assert r.headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]

    def test_a_form_without_its_csrf_token_is_refused(self, station) -> None:
        sign_in(station, "ana")
        r = station.post(f"/envelopes/{P8}/status", data={"status": "complete", "csrf": "forged"})
        assert r.status_code == 403
        r = station.post("/login", data={"username": "ana", "password": "x"})
        assert r.status_code == 403


class TestRoles:
    def test_mailroom_sees_the_queue_but_never_an_envelope(self, station) -> None:
        sign_in(station, "max")
        queue = station.get("/")
        assert "p0008" in queue.text and f"/envelopes/{P8}" not in queue.text
        assert station.get(f"/envelopes/{P8}").status_code == 403
        assert station.get(f"/envelopes/{P8}/pages/page-001.jpg").status_code == 403
        assert station.get("/decisions.csv").status_code == 403

    def test_only_an_admin_reads_the_whole_audit_log(self, station) -> None:
        sign_in(station, "ana")
        assert station.get("/audit").status_code == 403
        sign_in(station, "root")
        assert station.get("/audit").status_code == 200

    def test_accounts_need_a_proper_name_and_a_long_password(self, station_data) -> None:
        store = ReviewStore(DataDir(station_data).db_url)
        with pytest.raises(AccountError):
            store.add_user("Bad Name", "long-enough-pass", Role.REVIEWER)
        with pytest.raises(AccountError):
            store.add_user("shorty", "short", Role.REVIEWER)
        with pytest.raises(AccountError):
            store.add_user("ana", "another-long-pass", Role.REVIEWER)


class TestQueue:
    def test_the_queue_holds_what_needs_a_decision_oldest_first(
        self, station, sample_batch
    ) -> None:
        sign_in(station, "ana")
        html = station.get("/").text
        _, _, reports = sample_batch
        waiting = sorted(
            (r for r in reports.values() if r.status.value != "complete"),
            key=lambda r: r.received_date,
        )
        positions = [html.index(f'data-packet="{r.packet_id}"') for r in waiting]
        assert positions == sorted(positions)
        for r in reports.values():
            if r.status.value == "complete":
                assert f'data-packet="{r.packet_id}"' not in html

    def test_urls_carry_no_packet_name(self, station, sample_batch) -> None:
        sign_in(station, "ana")
        html = station.get("/").text
        for pid in sample_batch[2]:
            assert f"/envelopes/{pid}" not in html


class TestDecisions:
    def test_a_correction_a_resolved_flag_and_a_status_reach_the_audit_log(self, station) -> None:
        sign_in(station, "ana")
        page = station.get(f"/envelopes/{P8}").text
        token = csrf_of(page)
        before = page.split('aria-label="municipality"')[0].rsplit('value="', 1)[1].split('"')[0]
        station.post(
            f"/envelopes/{P8}/fields",
            data={"csrf": token, "field": "municipality", "value": "lévis"},
        )
        flag = page.split('data-flag="')[1].split('"')[0]
        station.post(
            f"/envelopes/{P8}/flags",
            data={"csrf": token, "flag": flag, "action": "resolve_flag", "reason": "seen"},
        )
        r = station.post(
            f"/envelopes/{P8}/status",
            data={"csrf": token, "status": "complete", "reason": "checked"},
        )
        assert 'class="banner complete"' in r.text
        rows = list(csv.DictReader(io.StringIO(station.get("/decisions.csv").text)))
        mine = [row for row in rows if row["packet_id"] == "p0008"]
        assert [(row["action"], row["target"]) for row in mine] == [
            ("correct_field", "municipality"),
            ("resolve_flag", flag),
            ("set_status", "status"),
        ]
        assert mine[0]["before"] == before and mine[0]["after"] == "LÉVIS"
        assert mine[2]["before"] == "needs_review" and mine[2]["after"] == "complete"
        assert all(row["actor"] == "ana" and row["at"] for row in mine)
        exported = json.loads(station.get("/decisions.json").content)
        assert [e["action"] for e in exported if e["packet_id"] == "p0008"] == [
            "correct_field",
            "resolve_flag",
            "set_status",
        ]
        decided = station.get("/?decided=1").text
        assert 'data-packet="p0008"' in decided
        assert 'data-packet="p0008"' not in station.get("/").text

    def test_an_override_needs_a_reason(self, station) -> None:
        sign_in(station, "ana")
        page = station.get(f"/envelopes/{P8}").text
        flag = page.split('data-flag="')[1].split('"')[0]
        r = station.post(
            f"/envelopes/{P8}/flags",
            data={"csrf": csrf_of(page), "flag": flag, "action": "override_flag"},
        )
        assert r.status_code == 400

    def test_the_audit_log_cannot_be_rewritten(self, station_data) -> None:
        import datetime as dt

        store = ReviewStore(DataDir(station_data).db_url)
        store.append(AuditEntry(at=dt.datetime(2026, 12, 1, 9), actor="ana", role=Role.REVIEWER,
                                packet_id="p0008", action=ReviewAction.SET_STATUS, target="status",
                                after="complete"))  # fmt: skip
        assert store.entries()
        with pytest.raises(DatabaseError, match="append-only"), store.engine.begin() as c:
            c.exec_driver_sql("UPDATE review_audit SET actor = 'mallory'")
        db = sqlite3.connect(Path(station_data) / "intake.sqlite")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("DELETE FROM review_audit")
        db.close()


class TestDocuments:
    def test_the_notice_lists_what_is_missing_and_the_deadline(self, station, sample_batch) -> None:
        import datetime as dt

        sign_in(station, "ana")
        key = envelope_key("p0002")
        deadline = (dt.date.today() + dt.timedelta(days=60)).isoformat()
        fr = _pdf_text(station.get(f"/envelopes/{key}/notice.pdf?lang=fr").content)
        assert "documents manquants" in fr and deadline in fr and "page 3" in fr
        en = _pdf_text(station.get(f"/envelopes/{key}/notice.pdf?lang=en").content)
        assert "missing documents" in en and deadline in en
        report = sample_batch[2]["p0002"]
        assert report.dossier_number and report.dossier_number in en

    def test_no_notice_for_an_envelope_that_lacks_nothing(self, station, sample_batch) -> None:
        sign_in(station, "ana")
        for pid, r in sample_batch[2].items():
            if not r.missing and not r.deadline:
                assert station.get(f"/envelopes/{envelope_key(pid)}/notice.pdf").status_code == 404

    def test_report_pdf_and_batch_page(self, station) -> None:
        sign_in(station, "ana")
        assert "p0008" in _pdf_text(station.get(f"/envelopes/{P8}/report.pdf").content)
        assert station.get("/batch").text.count("<svg") == 3
