"""Read the ministry's list of invited files (``registry.csv``)."""

from __future__ import annotations

import csv
import datetime as dt
import logging
from pathlib import Path

from schemas.registry import Registry, RegistryEntry

log = logging.getLogger(__name__)

COLUMNS = ("dossier_number", "family_name", "given_names", "date_of_birth", "invitation_date")


def _date(value: str | None) -> dt.date | None:
    value = (value or "").strip()
    return dt.date.fromisoformat(value) if value else None


def load_registry(csv_path: Path) -> Registry:
    """Every row of ``csv_path`` (header ``dossier_number,family_name,given_names,
    date_of_birth,invitation_date``; dates ``YYYY-MM-DD``; a BOM is accepted).

    Raises:
        ValueError: the header lacks ``dossier_number`` or ``family_name``, or a date is malformed.
    """
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"dossier_number", "family_name"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{csv_path.name}: missing column(s) {sorted(missing)}")
        entries = tuple(
            RegistryEntry(
                dossier_number=row["dossier_number"].strip(),
                family_name=(row.get("family_name") or "").strip(),
                given_names=(row.get("given_names") or "").strip(),
                date_of_birth=_date(row.get("date_of_birth")),
                invitation_date=_date(row.get("invitation_date")),
            )
            for row in reader
            if (row.get("dossier_number") or "").strip()
        )
    log.info("registry %s: %d invited file(s)", csv_path.name, len(entries))
    return Registry(entries=entries)
