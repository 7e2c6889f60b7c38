"""Taking an envelope out of the inbox: is it complete, then an atomic rename into the work area.

An inbox entry is a scan file or a folder of scan files. It is taken only when complete: its
size and times have not moved for ``settle_s`` and every scan file in it passes preflight
(a PDF cut short has no ``%%EOF``, a TIFF's strips run past its end, …). A file that stays
unreadable is taken anyway after ``broken_after_s`` so that it ends in a report instead of
waiting forever; a folder holding a ``READY`` file is taken at once.

The claim itself is one ``os.rename`` into ``WORK/<sha256>/<envelope-id>/``, on the inbox's
own file system: of two workers renaming the same entry exactly one succeeds. The payload
gets a neutral name there (``envelope.pdf``, ``envelope/``) so that a person's name in a file
name never reaches Prefect or a log; the original name is kept in a side file and the database.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import stat
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from extractors.envelope import is_ignored
from extractors.errors import EncryptedPdfError, IntakeError, TooLargeError
from extractors.preflight import preflight, sha256_file
from pipeline.intake_state import EnvelopeStore, NewEnvelope
from pipeline.workdir import FILE_MODE, ensure_dir
from schemas.config import LimitsConfig

log = logging.getLogger(__name__)

#: A folder holding a file of this name (any case) is complete: the scanner says so.
READY_MARKER = "READY"
SIDECAR = ".claim.json"
PAYLOAD = "envelope"
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,5}$")


class Readiness(enum.Enum):
    OK = "ok"
    #: Will not get better by waiting (encrypted, too large): take it now, the report says why.
    BROKEN = "broken"
    #: Truncated, empty or not yet a scan: perhaps still being written.
    INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class Signature:
    """What moves while an entry is still being written."""

    is_dir: bool
    size: int
    mtime_ns: int
    ctime_ns: int
    count: int
    ready_marker: bool


def signature(path: Path) -> Signature | None:
    """The entry's signature, or None for what is never taken (symlinks, FIFOs, vanished)."""
    try:
        st = path.lstat()
    except OSError:
        return None
    if stat.S_ISREG(st.st_mode):
        return Signature(False, st.st_size, st.st_mtime_ns, st.st_ctime_ns, 1, False)
    if not stat.S_ISDIR(st.st_mode):
        return None
    size, newest, count, ready = 0, max(st.st_mtime_ns, st.st_ctime_ns), 0, False
    for root, dirs, files in os.walk(path, followlinks=False):
        for name in dirs + files:
            try:
                est = Path(root, name).lstat()
            except OSError:
                continue  # removed while we looked: the next look sees a new signature
            size += est.st_size
            newest = max(newest, est.st_mtime_ns, est.st_ctime_ns)
            count += 1
        ready = ready or any(f.upper() == READY_MARKER for f in files if root == str(path))
    return Signature(True, size, newest, newest, count, ready)


def readiness(path: Path, limits: LimitsConfig) -> Readiness:
    """Whether an entry's scan files open (preflight: headers, page count, truncation)."""
    files = [path] if path.is_file() else _scan_files(path)
    if not files:
        return Readiness.INCOMPLETE
    worst = Readiness.OK
    for f in files:
        try:
            preflight(f, limits)
        except (EncryptedPdfError, TooLargeError):
            worst = Readiness.BROKEN if worst is Readiness.OK else worst
        except IntakeError:
            return Readiness.INCOMPLETE
    return worst


def _scan_files(folder: Path) -> list[Path]:
    out = []
    for root, _dirs, files in os.walk(folder, followlinks=False):
        for name in files:
            p = Path(root, name)
            if not is_ignored(p) and stat.S_ISREG(p.lstat().st_mode):
                out.append(p)
    return sorted(out)


def payload_digest(path: Path) -> str:
    """sha-256 of a file; for a folder, of its listing (relative path, kind, file sha-256).

    Symbolic links are hashed by their target text and never followed: an envelope can never
    make the service read outside it.
    """
    if path.is_file() and not path.is_symlink():
        return sha256_file(path)
    lines = []
    for root, dirs, files in os.walk(path, followlinks=False):
        dirs.sort()
        for name in sorted(dirs + files):
            p = Path(root, name)
            rel = p.relative_to(path).as_posix()
            mode = p.lstat().st_mode
            if stat.S_ISLNK(mode):
                lines.append(f"{rel}\0link\0{p.readlink()}")
            elif stat.S_ISREG(mode):
                lines.append(f"{rel}\0file\0{sha256_file(p)}")
            elif stat.S_ISDIR(mode):
                lines.append(f"{rel}\0dir\0")
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def safe_name(name: str, *, limit: int = 180) -> str:
    """A single, harmless path component keeping what a clerk recognises (accents, spaces).

    Control characters (newlines …) and separators become ``_``; leading dots go, so neither
    ``..`` nor a hidden name can come out; the suffix survives truncation.
    """
    name = unicodedata.normalize(
        "NFC", name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    )
    name = "".join(
        "_" if unicodedata.category(c).startswith("C") or c in "/\\" else c for c in name
    )
    name = name.strip().lstrip(".").strip() or PAYLOAD
    suffix = _SUFFIX.search(name)
    keep = suffix.group(0) if suffix else ""
    while len(name.encode()) > limit:
        name = name[: -len(keep) - 1] + keep if keep else name[:-1]
    return name


def payload_name(original: str, *, is_dir: bool) -> str:
    """The neutral name of a payload in the work area: ``envelope`` plus the original suffix."""
    if is_dir:
        return PAYLOAD
    suffix = _SUFFIX.search(original)
    return PAYLOAD + (suffix.group(0).lower() if suffix else "")


def new_envelope_id(sha256: str, now: dt.datetime | None = None) -> tuple[str, str]:
    """(envelope id, arrival token): time-sortable, unique, usable as a folder name and URL."""
    now = now or dt.datetime.now(dt.UTC)
    arrival = f"{now:%Y%m%dT%H%M%S%f}-{secrets.token_hex(3)}"
    return f"env-{now:%Y%m%d-%H%M%S}-{sha256[:10]}-{arrival[-6:]}", arrival


@dataclass(frozen=True)
class Claimed:
    envelope_id: str
    sha256: str
    work_path: Path


def claim(
    entry: Path, *, work_root: Path, store: EnvelopeStore, first_seen: float
) -> Claimed | None:
    """Move one complete inbox entry into the work area and register it as ``received``.

    Returns None when another worker took it first (or it vanished): nothing is changed then.
    """
    try:
        before = entry.lstat()
        sha = payload_digest(entry)
    except FileNotFoundError:
        return None  # taken by another worker meanwhile
    except OSError as e:
        # Left in the inbox and tried again; named by a token, never by its (personal) name.
        log.warning(
            "inbox entry %s cannot be read (%s); left in the inbox",
            name_token(entry.name),
            type(e).__name__,
        )
        return None
    eid, arrival = new_envelope_id(sha)
    target_dir = ensure_dir(work_root / sha / eid)
    is_dir = stat.S_ISDIR(before.st_mode)
    received = dt.date.fromtimestamp(min(first_seen, before.st_mtime, time.time()))
    side = {
        "original_name": _text(entry.name),
        "arrival": arrival,
        "kind": "folder" if is_dir else "file",
        "received_on": received.isoformat(),
    }
    _write_json(target_dir / SIDECAR, side)
    payload = target_dir / payload_name(entry.name, is_dir=is_dir)
    try:
        entry.rename(payload)  # the claim: rename(2) is atomic, only one renamer can win
    except FileNotFoundError:
        shutil.rmtree(target_dir, ignore_errors=True)
        return None
    if payload.lstat().st_ino != before.st_ino:
        # A new entry of the same name replaced the one we checked: hand it back unchecked.
        _give_back(payload, entry)
        shutil.rmtree(target_dir, ignore_errors=True)
        return None
    return register_payload(payload, store=store, adopted=False)


def register_payload(payload: Path, *, store: EnvelopeStore, adopted: bool) -> Claimed:
    """Register a payload sitting in the work area (after a claim, or found after a crash)."""
    side = json.loads((payload.parent / SIDECAR).read_text(encoding="utf-8"))
    sha = payload_digest(payload)  # after the rename: what will really be processed
    eid = payload.parent.name
    store.register(
        NewEnvelope(
            id=eid,
            sha256=sha,
            arrival=side["arrival"],
            kind=side["kind"],
            original_name=side["original_name"],
            work_path=str(payload),
            received_on=dt.date.fromisoformat(side["received_on"]),
        ),
        adopted=adopted,
    )
    log.info(
        "envelope %s registered, sha256 %s",
        eid,
        sha[:16],
        extra={"envelope": eid, "sha256": sha, "event": "adopted" if adopted else "received"},
    )
    return Claimed(eid, sha, payload)


def find_payload(envelope_dir: Path) -> Path | None:
    """The payload of a work-area envelope folder, if the rename into it happened."""
    for p in envelope_dir.iterdir() if envelope_dir.is_dir() else ():
        if p.name == PAYLOAD or p.name.startswith(PAYLOAD + "."):
            return p
    return None


def name_token(name: str) -> str:
    """A stable pseudonym of a file name for logs: the start of its sha-256."""
    return "name-" + hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:12]


def _give_back(payload: Path, entry: Path) -> None:
    """Put an entry back in the inbox without replacing anything that is there now."""
    if payload.is_dir():
        if not entry.exists():
            payload.rename(entry)
            return
    else:
        try:
            os.link(payload, entry)  # fails rather than replaces
            payload.unlink()
            return
        except FileExistsError:
            pass
    payload.rename(entry.with_name(f"{entry.name}.returned-{secrets.token_hex(3)}"))


def _text(name: str) -> str:
    """A file name as text for the database (undecodable bytes kept as escapes)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.chmod(FILE_MODE)
    tmp.replace(path)
