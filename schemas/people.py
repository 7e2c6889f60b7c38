"""The people of an application, as the form declares them."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from schemas.base import Frozen

#: A date of birth read with more unsure digits than this says too little to match a paper.
_MAX_UNSURE_DIGITS = 1


class Person(Frozen):
    """The principal applicant or one family member (a row of form page 2)."""

    id: str = Field(description="principal, member1 … member5")
    family_name: str | None = None
    given_names: str | None = None
    name_sure: bool = Field(
        True, description="False when the form's name fields were read, but not surely."
    )
    date_of_birth: dt.date | None = None
    date_of_birth_read: str | None = Field(
        None, description="The date of birth as read (YYYY-MM-DD), unsure characters as '?'."
    )
    relationship: int | None = Field(None, description="1 spouse, 2/3/4 dependent children.")
    residence: str | None = Field(None, description="quebec or abroad")
    included: bool = True
    has_spouse: bool | None = None

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.family_name) if p) or self.id

    def born_on(self, day: dt.date | None) -> bool:
        """Whether ``day`` is this person's date of birth: the date read, or, when some of its
        digits could not be read, a date that agrees with every digit that could (at most
        ``_MAX_UNSURE_DIGITS`` of them unsure, so that it still singles out one day or few)."""
        if day is None:
            return False
        if self.date_of_birth is not None:
            return self.date_of_birth == day
        read = self.date_of_birth_read or ""
        iso = day.isoformat()
        if len(read) != len(iso) or read.count("?") > _MAX_UNSURE_DIGITS:
            return False
        return all(r in ("?", c) for r, c in zip(read, iso, strict=True))

    def age_on(self, day: dt.date) -> int | None:
        """Age in whole years on ``day``; None without a date of birth."""
        if self.date_of_birth is None:
            return None
        b = self.date_of_birth
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))
