"""The data directory: where the database, reports and scratch space live.

```
DATA/
  intake.sqlite            packets, pages, fields, flags (SQLite by default)
  reports/<packet-id>/     report.json, report.html, pages/page-001.jpg …
  batches/<batch-id>/      batch.json, batch.html
  work/                    scratch space of runs in flight
```
Everything is created readable by its owner and group only: these are identity papers.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

#: Owner and group only: rwx for folders, rw for files.
DIR_MODE = 0o750
FILE_MODE = 0o640


def restrict_umask() -> None:
    """Make every file this process creates unreadable by others."""
    os.umask(0o027)


def ensure_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    path.chmod(DIR_MODE)
    return path


def safe_id(name: str) -> str:
    """A packet id usable as a folder name and in a URL: no separators, no dots at the start."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "packet"
    return cleaned[:80]


#: A database shared by several machines (PostgreSQL), instead of each data folder's SQLite.
DB_URL_ENV = "INTAKE_DB_URL"


@dataclass(frozen=True)
class DataDir:
    root: Path

    @property
    def db_url(self) -> str:
        """``INTAKE_DB_URL`` when set (any SQLAlchemy URL), else SQLite in the data folder."""
        return os.environ.get(DB_URL_ENV) or f"sqlite:///{self.root / 'intake.sqlite'}"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def batches(self) -> Path:
        return self.root / "batches"

    @property
    def work(self) -> Path:
        return self.root / "work"

    def report_dir(self, packet_id: str) -> Path:
        return self.reports / packet_id

    def create(self) -> DataDir:
        restrict_umask()
        for d in (self.root, self.reports, self.batches, self.work):
            ensure_dir(d)
        return self

    def fresh_report_dir(self, packet_id: str) -> Path:
        """An empty report folder for a packet (a re-run replaces the earlier report)."""
        target = self.report_dir(packet_id)
        if target.exists():
            shutil.rmtree(target)
        ensure_dir(target / "pages")
        return target


def write_private(path: Path, content: str | bytes) -> None:
    """Write a file atomically (temp file + rename) with owner/group-only permissions."""
    tmp = path.with_name(f".{path.name}.tmp")
    if isinstance(content, bytes):
        tmp.write_bytes(content)
    else:
        tmp.write_text(content, encoding="utf-8")
    tmp.chmod(FILE_MODE)
    tmp.replace(path)

