"""Taking envelopes from the inbox: completeness, ignored names, atomic claim, safe names."""

from __future__ import annotations

import io
import json
import os
import threading
from pathlib import Path

import pytest
from PIL import Image

from pipeline.claim import (
    READY_MARKER,
    SIDECAR,
    Readiness,
    claim,
    payload_digest,
    readiness,
    safe_name,
)
from pipeline.intake_state import EnvelopeStore
from pipeline.watcher import InboxWatcher
from schemas.config import LimitsConfig


def _pdf_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("L", (200, 200), 255).save(buf, format="PDF")
    return buf.getvalue()


def _png_bytes(shade: int = 255) -> bytes:
    buf = io.BytesIO()
    Image.new("L", (120, 80), shade).save(buf, format="PNG")
    return buf.getvalue()


class TestSafeName:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("Jean Tremblay.pdf", "Jean Tremblay.pdf"),
            ("Hélène Côté — 2e envoi.pdf", "Hélène Côté — 2e envoi.pdf"),
            ("ligne\nsuivante.pdf", "ligne_suivante.pdf"),
            ("..", "envelope"),
            ("../../etc/passwd", "_.._etc_passwd"),
            ("..hidden.pdf", "hidden.pdf"),
            ("tab\there\r.png", "tab_here_.png"),
        ],
    )
    def test_one_harmless_component(self, name: str, expected: str) -> None:
        out = safe_name(name)
        assert out == expected
        assert "/" not in out and "\n" not in out and out not in {".", ".."}
        assert not out.startswith(".")

    def test_long_names_keep_their_suffix(self) -> None:
        out = safe_name("é" * 300 + ".tiff")
        assert out.endswith(".tiff") and len(out.encode()) <= 180


class TestDigest:
    def test_a_folder_digest_follows_its_content_but_never_a_link(self, tmp_path: Path) -> None:
        outside = tmp_path / "outside.txt"
        outside.write_text("secret")
        env = tmp_path / "env"
        env.mkdir()
        (env / "p1.png").write_bytes(_png_bytes())
        (env / "link.png").symlink_to(outside)
        first = payload_digest(env)
        outside.write_text("changed")  # a followed link would change the digest
        assert payload_digest(env) == first
        (env / "p1.png").write_bytes(_png_bytes(shade=0))
        assert payload_digest(env) != first


class TestWatcher:
    def _watcher(self, inbox: Path, **kw) -> InboxWatcher:
        return InboxWatcher(
            inbox,
            settle_s=kw.pop("settle_s", 2.0),
            broken_after_s=kw.pop("broken_after_s", 10.0),
            poll=True,
            **kw,
        )

    def test_a_file_is_taken_only_once_stable_for_the_settle_time(self, tmp_path: Path) -> None:
        w = self._watcher(tmp_path)
        f = tmp_path / "scan.png"
        blob = _png_bytes()
        f.write_bytes(blob[:40])
        assert w.ready(now=0.0) == []
        f.write_bytes(blob)  # still growing: the clock restarts
        assert w.ready(now=1.5) == []
        assert w.ready(now=3.0) == []
        [ready] = w.ready(now=3.6)
        assert ready.path == f and ready.verdict is Readiness.OK

    def test_a_truncated_pdf_waits_until_broken_after(self, tmp_path: Path) -> None:
        """GIVEN a PDF whose copy stopped half-way WHEN it is stable THEN it is not taken until
        broken_after (it may resume), then taken so that it ends in a report."""
        w = self._watcher(tmp_path)
        (tmp_path / "cut.pdf").write_bytes(_pdf_bytes()[:300])
        w.ready(now=0.0)
        assert w.ready(now=5.0) == []
        [ready] = w.ready(now=10.5)
        assert ready.verdict is Readiness.INCOMPLETE

    def test_an_encrypted_or_huge_file_is_taken_at_the_settle_time(
        self, real_scans: Path, tmp_path: Path
    ) -> None:
        for name in ("skew-encrypted.pdf", "hugemono.pdf"):
            (tmp_path / name).write_bytes((real_scans / "problem-pdfs" / name).read_bytes())
        w = self._watcher(tmp_path)
        w.ready(now=0.0)
        assert {r.verdict for r in w.ready(now=2.5)} == {Readiness.BROKEN}

    def test_a_folder_is_taken_when_quiet_or_at_once_with_ready(self, tmp_path: Path) -> None:
        quiet, marked = tmp_path / "quiet", tmp_path / "marked"
        for d in (quiet, marked):
            d.mkdir()
            (d / "p1.png").write_bytes(_png_bytes())
        w = self._watcher(tmp_path)
        assert w.ready(now=0.0) == []
        (marked / READY_MARKER).touch()
        assert [r.path for r in w.ready(now=0.5)] == [marked]
        w.forget(marked)
        (marked / READY_MARKER).unlink()
        marked.rename(tmp_path / ".gone")
        assert [r.path for r in w.ready(now=3.0)] == [quiet]

    def test_temporary_system_hidden_and_special_files_are_never_taken(
        self, tmp_path: Path
    ) -> None:
        for name in (
            "scan.pdf.part",
            "~$scan.pdf",
            ".DS_Store",
            "Thumbs.db",
            ".hidden.pdf",
            "desktop.ini",
            "upload.crdownload",
            "scan.tmp",
        ):
            (tmp_path / name).write_bytes(_pdf_bytes())
        (tmp_path / "link.pdf").symlink_to(tmp_path / "~$scan.pdf")
        os.mkfifo(tmp_path / "pipe.pdf")  # opening it would block the service forever
        w = self._watcher(tmp_path)
        w.ready(now=0.0)
        assert w.ready(now=100.0) == []
        assert w.pending == 0


class TestClaim:
    def test_claim_moves_to_a_neutral_name_and_keeps_the_original_aside(
        self, tmp_path: Path
    ) -> None:
        inbox, work = tmp_path / "inbox", tmp_path / "inbox" / ".intake-work"
        inbox.mkdir()
        work.mkdir()
        (inbox / "Jean Tremblay.pdf").write_bytes(_pdf_bytes())
        store = EnvelopeStore(f"sqlite:///{tmp_path / 'db.sqlite'}")
        got = claim(inbox / "Jean Tremblay.pdf", work_root=work, store=store, first_seen=0)
        assert not (inbox / "Jean Tremblay.pdf").exists()
        assert got.work_path == work / got.sha256 / got.envelope_id / "envelope.pdf"
        side = json.loads((got.work_path.parent / SIDECAR).read_text(encoding="utf-8"))
        assert side["original_name"] == "Jean Tremblay.pdf"
        row = store.get(got.envelope_id)
        assert row.original_name == "Jean Tremblay.pdf" and row.sha256 == payload_digest(
            got.work_path
        )
        assert "Tremblay" not in got.envelope_id

    def test_of_many_simultaneous_claimers_exactly_one_wins(self, tmp_path: Path) -> None:
        inbox, work = tmp_path / "inbox", tmp_path / "inbox" / ".intake-work"
        inbox.mkdir()
        work.mkdir()
        (inbox / "scan.png").write_bytes(_png_bytes())
        store = EnvelopeStore(f"sqlite:///{tmp_path / 'db.sqlite'}")
        start, results = threading.Barrier(6), []

        def one() -> None:
            start.wait()
            results.append(claim(inbox / "scan.png", work_root=work, store=store, first_seen=0))

        threads = [threading.Thread(target=one) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sum(r is not None for r in results) == 1
        assert len(store.list()) == 1
        # the losers leave nothing behind in the work area
        assert len([p for p in work.rglob(SIDECAR)]) == 1

    def test_readiness_of_a_folder_needs_every_scan_file_whole(self, tmp_path: Path) -> None:
        env = tmp_path / "env"
        env.mkdir()
        (env / "p1.png").write_bytes(_png_bytes())
        (env / "notes.txt").write_text("ignored")
        assert readiness(env, LimitsConfig()) is Readiness.OK
        (env / "p2.pdf").write_bytes(_pdf_bytes()[:200])
        assert readiness(env, LimitsConfig()) is Readiness.INCOMPLETE
