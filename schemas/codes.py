"""Every code that can appear in a report, as a string enum."""

from __future__ import annotations

from enum import StrEnum


class DocType(StrEnum):
    """What a page is (``corpus-format.md``)."""

    APPLICATION_FORM = "application_form"
    IDENTITY_DOCUMENT = "identity_document"
    BIRTH_CERTIFICATE = "birth_certificate"
    MARRIAGE_CERTIFICATE = "marriage_certificate"
    UNION_PROOF = "union_proof"
    RESIDENCE_PROOF = "residence_proof"
    MEDICAL_CERTIFICATE = "medical_certificate"
    FINANCIAL_DEPENDENCY_PROOF = "financial_dependency_proof"
    SUPPORTING_LETTER = "supporting_letter"
    BLANK = "blank"
    OTHER = "other"


class FlagCode(StrEnum):
    """What can be wrong with a packet (``corpus-format.md``)."""

    UNREADABLE_FILE = "unreadable_file"
    DUPLICATE_PACKET = "duplicate_packet"
    ILLEGIBLE_PAGE = "illegible_page"
    INCOMPLETE_PAGE = "incomplete_page"
    BLANK_PAGE = "blank_page"
    FORM_MISSING = "form_missing"
    FORM_PAGE_MISSING = "form_page_missing"
    FORM_UNSIGNED = "form_unsigned"
    FORM_UNDATED = "form_undated"
    FIELD_MISSING = "field_missing"
    FIELD_UNREADABLE = "field_unreadable"
    MISSING_DOCUMENT = "missing_document"
    UNMATCHED_DOCUMENT = "unmatched_document"
    IDENTITY_MISMATCH = "identity_mismatch"
    MRZ_INVALID = "mrz_invalid"
    DOSSIER_MISMATCH = "dossier_mismatch"
    MEMBER_ABROAD_INCLUDED = "member_abroad_included"
    NOT_DEPENDENT_CHILD = "not_dependent_child"
    ADDRESS_OUTSIDE_QUEBEC = "address_outside_quebec"
    DATE_SIGNED_INVALID = "date_signed_invalid"
    ENCLOSED_NOT_FOUND = "enclosed_not_found"


class Severity(StrEnum):
    """How much a flag matters to the reviewer."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class IntakeStatus(StrEnum):
    """Outcome of a packet, worst first: unreadable > needs_review > incomplete > complete."""

    UNREADABLE = "unreadable"
    NEEDS_REVIEW = "needs_review"
    INCOMPLETE = "incomplete"
    COMPLETE = "complete"

    @property
    def rank(self) -> int:
        """Higher is worse; the packet takes the worst status any flag implies."""
        return {"complete": 0, "incomplete": 1, "needs_review": 2, "unreadable": 3}[self.value]


class FileKind(StrEnum):
    """Container format, told from the file's bytes, never its name."""

    PDF = "pdf"
    TIFF = "tiff"
    JPEG = "jpeg"
    PNG = "png"


class FieldKind(StrEnum):
    """Kinds of field on the form (``form/fields.json``)."""

    COMB = "comb"
    DATE = "date"
    CHECKBOX = "checkbox"
    SIGNATURE = "signature"
    PREPRINTED = "preprinted"
    QR = "qr"


class FieldStatus(StrEnum):
    """Whether a field was read, left empty by the applicant, or could not be read."""

    READ = "read"
    EMPTY = "empty"
    UNREADABLE = "unreadable"


#: People of a packet: the principal applicant and the five rows of form page 2.
PERSON_IDS: tuple[str, ...] = ("principal", "member1", "member2", "member3", "member4", "member5")
