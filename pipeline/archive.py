"""Keeping originals: the archive (read-only, checksum verified) and the quarantine.

```
DATA/archive/YYYY/MM/DD/<sha256>/<original name>    the envelope as it arrived, read-only
DATA/quarantine/<envelope-id>/<original name>       an envelope the service gave up on
DATA/quarantine/<envelope-id>/reason.txt            why, and what the clerk can do
```
Every copy goes to a temporary name, is hashed again and compared with the sha-256 taken at
the claim, then renamed into place: a half-written copy never carries the final name. Each
function is idempotent, so a step cut short by a crash is simply done again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import os
import secrets
import shutil
import stat
from pathlib import Path

from pipeline.claim import payload_digest, safe_name
from pipeline.workdir import DIR_MODE, FILE_MODE, ensure_dir, write_private

log = logging.getLogger(__name__)

READ_ONLY_FILE = 0o440
READ_ONLY_DIR = 0o550
REASON_FILE = "reason.txt"


class ChecksumMismatchError(OSError):
    """A copy does not hash to the envelope's sha-256 (a disk or a changed original)."""


def archive_dir(data_dir: Path, *, sha256: str, day: dt.date) -> Path:
    return data_dir / "archive" / f"{day:%Y}" / f"{day:%m}" / f"{day:%d}" / sha256


def archive_original(
    payload: Path, *, data_dir: Path, sha256: str, original_name: str, day: dt.date
) -> Path:
    """Copy an envelope into the archive under its original name; verified and read-only.

    The same bytes under the same name are archived once (a re-run finds them in place).
    """
    folder = ensure_dir(archive_dir(data_dir, sha256=sha256, day=day))
    target = folder / safe_name(original_name)
    if target.exists() and not _matches(target, sha256):
        target = folder / f"{target.name}.{secrets.token_hex(3)}"  # never overwrite an original
    if not target.exists():
        verified_copy(payload, target, sha256=sha256)
    make_read_only(target)
    return target


def quarantine_original(
    payload: Path, *, data_dir: Path, envelope_id: str, sha256: str, original_name: str, reason: str
) -> Path:
    """Copy an envelope into ``DATA/quarantine/<id>/`` with a ``reason.txt`` beside it."""
    folder = ensure_dir(data_dir / "quarantine" / envelope_id)
    write_private(folder / REASON_FILE, reason)
    target = folder / safe_name(original_name)
    if target.name == REASON_FILE:
        target = folder / f"envelope-{REASON_FILE}"
    if not (target.exists() and _matches(target, sha256)):
        _remove(target)
        verified_copy(payload, target, sha256=sha256)
    make_read_only(target)
    return target


def verified_copy(src: Path, dst: Path, *, sha256: str) -> None:
    """Copy a file or folder (links kept as links) to ``dst`` and check its sha-256.

    Raises:
        ChecksumMismatchError: the copy differs from the expected bytes; nothing is left.
        OSError: the copy failed (disk full …); nothing is left under ``dst``'s name.
    """
    tmp = dst.with_name(f".{dst.name[:40]}.copy-{secrets.token_hex(4)}")
    try:
        if src.is_dir() and not src.is_symlink():
            shutil.copytree(src, tmp, symlinks=True, copy_function=_copy_file)
        else:
            _copy_file(src, tmp)
        if payload_digest(tmp) != sha256:
            raise ChecksumMismatchError(f"copy does not match sha256 {sha256[:16]}")
        _fsync_dir(tmp.parent)
        tmp.rename(dst)
    except BaseException:
        _remove(tmp)
        raise


def _copy_file(src: str | Path, dst: str | Path) -> None:
    shutil.copy2(src, dst, follow_symlinks=False)
    dst = Path(dst)
    if not dst.is_symlink():
        dst.chmod(FILE_MODE)
        with dst.open("rb") as fh:
            os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _matches(path: Path, sha256: str) -> bool:
    try:
        return payload_digest(path) == sha256
    except OSError:
        return False


def make_read_only(path: Path) -> None:
    """Originals are never changed: files r--r-----, folders r-xr-x---."""
    if path.is_dir() and not path.is_symlink():
        for root, dirs, files in os.walk(path, topdown=False):
            for name in files:
                _chmod_unless_link(Path(root, name), READ_ONLY_FILE)
            for name in dirs:
                _chmod_unless_link(Path(root, name), READ_ONLY_DIR)
        path.chmod(READ_ONLY_DIR)
    elif not path.is_symlink():
        path.chmod(READ_ONLY_FILE)


def _remove(path: Path) -> None:
    """Delete a file or tree, read-only parts included (only our own temporary copies)."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.is_dir():
        for root, dirs, _files in os.walk(path):
            for d in dirs:
                _chmod_unless_link(Path(root, d), DIR_MODE)
        path.chmod(DIR_MODE)
        shutil.rmtree(path, ignore_errors=True)


def _chmod_unless_link(path: Path, mode: int) -> None:
    if not path.is_symlink():
        path.chmod(mode)


def discard_work(envelope_dir: Path) -> None:
    """Remove an envelope's work-area folder once its original is safe elsewhere."""
    _remove(envelope_dir)
    with contextlib.suppress(OSError):
        envelope_dir.parent.rmdir()  # the <sha256> folder, when this was its last envelope


def is_private(path: Path) -> bool:
    """Nothing readable, writable or searchable by others."""
    return not (path.lstat().st_mode & stat.S_IRWXO)


def restore_from_quarantine(
    quarantined: Path, *, retry_root: Path, sha256: str, envelope_id: str
) -> Path:
    """Move a quarantined original back into a work area for ``intake retry`` (idempotent).

    Raises:
        FileNotFoundError: neither the quarantined original nor an earlier restore exists.
    """
    from pipeline.claim import payload_name

    folder = ensure_dir(retry_root / sha256 / envelope_id)
    payload = folder / payload_name(quarantined.name, is_dir=quarantined.is_dir())
    if payload.exists() and not quarantined.exists():
        return payload  # a retry cut short after the move: finish it
    try:
        quarantined.rename(payload)
    except OSError as e:
        if e.errno != errno.EXDEV:  # quarantine on another file system than DATA/work
            raise
        verified_copy(quarantined, payload, sha256=sha256)
        _remove(quarantined)
    return payload


def reason_text(env, reason: str) -> str:
    """The ``reason.txt`` a clerk reads beside a quarantined envelope."""
    return (
        f"Envelope:      {env.id}\n"
        f"sha-256:       {env.sha256}\n"
        f"Original name: {env.original_name}\n"
        f"Received on:   {env.received_on.isoformat()}\n"
        f"Attempts:      {env.attempts}\n"
        f"Quarantined:   {dt.datetime.now().astimezone().isoformat(timespec='seconds')}\n"
        f"Reason:        {reason}\n\n"
        "What to do: fix the cause if it is outside the envelope (full disk, stopped service),\n"
        f"then replay it with:  intake retry {env.id}   (or: intake retry --all)\n"
        "If the scan itself is at fault, rescan the paper and drop the new scan in the inbox;\n"
        "this original stays here untouched.\n"
    )
