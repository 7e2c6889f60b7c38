"""Watching the inbox: which entries are complete and may be claimed.

Each look is a full listing of the inbox's top level, so nothing depends on an event being
delivered: watchdog (inotify) only wakes the loop early. With ``poll=True`` (network shares,
where inotify sees nothing of other machines' writes) the loop looks every ``poll_interval_s``.
An entry is ready when its signature (sizes, times, file count) has not moved for
``settle_s`` and its scan files open; see ``pipeline.claim``.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from extractors.envelope import is_ignored
from pipeline.claim import Readiness, Signature, readiness, signature
from schemas.config import LimitsConfig

log = logging.getLogger(__name__)


@dataclass
class _Track:
    sig: Signature
    changed_at: float
    first_seen: float
    verdict: Readiness | None = None


@dataclass(frozen=True)
class Ready:
    path: Path
    first_seen: float
    verdict: Readiness


@dataclass
class InboxWatcher:
    """Tracks inbox entries until they are stable and complete."""

    inbox: Path
    settle_s: float = 10.0
    broken_after_s: float = 120.0
    poll: bool = False
    poll_interval_s: float = 2.0
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    exclude: tuple[Path, ...] = ()
    _tracks: dict[str, _Track] = field(default_factory=dict, init=False)
    _wake: threading.Event = field(default_factory=threading.Event, init=False)
    _observer: object | None = field(default=None, init=False)

    def start(self) -> None:
        """Start watchdog (unless polling); a missing or unsupported watch falls back to polling."""
        if self.poll or self._observer is not None:
            return
        try:
            from watchdog.events import FileSystemEventHandler
            from watchdog.observers import Observer

            wake = self._wake

            class _Wake(FileSystemEventHandler):
                def on_any_event(self, event) -> None:
                    wake.set()

            observer = Observer()
            observer.schedule(_Wake(), str(self.inbox), recursive=True)
            observer.start()
            self._observer = observer
        except (OSError, ImportError) as e:
            log.warning("file events unavailable (%s); polling the inbox instead", type(e).__name__)
            self.poll = True

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(5)
            self._observer = None

    def wait(self, timeout_s: float) -> None:
        """Sleep until an event or ``timeout_s`` (at most ``poll_interval_s`` when polling)."""
        if self.poll:
            timeout_s = min(timeout_s, self.poll_interval_s)
        self._wake.wait(timeout_s)
        self._wake.clear()

    @property
    def pending(self) -> int:
        """Entries seen but not yet ready."""
        return len(self._tracks)

    def next_look_s(self) -> float:
        """How long the loop may sleep before an entry's settle time may have passed."""
        return max(0.2, min(self.settle_s / 2, 5.0)) if self._tracks else 30.0

    def ready(self, now: float | None = None) -> list[Ready]:
        """List the inbox and return the entries that may be claimed now (oldest first)."""
        now = time.monotonic() if now is None else now
        present, out = set(), []
        for entry in self._entries():
            sig = signature(entry)
            if sig is None:
                continue
            present.add(entry.name)
            track = self._tracks.get(entry.name)
            if track is None or track.sig != sig:
                first = track.first_seen if track else time.time()
                track = self._tracks[entry.name] = _Track(sig, now, first)
            verdict = self._verdict(entry, track, now)
            if verdict is not None:
                out.append(Ready(entry, track.first_seen, verdict))
        for gone in set(self._tracks) - present:
            del self._tracks[gone]
        return sorted(out, key=lambda r: r.first_seen)

    def forget(self, path: Path) -> None:
        """The entry was claimed (or taken by another worker)."""
        self._tracks.pop(path.name, None)

    def _verdict(self, entry: Path, track: _Track, now: float) -> Readiness | None:
        quiet = now - track.changed_at
        if track.sig.ready_marker:
            return Readiness.OK
        if quiet < self.settle_s:
            return None
        if track.verdict is None:
            track.verdict = readiness(entry, self.limits)
        if track.verdict is not Readiness.INCOMPLETE or quiet >= self.broken_after_s:
            return track.verdict
        return None

    def _entries(self) -> list[Path]:
        excluded = {p.resolve() for p in self.exclude}
        try:
            with os.scandir(self.inbox) as it:
                names = [e.name for e in it]
        except OSError as e:
            log.error("inbox cannot be listed (%s)", type(e).__name__)
            return []
        entries = []
        for name in names:
            path = self.inbox / name
            if is_ignored(path) or path.resolve() in excluded:
                continue
            entries.append(path)
        return entries
