"""What an envelope is on disk: one scan file, or a folder of scan files.

Packet page order is the files sorted by name, then pages within a file (``corpus-format.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from schemas.scan import PageSource, ScanFile

#: Names scanners and desktops leave behind, never part of an envelope.
IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store", "truth.json", "ready"})
IGNORED_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".json", ".txt", ".md")


def is_ignored(path: Path) -> bool:
    """Hidden, temporary, system and metadata files are not scans."""
    name = path.name.lower()
    return (
        name.startswith((".", "~$", "~"))
        or name in IGNORED_NAMES
        or name.endswith(IGNORED_SUFFIXES)
    )


def envelope_files(path: Path) -> list[Path]:
    """The scan files of an envelope in packet order; a plain file is its own envelope."""
    if path.is_file():
        return [path]
    return sorted(
        (p for p in path.rglob("*") if p.is_file() and not p.is_symlink() and not is_ignored(p)),
        key=lambda p: p.relative_to(path).as_posix(),
    )


def plan_pages(scans: Sequence[ScanFile]) -> tuple[PageSource, ...]:
    """Number every page of the envelope 1…N in packet order."""
    pages = []
    for scan in scans:
        for index in range(scan.page_count):
            pages.append(PageSource(page_no=len(pages) + 1, file=scan.path, index_in_file=index))
    return tuple(pages)


def content_key(hashes: Sequence[str]) -> str:
    """One fingerprint for the whole envelope: its file hashes in order, hashed again."""
    import hashlib

    return hashlib.sha256("\n".join(hashes).encode()).hexdigest()
