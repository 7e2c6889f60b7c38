"""The ministry's list of invited files (``registry.csv``), when one is given."""

from __future__ import annotations

import datetime as dt

from schemas.base import Frozen


def normalise_dossier(number: str) -> str:
    """``pch-2026-004512 `` → ``PCH-2026-004512``: case and spaces never distinguish files."""
    return "".join(number.split()).upper()


class RegistryEntry(Frozen):
    """One invited file: its number and the principal applicant it was issued to."""

    dossier_number: str
    family_name: str
    given_names: str = ""
    date_of_birth: dt.date | None = None
    invitation_date: dt.date | None = None


class Registry(Frozen):
    """Every invited file, looked up by file number."""

    entries: tuple[RegistryEntry, ...] = ()

    def find(self, dossier_number: str) -> RegistryEntry | None:
        wanted = normalise_dossier(dossier_number)
        return next(
            (e for e in self.entries if normalise_dossier(e.dossier_number) == wanted), None
        )
