"""Errors fatal for one scan file. Each carries the flag code it turns into."""

from __future__ import annotations

from schemas.codes import FlagCode


class IntakeError(Exception):
    """Base of every error that makes a scan file unusable."""

    code: FlagCode = FlagCode.UNREADABLE_FILE
    #: The scan's own fault (corrupt, encrypted, too large, not a scan): an outcome to flag.
    #: False for a fault of the machine reading it, which must stay loud.
    scans_fault: bool = True


class UnreadableScanError(IntakeError):
    """The file is corrupt, truncated or empty."""


class UnsupportedFormatError(IntakeError):
    """The file is not a PDF, TIFF, JPEG or PNG scan, whatever its name says."""


class EncryptedPdfError(IntakeError):
    """The PDF is encrypted and cannot be opened without a password."""


class TooLargeError(IntakeError):
    """The file, its page count or a page's pixel count is over the configured limits."""


class OcrEngineMissingError(IntakeError):
    """Tesseract or a language pack it needs is not installed."""

    scans_fault = False


class OcrEngineError(IntakeError):
    """Tesseract failed on a page in a way that is not the page's fault."""

    scans_fault = False
