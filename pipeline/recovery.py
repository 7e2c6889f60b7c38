"""Crash recovery of the work areas: what a killed worker left half-done is finished here.

Leases handle envelopes that are registered (an expired or dead owner's envelope is taken
over); this handles the two steps that happen outside the database:

* a claim whose rename happened but whose row was never inserted is *adopted* (registered
  from its side file, hashed again);
* a work copy left behind after ``done`` or ``quarantined`` was recorded is removed, once the
  archived or quarantined original is confirmed in place.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from pipeline.archive import discard_work
from pipeline.claim import SIDECAR, find_payload, register_payload
from pipeline.intake_state import EnvelopeStore, State

#: A work-area folder without payload this old is a claim that never happened (crash).
ORPHAN_GRACE_S = 120.0


def recover_work_areas(roots: Iterable[Path], *, store: EnvelopeStore) -> int:
    """Fix every envelope folder of the work areas; returns how many needed something."""
    return sum(_recover(env_dir, store) for root in roots for env_dir in _envelope_dirs(root))


def _recover(env_dir: Path, store: EnvelopeStore) -> int:
    row = store.get(env_dir.name)
    payload = find_payload(env_dir)
    if row is None:
        if payload is not None and (env_dir / SIDECAR).exists():
            register_payload(payload, store=store, adopted=True)
            return 1
        if time.time() - env_dir.stat().st_mtime > ORPHAN_GRACE_S:
            discard_work(env_dir)  # mkdir happened, the rename did not: the inbox still has it
            return 1
        return 0
    finished = row.state is State.DONE and _exists(row.archive_path)
    parked = row.state is State.QUARANTINED and _exists(row.quarantine_path)
    if finished or parked:  # the crash came after the state change, before the clean-up
        discard_work(env_dir)
        return 1
    return 0


def _exists(path: str | None) -> bool:
    return bool(path) and Path(path).exists()


def _envelope_dirs(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return [e for sha in root.iterdir() if sha.is_dir() for e in sha.iterdir() if e.is_dir()]
