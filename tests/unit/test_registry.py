"""The ministry's list of invited files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from extractors.registry import load_registry


class TestLoadRegistry:
    def test_rows_and_lookup(self, tmp_path: Path) -> None:
        """GIVEN a CSV with a BOM and a blank line WHEN loaded THEN every file is found by its
        number, whatever its case and spacing."""
        csv = tmp_path / "registry.csv"
        csv.write_text(
            "\ufeffdossier_number,family_name,given_names,date_of_birth,invitation_date\n"
            "PCH-2026-004512,TREMBLAY,Marie-Ève,1988-04-12,2026-09-01\n"
            "\n"
            "PCH-2026-000007,OKAFOR,Chidi,,\n",
            encoding="utf-8",
        )
        registry = load_registry(csv)
        assert len(registry.entries) == 2
        entry = registry.find(" pch-2026-004512")
        assert entry is not None and entry.given_names == "Marie-Ève"
        assert entry.date_of_birth == dt.date(1988, 4, 12)
        assert registry.find("PCH-2026-000007").invitation_date is None  # type: ignore[union-attr]
        assert registry.find("PCH-2026-999999") is None

    def test_missing_column(self, tmp_path: Path) -> None:
        csv = tmp_path / "registry.csv"
        csv.write_text("number,name\nPCH-2026-004512,TREMBLAY\n", encoding="utf-8")
        with pytest.raises(ValueError, match="dossier_number"):
            load_registry(csv)
