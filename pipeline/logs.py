"""Service logs: plain or one JSON object per line, with personal names scrubbed at the source.

File and folder names of envelopes may carry a person's name. The service logs envelope ids
and sha-256 only; as a second line of defence every log record created in the process (ours,
Prefect's, a library's traceback) has the names of the envelopes in flight replaced by
``<name>`` before any handler sees it, so they reach neither the console nor Prefect's API.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import sys
import threading
from collections.abc import Iterable
from pathlib import Path

PLAIN_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(process)d] %(message)s"
#: ``extra=`` keys copied into JSON records.
EXTRA_KEYS = ("envelope", "sha256", "event", "state", "attempt", "worker")

_secrets: set[str] = set()
_folders: set[str] = set()
#: Private folders, inherited by the processing process.
PRIVATE_ENV = "INTAKE_PRIVATE_FOLDERS"
_pattern: re.Pattern[str] | None = None
_lock = threading.Lock()
#: Shorter strings ("a.pdf", "scan") would scrub ordinary words and cannot name a person.
MIN_SECRET_LEN = 4
_base_factory = logging.getLogRecordFactory()
_installed = False


def add_secrets(names: Iterable[str]) -> None:
    """Strings (original names) that must never appear in a log from now on."""
    global _pattern
    with _lock:
        before = len(_secrets)
        _secrets.update(n for n in names if n and len(n) >= MIN_SECRET_LEN)
        if len(_secrets) != before:
            _pattern = secrets_pattern(_secrets)


def add_private_folder(folder: Path, *, except_sub: str | None = None) -> None:
    """Names under this folder (the inbox: original names) are scrubbed from every log line.

    ``except_sub``: a sub-folder whose names are neutral (the work area) and stay readable.
    """
    global _pattern
    keep = f"(?!{re.escape(except_sub)}/)" if except_sub else ""
    with _lock:
        _folders.add(re.escape(str(folder)) + "/" + keep + r"[^'\"\n]*")
        _pattern = secrets_pattern(_secrets)
    os.environ[PRIVATE_ENV] = os.pathsep.join(
        {
            *filter(None, os.environ.get(PRIVATE_ENV, "").split(os.pathsep)),
            f"{folder}|{except_sub or ''}",
        }
    )


def secrets_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One regex: paths into private folders, then names as whole words, longest first."""
    alts = sorted({n for n in names if n and len(n) >= MIN_SECRET_LEN}, key=len, reverse=True)
    words = [r"(?<!\w)(?:" + "|".join(map(re.escape, alts)) + r")(?!\w)"] if alts else []
    parts = sorted(_folders, key=len, reverse=True) + words
    return re.compile("|".join(parts)) if parts else None


def scrub(text: str, pattern: re.Pattern[str] | None = None) -> str:
    pattern = pattern or _pattern
    return pattern.sub("<name>", text) if pattern else text


def _scrubbing_factory(*args, **kwargs) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)
    if _pattern is None:
        return record
    try:
        message = record.getMessage()
    except Exception:  # a malformed %-format: leave it to the handler's own error path
        return record
    clean = scrub(message)
    if clean != message:
        record.msg, record.args = clean, ()
    if record.exc_info and record.exc_info[0] is not None:
        record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
    if record.stack_info:
        record.stack_info = scrub(record.stack_info)
    return record


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "msg", "envelope", "sha256", …}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            "pid": record.process,
        }
        for key in EXTRA_KEYS:
            value = getattr(record, key, None)
            if value is not None:
                out[key] = value
        if record.exc_info:
            out["exc"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class ServiceLogHandler(logging.StreamHandler):
    """Our console handler. Prefect keeps a root handler in place only if it is a "user"
    handler: a class of its own whose name does not start with an underscore."""


def json_wanted() -> bool:
    return os.environ.get("INTAKE_LOG_JSON", "").lower() in {"1", "true", "yes", "on"}


def setup_logging(
    *, json_mode: bool | None = None, level: str | None = None, with_prefect: bool = False
) -> None:
    """Install the scrubbing record factory and one stderr handler (plain or JSON).

    With ``with_prefect``, Prefect is imported first and its console handlers get the same
    format, so a JSON log stays one JSON object per line.
    """
    json_mode = json_wanted() if json_mode is None else json_mode
    if json_mode:
        os.environ["INTAKE_LOG_JSON"] = "1"  # inherited by the processing process
    level = (level or os.environ.get("INTAKE_LOG_LEVEL") or "INFO").upper()
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "extractors,pipeline")
    # Our loggers also log outside flow runs (the service loop): nothing to send to the API then.
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
    _install_scrubbing()
    formatter = JsonFormatter() if json_mode else logging.Formatter(PLAIN_FORMAT)
    root = logging.getLogger()
    for h in list(root.handlers):
        if isinstance(h, ServiceLogHandler):
            root.removeHandler(h)
    handler = ServiceLogHandler(sys.stderr)
    handler.setFormatter(formatter)
    root.addHandler(handler)
    _set_levels(level)
    logging.captureWarnings(True)
    if with_prefect:
        import prefect  # noqa: F401  (its logging set-up runs at import)

        _restyle_prefect_handlers(root, handler, formatter)


def _install_scrubbing() -> None:
    """The record factory, once per process, with the private folders of the parent process."""
    global _installed
    if _installed:
        return
    logging.setLogRecordFactory(_scrubbing_factory)
    _installed = True
    for entry in filter(None, os.environ.get(PRIVATE_ENV, "").split(os.pathsep)):
        folder, _, sub = entry.partition("|")
        add_private_folder(Path(folder), except_sub=sub or None)


def _set_levels(level: str) -> None:
    logging.getLogger().setLevel(level)
    for name in ("pipeline", "extractors"):
        logging.getLogger(name).setLevel(level)
    for name in ("httpx", "httpcore"):  # one line per API request is noise, not a record
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    # watchdog's debug lines name every file of the inbox (original names: personal data).
    logging.getLogger("watchdog").setLevel(max(logging.INFO, logging.getLevelName(level)))


def _restyle_prefect_handlers(
    root: logging.Logger, ours: logging.Handler, formatter: logging.Formatter
) -> None:
    """Prefect's console handlers print in our format; its root console handler goes."""
    from prefect.logging.handlers import PrefectConsoleHandler

    for h in list(root.handlers):
        if isinstance(h, PrefectConsoleHandler):
            root.removeHandler(h)
    loggers = [logging.getLogger(n) for n in list(logging.root.manager.loggerDict)]
    for lg in loggers:
        for h in getattr(lg, "handlers", ()):
            if (
                isinstance(h, logging.StreamHandler)
                and h is not ours
                and h.stream in (sys.stderr, sys.stdout)
            ):
                h.setFormatter(formatter)
