"""Preflight: what a scan file is, told from its bytes, and whether it is safe to render.

Runs before anything decodes a page: the type comes from magic bytes (never the file name), and
size, page count and pixel count are checked from headers against ``LimitsConfig``. Every error
message names a reason only, never file content, so it is safe to log and to show a reviewer.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from extractors.errors import TooLargeError, UnreadableScanError, UnsupportedFormatError
from extractors.rasterize import MIN_RENDER_DPI, inspect_image, inspect_pdf
from schemas.codes import FileKind
from schemas.config import LimitsConfig
from schemas.scan import ScanFile

log = logging.getLogger(__name__)

_CHUNK = 1 << 20
_MIB = 1 << 20
#: Readers accept a PDF header a little way into the file (Acrobat: within 1024 bytes).
_PDF_HEADER_WINDOW = 1024
#: A whole PDF ends with %%EOF; writers may add a little padding after it.
_PDF_TAIL_WINDOW = 1024
_MAGIC: tuple[tuple[bytes, FileKind], ...] = (
    (b"\x89PNG\r\n\x1a\n", FileKind.PNG),
    (b"\xff\xd8\xff", FileKind.JPEG),
    (b"II*\x00", FileKind.TIFF),
    (b"MM\x00*", FileKind.TIFF),
    (b"II+\x00", FileKind.TIFF),  # BigTIFF
    (b"MM\x00+", FileKind.TIFF),
)


def sha256_file(path: Path) -> str:
    """Hex sha-256 of a file's bytes, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def sniff_kind(head: bytes) -> FileKind:
    """File type from its first bytes.

    Raises:
        UnsupportedFormatError: not a PDF, TIFF, JPEG or PNG.
    """
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"%PDF-" in head[:_PDF_HEADER_WINDOW]:
        return FileKind.PDF
    raise UnsupportedFormatError("not a PDF, TIFF, JPEG or PNG file (by its content)")


def _check_pdf_tail(path: Path, size: int) -> None:
    """A PDF cut short (interrupted copy or upload) has lost its %%EOF marker."""
    with path.open("rb") as fh:
        fh.seek(max(0, size - 4 * _PDF_TAIL_WINDOW))
        tail = fh.read().rstrip(b"\x00\r\n\t\f ")
    if b"%%EOF" not in tail[-_PDF_TAIL_WINDOW:]:
        raise UnreadableScanError("PDF is truncated (no end-of-file marker)")


def _check_pdf(path: Path, *, size: int, limits: LimitsConfig) -> tuple[int, bool]:
    """Page count and text layer of a PDF within the limits."""
    _check_pdf_tail(path, size)
    info = inspect_pdf(path)
    if info.page_count < 1:
        raise UnreadableScanError("PDF has no pages")
    if info.max_image_megapixels > limits.max_page_megapixels:
        raise TooLargeError(
            f"PDF holds a {info.max_image_megapixels:.0f} MP image, over the "
            f"{limits.max_page_megapixels:.0f} MP page limit"
        )
    floor_megapixels = info.max_page_square_inches * MIN_RENDER_DPI**2 / 1e6
    if floor_megapixels > limits.max_page_megapixels:
        raise TooLargeError(f"a PDF page is too large to render at {MIN_RENDER_DPI} dpi")
    return info.page_count, info.has_text_layer


def _check_image(path: Path, *, limits: LimitsConfig) -> int:
    """Frame count of an image file within the limits."""
    info = inspect_image(path, limits=limits)
    if info.max_megapixels > limits.max_page_megapixels:
        raise TooLargeError(
            f"image is {info.max_megapixels:.0f} MP, over the "
            f"{limits.max_page_megapixels:.0f} MP page limit"
        )
    return info.page_count


def preflight(path: Path, limits: LimitsConfig) -> ScanFile:
    """Identify a scan file and check it can be rendered safely, without decoding its pages.

    Raises:
        UnreadableScanError: empty, truncated or corrupt.
        UnsupportedFormatError: not a PDF, TIFF, JPEG or PNG, whatever its name.
        EncryptedPdfError: a PDF that needs a password (the empty one is tried).
        TooLargeError: over ``limits`` in bytes, pages or pixels.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(_PDF_HEADER_WINDOW)
    except OSError as e:
        raise UnreadableScanError(f"file cannot be read ({type(e).__name__})") from e
    if size == 0:
        raise UnreadableScanError("file is empty (0 bytes)")
    if size > limits.max_file_mb * _MIB:
        raise TooLargeError(f"file is {size / _MIB:.0f} MiB, over {limits.max_file_mb:g} MiB")
    kind = sniff_kind(head)
    has_text = False
    if kind is FileKind.PDF:
        pages, has_text = _check_pdf(path, size=size, limits=limits)
    else:
        pages = _check_image(path, limits=limits)
    if pages > limits.max_pages:
        raise TooLargeError(f"file has {pages} pages, over the {limits.max_pages} page limit")
    scan = ScanFile(path=path, sha256=sha256_file(path), kind=kind, size_bytes=size,
                    page_count=pages, has_text_layer=has_text)
    # The file name may carry a person's name: log the hash only.
    log.info("preflight sha256 %s: %s, %d page(s)", scan.sha256[:12], kind.value, pages)
    return scan
