"""The base model every hand-off between stages derives from."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """Immutable, strict model: stages return new objects and never change their input."""

    model_config = ConfigDict(frozen=True, extra="forbid")


#: A rectangle in pixels of a cleaned page image: (x0, y0, x1, y1), origin top-left.
PixelBox = tuple[int, int, int, int]

#: A rectangle in PDF points of the form template (1/72 in), origin top-left.
PointBox = tuple[float, float, float, float]
