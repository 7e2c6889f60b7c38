"""Preflight on real problem files and on malformed inputs built in tmp_path."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript

from extractors.errors import (
    EncryptedPdfError,
    IntakeError,
    TooLargeError,
    UnreadableScanError,
    UnsupportedFormatError,
)
from extractors.preflight import preflight, sha256_file, sniff_kind
from schemas.codes import FileKind, FlagCode
from schemas.config import LimitsConfig

LIMITS = LimitsConfig()


@pytest.fixture(autouse=True)
def _restore_pillow_limit():
    """Preflight sets Pillow's process-wide pixel limit; give other tests theirs back."""
    saved = Image.MAX_IMAGE_PIXELS
    yield
    Image.MAX_IMAGE_PIXELS = saved


@pytest.fixture(scope="module")
def problems(real_scans: Path) -> Path:
    return real_scans / "problem-pdfs"


@pytest.fixture(scope="module")
def tess_images(real_scans: Path) -> Path:
    return real_scans / "tesseract-test-images"


class TestRealProblemFiles:
    @pytest.mark.parametrize(("name", "error"), [
        ("invalid.pdf", UnreadableScanError),
        ("skew-encrypted.pdf", EncryptedPdfError),
        ("hugemono.pdf", TooLargeError),
    ])
    def test_refused_with_a_clear_reason(self, problems: Path, name: str,
                                         error: type[IntakeError]) -> None:
        with pytest.raises(error) as info:
            preflight(problems / name, LIMITS)
        message = str(info.value)
        assert message and "\n" not in message
        assert info.value.code is FlagCode.UNREADABLE_FILE

    @pytest.mark.parametrize(("name", "pages"), [
        ("2400dpi.pdf", 1), ("acroform.pdf", 1), ("aspect.pdf", 1), ("blank.pdf", 1),
        ("c02-22.pdf", 1), ("cardinal.pdf", 4), ("ccitt.pdf", 1), ("epson.pdf", 1),
        ("francais.pdf", 1), ("graph.pdf", 1), ("jbig2.pdf", 1), ("kcs.pdf", 1),
        ("linn.pdf", 1), ("masks.pdf", 1), ("multipage.pdf", 6), ("poster.pdf", 1),
        ("rotated_skew.pdf", 1), ("skew.pdf", 1), ("tagged.pdf", 2),
    ])
    def test_accepted_pdfs(self, problems: Path, name: str, pages: int) -> None:
        scan = preflight(problems / name, LIMITS)
        assert scan.kind is FileKind.PDF
        assert scan.page_count == pages
        assert scan.has_text_layer is (name == "tagged.pdf")

    def test_images_are_typed_from_their_bytes(self, problems: Path, tess_images: Path) -> None:
        assert preflight(problems / "linn.png", LIMITS).kind is FileKind.PNG
        assert preflight(tess_images / "phototest.tif", LIMITS).kind is FileKind.TIFF
        assert preflight(tess_images / "phototestrot.tif", LIMITS).kind is FileKind.TIFF

    def test_hugemono_is_refused_without_decoding(self, problems: Path, tmp_path: Path) -> None:
        """GIVEN a 35000x35000 px page WHEN preflighted in a fresh process THEN it is refused
        and the process never grows anywhere near the 1.2 GB the image would take."""
        code = ("import sys; from pathlib import Path; from extractors.preflight import preflight;"
                "from extractors.errors import TooLargeError; from schemas.config import "
                "LimitsConfig\ntry:\n preflight(Path(sys.argv[1]), LimitsConfig())\n"
                "except TooLargeError:\n sys.exit(7)")
        report = tmp_path / "rss.txt"
        run = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(report), sys.executable,
                              "-c", code, str(problems / "hugemono.pdf")],
                             cwd=Path(__file__).resolve().parents[2], timeout=60)
        assert run.returncode == 7
        assert int(report.read_text().split()[-1]) < 400_000  # KiB


class TestTypeAndHash:
    def test_type_ignores_the_extension(self, problems: Path, tmp_path: Path) -> None:
        fake = tmp_path / "scan.pdf"
        fake.write_bytes((problems / "linn.png").read_bytes())
        assert preflight(fake, LIMITS).kind is FileKind.PNG
        renamed = tmp_path / "scan.tif"
        renamed.write_bytes((problems / "skew.pdf").read_bytes())
        assert preflight(renamed, LIMITS).kind is FileKind.PDF

    def test_sha256_streams_the_bytes(self, problems: Path) -> None:
        path = problems / "blank.pdf"
        expected = hashlib.sha256(path.read_bytes()).hexdigest()
        assert sha256_file(path) == expected
        assert preflight(path, LIMITS).sha256 == expected

    @pytest.mark.parametrize(("head", "kind"), [
        (b"%PDF-1.7\n", FileKind.PDF), (b"\x00\x00junk%PDF-1.4", FileKind.PDF),
        (b"II*\x00rest", FileKind.TIFF), (b"MM\x00*rest", FileKind.TIFF),
        (b"\xff\xd8\xff\xe0", FileKind.JPEG), (b"\x89PNG\r\n\x1a\nrest", FileKind.PNG),
    ])
    def test_magic_bytes(self, head: bytes, kind: FileKind) -> None:
        assert sniff_kind(head) is kind


def _jpeg_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("L", (800, 600), 200).save(buf, "JPEG", quality=90)
    return buf.getvalue()


class TestMalformedInputs:
    @pytest.mark.parametrize(("name", "build", "error"), [
        ("empty.pdf", lambda p: b"", UnreadableScanError),
        ("cut.pdf", lambda p: (p / "skew.pdf").read_bytes()[:40_000], UnreadableScanError),
        ("cut.tif", lambda p: (p.parent / "tesseract-test-images" / "phototest.tif")
         .read_bytes()[:20_000], UnreadableScanError),
        ("garbage.png", lambda p: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
         UnreadableScanError),
        ("cut.jpg", lambda p: _jpeg_bytes()[:600], UnreadableScanError),
        ("program.pdf", lambda p: b"\x7fELF\x02\x01\x01" + b"\x00" * 500, UnsupportedFormatError),
        ("notes.pdf", lambda p: "Rendez-vous à 14 h, dossier à compléter.\n".encode() * 20,
         UnsupportedFormatError),
        ("windows.pdf", lambda p: b"MZ\x90\x00" + b"\x00" * 500, UnsupportedFormatError),
    ])
    def test_error_class(self, problems: Path, tmp_path: Path, name: str, build,
                         error: type[IntakeError]) -> None:
        path = tmp_path / name
        path.write_bytes(build(problems))
        with pytest.raises(error) as info:
            preflight(path, LIMITS)
        assert "\n" not in str(info.value)
        assert "Rendez-vous" not in str(info.value)  # never file content in a message

    def test_whole_jpeg_is_accepted(self, tmp_path: Path) -> None:
        path = tmp_path / "ok.jpg"
        path.write_bytes(_jpeg_bytes())
        assert preflight(path, LIMITS).kind is FileKind.JPEG


class TestEncryptionAndScripts:
    def _writer(self, problems: Path) -> PdfWriter:
        writer = PdfWriter()
        writer.append(PdfReader(problems / "skew.pdf"))
        return writer

    def test_empty_user_password_is_processed(self, problems: Path, tmp_path: Path) -> None:
        writer = self._writer(problems)
        writer.encrypt(user_password="", owner_password="owner-only", algorithm="AES-128")
        path = tmp_path / "owner-locked.pdf"
        writer.write(path)
        assert preflight(path, LIMITS).page_count == 1

    def test_user_password_is_refused(self, problems: Path, tmp_path: Path) -> None:
        writer = self._writer(problems)
        writer.encrypt(user_password="secret", owner_password="secret", algorithm="AES-128")
        path = tmp_path / "locked.pdf"
        writer.write(path)
        with pytest.raises(EncryptedPdfError):
            preflight(path, LIMITS)

    def test_javascript_is_noted_not_run(self, problems: Path, tmp_path: Path,
                                         caplog: pytest.LogCaptureFixture) -> None:
        writer = self._writer(problems)
        writer.add_open_action(JavaScript("app.alert('hello');"))
        path = tmp_path / "script.pdf"
        writer.write(path)
        with caplog.at_level("WARNING", logger="extractors"):
            assert preflight(path, LIMITS).page_count == 1
        assert any("JavaScript" in r.getMessage() for r in caplog.records)


class TestLimits:
    def test_file_size(self, problems: Path) -> None:
        with pytest.raises(TooLargeError, match="MiB"):
            preflight(problems / "blank.pdf", LimitsConfig(max_file_mb=0.5))

    def test_page_count(self, problems: Path) -> None:
        with pytest.raises(TooLargeError, match="pages"):
            preflight(problems / "cardinal.pdf", LimitsConfig(max_pages=3))

    def test_image_pixels(self, problems: Path) -> None:
        with pytest.raises(TooLargeError, match="MP"):
            preflight(problems / "linn.png", LimitsConfig(max_page_megapixels=5))

    def test_pdf_image_pixels(self, problems: Path) -> None:
        with pytest.raises(TooLargeError, match="MP"):
            preflight(problems / "linn.pdf", LimitsConfig(max_page_megapixels=5))


class TestPdfPrinterDoesNotLoosenPreflight:
    def test_a_cut_jpeg_is_still_refused_once_the_pdf_printer_is_loaded(self, tmp_path, config) -> None:
        """WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES when imported; preflight must
        still refuse a half-copied JPEG in the same process."""
        import extractors.pdf  # noqa: F401 - the import is the point

        path = tmp_path / "cut.jpg"
        path.write_bytes(_jpeg_bytes()[:600])
        with pytest.raises(UnreadableScanError):
            preflight(path, config.limits)
