"""Legibility and completeness of a page."""

from __future__ import annotations

from pydantic import Field

from schemas.base import Frozen


class PageQuality(Frozen):
    """How readable and how whole a page is. Scores are 0 (worst) to 1 (best)."""

    page_no: int
    legibility: float = Field(ge=0.0, le=1.0)
    legible: bool
    complete: bool
    blank: bool
    cut_edges: tuple[str, ...] = Field((), description="Edges where content runs off the copy.")
    signals: dict[str, float] = Field(default_factory=dict, description="Raw measurements.")
