"""A reviewer's decisions, derived from the audit trail: the log is the only record."""

from __future__ import annotations

from collections.abc import Iterable

from schemas.codes import IntakeStatus
from schemas.flags import Flag
from schemas.review import AuditEntry, FlagDecision, ReviewAction, ReviewState


def flag_key(flag: Flag) -> str:
    """A flag's stable name: its code and subject keys (the same on every re-run)."""
    return ":".join(f"{k}={v}" if k != "code" else str(v) for k, v in flag.subject)


def review_state(entries: Iterable[AuditEntry]) -> ReviewState:
    """Replay an envelope's entries, oldest first; a later entry wins over an earlier one."""
    corrections: dict[str, str] = {}
    flags: dict[str, FlagDecision] = {}
    final: dict[str, object] = {}
    for e in sorted(entries, key=lambda e: (e.at, e.id or 0)):
        if e.action is ReviewAction.CORRECT_FIELD:
            corrections[e.target] = e.after or ""
        elif e.action in (ReviewAction.RESOLVE_FLAG, ReviewAction.OVERRIDE_FLAG):
            flags[e.target] = FlagDecision(action=e.action, reason=e.reason, actor=e.actor, at=e.at)
        elif e.action is ReviewAction.SET_STATUS and e.after:
            final = {
                "final_status": IntakeStatus(e.after),
                "decided_by": e.actor,
                "decided_at": e.at,
                "reason": e.reason,
            }
    return ReviewState(corrections=corrections, flags=flags, **final)


def open_flags(flags: Iterable[Flag], state: ReviewState) -> list[Flag]:
    """Flags no reviewer has settled yet."""
    return [f for f in flags if flag_key(f) not in state.flags]
