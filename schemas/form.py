"""The application form's template: its field map (``data/form/fields.json``), typed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pydantic import Field

from schemas.base import Frozen, PointBox
from schemas.codes import FieldKind

FORM_DIR = Path(__file__).parent / "data" / "form"
FIELDS_JSON = FORM_DIR / "fields.json"
FORM_PDF = FORM_DIR / "form-pch-dsp.pdf"


class AnswerContext(Frozen):
    """What the envelope says of the form's answers before any is read: evidence for
    decoding, never a value (a clear answer that breaks it stays as written)."""

    received_on: dt.date | None = Field(
        None, description="The envelope's received date: where date answers fall."
    )
    home_postal_letters: str = Field(
        "", description="First letters of the postal codes applicants live under (GHJ)."
    )


class CombGroup(Frozen):
    """A run of equal character boxes; a date has three (year, month, day)."""

    bbox: PointBox
    boxes: int

    def box_rects(self) -> list[PointBox]:
        """The rectangle of each character box, left to right."""
        x0, y0, x1, y1 = self.bbox
        w = (x1 - x0) / self.boxes
        return [(x0 + i * w, y0, x0 + (i + 1) * w, y1) for i in range(self.boxes)]


class FieldSpec(Frozen):
    """One field of the form. Coordinates are PDF points, origin at the top-left."""

    name: str
    page: int = Field(ge=1, le=3)
    kind: FieldKind
    label: str = ""
    bbox: PointBox
    required: bool = False
    charset: str | None = None
    boxes: int | None = None
    groups: tuple[CombGroup, ...] = ()
    options: dict[str, PointBox] = Field(default_factory=dict)
    extra: dict[str, object] = Field(default_factory=dict)

    @property
    def combs(self) -> tuple[CombGroup, ...]:
        """Character box groups: one for a comb, three for a date, none otherwise."""
        if self.kind is FieldKind.COMB and self.boxes:
            return (CombGroup(bbox=self.bbox, boxes=self.boxes),)
        return self.groups

    @property
    def multiple(self) -> bool:
        return bool(self.extra.get("multiple", False))

    @property
    def person(self) -> str:
        """``member3`` for ``member3_family_name``, ``principal`` for page-1 fields."""
        return self.name.split("_", 1)[0] if self.name.startswith("member") else "principal"


class FormLayout(Frozen):
    """The whole template: page size, registration marks and every field."""

    form_id: str
    page_size: tuple[float, float]
    pages: int
    registration_marks: tuple[PointBox, ...]
    fields: tuple[FieldSpec, ...]

    def on_page(self, page: int) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.page == page)

    def answer_fields(self) -> tuple[FieldSpec, ...]:
        """Fields the applicant fills (everything but the per-page QR and pre-printed header)."""
        return tuple(
            f for f in self.fields if f.kind not in (FieldKind.QR, FieldKind.PREPRINTED)
        )

    def field(self, name: str, page: int | None = None) -> FieldSpec:
        for f in self.fields:
            if f.name == name and (page is None or f.page == page):
                return f
        raise KeyError(name)


def load_form_layout(path: Path = FIELDS_JSON) -> FormLayout:
    """Read and validate a field map."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return FormLayout(
        form_id=raw["form_id"],
        page_size=tuple(raw["page_size"]),
        pages=raw["pages"],
        registration_marks=tuple(tuple(m) for m in raw["registration_marks"]),
        fields=tuple(FieldSpec.model_validate(f) for f in raw["fields"]),
    )
