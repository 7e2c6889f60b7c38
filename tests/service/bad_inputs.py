"""Malformed and hostile inbox entries, built on the fly (nothing binary is committed).

``build_bad_inputs(folder, outside)`` writes them and returns what each one is expected to
become: ``"unreadable"`` (an unreadable report), ``"processed"`` (a report of any status) or
``"ignored"`` (never taken, never opened).
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject

from pipeline.drill_kit import page_image


def _pdf_page(text: str = "PAGE") -> bytes:
    buf = io.BytesIO()
    page_image(text, size=(400, 300)).save(buf, format="PDF", resolution=72)
    return buf.getvalue()


def _img(fmt: str, text: str = "SCAN") -> bytes:
    buf = io.BytesIO()
    page_image(text, size=(400, 300)).save(buf, format=fmt)
    return buf.getvalue()


def _encrypted_pdf() -> bytes:
    w = PdfWriter(clone_from=io.BytesIO(_pdf_page("SECRET")))
    w.encrypt(user_password="motdepasse", owner_password="owner")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _javascript_pdf() -> bytes:
    w = PdfWriter(clone_from=io.BytesIO(_pdf_page("JS")))
    w.add_open_action(JavaScript("app.alert('hello');"))
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _pages_pdf(n: int) -> bytes:
    """``n`` pages, all the same blank page object repeated (cheap for 10,000)."""
    w = PdfWriter()
    page = w.add_blank_page(612, 792)
    for _ in range(n - 1):
        w.add_page(page)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _no_page_pdf() -> bytes:
    buf = io.BytesIO()
    PdfWriter().write(buf)
    return buf.getvalue()


def _bomb_png(side: int = 50_000) -> bytes:
    """A 2,500-megapixel bilevel PNG of ~300 kB: zeros compress 1000:1."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\0" * (1 + side // 8)
    comp = zlib.compressobj(9)
    body = b"".join(comp.compress(row) for _ in range(side)) + comp.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def _bomb_in_pdf() -> bytes:
    """A PDF page drawing an image that declares 60,000 × 60,000 pixels."""
    w = PdfWriter()
    page = w.add_blank_page(612, 792)
    img = DecodedStreamObject()
    img.set_data(b"\0" * 16)
    img.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(60_000),
            NameObject("/Height"): NumberObject(60_000),
            NameObject("/ColorSpace"): NameObject("/DeviceGray"),
            NameObject("/BitsPerComponent"): NumberObject(8),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): w._add_object(img)})}
    )
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _corrupt_tiff() -> bytes:
    return b"II*\x00" + struct.pack("<I", 0xFFFFFF00) + os.urandom(200)


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "not a scan")
    return buf.getvalue()


def _files() -> dict[str, tuple[bytes, str]]:
    pdf, tif, jpg, png = _pdf_page(), _img("TIFF"), _img("JPEG"), _img("PNG")
    gif = io.BytesIO()
    Image.new("P", (50, 50)).save(gif, format="GIF")
    return {
        "zero-byte.pdf": (b"", "unreadable"),
        "corrupt.pdf": (b"%PDF-1.4\n" + os.urandom(3000) + b"\n%%EOF\n", "unreadable"),
        "truncated.pdf": (pdf[: len(pdf) // 2], "unreadable"),
        "header-only.pdf": (b"%PDF-1.7\n", "unreadable"),
        "no-page.pdf": (_no_page_pdf(), "unreadable"),
        "truncated.tif": (tif[: len(tif) // 2], "unreadable"),
        "corrupt.tif": (_corrupt_tiff(), "unreadable"),
        "truncated.jpg": (jpg[: len(jpg) // 2], "unreadable"),
        "truncated.png": (png[: len(png) // 2], "unreadable"),
        "encrypted.pdf": (_encrypted_pdf(), "unreadable"),
        "bomb.png": (_bomb_png(), "unreadable"),
        "bomb-image-in.pdf": (_bomb_in_pdf(), "unreadable"),
        "ten-thousand-pages.pdf": (_pages_pdf(10_000), "unreadable"),
        "program.pdf": (Path("/bin/true").read_bytes(), "unreadable"),
        "page.html.pdf": (b"<html><body>not a scan</body></html>", "unreadable"),
        "archive.pdf": (_zip(), "unreadable"),
        "animation.png": (gif.getvalue(), "unreadable"),
        "notes.tif": (b"plain text, not an image\n" * 20, "unreadable"),
        "javascript.pdf": (_javascript_pdf(), "processed"),
        "png-named.pdf": (png, "processed"),
        "name with spaces.png": (_img("PNG", "SPACES"), "processed"),
        "Accentué éèàç ÉÔ.png": (_img("PNG", "ACCENTS"), "processed"),
        "line\nbreak.png": (_img("PNG", "NEWLINE"), "processed"),
        "dots..in..name..png": (_img("PNG", "DOTS"), "processed"),
        "tab\tand\rreturn.tif": (_img("TIFF", "CONTROL"), "processed"),
        "scan.pdf.part": (pdf, "ignored"),
        "~$scan.pdf": (pdf, "ignored"),
        ".DS_Store": (b"\0" * 64, "ignored"),
        "Thumbs.db": (b"\0" * 64, "ignored"),
        ".hidden.pdf": (pdf, "ignored"),
        "..leading-dots.pdf": (pdf, "ignored"),
    }


def build_bad_inputs(folder: Path, outside: Path) -> dict[str, str]:
    """Write every bad entry into ``folder``; ``outside`` holds a file no one may read."""
    outside.mkdir(parents=True, exist_ok=True)
    secret = outside / "outside-secret.png"
    secret.write_bytes(_img("PNG", "OUTSIDE"))
    expected = {}
    for name, (blob, outcome) in _files().items():
        (folder / name).write_bytes(blob)
        expected[name] = outcome
    (folder / "link-outside.png").symlink_to(secret)
    expected["link-outside.png"] = "ignored"
    os.mkfifo(folder / "pipe.pdf")
    expected["pipe.pdf"] = "ignored"
    odd = folder / "dossier ..\n.. avec lien"
    (odd / "sous dossier").mkdir(parents=True)
    (odd / "page 1.png").write_bytes(_img("PNG", "FOLDER 1"))
    (odd / "sous dossier" / "page 2.png").write_bytes(_img("PNG", "FOLDER 2"))
    (odd / "lien.png").symlink_to(secret)  # copied as a link, never followed
    expected[odd.name] = "processed"
    empty = folder / "empty envelope"
    empty.mkdir()
    (empty / "READY").touch()
    expected[empty.name] = "unreadable"
    return expected


def copy_problem_files(src: Path, folder: Path, names: list[str] | None = None) -> dict[str, str]:
    """The real problem scans; each must end unreadable or processed."""
    out = {}
    for f in sorted(src.iterdir()):
        if f.suffix.lower() in {".pdf", ".png"} and (names is None or f.name in names):
            shutil.copy(f, folder / f"problem-{f.name}")
            out[f"problem-{f.name}"] = "either"
    return out
