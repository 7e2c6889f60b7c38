"""The people of an application, as the form declares them."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from schemas.base import Frozen


class Person(Frozen):
    """The principal applicant or one family member (a row of form page 2)."""

    id: str = Field(description="principal, member1 … member5")
    family_name: str | None = None
    given_names: str | None = None
    date_of_birth: dt.date | None = None
    relationship: int | None = Field(None, description="1 spouse, 2/3/4 dependent children.")
    residence: str | None = Field(None, description="quebec or abroad")
    included: bool = True
    has_spouse: bool | None = None

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.family_name) if p) or self.id

    def age_on(self, day: dt.date) -> int | None:
        """Age in whole years on ``day``; None without a date of birth."""
        if self.date_of_birth is None:
            return None
        b = self.date_of_birth
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))
