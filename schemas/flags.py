"""Flags: what a reviewer must look at, with the evidence to decide fast."""

from __future__ import annotations

from pydantic import Field

from schemas.base import Frozen, PixelBox
from schemas.codes import FlagCode, Severity


class Evidence(Frozen):
    """Where the problem is and what was read there. Boxes are pixels of the cleaned page."""

    page: int | None = None
    bbox: PixelBox | None = None
    text_read: str | None = None
    expected: str | None = None
    note: str | None = None


class Flag(Frozen):
    """One finding. Compared with labels on ``code`` plus its subject keys only."""

    code: FlagCode
    severity: Severity
    message: str
    page: int | None = None
    person: str | None = None
    document: str | None = None
    field: str | None = None
    form_page: int | None = None
    of: str | None = Field(None, description="Earlier packet id, for duplicate_packet.")
    file: str | None = None
    evidence: tuple[Evidence, ...] = ()

    @property
    def subject(self) -> tuple[tuple[str, object], ...]:
        """Code plus subject keys, the identity used to compare and de-duplicate flags."""
        keys = ("page", "person", "document", "field", "form_page", "of", "file")
        return (("code", self.code.value),) + tuple(
            (k, getattr(self, k)) for k in keys if getattr(self, k) is not None
        )
